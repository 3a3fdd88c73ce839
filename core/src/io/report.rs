//! The period report finance scripts read (`sales-tiers report`): per unit
//! and person, target, actual, attainment, forecast categories, scorecard
//! score and rating, payout total and lines. Money is written as exact
//! decimal strings ("1200000.00"), never as floating-point numbers.
//! The shape is documented in the README; `format` is its version.

use crate::engine::crm::Figures;
use crate::engine::perf::{payouts, period_label, personnel_budget, Payouts};
use crate::engine::plan::Period;
use crate::engine::scorecard::points;
use crate::i18n::Lang;
use crate::model::*;
use chrono::NaiveDate;
use serde::Serialize;

/// Version tag of the report's JSON shape.
pub const REPORT_FORMAT: &str = "sales-tiers-report/1";

/// Minor units as a plain decimal string: 120000050 → "1200000.50".
pub fn decimal(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ForecastRow {
    pub closed: String,
    pub commit: String,
    pub best_case: String,
    pub pipeline: String,
    pub weighted: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct LineRow {
    /// tier_slice, retroactive, below_threshold, scorecard, cap, override, pool, spif.
    pub kind: String,
    /// The settlement period the line belongs to ("Q3", "M8", "Year").
    pub period: String,
    pub amount: String,
    /// The formula with its numbers.
    pub text: String,
    /// The amount in minor units (for the app; the JSON has `amount`).
    #[serde(skip)]
    pub minor: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PayoutRow {
    pub total: String,
    pub lines: Vec<LineRow>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct UnitRow {
    pub id: Id,
    pub name: String,
    pub parent: Option<Id>,
    pub target: String,
    pub actual: String,
    /// Percent with one decimal ("120.0"); null without a target.
    pub attainment_pct: Option<String>,
    pub forecast: ForecastRow,
    /// Σ of the payouts of everyone in the unit's subtree.
    pub payout_total: String,
    /// The unit's personnel budget prorated to the period.
    pub personnel_budget: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PersonRow {
    pub id: Id,
    pub name: String,
    pub unit: Id,
    pub tier: String,
    pub target: String,
    pub actual: String,
    pub attainment_pct: Option<String>,
    pub forecast: ForecastRow,
    /// Points with one decimal ("108.0"); null without scorecard data.
    pub score: Option<String>,
    pub rating: Option<String>,
    pub payout: PayoutRow,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Report {
    pub format: &'static str,
    pub workspace: String,
    pub currency: String,
    pub year: i32,
    pub period: String,
    /// The day on-track and coverage are measured at.
    pub as_of: NaiveDate,
    pub total_payout: String,
    pub units: Vec<UnitRow>,
    pub people: Vec<PersonRow>,
}

/// Parses "2026", "2026-Q3", "2026-M8" / "2026-M08" (fiscal periods).
pub fn parse_period(s: &str) -> Option<(i32, Period)> {
    let s = s.trim().to_ascii_uppercase();
    let (y, rest) = match s.split_once('-') {
        Some((y, r)) => (y, Some(r)),
        None => (s.as_str(), None),
    };
    let year: i32 = y.parse().ok().filter(|y| (2000..=2200).contains(y))?;
    let period = match rest {
        None | Some("Y") | Some("FY") => Period::Year,
        Some(r) if r.starts_with('Q') => Period::Quarter(r[1..].parse().ok()?),
        Some(r) if r.starts_with('M') => Period::Month(r[1..].parse().ok()?),
        _ => return None,
    };
    period.valid().then_some((year, period))
}

fn forecast_row(f: &Figures) -> ForecastRow {
    ForecastRow {
        closed: decimal(f.closed),
        commit: decimal(f.commit),
        best_case: decimal(f.best_case),
        pipeline: decimal(f.pipeline),
        weighted: decimal(f.weighted().0),
    }
}

fn attainment(actual: i64, target: i64) -> Option<String> {
    crate::engine::crm::attainment_bp(actual, target).map(|a| points(a.clamp(0, u32::MAX as i64) as u32))
}

fn kind_key(k: &crate::engine::incentive::LineKind) -> &'static str {
    use crate::engine::incentive::LineKind::*;
    match k {
        TierSlice { .. } => "tier_slice",
        Retroactive { .. } => "retroactive",
        BelowThreshold { .. } => "below_threshold",
        Scorecard { .. } => "scorecard",
        Cap { .. } => "cap",
        Override { .. } => "override",
    }
}

/// Every payout line of a person's statement, in statement order.
pub fn statement_lines(ws: &Workspace, pay: &Payouts, person: Id, lang: Lang) -> Vec<LineRow> {
    let Some(s) = pay.people.get(&person) else { return Vec::new() };
    let mut out = Vec::new();
    for st in &s.settlements {
        for l in &st.payout.lines {
            out.push(LineRow {
                kind: kind_key(&l.kind).into(),
                period: period_label(st.period, lang),
                amount: decimal(l.amount),
                text: l.describe(lang),
                minor: l.amount,
            });
        }
    }
    for p in &s.pools {
        let unit = ws.units.get(&p.unit).map(|u| u.name.get(lang).to_string()).unwrap_or_default();
        out.push(LineRow {
            kind: "pool".into(),
            period: period_label(ws.pools.get(&p.pool).map(|b| b.period).unwrap_or(pay.period), lang),
            amount: decimal(p.amount),
            text: p.describe(&unit, lang),
            minor: p.amount,
        });
    }
    for a in &s.spifs {
        let Some(sp) = ws.spifs.get(&a.spif) else { continue };
        out.push(LineRow {
            kind: "spif".into(),
            period: period_label(pay.period, lang),
            amount: decimal(a.amount),
            text: a.describe(sp, lang),
            minor: a.amount,
        });
    }
    out
}

/// The report for a period, for the whole organisation or one unit's subtree.
pub fn report(ws: &Workspace, year: i32, period: Period, unit: Option<Id>, today: NaiveDate, lang: Lang) -> Report {
    let pay = payouts(ws, &ws.incentive_plans, year, period, today);
    let within = |u: Id| unit.is_none_or(|root| crate::engine::org::is_ancestor_or_self(ws, root, u));
    let st = &pay.prep.data.standings;
    let units: Vec<UnitRow> = crate::engine::org::units_by_depth(ws)
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| within(*id))
        .map(|id| {
            let u = &ws.units[&id];
            let s = st.get(&id).copied().unwrap_or(crate::engine::crm::Standing {
                target: 0,
                figures: Figures::default(),
                expected: 0,
                track: crate::engine::crm::Track::NoTarget,
                coverage_pct: None,
            });
            UnitRow {
                id,
                name: u.name.get(lang).to_string(),
                parent: u.parent,
                target: decimal(s.target),
                actual: decimal(s.figures.closed),
                attainment_pct: attainment(s.figures.closed, s.target),
                forecast: forecast_row(&s.figures),
                payout_total: decimal(pay.units.get(&id).copied().unwrap_or(0)),
                personnel_budget: decimal(personnel_budget(ws, id, year, period)),
            }
        })
        .collect();
    let mut people: Vec<PersonRow> = ws
        .people
        .values()
        .filter(|p| p.status != Status::Left && within(p.unit))
        .map(|p| {
            let s = st.get(&p.id);
            let f = s.map(|s| s.figures).unwrap_or_default();
            let target = s.map(|s| s.target).unwrap_or(0);
            let card = pay.cards().get(&p.id);
            PersonRow {
                id: p.id,
                name: p.name.get(lang).to_string(),
                unit: p.unit,
                tier: ws.tiers.get(&p.tier).map(|t| t.name.get(lang).to_string()).unwrap_or_default(),
                target: decimal(target),
                actual: decimal(f.closed),
                attainment_pct: attainment(f.closed, target),
                forecast: forecast_row(&f),
                score: card.and_then(|c| c.score_bp).map(points),
                rating: card.and_then(|c| c.rating).and_then(|r| ws.performance.bands.get(r)).map(|b| b.name.get(lang).to_string()),
                payout: PayoutRow {
                    total: decimal(pay.people.get(&p.id).map(|s| s.total).unwrap_or(0)),
                    lines: statement_lines(ws, &pay, p.id, lang),
                },
            }
        })
        .collect();
    people.sort_by_key(|p| p.id);
    let total = match unit {
        Some(u) => pay.units.get(&u).copied().unwrap_or(0),
        None => pay.total,
    };
    Report {
        format: REPORT_FORMAT,
        workspace: ws.settings.workspace_name.clone(),
        currency: ws.settings.currency.clone(),
        year,
        period: period_label(period, Lang::En),
        as_of: today,
        total_payout: decimal(total),
        units,
        people,
    }
}

/// The same report as CSV (UTF-8 with BOM, CRLF): one row per unit and per
/// person; payout lines joined with " | ".
pub fn to_csv(r: &Report, lang: Lang) -> Vec<u8> {
    let h = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let headers = vec![
        h("类型", "kind"),
        "id".into(),
        h("名称", "name"),
        h("上级/所属单元", "parent_or_unit"),
        h("目标", "target"),
        h("实际", "actual"),
        h("达成率%", "attainment_pct"),
        h("已成交", "closed"),
        h("承诺", "commit"),
        h("最佳情况", "best_case"),
        h("管道", "pipeline"),
        h("加权", "weighted"),
        h("计分卡得分", "score"),
        h("评级", "rating"),
        h("激励合计", "payout_total"),
        h("人员预算", "personnel_budget"),
        h("激励明细", "payout_lines"),
    ];
    let fc = |f: &ForecastRow| vec![f.closed.clone(), f.commit.clone(), f.best_case.clone(), f.pipeline.clone(), f.weighted.clone()];
    let mut rows = Vec::new();
    for u in &r.units {
        let mut row = vec!["unit".to_string(), u.id.to_string(), u.name.clone(), u.parent.map(|p| p.to_string()).unwrap_or_default()];
        row.extend([u.target.clone(), u.actual.clone(), u.attainment_pct.clone().unwrap_or_default()]);
        row.extend(fc(&u.forecast));
        row.extend([String::new(), String::new(), u.payout_total.clone(), u.personnel_budget.clone(), String::new()]);
        rows.push(row);
    }
    for p in &r.people {
        let mut row = vec!["person".to_string(), p.id.to_string(), p.name.clone(), p.unit.to_string()];
        row.extend([p.target.clone(), p.actual.clone(), p.attainment_pct.clone().unwrap_or_default()]);
        row.extend(fc(&p.forecast));
        let lines: Vec<String> = p.payout.lines.iter().map(|l| format!("{}: {}", l.period, l.text)).collect();
        row.extend([
            p.score.clone().unwrap_or_default(),
            p.rating.clone().unwrap_or_default(),
            p.payout.total.clone(),
            String::new(),
            lines.join(" | "),
        ]);
        rows.push(row);
    }
    crate::io::csv::write(&headers, &rows)
}
