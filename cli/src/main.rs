//! `sales-tiers`: the Sales Tiers engine on the command line.

mod files;
mod ids;

use clap::{Parser, Subcommand};
use sales_tiers_core::demo::{generate, DemoOptions, DEFAULT_PEOPLE, DEFAULT_SEED};
use sales_tiers_core::engine::exchange;
use sales_tiers_core::{io, Lang};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "sales-tiers", version, about = "Sales Tiers (销售分级管理) on the command line")]
struct Cli {
    /// Language of messages: zh-CN or en (default: from $LANG).
    #[arg(long, global = true)]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a workspace file; exit 0 with a summary, or non-zero with the reason.
    Validate { file: PathBuf },
    /// Write a demo workspace file.
    Demo {
        /// Number of people (77 = 1 director, 4 regional managers, 12 team leads, 60 reps).
        #[arg(long, default_value_t = DEFAULT_PEOPLE)]
        people: usize,
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
        /// Leave out the logged activities and tasks (a 1,000-person
        /// workspace with a year of them does not fit a browser's storage).
        #[arg(long)]
        no_activities: bool,
        /// Write the file compact, as the app exports by default (else indented, readable).
        #[arg(long)]
        compact: bool,
        /// Output file.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        #[command(flatten)]
        protect: files::Protect,
    },
    /// Print a period's targets, actuals, forecast, scorecards and payouts (JSON shape in the README).
    Report {
        file: PathBuf,
        /// Fiscal period: 2026, 2026-Q3 or 2026-M08.
        #[arg(long)]
        period: String,
        /// Only this unit's subtree (its id).
        #[arg(long)]
        unit: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Measure on-track and coverage as of this day (default: today).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Write one unit's branch for its manager: its subtree, the shared
    /// definitions and, read-only, what it is given from above.
    Branch {
        file: PathBuf,
        /// The branch's root unit (its id).
        #[arg(long)]
        unit: String,
        /// Who sends it (a person's id), named in the file.
        #[arg(long = "from")]
        from: Option<String>,
        /// Output file.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        #[command(flatten)]
        protect: files::Protect,
    },
    /// Merge a branch file (or a whole file of the same workspace) into FILE
    /// and write the result: prints the review (counts, conflicts, refused).
    Merge {
        file: PathBuf,
        incoming: PathBuf,
        /// Output file.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// How conflicts are decided (default: the newer side of each).
        #[arg(long, value_enum)]
        prefer: Option<Prefer>,
        #[command(flatten)]
        protect: files::Protect,
    },
    /// Create a signing key for a person and write it to a key file locked
    /// with a passphrase (SALES_TIERS_PASSPHRASE, else asked twice).
    Keygen {
        /// Whose key it is (a person's id).
        #[arg(long)]
        person: String,
        /// Their name, as files will say who signed.
        #[arg(long)]
        name: String,
        /// Output key file.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Say who signed a file and whether it is intact: exit 0 signed and
    /// intact, 1 changed after signing (or unreadable), 3 not signed.
    Verify {
        file: PathBuf,
        /// A workspace file whose known keys say whose key it is.
        #[arg(long)]
        known: Option<PathBuf>,
    },
    /// Print the JSON Schema of a workspace file (the envelope and the workspace in it).
    Schema,
    /// Print the id of a record whose id is derived from what it is about
    /// (target lines, budget lines, headcount plans, time splits, scorecards,
    /// KPI entries, forecast overrides, bonus pools, default categories and stages).
    Id {
        #[command(subcommand)]
        of: ids::IdOf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Prefer {
    Mine,
    Theirs,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Json,
    Csv,
}

/// The current time: `SALES_TIERS_NOW` (RFC 3339, or a date meaning its
/// midnight UTC) when set, so scripts and tests give the same output on any
/// day; else the system clock.
fn now() -> chrono::DateTime<chrono::Utc> {
    if let Ok(v) = std::env::var("SALES_TIERS_NOW") {
        if let Ok(t) = chrono::DateTime::parse_from_rfc3339(v.trim()) {
            return t.with_timezone(&chrono::Utc);
        }
        if let Ok(d) = v.trim().parse::<chrono::NaiveDate>() {
            return d.and_time(chrono::NaiveTime::MIN).and_utc();
        }
        eprintln!("SALES_TIERS_NOW={v}: not an RFC 3339 time or a date; using the system clock");
    }
    chrono::DateTime::from(std::time::SystemTime::now())
}

/// Reads and opens a workspace file (unlocking it when locked), or says
/// why not (exit 1; 2 when unreadable).
fn open(file: &std::path::Path, lang: Lang) -> Result<(sales_tiers_core::Workspace, io::ReadInfo), ExitCode> {
    let text = files::unlocked(file, files::read_text(file, lang)?, io::lock::Content::Workspace, lang)?;
    io::read(&text).map_err(|e| {
        eprintln!("{}: {}", file.display(), e.message(lang));
        ExitCode::from(1)
    })
}

/// Writes a file and says so (exit 2 when it cannot be written).
fn write_out(output: &std::path::Path, text: &str, lang: Lang, what: impl FnOnce() -> String) -> ExitCode {
    if let Err(e) = std::fs::write(output, text) {
        eprintln!("{}: {e}", output.display());
        return ExitCode::from(2);
    }
    let what = what();
    let sep = if what.is_empty() { "" } else { lang.pick("：", ": ") };
    println!(
        "{}",
        lang.pick(
            format!("已写入 {}（{} 字节）{sep}{what}", output.display(), text.len()),
            format!("wrote {} ({} bytes){sep}{what}", output.display(), text.len())
        )
    );
    ExitCode::SUCCESS
}

/// Writes a file signed and/or locked as `protect` says.
fn write_protected(
    output: &std::path::Path,
    text: String,
    protect: &files::Protect,
    now: chrono::DateTime<chrono::Utc>,
    lang: Lang,
    what: impl FnOnce() -> String,
) -> ExitCode {
    match files::protect(text, protect, now, lang) {
        Ok(text) => write_out(output, &text, lang, what),
        Err(code) => code,
    }
}

fn lang_of(flag: Option<&str>) -> Lang {
    match flag {
        Some(tag) => Lang::from_tag(tag),
        None => std::env::var("LANG").map(|l| Lang::from_tag(&l)).unwrap_or(Lang::En),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = lang_of(cli.lang.as_deref());
    match cli.command {
        Command::Report { file, period, unit, format, as_of } => {
            let Some((year, p)) = io::report::parse_period(&period) else {
                eprintln!(
                    "{}",
                    lang.pick(
                        format!("期间“{period}”无效：请写 2026、2026-Q3 或 2026-M08"),
                        format!("period “{period}” is invalid: write 2026, 2026-Q3 or 2026-M08")
                    )
                );
                return ExitCode::from(2);
            };
            let ws = match open(&file, lang) {
                Ok((ws, _)) => ws,
                Err(code) => return code,
            };
            let unit = match unit {
                None => None,
                Some(u) => match sales_tiers_core::Id::parse(&u).filter(|id| ws.units.contains_key(id)) {
                    Some(id) => Some(id),
                    None => {
                        eprintln!("{}", lang.pick(format!("找不到组织单元 {u}"), format!("unit {u} not found")));
                        return ExitCode::from(2);
                    }
                },
            };
            let today = as_of.unwrap_or_else(|| now().date_naive());
            let r = io::report::report(&ws, year, p, unit, today, lang);
            let bytes = match format {
                Format::Json => (serde_json::to_string_pretty(&r).unwrap_or_default() + "\n").into_bytes(),
                Format::Csv => io::report::to_csv(&r, lang),
            };
            // A closed pipe (`| head`) is not an error worth a panic.
            use std::io::Write;
            let _ = std::io::stdout().write_all(&bytes);
            ExitCode::SUCCESS
        }
        Command::Branch { file, unit, from, output, protect } => {
            let ws = match open(&file, lang) {
                Ok((ws, _)) => ws,
                Err(code) => return code,
            };
            let Some(root) = sales_tiers_core::Id::parse(&unit).filter(|id| ws.units.contains_key(id)) else {
                eprintln!("{}", lang.pick(format!("找不到组织单元 {unit}"), format!("unit {unit} not found")));
                return ExitCode::from(2);
            };
            let sender = match from {
                None => None,
                Some(p) => match sales_tiers_core::Id::parse(&p).and_then(|id| ws.people.get(&id)) {
                    Some(p) => Some(sales_tiers_core::model::Sender { id: p.id, name: p.name.clone() }),
                    None => {
                        eprintln!("{}", lang.pick(format!("找不到人员 {p}"), format!("person {p} not found")));
                        return ExitCode::from(2);
                    }
                },
            };
            let now = now();
            let b = match exchange::extract(&ws, root, now, sender) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("{}", e.message(lang));
                    return ExitCode::from(1);
                }
            };
            write_protected(&output, io::write(&b, now, false), &protect, now, lang, || {
                let name = b.units[&root].name.get(lang).to_string();
                lang.pick(
                    format!(
                        "分支“{name}”：{} 个单元，{} 人，{} 个客户，{} 个商机",
                        b.units.len(),
                        b.people.len(),
                        b.customers.len(),
                        b.opportunities.len()
                    ),
                    format!(
                        "branch “{name}”: {} units, {} people, {} customers, {} deals",
                        b.units.len(),
                        b.people.len(),
                        b.customers.len(),
                        b.opportunities.len()
                    ),
                )
            })
        }
        Command::Merge { file, incoming, output, prefer, protect } => {
            let ours = match open(&file, lang) {
                Ok((ws, _)) => ws,
                Err(code) => return code,
            };
            let (theirs, info) = match open(&incoming, lang) {
                Ok(x) => x,
                Err(code) => return code,
            };
            let now = now();
            let at = info.exported_at.unwrap_or(now);
            let review = match exchange::review(&ours, &theirs, info.checksum.as_deref().unwrap_or(""), at, lang) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("{}", e.message(lang));
                    return ExitCode::from(1);
                }
            };
            let choices: std::collections::BTreeMap<_, _> = match prefer {
                None => Default::default(),
                Some(p) => {
                    let side = match p {
                        Prefer::Mine => sales_tiers_core::model::Side::Mine,
                        Prefer::Theirs => sales_tiers_core::model::Side::Theirs,
                    };
                    review.conflicts.iter().map(|c| (c.id, side)).collect()
                }
            };
            for line in exchange::summary(&review, &choices, lang) {
                println!("{line}");
            }
            let entry = sales_tiers_core::Id::from_random_bytes(files::random());
            let merged = match exchange::apply(&ours, &theirs, &review, &choices, now, None, entry) {
                Ok(m) => m,
                Err(e) => {
                    eprintln!("{}", e.message(lang));
                    return ExitCode::from(1);
                }
            };
            write_protected(&output, io::write(&merged, now, false), &protect, now, lang, String::new)
        }
        Command::Schema => {
            let schema = serde_json::to_string_pretty(&io::schema::file_schema()).unwrap_or_default();
            use std::io::Write;
            let _ = std::io::stdout().write_all(format!("{schema}\n").as_bytes());
            ExitCode::SUCCESS
        }
        Command::Id { of } => match ids::derived(&of, lang) {
            Ok(id) => {
                println!("{id}");
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("{message}");
                ExitCode::from(2)
            }
        },
        Command::Validate { file } => match open(&file, lang) {
            Err(code) => code,
            Ok((ws, info)) => {
                let migrated = if info.migrated {
                    lang.pick(format!("，已从版本 {} 升级", info.file_version), format!(", upgraded from version {}", info.file_version))
                } else {
                    String::new()
                };
                println!(
                    "{}",
                    lang.pick(
                        format!(
                            "有效：{}（{} 人，{} 个组织单元，{} 个层级，结构版本 {}{migrated}）",
                            ws.settings.workspace_name,
                            ws.people.len(),
                            ws.units.len(),
                            ws.tiers.len(),
                            ws.schema_version
                        ),
                        format!(
                            "valid: {} ({} people, {} units, {} tiers, schema v{}{migrated})",
                            ws.settings.workspace_name,
                            ws.people.len(),
                            ws.units.len(),
                            ws.tiers.len(),
                            ws.schema_version
                        ),
                    )
                );
                if let Some(b) = &ws.branch {
                    let name = ws.units.get(&b.root).map(|u| u.name.get(lang).to_string()).unwrap_or_default();
                    let by = b.issued_by.as_ref().map(|s| s.name.get(lang).to_string()).unwrap_or_default();
                    if let Some(back) = &b.returned_by {
                        let at = b.returned_at.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default();
                        println!(
                            "{}",
                            lang.pick(
                                format!("由 {} 于 {at} 回传", back.name.get(lang)),
                                format!("sent back by {} at {at}", back.name.get(lang))
                            )
                        );
                    }
                    let at = b.issued_at.format("%Y-%m-%d %H:%M UTC");
                    println!(
                        "{}",
                        lang.pick(
                            format!("分支：“{name}”，属于 {}，{by} 于 {at} 下发", b.workspace_name),
                            format!("branch “{name}” of {}, issued {at} by {by}", b.workspace_name)
                        )
                    );
                }
                if info.defaulted > 0 {
                    println!(
                        "{}",
                        lang.pick(
                            format!("文件省略的 {} 个字段已取默认值", info.defaulted),
                            format!("{} fields the file left out took their defaults", info.defaulted)
                        )
                    );
                }
                for r in info.rekeyed.iter().take(10) {
                    println!("{}", r.message(lang));
                }
                if info.rekeyed.len() > 10 {
                    let more = info.rekeyed.len() - 10;
                    println!(
                        "{}",
                        lang.pick(
                            format!("另有 {more} 条记录改用导出的 id"),
                            format!("and {more} more records moved to their derived ids")
                        )
                    );
                }
                ExitCode::SUCCESS
            }
        },
        Command::Keygen { person, name, output } => keygen(&person, &name, &output, lang),
        Command::Verify { file, known } => verify(&file, known.as_deref(), lang),
        Command::Demo { people, seed, no_activities, compact, output, protect } => {
            if people == 0 || people > sales_tiers_core::limits::MAX_PEOPLE {
                eprintln!(
                    "{}",
                    lang.pick(
                        format!("人数应在 1 到 {} 之间", sales_tiers_core::limits::MAX_PEOPLE),
                        format!("--people must be between 1 and {}", sales_tiers_core::limits::MAX_PEOPLE)
                    )
                );
                return ExitCode::from(2);
            }
            let now = now();
            let ws = generate(&DemoOptions { people, seed, now, lang, crm: true, activities: !no_activities });
            write_protected(&output, io::write(&ws, now, !compact), &protect, now, lang, || {
                lang.pick(format!("{} 人", ws.people.len()), format!("{} people", ws.people.len()))
            })
        }
    }
}

fn keygen(person: &str, name: &str, output: &std::path::Path, lang: Lang) -> ExitCode {
    let Some(id) = sales_tiers_core::Id::parse(person) else {
        eprintln!("{}", lang.pick(format!("人员 id 无效：{person}"), format!("not a person id: {person}")));
        return ExitCode::from(2);
    };
    if name.trim().is_empty() {
        eprintln!("{}", lang.pick("--name 不能为空", "--name must not be empty"));
        return ExitCode::from(2);
    }
    let pair = io::seal::KeyPair::from_seed(files::random());
    let who = sales_tiers_core::model::Sender { id, name: sales_tiers_core::model::Text::both(name.trim()) };
    let kf = io::seal::KeyFile::new(&pair, who, now());
    let what = lang.pick("新的签名密钥文件".to_string(), "the new key file".to_string());
    let pass = match files::passphrase(&["SALES_TIERS_KEY_PASSPHRASE", "SALES_TIERS_PASSPHRASE"], &what, true, lang) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let text = match io::lock::lock(
        kf.to_json().as_bytes(),
        io::lock::Content::Key,
        &pass,
        io::lock::Cost::DEFAULT,
        files::random(),
        files::random(),
    ) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}", e.message(lang));
            return ExitCode::from(2);
        }
    };
    let fp = pair.public().fingerprint();
    let public = pair.public().to_text();
    write_out(output, &text, lang, || lang.pick(format!("指纹 {fp}，公钥 {public}"), format!("fingerprint {fp}, public key {public}")))
}

