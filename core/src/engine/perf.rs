//! Pillar 3 over the document: every person's scorecard for a period (KPI
//! actuals from the CRM and the plan, manual entries), and their payout
//! statement (plan commission per settlement period, bonus-pool shares,
//! SPIF awards), rolled up to units. Pure; the UI memoises it and the CLI
//! prints it.

use crate::calendar::{period_bounds, Period};
use crate::engine::crm::deal_date;
use crate::engine::incentive::{payout, split_pool, Payout, PoolLine, PoolMember};
use crate::engine::index::{contains_ci, Index, NONE};
use crate::engine::org::IdMap;
use crate::engine::scorecard::KpiResult;
use crate::engine::track::{standings_by_position, Standing, Track, YearTargets};
use crate::i18n::Lang;
use crate::model::*;
use crate::num::{group, multiple, points, ratio, round_i64};
use crate::sort::Arrange;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// How a KPI's actual and target read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueUnit {
    Money,
    Count,
    /// Basis points (a rate or a share).
    Rate,
    /// Percent (a coverage multiple: 300 = 3×).
    Multiple,
}

pub fn unit_of(kind: KpiKind) -> ValueUnit {
    match kind {
        KpiKind::Revenue | KpiKind::GrossMargin | KpiKind::TeamAttainment => ValueUnit::Money,
        KpiKind::NewCustomers | KpiKind::Activities | KpiKind::Visits | KpiKind::Meetings | KpiKind::Custom(_) => ValueUnit::Count,
        KpiKind::WinRate | KpiKind::TeamOnTrack | KpiKind::Strategic => ValueUnit::Rate,
        KpiKind::Coverage => ValueUnit::Multiple,
    }
}

/// A KPI value as people read it: "1,200,000.00", "12", "35.0%", "3.2×".
pub fn format_value(unit: ValueUnit, v: i64) -> String {
    match unit {
        ValueUnit::Money => Money(v).to_string(),
        ValueUnit::Count => group(v as i128),
        ValueUnit::Rate => format!("{}%", points(v)),
        ValueUnit::Multiple => multiple(v),
    }
}

/// The name of a KPI.
pub fn kpi_name(ws: &Workspace, kind: KpiKind, lang: Lang) -> String {
    let s = match kind {
        KpiKind::Revenue => lang.pick("个人业绩达成率", "Revenue attainment"),
        KpiKind::NewCustomers => lang.pick("新客户数", "New customers"),
        KpiKind::GrossMargin => lang.pick("毛利达成率", "Gross margin attainment"),
        KpiKind::Coverage => lang.pick("商机覆盖率", "Pipeline coverage"),
        KpiKind::WinRate => lang.pick("赢单率", "Win rate"),
        KpiKind::TeamAttainment => lang.pick("团队业绩达成率", "Team attainment"),
        KpiKind::TeamOnTrack => lang.pick("团队成员达标占比", "Team members on track"),
        KpiKind::Activities => lang.pick("销售活动（电话、拜访、会议、邮件）", "Activities (calls, visits, meetings, e-mails)"),
        KpiKind::Visits => lang.pick("客户拜访", "Customer visits"),
        KpiKind::Meetings => lang.pick("会议", "Meetings held"),
        KpiKind::Strategic => lang.pick("战略目标（手工，0–100%）", "Strategic goals (manual, 0–100%)"),
        KpiKind::Custom(id) => {
            return ws
                .kpis
                .get(&id)
                .map(|k| k.name.get(lang).to_string())
                .unwrap_or_else(|| lang.pick("已删除的指标", "a deleted KPI").to_string())
        }
    };
    s.to_string()
}

/// One KPI of a person's scorecard, with where its numbers came from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KpiRow {
    pub kind: KpiKind,
    pub unit: ValueUnit,
    pub result: KpiResult,
    /// A manual entry: who entered it and the note.
    pub entry: Option<(Option<Id>, String)>,
    /// Coverage of a target already met: nothing is left to cover, full marks.
    pub met: bool,
}

/// A person's scorecard for a period.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Card {
    pub person: Id,
    pub kpis: Vec<KpiRow>,
    /// Σ weight × score over KPIs with data (re-weighted); None without data.
    pub score_bp: Option<u32>,
    /// Index into the workspace's rating bands.
    pub rating: Option<usize>,
}

/// Everything the scorecards of one period read, by position in the
/// index it was built with (people and units in id order).
pub struct PeriodData {
    pub year: i32,
    pub period: Period,
    /// Each person's standing.
    people: Vec<Standing>,
    /// Each unit's standing.
    units: Vec<Standing>,
    /// Each person's new customers.
    new_customers: Vec<i64>,
    targets: rustc_hash::FxHashMap<(Id, TargetKind), i64>,
    /// Each person's managed unit (position), `NONE` for none.
    managed: Vec<u32>,
    /// Each unit's (members with a target, of whom not off track).
    on_track: Vec<(i64, i64)>,
    /// Each person's logged [activities, visits, meetings] in the period
    /// (counted only when a scorecard has a counting KPI; else empty).
    activities: Vec<[i64; 3]>,
    /// Months in the period (an activities goal is per month).
    months: i64,
    /// The period has begun: before, the activities KPIs have no data yet.
    started: bool,
}

