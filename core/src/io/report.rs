//! The period report finance scripts read (`sales-tiers report`): per unit
//! and person, target, actual, attainment, forecast categories, scorecard
//! score and rating, payout total and lines. Money is written as exact
//! decimal strings ("1200000.00"), never as floating-point numbers.
//! The shape is documented in the README; `format` is its version.

use crate::calendar::{label_with_year, Period};
use crate::engine::crm::Figures;
use crate::engine::perf::{payouts, personnel_budget, Payouts};
use crate::engine::track::{Standing, Track};
use crate::i18n::Lang;
use crate::model::*;
use crate::num::{percent, points};
use crate::sort::Arrange;
use chrono::NaiveDate;
use serde::Serialize;

/// Version tag of the report's JSON shape.
pub const REPORT_FORMAT: &str = "sales-tiers-report/1";

/// Minor units as a plain decimal string: 120000050 → "1200000.50".
pub fn decimal(v: i64) -> String {
    Money(v).plain()
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
    /// tier_slice, retroactive, below_threshold, scorecard, cap, override,
    /// pool, pool_redistributed, pool_cap, spif.
    pub kind: String,
    /// The settlement period the line belongs to ("Q3", "M8", "Year":
    /// fiscal numbering, the same in every language).
    pub period: String,
    /// The same period as people read it, in the report's language
    /// ("2026 财年 Q3", "Aug 2026").
    pub period_label: String,
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

/// Where an owner stands on the report's `as_of` day.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct TrackRow {
    /// ahead | behind | off_track | no_target (off track: 10 % or more
    /// behind the expected figure).
    pub status: &'static str,
    /// Target × elapsed days ÷ days in the period, on `as_of`.
    pub expected: String,
    /// Open pipeline ÷ target still to win, percent with one decimal;
    /// null when the target is met or absent.
    pub coverage_pct: Option<String>,
    /// Coverage under the 3× rule of thumb.
    pub coverage_thin: bool,
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
    pub track: TrackRow,
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
    pub track: TrackRow,
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
    /// "Year", "Q3", "M8" (fiscal numbering).
    pub period: String,
    /// The period as people read it, in the report's language.
    pub period_label: String,
    /// The day on-track and coverage are measured at.
    pub as_of: NaiveDate,
    pub total_payout: String,
    pub units: Vec<UnitRow>,
    pub people: Vec<PersonRow>,
}

/// Parses "2026", "2026-Q3", "2026-M8" / "2026-M08" (fiscal periods).
pub use crate::calendar::parse_period;

fn forecast_row(f: &Figures) -> ForecastRow {
    ForecastRow {
        closed: decimal(f.closed),
        commit: decimal(f.commit),
        best_case: decimal(f.best_case),
        pipeline: decimal(f.pipeline),
        weighted: decimal(f.weighted().0),
    }
}

/// Percent with one decimal, without the sign ("86.7").
fn attainment(actual: i64, target: i64) -> Option<String> {
    percent(actual, target).map(|p| p.trim_end_matches('%').to_string())
}

fn track_row(s: &Standing) -> TrackRow {
    TrackRow {
        status: match s.track {
            Track::Ahead => "ahead",
            Track::Behind => "behind",
            Track::OffTrack => "off_track",
            Track::NoTarget => "no_target",
        },
        expected: decimal(s.expected),
        coverage_pct: if s.target > 0 && s.remaining() > 0 { attainment(s.figures.open_amount(), s.remaining()) } else { None },
        coverage_thin: s.thin_coverage(),
    }
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
    let start = ws.settings.fiscal_year_start_month;
    let row = |kind: &str, period: Period, amount: i64, text: String| LineRow {
        kind: kind.into(),
        period: period.code(),
        period_label: label_with_year(period, pay.year, start, lang),
        amount: decimal(amount),
        text,
        minor: amount,
    };
    for st in &s.settlements {
        for l in &st.payout.lines {
            out.push(row(kind_key(&l.kind), st.period, l.amount, l.describe(lang)));
        }
    }
    for p in &s.pools {
        let period = ws.pools.get(&p.pool).map(|b| b.period).unwrap_or(pay.period);
        for (l, text) in p.lines.iter().zip(p.describe(ws, lang)) {
            let kind = match l.kind {
                crate::engine::incentive::PoolLineKind::Share => "pool",
                crate::engine::incentive::PoolLineKind::Redistributed { .. } => "pool_redistributed",
                crate::engine::incentive::PoolLineKind::Cap { .. } => "pool_cap",
            };
            out.push(row(kind, period, l.amount, text));
        }
    }
    for a in &s.spifs {
        let Some(sp) = ws.spifs.get(&a.spif) else { continue };
        out.push(row("spif", pay.period, a.amount, a.describe(sp, lang)));
    }
    out
}

