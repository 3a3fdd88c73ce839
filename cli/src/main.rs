//! `sales-tiers`: the Sales Tiers engine on the command line.

use clap::{Parser, Subcommand};
use sales_tiers_core::demo::{generate, DemoOptions, DEFAULT_PEOPLE, DEFAULT_SEED};
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
        /// Output file.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
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
        Command::Validate { file } => {
            let bytes = match std::fs::read(&file) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("{}: {}", file.display(), lang.pick(format!("无法读取：{e}"), format!("cannot read: {e}")));
                    return ExitCode::from(2);
                }
            };
            let Ok(text) = String::from_utf8(bytes) else {
                eprintln!("{}: {}", file.display(), lang.pick("不是 UTF-8 文本文件", "not a UTF-8 text file"));
                return ExitCode::from(1);
            };
            match io::read(&text) {
                Ok((ws, info)) => {
                    let migrated = if info.migrated {
                        lang.pick(
                            format!("，已从版本 {} 升级", info.file_version),
                            format!(", upgraded from version {}", info.file_version),
                        )
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
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{}: {}", file.display(), e.message(lang));
                    ExitCode::from(1)
                }
            }
        }
        Command::Demo { people, seed, output } => {
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
            let now = chrono::Utc::now();
            let ws = generate(&DemoOptions { people, seed, now, lang, crm: true });
            let text = io::write(&ws, now, true);
            if let Err(e) = std::fs::write(&output, &text) {
                eprintln!("{}: {e}", output.display());
                return ExitCode::from(2);
            }
            println!(
                "{}",
                lang.pick(
                    format!("已写入 {}：{} 人，{} 字节", output.display(), ws.people.len(), text.len()),
                    format!("wrote {}: {} people, {} bytes", output.display(), ws.people.len(), text.len())
                )
            );
            ExitCode::SUCCESS
        }
    }
}