fn sum_months(months: &[i64; MONTHS], p: Period) -> i64 {
    months[p.months()].iter().sum()
}

/// What every period of one fiscal year reads alike: the targets month by
/// month and who manages which unit. Worked out once for all the periods
/// of a statement.
pub struct YearData {
    pub year: i32,
    revenue: YearTargets,
    /// Targets of the other kinds, month by month, per (owner, kind).
    others: rustc_hash::FxHashMap<(Id, TargetKind), [i64; MONTHS]>,
    /// Each person's managed unit (position), `NONE` for none; one
    /// managing several: the last in id order.
    managed: Vec<u32>,
    /// Activity counts by fiscal month, when several periods read them
    /// (see [`YearData::count_by_month`]), with the period whose months
    /// they are.
    activity_months: Option<(Period, crate::engine::work::MonthCounts)>,
}

impl YearData {
    pub fn new(ws: &Workspace, ix: &Index, year: i32) -> YearData {
        let others = ws
            .plan
            .targets
            .values()
            .filter(|l| l.year == year && l.kind != TargetKind::Revenue)
            .map(|l| ((l.owner, l.kind), l.months))
            .collect();
        YearData { year, revenue: YearTargets::new(ws, ix, year), others, managed: managed_by_position(ws, ix), activity_months: None }
    }

    /// Counts the activities of the months of `within` once, for
    /// statements whose periods inside it would each walk them (a year's
    /// five periods), when a scorecard counts activities.
    fn count_by_month(&mut self, ws: &Workspace, ix: &Index, within: Period) {
        if counts_activities(ws) {
            let start = ws.settings.fiscal_year_start_month;
            self.activity_months = Some((within, crate::engine::work::MonthCounts::new(ix, self.year, start, within)));
        }
    }
}

/// Each person's managed unit by position (see [`YearData`]).
fn managed_by_position(ws: &Workspace, ix: &Index) -> Vec<u32> {
    let mut out = vec![NONE; ix.org.people.len()];
    for (u, unit) in ws.units.values().enumerate() {
        if let Some(p) = unit.manager.and_then(|m| ix.org.person(m)) {
            out[p as usize] = u as u32;
        }
    }
    out
}

/// Some scorecard has a KPI that counts logged activities.
fn counts_activities(ws: &Workspace) -> bool {
    ws.scorecards.values().any(|t| t.lines.iter().any(|l| l.kpi.counts_activities()))
}

impl PeriodData {
    pub fn new(ws: &Workspace, ix: &Index, year: i32, period: Period, today: NaiveDate) -> PeriodData {
        PeriodData::of(ws, ix, &YearData::new(ws, ix, year), period, today)
    }

    /// A period of the year `y` was worked out for.
    pub fn of(ws: &Workspace, ix: &Index, y: &YearData, period: Period, today: NaiveDate) -> PeriodData {
        let (year, org) = (y.year, &ix.org);
        let (people, units) = standings_by_position(ws, ix, &y.revenue, year, period, today);
        let (start, end) = period_bounds(year, ws.settings.fiscal_year_start_month, period);
        let mut new_customers = vec![0i64; org.people.len()];
        for (_, o) in ix.customers(start, end) {
            if let Some(n) = new_customers.get_mut(*o as usize) {
                *n += 1;
            }
        }
        let targets = y.others.iter().map(|(k, m)| (*k, sum_months(m, period))).collect();
        let managed = y.managed.clone();
        // Per unit: the people with a target below it, and of them those not
        // off track (a unit's own manager left out), summed up the tree.
        let mut on_track = vec![(0i64, 0i64); org.units.len()];
        for (i, st) in people.iter().enumerate() {
            if !org.active[i] || st.target <= 0 {
                continue;
            }
            // A manager counts for the units above the one they run, not in it.
            let unit = org.person_unit[i];
            let home = if managed[i] != NONE && managed[i] == unit { org.parent.get(unit as usize).copied().unwrap_or(NONE) } else { unit };
            let Some(e) = on_track.get_mut(home as usize) else { continue };
            e.0 += 1;
            e.1 += i64::from(st.track != Track::OffTrack);
        }
        org.add_up(&mut on_track, |a, b| {
            a.0 += b.0;
            a.1 += b.1;
        });
        let activities = match &y.activity_months {
            Some((within, m)) if within.contains(period) => m.period(org.people.len(), period),
            _ if counts_activities(ws) => crate::engine::work::counts_by_position(ix, start, end),
            _ => Vec::new(),
        };
        let months = period.months().len() as i64;
        let started = start <= today;
        PeriodData { year, period, people, units, new_customers, targets, managed, on_track, activities, months, started }
    }

    /// The standing of a person or a unit (`ix` is the index the data was
    /// built with).
    pub fn standing(&self, ix: &Index, id: Id) -> Option<&Standing> {
        match ix.org.person(id) {
            Some(p) => self.people.get(p as usize),
            None => ix.org.unit(id).and_then(|u| self.units.get(u as usize)),
        }
    }

