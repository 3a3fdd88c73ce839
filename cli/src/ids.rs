//! `sales-tiers id …`: the derived id of a record from what it is about, so
//! a script writing a workspace file needs no copy of the derivation.

use clap::Subcommand;
use sales_tiers_core::calendar::{parse_period, Period};
use sales_tiers_core::model::*;
use sales_tiers_core::Lang;
use serde::de::DeserializeOwned;

#[derive(Subcommand)]
pub enum IdOf {
    /// A target line: an owner's (unit or person) target of one kind for one fiscal year.
    Target {
        /// The unit's or person's id.
        #[arg(long)]
        owner: String,
        /// revenue, new_customers or gross_margin.
        #[arg(long)]
        kind: String,
        /// Fiscal year (named by the calendar year it starts in).
        #[arg(long)]
        year: String,
    },
    /// A budget line: a unit's budget in one category for one fiscal year.
    Budget {
        #[arg(long)]
        unit: String,
        /// The category's id, or a default category's key (personnel, marketing, travel, tools, training, other).
        #[arg(long)]
        category: String,
        #[arg(long)]
        year: String,
    },
    /// A unit's headcount plan for one fiscal year.
    Headcount {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        year: String,
    },
    /// A time split of a tier (its default) or a person (an override).
    TimeSplit {
        /// The tier's or person's id.
        #[arg(long)]
        owner: String,
    },
    /// A tier's scorecard template.
    Scorecard {
        #[arg(long)]
        tier: String,
    },
    /// A KPI entered by hand for one person and period.
    KpiEntry {
        #[arg(long)]
        person: String,
        /// activities, strategic or custom:<KPI id>.
        #[arg(long)]
        kpi: String,
        /// Fiscal period: 2026, 2026-Q3 or 2026-M08.
        #[arg(long)]
        period: String,
    },
    /// A manager's forecast call for one period and category.
    Override {
        /// The unit's or person's id.
        #[arg(long)]
        owner: String,
        /// pipeline, best_case, commit, closed or omitted.
        #[arg(long)]
        category: String,
        /// Fiscal period: 2026, 2026-Q3 or 2026-M08.
        #[arg(long)]
        period: String,
    },
    /// A unit's bonus pool for one period.
    Pool {
        #[arg(long)]
        unit: String,
        /// Fiscal period: 2026, 2026-Q3 or 2026-M08.
        #[arg(long)]
        period: String,
    },
    /// A default budget category: personnel, marketing, travel, tools, training or other.
    Category { key: String },
    /// A default pipeline stage: lead, qualified, proposal, negotiation, won or lost.
    Stage { key: String },
}

/// A record id given on the command line.
fn id(s: &str, lang: Lang) -> Result<Id, String> {
    Id::parse(s.trim()).ok_or_else(|| {
        lang.pick(
            format!("“{s}”不是有效的 id（应为 UUID，如 0f8e5b2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b）"),
            format!("“{s}” is not an id (a UUID such as 0f8e5b2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b)"),
        )
    })
}

/// One of a closed set of words, as the file writes them (`best_case`;
/// `best-case` is read the same).
fn word<T: DeserializeOwned>(s: &str, what: (&str, &str), choices: &[&str], lang: Lang) -> Result<T, String> {
    let v = serde_json::Value::String(s.trim().replace('-', "_"));
    serde_json::from_value(v).map_err(|_| {
        let list = choices.join(", ");
        lang.pick(format!("未知的{}“{s}”：可用 {list}", what.0), format!("unknown {} “{s}”: use {list}", what.1))
    })
}

fn key_of<'a>(s: &str, keys: impl IntoIterator<Item = &'a str>, what: (&str, &str), lang: Lang) -> Result<String, String> {
    let keys: Vec<&str> = keys.into_iter().collect();
    let k = s.trim().to_ascii_lowercase();
    if keys.contains(&k.as_str()) {
        return Ok(k);
    }
    let list = keys.join(", ");
    Err(lang.pick(format!("未知的{}“{s}”：可用 {list}", what.0), format!("unknown {} “{s}”: use {list}", what.1)))
}

fn year(s: &str, lang: Lang) -> Result<i32, String> {
    s.trim().parse().ok().filter(|y| (2000..=2200).contains(y)).ok_or_else(|| {
        lang.pick(format!("年份“{s}”无效：应为 2000–2200 的财年"), format!("year “{s}” is invalid: use a fiscal year 2000–2200"))
    })
}

fn period(s: &str, lang: Lang) -> Result<(i32, Period), String> {
    parse_period(s).ok_or_else(|| {
        lang.pick(
            format!("期间“{s}”无效：请写 2026、2026-Q3 或 2026-M08"),
            format!("period “{s}” is invalid: write 2026, 2026-Q3 or 2026-M08"),
        )
    })
}

const CATEGORY: (&str, &str) = ("预测类别", "forecast category");

/// The derived id, or why the arguments do not name one.
pub fn derived(of: &IdOf, lang: Lang) -> Result<Id, String> {
    let categories = || DEFAULT_CATEGORIES.iter().map(|c| c.0);
    Ok(match of {
        IdOf::Target { owner, kind, year: y } => {
            let kind = word(kind, ("目标类型", "target kind"), &["revenue", "new_customers", "gross_margin"], lang)?;
            TargetLine::id_for(id(owner, lang)?, kind, year(y, lang)?)
        }
        IdOf::Budget { unit, category, year: y } => {
            let category = match Id::parse(category.trim()) {
                Some(c) => c,
                None => default_category_id(&key_of(category, categories(), ("预算类别", "budget category"), lang)?),
            };
            BudgetLine::id_for(id(unit, lang)?, year(y, lang)?, category)
        }
        IdOf::Headcount { unit, year: y } => HeadcountPlan::id_for(id(unit, lang)?, year(y, lang)?),
        IdOf::TimeSplit { owner } => TimeSplit::id_for(id(owner, lang)?),
        IdOf::Scorecard { tier } => ScorecardTemplate::id_for(id(tier, lang)?),
        IdOf::KpiEntry { person, kpi, period: p } => {
            let kpi = KpiKind::from_key(kpi.trim()).filter(|k| k.is_manual()).ok_or_else(|| {
                lang.pick(
                    format!("指标“{kpi}”不是手工录入指标：可用 activities、strategic 或 custom:<指标 id>"),
                    format!("“{kpi}” is not a KPI entered by hand: use activities, strategic or custom:<KPI id>"),
                )
            })?;
            let (y, p) = period(p, lang)?;
            KpiEntry::id_for(id(person, lang)?, kpi, y, p)
        }
        IdOf::Override { owner, category, period: p } => {
            let category = word(category, CATEGORY, &["pipeline", "best_case", "commit", "closed", "omitted"], lang)?;
            let (y, p) = period(p, lang)?;
            ForecastOverride::id_for(id(owner, lang)?, y, p, category)
        }
        IdOf::Pool { unit, period: p } => {
            let (y, p) = period(p, lang)?;
            BonusPool::id_for(id(unit, lang)?, y, p)
        }
        IdOf::Category { key } => default_category_id(&key_of(key, categories(), ("预算类别", "budget category"), lang)?),
        IdOf::Stage { key } => default_stage_id(&key_of(key, DEFAULT_STAGES.iter().map(|s| s.0), ("销售阶段", "pipeline stage"), lang)?),
    })
}