const NO_STANDING: Standing = Standing { target: 0, figures: Figures::ZERO, expected: 0, track: Track::NoTarget, coverage_pct: None };

/// The report for a period, for the whole organisation or one unit's subtree.
pub fn report(ws: &Workspace, year: i32, period: Period, unit: Option<Id>, today: NaiveDate, lang: Lang) -> Report {
    let ix = crate::engine::index::Index::new(ws);
    let pay = payouts(ws, &ix, &ws.incentive_plans, year, period, today);
    let within = |u: Id| unit.is_none_or(|root| crate::engine::org::is_ancestor_or_self(ws, root, u));
    let st = |id: &Id| pay.prep.data.standing(&ix, *id);
    let units: Vec<UnitRow> = crate::engine::org::units_by_depth(ws)
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| within(*id))
        .map(|id| {
            let u = &ws.units[&id];
            let s = st(&id).copied().unwrap_or(NO_STANDING);
            UnitRow {
                id,
                name: u.name.get(lang).to_string(),
                parent: u.parent,
                target: decimal(s.target),
                actual: decimal(s.figures.closed),
                attainment_pct: attainment(s.figures.closed, s.target),
                forecast: forecast_row(&s.figures),
                track: track_row(&s),
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
            let s = st(&p.id).copied().unwrap_or(NO_STANDING);
            let (f, target) = (s.figures, s.target);
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
                track: track_row(&s),
                score: card.and_then(|c| c.score_bp).map(|b| points(i64::from(b))),
                rating: card.and_then(|c| c.rating).and_then(|r| ws.performance.bands.get(r)).map(|b| b.name.get(lang).to_string()),
                payout: PayoutRow {
                    total: decimal(pay.people.get(&p.id).map(|s| s.total).unwrap_or(0)),
                    lines: statement_lines(ws, &pay, p.id, lang),
                },
            }
        })
        .collect();
    people.arrange_by_key(|p| p.id);
    let total = match unit {
        Some(u) => pay.units.get(&u).copied().unwrap_or(0),
        None => pay.total,
    };
    Report {
        format: REPORT_FORMAT,
        workspace: ws.settings.workspace_name.clone(),
        currency: ws.settings.currency.clone(),
        year,
        period: period.code(),
        period_label: label_with_year(period, year, ws.settings.fiscal_year_start_month, lang),
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
        h("进度", "track"),
        h("应完成", "expected"),
        h("覆盖率%", "coverage_pct"),
        h("计分卡得分", "score"),
        h("评级", "rating"),
        h("激励合计", "payout_total"),
        h("人员预算", "personnel_budget"),
        h("激励明细", "payout_lines"),
    ];
    let fc = |f: &ForecastRow, t: &TrackRow| {
        vec![
            f.closed.clone(),
            f.commit.clone(),
            f.best_case.clone(),
            f.pipeline.clone(),
            f.weighted.clone(),
            t.status.to_string(),
            t.expected.clone(),
            t.coverage_pct.clone().unwrap_or_default(),
        ]
    };
    let mut rows = Vec::new();
    for u in &r.units {
        let mut row = vec!["unit".to_string(), u.id.to_string(), u.name.clone(), u.parent.map(|p| p.to_string()).unwrap_or_default()];
        row.extend([u.target.clone(), u.actual.clone(), u.attainment_pct.clone().unwrap_or_default()]);
        row.extend(fc(&u.forecast, &u.track));
        row.extend([String::new(), String::new(), u.payout_total.clone(), u.personnel_budget.clone(), String::new()]);
        rows.push(row);
    }
    for p in &r.people {
        let mut row = vec!["person".to_string(), p.id.to_string(), p.name.clone(), p.unit.to_string()];
        row.extend([p.target.clone(), p.actual.clone(), p.attainment_pct.clone().unwrap_or_default()]);
        row.extend(fc(&p.forecast, &p.track));
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