    fn target(&self, owner: Id, kind: TargetKind) -> i64 {
        self.targets.get(&(owner, kind)).copied().unwrap_or(0)
    }
}

/// What a KPI line reads for a person: actual and target (target 0 = no
/// data), the manual entry's author and note, and whether a coverage KPI's
/// target is already met.
struct Read {
    actual: i64,
    target: i64,
    entry: Option<(Option<Id>, String)>,
    met: bool,
}

/// A person's standings in a period, read once for all their KPIs.
struct Who<'a> {
    /// Their position.
    at: usize,
    own: Option<&'a Standing>,
    /// The unit they manage (position).
    unit: Option<usize>,
    /// That unit's standing.
    team: Option<&'a Standing>,
}

impl<'a> Who<'a> {
    fn of(d: &'a PeriodData, at: usize) -> Who<'a> {
        let unit = d.managed.get(at).filter(|u| **u != NONE).map(|u| *u as usize);
        Who { at, own: d.people.get(at), unit, team: unit.and_then(|u| d.units.get(u)) }
    }
}

fn figures(ws: &Workspace, d: &PeriodData, p: &Person, w: &Who, line: &KpiLine) -> Read {
    let (actual, target, entry) = figures_of(ws, d, p, w, line);
    // The owner of a person's coverage (their unit for a manager) has met its target.
    let met = line.kpi == KpiKind::Coverage && if w.unit.is_some() { w.team } else { w.own }.is_some_and(Standing::met);
    Read { actual, target, entry, met }
}

fn figures_of(ws: &Workspace, d: &PeriodData, p: &Person, w: &Who, line: &KpiLine) -> (i64, i64, Option<(Option<Id>, String)>) {
    let (own, unit) = (w.own, w.unit);
    let scope = w.team.or(own);
    let goal = i64::from(line.goal);
    match line.kpi {
        KpiKind::Revenue => own.map(|s| (s.figures.closed, s.target, None)).unwrap_or((0, 0, None)),
        KpiKind::NewCustomers => (d.new_customers.get(w.at).copied().unwrap_or(0), d.target(p.id, TargetKind::NewCustomers), None),
        KpiKind::GrossMargin => (own.map(|s| s.figures.margin).unwrap_or(0), d.target(p.id, TargetKind::GrossMargin), None),
        KpiKind::Coverage => match scope {
            // Nothing left to cover: full marks (`met` in `figures`).
            Some(s) if s.met() => (goal, goal, None),
            Some(s) => s.coverage_pct.map(|c| (c, goal, None)).unwrap_or((0, 0, None)),
            None => (0, 0, None),
        },
        KpiKind::WinRate => match scope {
            Some(s) if s.figures.won + s.figures.lost > 0 => {
                (ratio(i64::from(s.figures.won), i64::from(s.figures.won + s.figures.lost), 10_000).unwrap_or(0), goal, None)
            }
            _ => (0, 0, None),
        },
        KpiKind::TeamAttainment => match w.team {
            Some(s) => (s.figures.closed, s.target, None),
            None => (0, 0, None),
        },
        KpiKind::TeamOnTrack => match unit.and_then(|u| d.on_track.get(u)) {
            Some((n, ok)) if *n > 0 => (ratio(*ok, *n, 10_000).unwrap_or(0), goal, None),
            _ => (0, 0, None),
        },
        // A period not begun has no data yet (not a score of 0).
        KpiKind::Activities | KpiKind::Visits | KpiKind::Meetings if !d.started => (0, 0, None),
        KpiKind::Activities | KpiKind::Visits | KpiKind::Meetings => {
            let i = match line.kpi {
                KpiKind::Activities => 0,
                KpiKind::Visits => 1,
                _ => 2,
            };
            let done = d.activities.get(w.at).map_or(0, |c| c[i]);
            (done, goal * d.months, None)
        }
        KpiKind::Strategic | KpiKind::Custom(_) => match ws.kpi_entries.get(&KpiEntry::id_for(p.id, line.kpi, d.year, d.period)) {
            Some(e) => (e.actual, e.target, Some((e.by, e.note.clone()))),
            None => (0, 0, None),
        },
    }
}

/// A person's scorecard (`at` is their position) from their tier's lines.
fn card_of(ws: &Workspace, d: &PeriodData, at: usize, p: &Person, lines: &[KpiLine]) -> Card {
    // One row per line, scored as it is read (no intermediate lists: this
    // runs for every person in every period of a statement).
    let who = Who::of(d, at);
    let kpis: Vec<KpiRow> = lines
        .iter()
        .map(|l| {
            let r = figures(ws, d, p, &who, l);
            let result = crate::engine::scorecard::score_kpi(l.weight_bp, &l.curve, r.actual, r.target);
            KpiRow { kind: l.kpi, unit: unit_of(l.kpi), result, entry: r.entry, met: r.met }
        })
        .collect();
    let (score_bp, _) = crate::engine::scorecard::combine(kpis.iter().map(|k| k.result.clone()));
    let rating = score_bp.map(|s| crate::engine::scorecard::rating(s, &ws.performance.bands));
    Card { person: p.id, kpis, score_bp, rating }
}

/// A person's score alone (what a settlement and a pool read), as
/// [`card_of`] gives it, without keeping the rows.
fn score_of(ws: &Workspace, d: &PeriodData, at: usize, p: &Person, lines: &[KpiLine]) -> Option<u32> {
    let who = Who::of(d, at);
    let results = lines.iter().map(|l| {
        let r = figures(ws, d, p, &who, l);
        crate::engine::scorecard::score_kpi(l.weight_bp, &l.curve, r.actual, r.target)
    });
    crate::engine::scorecard::combine(results).0
}

/// Each tier's scorecard lines (a template's id is a hash of its tier),
/// with one tier's replaced by a what-if's.
fn lines_by_tier<'a>(ws: &'a Workspace, what_if: Option<(Id, &'a [KpiLine])>) -> IdMap<&'a [KpiLine]> {
    let mut by_tier: IdMap<&[KpiLine]> = ws.scorecards.values().map(|t| (t.tier, t.lines.as_slice())).collect();
    if let Some((t, l)) = what_if {
        by_tier.insert(t, l);
    }
    by_tier
}

/// Every active person's scorecard for a period. `lines` replaces one
/// tier's template (a what-if on weights).
pub fn scorecards(ws: &Workspace, d: &PeriodData, what_if: Option<(Id, &[KpiLine])>) -> IdMap<Card> {
    let by_tier = lines_by_tier(ws, what_if);
    // People are in id order, as in the index the data was built with.
    ws.people
        .values()
        .enumerate()
        .filter(|(_, p)| p.status != Status::Left)
        .filter_map(|(at, p)| Some((p.id, card_of(ws, d, at, p, by_tier.get(&p.tier)?))))
        .collect()
}

/// Each person's score by position: None without a scorecard (left, or
/// their tier has none), Some(None) for a card without data.
type Scores = Vec<Option<Option<u32>>>;

/// [`Scores`] of a period, computed without keeping the cards.
fn scores_of(ws: &Workspace, d: &PeriodData) -> Scores {
    let by_tier = lines_by_tier(ws, None);
    ws.people
        .values()
        .enumerate()
        .map(|(at, p)| match (p.status, by_tier.get(&p.tier)) {
            (Status::Left, _) | (_, None) => None,
            (_, Some(lines)) => Some(score_of(ws, d, at, p, lines)),
        })
        .collect()
}

/// [`Scores`] read from a period's cards.
fn scores_of_cards(ix: &Index, cards: &IdMap<Card>) -> Scores {
    ix.org.people.iter().map(|id| cards.get(id).map(|c| c.score_bp)).collect()
}

// ---------------------------------------------------------------- payouts

/// The settlement periods a statement for `view` covers: a plan settling
/// more often than the view is settled once per its own period inside it;
/// one settling less often pays nothing in a shorter view (it is settled
/// in the view of its own period, so period costs never count it twice).
pub fn settlements(freq: Frequency, view: Period) -> Vec<Period> {
    match (freq, view) {
        (Frequency::Year, Period::Year) => vec![Period::Year],
        (Frequency::Year, _) => vec![],
        (Frequency::Quarter, Period::Year) => (1..=4).map(Period::Quarter).collect(),
        (Frequency::Quarter, Period::Quarter(q)) => vec![Period::Quarter(q)],
        (Frequency::Quarter, Period::Month(_)) => vec![],
        (Frequency::Month, Period::Year) => (1..=12).map(Period::Month).collect(),
        (Frequency::Month, Period::Quarter(q)) => (1..=3).map(|i| Period::Month((q - 1) * 3 + i)).collect(),
        (Frequency::Month, Period::Month(m)) => vec![Period::Month(m)],
    }
}

/// The plan that applies to a person in a settlement period: one naming
/// them, else one for their tier; among several, the lowest id.
pub fn plan_for<'a>(plans: &'a BTreeMap<Id, IncentivePlan>, p: &Person, start: NaiveDate, end: NaiveDate) -> Option<&'a IncentivePlan> {
    choose_plan(&in_force(plans, start, end), p)
}