fn verify(file: &std::path::Path, known: Option<&std::path::Path>, lang: Lang) -> ExitCode {
    let text = match files::read_text(file, lang).and_then(|t| files::unlocked(file, t, io::lock::Content::Workspace, lang)) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let signed = match io::seal::check(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{}: {}", file.display(), e.message(lang));
            return ExitCode::from(1);
        }
    };
    let Some(signed) = signed else {
        println!("{}: {}", file.display(), io::seal::not_signed(lang));
        return ExitCode::from(3);
    };
    // The whole file must read too (schema, rules): a valid signature over a
    // file the app would refuse is still a file the app refuses.
    if let Err(e) = io::read(&text) {
        eprintln!("{}: {}", file.display(), e.message(lang));
        return ExitCode::from(1);
    }
    let claim = signed.signer.as_ref().map(|s| s.name.get(lang).to_string()).unwrap_or_default();
    println!(
        "{}",
        lang.pick(
            format!("{}：签名完好，签名于 {}，自称 {claim}", file.display(), signed.signed_at.format("%Y-%m-%d %H:%M UTC")),
            format!(
                "{}: signature intact, signed {} by a key that says it is {claim}",
                file.display(),
                signed.signed_at.format("%Y-%m-%d %H:%M UTC")
            )
        )
    );
    println!("{}", lang.pick(format!("指纹 {}", signed.key.fingerprint()), format!("fingerprint {}", signed.key.fingerprint())));
    println!("{}", lang.pick(format!("公钥 {}", signed.key.to_text()), format!("public key {}", signed.key.to_text())));
    match known {
        None => println!(
            "{}",
            lang.pick(
                "未对照工作区的已知公钥（用 --known 文件 指定）",
                "not checked against a workspace's known keys (give one with --known FILE)"
            )
        ),
        Some(k) => match open(k, lang) {
            Ok((ws, _)) => println!("{}", io::seal::trust(&ws, Some(&signed)).describe(&ws, Some(&signed), lang)),
            Err(code) => return code,
        },
    }
    ExitCode::SUCCESS
}