/// The plans in force at some time in [start, end), in id order.
fn in_force(plans: &BTreeMap<Id, IncentivePlan>, start: NaiveDate, end: NaiveDate) -> Vec<&IncentivePlan> {
    plans.values().filter(|x| x.from.is_none_or(|f| f < end) && x.to.is_none_or(|t| t >= start)).collect()
}

/// [`plan_for`] among plans already known to be in force.
fn choose_plan<'a>(plans: &[&'a IncentivePlan], p: &Person) -> Option<&'a IncentivePlan> {
    let named = plans.iter().find(|x| x.people.contains(&p.id));
    named.or_else(|| plans.iter().find(|x| x.people.is_empty() && x.tier == Some(p.tier))).copied()
}

/// Commission of one settlement period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settlement {
    pub period: Period,
    pub plan: Id,
    pub actual: i64,
    pub target: i64,
    pub score_bp: Option<u32>,
    pub team_actual: i64,
    pub payout: Payout,
}

/// A share of a bonus pool, with the lines of its formula: the member's
/// part of the pool, and when caps apply, their own cap cut and what they
/// received of capped members' remainder. The lines add up to `amount`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolShare {
    pub pool: Id,
    pub unit: Id,
    pub pool_amount: i64,
    pub weight: u32,
    pub score_bp: u32,
    /// Σ wⱼsⱼ over the pool's members (weight × score bp).
    pub weighted_total: u128,
    pub capped: bool,
    pub amount: i64,
    pub lines: Vec<PoolLine>,
    /// Members named by the lines (capped members a redistribution came
    /// from), by their index in the lines' `from` lists (one list shared
    /// by the pool's shares).
    pub members: Arc<[Id]>,
}

impl PoolShare {
    /// Each line's formula, e.g. "East China bonus pool: 100,000.00 × (1 ×
    /// 102.5) ÷ 512.5 = 20,000.00", then any cap and redistribution lines.
    pub fn describe(&self, ws: &Workspace, lang: Lang) -> Vec<String> {
        let unit = ws.units.get(&self.unit).map(|u| u.name.get(lang).to_string()).unwrap_or_default();
        let pool_name = lang.pick(format!("{unit}奖金池"), format!("{unit} bonus pool"));
        self.lines
            .iter()
            .map(|l| {
                let names: Vec<String> = match &l.kind {
                    crate::engine::incentive::PoolLineKind::Redistributed { from } => {
                        from.iter().map(|i| self.members.get(*i).map(|id| ws.person_name(Some(*id), lang)).unwrap_or_default()).collect()
                    }
                    _ => Vec::new(),
                };
                l.describe(&pool_name, &names, lang)
            })
            .collect()
    }
}

/// A SPIF won.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpifAward {
    pub spif: Id,
    pub achieved: i64,
    pub goal: i64,
    pub amount: i64,
}

impl SpifAward {
    pub fn describe(&self, s: &Spif, lang: Lang) -> String {
        let v = |x: i64| match s.measure {
            SpifMeasure::WonAmount => Money(x).to_string(),
            _ => x.to_string(),
        };
        lang.pick(
            format!("专项激励“{}”：{} ≥ 目标 {} → {}", s.name.get(lang), v(self.achieved), v(self.goal), Money(self.amount)),
            format!("SPIF “{}”: {} ≥ goal {} → {}", s.name.get(lang), v(self.achieved), v(self.goal), Money(self.amount)),
        )
    }
}

/// A person's pay for a period, every line explained.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Statement {
    pub settlements: Vec<Settlement>,
    pub pools: Vec<PoolShare>,
    pub spifs: Vec<SpifAward>,
    /// Σ of every line.
    pub total: i64,
    /// The person's plan settles over a longer period than the one viewed.
    pub deferred: Option<(Id, Frequency)>,
}

impl Statement {
    /// The plan the statement is under: the first settlement's, else the
    /// plan that settles over a longer period (deferred).
    pub fn plan(&self) -> Option<Id> {
        self.settlements.first().map(|x| x.plan).or(self.deferred.map(|d| d.0))
    }
}

/// What a period's statements read that does not depend on the plans: the
/// period's data and scorecards, and those of the periods inside it that
/// settlements and pools use. A what-if shares it and only re-settles.
pub struct Prepared {
    pub year: i32,
    pub period: Period,
    pub today: NaiveDate,
    pub data: PeriodData,
    /// Scorecards of the period viewed.
    pub cards: IdMap<Card>,
    /// Their scores by position.
    scores: Scores,
    /// The periods inside it that statements settle: data and scores.
    inner: HashMap<Period, (PeriodData, Scores)>,
    /// Progress towards each SPIF that ends in the period.
    spifs: IdMap<IdMap<i64>>,
    /// The year's targets, for periods a what-if needs that were not prepared.
    year_data: YearData,
}

/// The shared part of a period's payouts (see [`Prepared`]).
pub fn prepare(ws: &Workspace, ix: &Index, year: i32, period: Period, today: NaiveDate) -> Prepared {
    let mut y = YearData::new(ws, ix, year);
    let mut wanted: Vec<Period> = ws.incentive_plans.values().flat_map(|p| settlements(p.frequency, period)).collect();
    wanted.extend(ws.pools.values().filter(|b| b.year == year && period.contains(b.period)).map(|b| b.period));
    wanted.arrange_by_key(|p| (p.months().start, p.months().len()));
    wanted.dedup();
    if wanted.iter().any(|p| *p != period) {
        y.count_by_month(ws, ix, period);
    }
    let data = PeriodData::of(ws, ix, &y, period, today);
    let cards = scorecards(ws, &data, None);
    let scores = scores_of_cards(ix, &cards);
    let inner = wanted
        .into_iter()
        .filter(|p| *p != period)
        .map(|p| {
            let d = PeriodData::of(ws, ix, &y, p, today);
            let c = scores_of(ws, &d);
            (p, (d, c))
        })
        .collect();
    let (start, end) = period_bounds(year, ws.settings.fiscal_year_start_month, period);
    let spifs = ws.spifs.values().filter(|s| s.to >= start && s.to < end).map(|s| (s.id, spif_progress(ws, ix, s))).collect();
    Prepared { year, period, today, data, cards, scores, inner, spifs, year_data: y }
}

/// Payouts of everyone for a period, with unit totals.
pub struct Payouts {
    pub year: i32,
    pub period: Period,
    pub prep: Arc<Prepared>,
    pub people: IdMap<Statement>,
    /// Σ of the statements in each unit's subtree.
    pub units: IdMap<i64>,
    /// People with a payout above zero in each unit's subtree.
    pub paid: IdMap<usize>,
    pub total: i64,
}

impl Payouts {
    /// Scorecards of the period viewed.
    pub fn cards(&self) -> &IdMap<Card> {
        &self.prep.cards
    }
}

/// Computes every statement for `period` with `plans` (usually the
/// workspace's own).
pub fn payouts(ws: &Workspace, ix: &Index, plans: &BTreeMap<Id, IncentivePlan>, year: i32, period: Period, today: NaiveDate) -> Payouts {
    settle(ws, ix, plans, Arc::new(prepare(ws, ix, year, period, today)))
}

/// Statements from prepared data: a what-if passes the plans with a draft in
/// them and the [`Prepared`] of the payouts it compares with.
pub fn settle(ws: &Workspace, ix: &Index, plans: &BTreeMap<Id, IncentivePlan>, prep: Arc<Prepared>) -> Payouts {
    let (year, period) = (prep.year, prep.period);
    let start_month = ws.settings.fiscal_year_start_month;
    // Periods a draft needs that were not prepared (a changed frequency).
    let mut other: HashMap<Period, (PeriodData, Scores)> = HashMap::new();
    // A period's data and scores: the one viewed, one prepared, else
    // worked out now and kept for the rest of the run.
    fn period_of<'a>(
        ws: &Workspace,
        ix: &Index,
        prep: &'a Prepared,
        other: &'a mut HashMap<Period, (PeriodData, Scores)>,
        p: Period,
    ) -> (&'a PeriodData, &'a Scores) {
        if p == prep.period {
            return (&prep.data, &prep.scores);
        }
        if let Some((d, c)) = prep.inner.get(&p) {
            return (d, c);
        }
        let (d, c) = other.entry(p).or_insert_with(|| {
            let d = PeriodData::of(ws, ix, &prep.year_data, p, prep.today);
            let c = scores_of(ws, &d);
            (d, c)
        });
        (d, c)
    }
    // Statements by person position (people are in id order, as in the
    // index), gathered into a map at the end.
    let mut people: Vec<Option<Statement>> = vec![None; ix.org.people.len()];
    let active: Vec<(usize, &Person)> = ws.people.values().enumerate().filter(|(_, p)| p.status != Status::Left).collect();
    fn at(v: &mut [Option<Statement>], i: usize) -> &mut Statement {
        v[i].get_or_insert_with(Statement::default)
    }
    // Commission, per settlement period of each person's plan.
    for f in [Frequency::Month, Frequency::Quarter, Frequency::Year] {
        if !plans.values().any(|p| p.frequency == f) {
            continue;
        }
        if settlements(f, period).is_empty() {
            let (start, end) = period_bounds(year, start_month, period);
            let force = in_force(plans, start, end);
            for (i, p) in &active {
                if let Some(plan) = choose_plan(&force, p).filter(|x| x.frequency == f) {
                    at(&mut people, *i).deferred = Some((plan.id, f));
                }
            }
        }
        for sp in settlements(f, period) {
            let (d, c) = period_of(ws, ix, &prep, &mut other, sp);
            let (start, end) = period_bounds(year, start_month, sp);
            let force = in_force(plans, start, end);
            for (i, p) in &active {
                let Some(plan) = choose_plan(&force, p) else { continue };
                if plan.frequency != f {
                    continue;
                }
                let who = Who::of(d, *i);
                let (actual, target) = who.own.map(|s| (s.figures.closed, s.target)).unwrap_or((0, 0));
                let team_actual = match who.team {
                    Some(u) if plan.rules.override_bp > 0 => (u.figures.closed - actual).max(0),
                    _ => 0,
                };
                let score_bp = c[*i].flatten();
                let pay = payout(&plan.rules, actual, target, score_bp.unwrap_or(10_000), team_actual);
                let s = at(&mut people, *i);
                s.total += pay.total;
                s.settlements.push(Settlement { period: sp, plan: plan.id, actual, target, score_bp, team_actual, payout: pay });
            }
        }
    }
    // Bonus pools whose period lies inside the one viewed. Members: the
    // active people of the pool unit's subtree (one walk down per pool).
    let org = &ix.org;
    for b in ws.pools.values().filter(|b| b.year == year && period.contains(b.period)) {
        let (_, scores) = period_of(ws, ix, &prep, &mut other, b.period);
        let members: Vec<(usize, Id)> = org
            .unit(b.unit)
            .map(|u| org.subtree_active(u))
            .unwrap_or_default()
            .into_iter()
            .map(|p| (p as usize, org.people[p as usize]))
            .filter(|(at, _)| scores[*at].is_some())
            .collect();
        let pm: Vec<PoolMember> = members
            .iter()
            .map(|(at, p)| PoolMember { weight: b.weight_of(*p), score_bp: scores[*at].flatten().unwrap_or(0), cap: b.member_cap })
            .collect();
        let split = split_pool(b.amount, &pm);
        let weighted_total: u128 = pm.iter().map(|m| m.weight as u128 * m.score_bp as u128).sum();
        // One list of the members, shared by every share of the pool.
        let ids: Arc<[Id]> = members.iter().map(|(_, id)| *id).collect();
        for (i, (((at_p, _), m), share)) in members.iter().zip(&pm).zip(&split.shares).enumerate() {
            if m.weight == 0 {
                continue;
            }
            let s = at(&mut people, *at_p);
            s.total += share;
            s.pools.push(PoolShare {
                pool: b.id,
                unit: b.unit,
                pool_amount: b.amount.0,
                weight: m.weight,
                score_bp: m.score_bp,
                weighted_total,
                capped: b.member_cap.is_some_and(|c| *share >= c.0),
                amount: *share,
                lines: split.lines_of(i, &pm),
                members: ids.clone(),
            });
        }
    }
    // A statement lists its pool shares in the order of their periods
    // (pools come in id order).
    let when: IdMap<(usize, usize)> = ws.pools.values().map(|p| (p.id, (p.period.months().start, p.period.months().len()))).collect();
    for s in people.iter_mut().flatten().filter(|s| s.pools.len() > 1) {
        s.pools.arrange_by_key(|b| (when.get(&b.pool).copied(), b.pool));
    }
    // SPIFs ending inside the period viewed.
    let (start, end) = period_bounds(year, start_month, period);
    for sp in ws.spifs.values().filter(|s| s.to >= start && s.to < end) {
        let computed;
        let achieved = match prep.spifs.get(&sp.id) {
            Some(a) => a,
            None => {
                computed = spif_progress(ws, ix, sp);
                &computed
            }
        };
        for (i, p) in &active {
            if sp.tier.is_some_and(|t| t != p.tier) {
                continue;
            }
            let a = achieved.get(&p.id).copied().unwrap_or(0);
            if a >= sp.goal {
                let s = at(&mut people, *i);
                s.total += sp.bonus.0;
                s.spifs.push(SpifAward { spif: sp.id, achieved: a, goal: sp.goal, amount: sp.bonus.0 });
            }
        }
    }
    // (Σ paid, people paid) of each unit's subtree.
    let own: Vec<(i64, usize)> = people.iter().map(|s| s.as_ref().map_or((0, 0), |s| (s.total, usize::from(s.total > 0)))).collect();
    let rolled = ix.org.roll_up(&own, |a, b| {
        a.0 += b.0;
        a.1 += b.1;
    });
    let units = ix.org.units_map(&rolled.iter().map(|r| r.0).collect::<Vec<_>>());
    let paid = ix.org.units_map(&rolled.iter().map(|r| r.1).collect::<Vec<_>>());
    let total = people.iter().flatten().map(|s| s.total).sum();
    let people: IdMap<Statement> = ix.org.people.iter().zip(people).filter_map(|(id, s)| Some((*id, s?))).collect();
    Payouts { year, period, prep, people, units, paid, total }
}

/// What each person has achieved towards a SPIF between its dates.
pub fn spif_progress(ws: &Workspace, ix: &Index, s: &Spif) -> IdMap<i64> {
    let mut out = vec![0i64; ix.org.people.len()];
    // The index's ranges are half-open: the SPIF's last day is in.
    let (from, to) = (s.from, s.to.succ_opt().unwrap_or(s.to));
    match &s.measure {
        SpifMeasure::NewCustomers => {
            for (_, o) in ix.customers(from, to) {
                if let Some(n) = out.get_mut(*o as usize) {
                    *n += 1;
                }
            }
        }
        m => {
            let product = match m {
                SpifMeasure::ProductDeals { product } => Some(product.trim().to_lowercase()),
                _ => None,
            };
            // The index marks the deals naming the product (up to 8 products);
            // past those, each won deal's text is read.
            let bit = product.as_deref().and_then(|p| ix.product_bit(p));
            for d in ix.deals(from, to).iter().filter(|d| d.outcome == Outcome::Won) {
                let Some(n) = out.get_mut(d.owner as usize) else { continue };
                match (&product, bit) {
                    (Some(_), Some(b)) => *n += i64::from(d.products & b != 0),
                    (Some(name), None) => {
                        *n += i64::from(
                            ws.opportunities.get(&d.id).is_some_and(|o| contains_ci(&o.name, name) || contains_ci(&o.notes, name)),
                        )
                    }
                    (None, _) => *n += d.amount,
                }
            }
        }
    }
    ix.org.people_map(&out)
}

/// The id of the default "personnel" budget category.
pub fn personnel_category() -> Id {
    default_category_id("personnel")
}

/// A unit's personnel budget prorated to a period: annual × months ÷ 12,
/// rounded half to even.
pub fn personnel_budget(ws: &Workspace, unit: Id, year: i32, period: Period) -> i64 {
    let annual = ws.plan.budget(unit, year, personnel_category()).0;
    round_i64(annual as i128 * period.months().len() as i128, MONTHS as i128)
}

/// Payout cost against a budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BudgetStatus {
    NoBudget,
    Within,
    /// Above 80 % of the budget.
    Near,
    Over,
}

/// Cost as a share of the budget (basis points) and what that means.
pub fn budget_status(cost: i64, budget: i64) -> (Option<i64>, BudgetStatus) {
    if budget <= 0 {
        return (None, BudgetStatus::NoBudget);
    }
    let share = ratio(cost, budget, 10_000);
    // Gates on the exact amounts: over the budget, or above 80 % of it.
    let status = if cost > budget {
        BudgetStatus::Over
    } else if !crate::num::reaches(cost, budget, 8_000) || cost as i128 * 10 == budget as i128 * 8 {
        BudgetStatus::Within
    } else {
        BudgetStatus::Near
    };
    (share, status)
}

/// One row of the director's summary.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SummaryRow {
    pub unit: Id,
    /// 0 for the summary's top unit, 1 for its children.
    pub depth: usize,
    /// Σ of the statements in the unit's subtree.
    pub cost: i64,
    /// The unit's personnel budget prorated to the period.
    pub budget: i64,
    /// People in the subtree with a payout above zero.
    pub people_paid: usize,
    /// cost ÷ budget, basis points (None without a budget).
    pub share_bp: Option<i64>,
    pub status: BudgetStatus,
}

/// The director's summary: a unit and each of its child units, with payout
/// cost against the personnel budget and how many people are paid.
pub fn summary(ws: &Workspace, pay: &Payouts, root: Id) -> Vec<SummaryRow> {
    let kids = crate::engine::org::children_map(ws);
    let units = std::iter::once((root, 0)).chain(kids.get(&root).into_iter().flatten().map(|k| (*k, 1)));
    units
        .filter(|(u, _)| ws.units.contains_key(u))
        .map(|(unit, depth)| {
            let cost = pay.units.get(&unit).copied().unwrap_or(0);
            let budget = personnel_budget(ws, unit, pay.year, pay.period);
            let (share_bp, status) = budget_status(cost, budget);
            SummaryRow { unit, depth, cost, budget, people_paid: pay.paid.get(&unit).copied().unwrap_or(0), share_bp, status }
        })
        .collect()
}

/// The members of a pool's unit (active people of its whole subtree whose
/// tier has a scorecard, the people settle shares it among) with their
/// weights: 1 unless set.
pub fn pool_members(ws: &Workspace, ix: &Index, pool: &BonusPool) -> Vec<(Id, u32)> {
    let org = &ix.org;
    let subtree = org.unit(pool.unit).map(|u| org.subtree_active(u)).unwrap_or_default();
    // As in settle: someone whose tier has no scorecard has no score to share by.
    let scored = |id: &Id| ws.people.get(id).is_some_and(|p| ws.scorecards.values().any(|t| t.tier == p.tier));
    let mut v: Vec<(Id, u32)> =
        subtree.into_iter().map(|p| org.people[p as usize]).filter(scored).map(|id| (id, pool.weight_of(id))).collect();
    v.arrange();
    v
}

/// Everyone whose pay differs between two runs: (person, before, after),
/// the biggest change first.
pub fn changes(before: &Payouts, after: &Payouts) -> Vec<(Id, i64, i64)> {
    let total = |p: &Payouts, id: &Id| p.people.get(id).map(|s| s.total).unwrap_or(0);
    let mut ids: Vec<Id> = before.people.keys().chain(after.people.keys()).copied().collect();
    ids.arrange();
    ids.dedup();
    let mut v: Vec<(Id, i64, i64)> =
        ids.into_iter().map(|id| (id, total(before, &id), total(after, &id))).filter(|(_, b, a)| a != b).collect();
    v.arrange_by_key(|(id, b, a)| (std::cmp::Reverse((a - b).abs()), *id));
    v
}

/// Won deals of a person in the period (what their commission counts).
pub fn won_deals(ws: &Workspace, person: Id, year: i32, period: Period) -> Vec<&Opportunity> {
    let (start, end) = period_bounds(year, ws.settings.fiscal_year_start_month, period);
    let mut v: Vec<&Opportunity> = ws
        .opportunities
        .values()
        .filter(|o| o.owner == person)
        .filter(|o| {
            let d = deal_date(o);
            d >= start && d < end && ws.stages.get(&o.stage).is_some_and(|s| s.outcome == Outcome::Won)
        })
        .collect();
    v.arrange_by_key(|o| (deal_date(o), o.id));
    v
}
