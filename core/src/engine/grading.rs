//! Manager grades (初级 / 中级 / 高级) by explicit rules, with explanations
//! and promotion candidates.
//!
//! A person's grade is the highest grade of their tier whose rules they all
//! meet. A rule whose factor has no data (no targets or results yet, no
//! hire date, no skill ratings) is shown as "no data" and skipped; a grade
//! whose rules *all* lack data is not reached, so nobody is graded on
//! numbers that do not exist. A grade without rules is always met.

use crate::calendar::{complete_quarters, complete_quarters_this_year, fiscal_month_index, fiscal_year_of, months_between};
use crate::engine::index::Index;
use crate::i18n::Lang;
use crate::model::*;
use crate::num::{points, round_i64};
use crate::sort::{Arrange, Gather};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// Measured values of each factor for one person; None = no data.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Facts {
    pub team_size: Option<i64>,
    pub target_managed: Option<i64>,
    /// Attainment in basis points (rounded) by look-back window (0 = year
    /// to date), for every window a grade rule uses.
    pub attainment: BTreeMap<u32, Option<i64>>,
    pub skills_avg: Option<i64>,
    pub tenure_months: Option<i64>,
    /// Average scorecard score (points) by look-back window.
    pub score: BTreeMap<u32, Option<i64>>,
}

impl Facts {
    /// The value a rule measures.
    pub fn value(&self, r: &Rule) -> Option<i64> {
        match r.factor {
            Factor::Attainment => self.attainment.get(&r.periods).copied().flatten(),
            Factor::Score => self.score.get(&r.periods).copied().flatten(),
            f => self.get(f),
        }
    }

    pub fn get(&self, f: Factor) -> Option<i64> {
        match f {
            Factor::TeamSize => self.team_size,
            Factor::TargetManaged => self.target_managed,
            Factor::Attainment => self.attainment.get(&0).copied().flatten(),
            Factor::SkillsAvg => self.skills_avg,
            Factor::TenureMonths => self.tenure_months,
            Factor::Score => self.score.get(&0).copied().flatten(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RuleCheck {
    pub rule: Rule,
    pub actual: Option<i64>,
    /// None when there is no data (the rule is skipped).
    pub met: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GradeCheck {
    pub grade: Id,
    pub rank: u32,
    pub name: Text,
    pub checks: Vec<RuleCheck>,
    pub met: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Candidate {
    /// Meets the rules of a higher grade than the one recorded.
    NextGrade { grade: Id },
    /// Holds the top grade of their tier and meets the entry grade of the tier above.
    NextTier { tier: Id },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Assessment {
    pub person: Id,
    pub tier: Id,
    pub facts: Facts,
    /// The grade the rules give.
    pub grade: Option<Id>,
    /// The grade last recorded by a promotion.
    pub recorded: Option<Id>,
    /// Every grade of the tier, lowest first, with each rule's outcome.
    pub ladder: Vec<GradeCheck>,
    pub candidate: Option<Candidate>,
}

impl Assessment {
    /// The lowest grade above the computed one, if any: what to aim for next.
    pub fn next(&self) -> Option<&GradeCheck> {
        let rank = self.ladder.iter().find(|g| Some(g.grade) == self.grade).map(|g| g.rank);
        self.ladder.iter().find(|g| rank.is_none_or(|r| g.rank > r))
    }
}

/// A rule's minimum in the unit its factor is measured in (attainment
/// rules are written in whole percent and measured in basis points).
pub fn threshold(f: Factor, min: i64) -> i64 {
    match f {
        Factor::Attainment => min.saturating_mul(100),
        _ => min,
    }
}

/// Active people in the subtree of each unit.
fn subtree_active(ws: &Workspace) -> HashMap<Id, i64> {
    crate::engine::org::unit_counts(ws).into_iter().map(|(id, c)| (id, c.headcount as i64)).collect()
}

/// Actual won revenue by fiscal month for the current and the previous
/// fiscal year, per person and per unit: what the attainment factor reads.
struct Results {
    year: i32,
    /// Index of today's fiscal month (0-based).
    month: usize,
    /// [previous year, this year] × (people, units).
    actual: [(crate::engine::crm::Monthly, crate::engine::crm::Monthly); 2],
}

impl Results {
    fn new(ws: &Workspace, ix: &Index, today: NaiveDate) -> Results {
        let start = ws.settings.fiscal_year_start_month;
        let year = fiscal_year_of(today, start);
        let actual = [crate::engine::crm::actuals(ws, ix, year - 1), crate::engine::crm::actuals(ws, ix, year)];
        Results { year, month: fiscal_month_index(today, start), actual }
    }

    fn actual(&self, owner: Id, year: i32, m: usize) -> i64 {
        let (people, units) = &self.actual[usize::from(year == self.year)];
        units.get(&owner).or_else(|| people.get(&owner)).map(|a| a[m]).unwrap_or(0)
    }

    /// Σ actual ÷ Σ target (basis points, rounded) over the last `periods`
    /// complete fiscal quarters that have a target; with `periods` = 0, over
    /// the complete months of this fiscal year. None without a target.
    fn attainment(&self, ws: &Workspace, owner: Id, periods: u32, today: NaiveDate) -> Option<i64> {
        let mut months: Vec<(i32, usize)> = Vec::new();
        if periods == 0 {
            months.extend((0..self.month).map(|m| (self.year, m)));
        } else {
            let start = ws.settings.fiscal_year_start_month;
            // Actuals are kept for this fiscal year and the one before.
            for (y, q) in complete_quarters(today, start, periods as usize).into_iter().filter(|(y, _)| *y >= self.year - 1) {
                months.extend(q.months().map(|m| (y, m)));
            }
        }
        let (mut target, mut actual) = (0i128, 0i128);
        for (y, m) in months {
            let t = ws.plan.target(owner, TargetKind::Revenue, y).map(|l| l.months[m]).unwrap_or(0);
            if t > 0 {
                target += t as i128;
                actual += self.actual(owner, y, m) as i128;
            }
        }
        (target > 0).then(|| round_i64(actual * 10_000, target))
    }
}

struct Context {
    today: NaiveDate,
    active: HashMap<Id, i64>,
    managed: HashMap<Id, Id>,
    results: Results,
    /// Every attainment window a rule uses (0 = year to date, always).
    windows: Vec<u32>,
    /// Scorecard scores (bp) of the last complete quarters, newest first,
    /// per person; empty when no rule reads scores.
    scores: Vec<HashMap<Id, u32>>,
    score_windows: Vec<u32>,
}

/// Scorecard scores of the last `n` complete fiscal quarters, newest first.
fn quarter_scores(ws: &Workspace, ix: &Index, today: NaiveDate, n: u32) -> Vec<HashMap<Id, u32>> {
    complete_quarters(today, ws.settings.fiscal_year_start_month, n as usize)
        .into_iter()
        .map(|(year, q)| {
            let d = crate::engine::perf::PeriodData::new(ws, ix, year, q, today);
            let cards = crate::engine::perf::scorecards(ws, &d, None);
            cards.into_iter().filter_map(|(id, c)| Some((id, c.score_bp?))).collect()
        })
        .collect()
}

/// Average score in points (rounded) over the quarters that have one.
fn average_score(scores: &[HashMap<Id, u32>], person: Id, window: u32, ytd: usize) -> Option<i64> {
    let n = if window == 0 { ytd } else { window as usize };
    let got: Vec<i128> = scores.iter().take(n).filter_map(|m| m.get(&person)).map(|s| i128::from(*s)).collect();
    (!got.is_empty()).then(|| round_i64(got.iter().sum::<i128>(), 100 * got.len() as i128))
}

fn facts_of(ws: &Workspace, p: &Person, cx: &Context) -> Facts {
    let (today, active, managed, res) = (cx.today, &cx.active, &cx.managed, &cx.results);
    let unit = managed.get(&p.id).copied();
    let team_size = match unit {
        Some(u) => active.get(&u).copied().unwrap_or(0) - i64::from(p.status != Status::Left),
        None => 0,
    };
    let rated: Vec<i64> = p.skills.iter().filter(|(k, _)| ws.skills.contains_key(k)).map(|(_, v)| i64::from(*v)).collect();
    // Average × 10, rounded: 3.45 → 34 (half to even), 3.46 → 35.
    let skills_avg = (!rated.is_empty()).then(|| round_i64(rated.iter().sum::<i64>() as i128 * 10, rated.len() as i128));
    // A manager is measured on the unit they run, everyone else on their own numbers.
    let owner = unit.unwrap_or(p.id);
    Facts {
        team_size: Some(team_size.max(0)),
        target_managed: unit.and_then(|u| ws.plan.target(u, TargetKind::Revenue, res.year)).map(|l| l.total()),
        attainment: cx.windows.iter().map(|w| (*w, res.attainment(ws, owner, *w, today))).gather_map(),
        skills_avg,
        tenure_months: p.hire_date.map(|h| months_between(h, today)),
        score: cx.score_windows.iter().map(|w| (*w, average_score(&cx.scores, p.id, *w, res.month / 3))).gather_map(),
    }
}

fn check_grade(g: &Grade, facts: &Facts) -> GradeCheck {
    let checks: Vec<RuleCheck> = g
        .rules
        .iter()
        .map(|r| {
            let actual = facts.value(r);
            RuleCheck { rule: r.clone(), actual, met: actual.map(|a| a >= threshold(r.factor, r.min)) }
        })
        .collect();
    let any_data = checks.iter().any(|c| c.met.is_some());
    let met = checks.is_empty() || (any_data && checks.iter().all(|c| c.met != Some(false)));
    GradeCheck { grade: g.id, rank: g.rank, name: g.name.clone(), checks, met }
}

/// Assesses everyone whose tier has grades (leavers excluded).
pub fn assess_all(ws: &Workspace, ix: &Index, today: NaiveDate) -> BTreeMap<Id, Assessment> {
    let mut windows: Vec<u32> = std::iter::once(0)
        .chain(ws.grades.values().flat_map(|g| g.rules.iter()).filter(|r| r.factor == Factor::Attainment).map(|r| r.periods))
        .collect();
    windows.arrange();
    windows.dedup();
    let mut score_windows: Vec<u32> =
        ws.grades.values().flat_map(|g| g.rules.iter()).filter(|r| r.factor == Factor::Score).map(|r| r.periods).collect();
    score_windows.arrange();
    score_windows.dedup();
    let ytd = complete_quarters_this_year(today, ws.settings.fiscal_year_start_month) as u32;
    let needed = score_windows.iter().map(|w| if *w == 0 { ytd } else { *w }).max().unwrap_or(0).min(8);
    let cx = Context {
        scores: quarter_scores(ws, ix, today, needed),
        score_windows,
        today,
        active: subtree_active(ws),
        managed: crate::engine::org::managed_units(ws).into_iter().collect(),
        results: Results::new(ws, ix, today),
        windows,
    };
    let mut ladders: HashMap<Id, Vec<&Grade>> = HashMap::new();
    for g in ws.grades.values() {
        ladders.entry(g.tier).or_default().push(g);
    }
    for l in ladders.values_mut() {
        l.arrange_by_key(|g| (g.rank, g.id));
    }
    let tiers = ws.tiers_in_order();
    let tier_above: HashMap<Id, Id> = tiers.windows(2).map(|w| (w[1].id, w[0].id)).collect();
    let mut out = BTreeMap::new();
    for p in ws.people.values() {
        if p.status == Status::Left {
            continue;
        }
        let Some(ladder) = ladders.get(&p.tier) else { continue };
        let facts = facts_of(ws, p, &cx);
        let checks: Vec<GradeCheck> = ladder.iter().map(|g| check_grade(g, &facts)).collect();
        let grade = checks.iter().rev().find(|c| c.met).map(|c| c.grade);
        let rank_of = |id: Option<Id>| id.and_then(|id| checks.iter().find(|c| c.grade == id)).map(|c| c.rank);
        let computed_rank = rank_of(grade);
        let recorded_rank = rank_of(p.grade);
        let top_rank = checks.last().map(|c| c.rank);
        let lowest_rank = checks.first().map(|g| g.rank);
        let candidate = match (computed_rank, recorded_rank) {
            (Some(c), Some(r)) if c > r => grade.map(|grade| Candidate::NextGrade { grade }),
            // Never recorded: a candidate once the rules give more than the entry grade.
            (Some(c), None) if Some(c) > lowest_rank => grade.map(|grade| Candidate::NextGrade { grade }),
            _ => None,
        };
        let candidate = candidate.or_else(|| {
            // At the top of the ladder (computed and recorded): look one tier up.
            if computed_rank.is_some() && computed_rank == top_rank && recorded_rank == top_rank {
                let up = *tier_above.get(&p.tier)?;
                let entry = ladders.get(&up)?.iter().find(|g| !g.rules.is_empty())?;
                check_grade(entry, &facts).met.then_some(Candidate::NextTier { tier: up })
            } else {
                None
            }
        });
        out.insert(p.id, Assessment { person: p.id, tier: p.tier, facts, grade, recorded: p.grade, ladder: checks, candidate });
    }
    out
}

/// A factor's name.
pub fn factor_name(f: Factor, lang: Lang) -> &'static str {
    match f {
        Factor::TeamSize => lang.pick("团队人数", "team size"),
        Factor::TargetManaged => lang.pick("管理目标额", "target managed"),
        Factor::Attainment => lang.pick("目标达成率", "attainment"),
        Factor::SkillsAvg => lang.pick("技能评分", "skills rating"),
        Factor::TenureMonths => lang.pick("司龄", "tenure"),
        Factor::Score => lang.pick("计分卡平均分", "average scorecard score"),
    }
}

/// A measured value in its factor's unit: "8", "3.5", "36 个月", "86.7%"
/// (attainment is measured in basis points), "1,000,000.00".
pub fn format_value(f: Factor, v: i64, lang: Lang) -> String {
    match f {
        Factor::TeamSize => lang.pick(format!("{v} 人"), v.to_string()),
        Factor::TargetManaged => Money(v).to_string(),
        Factor::Attainment => format!("{}%", points(v)),
        Factor::SkillsAvg => format!("{}.{}", v / 10, v % 10),
        Factor::TenureMonths => lang.pick(format!("{v} 个月"), format!("{v} months")),
        Factor::Score => v.to_string(),
    }
}

/// "needs team size ≥ 8, has 6" / "团队人数需 ≥ 8 人，现为 6 人".
pub fn explain(check: &RuleCheck, lang: Lang) -> String {
    let f = check.rule.factor;
    let min = threshold(f, check.rule.min);
    let need = rule_value(f, check.rule.min, lang);
    let window = if f.windowed() && check.rule.periods > 0 {
        lang.pick(format!("（最近 {} 期）", check.rule.periods), format!(" over the last {} periods", check.rule.periods))
    } else {
        String::new()
    };
    match (check.actual, check.met) {
        (None, _) => lang.pick(
            format!("{}需 ≥ {need}{window}：暂无数据，跳过", factor_name(f, lang)),
            format!("{} ≥ {need}{window}: no data yet, skipped", factor_name(f, lang)),
        ),
        (Some(a), Some(true)) => lang.pick(
            format!("{}需 ≥ {need}{window}，现为 {}：满足", factor_name(f, lang), format_value(f, a, lang)),
            format!("{} ≥ {need}{window}, has {}: met", factor_name(f, lang), format_value(f, a, lang)),
        ),
        (Some(a), _) => lang.pick(
            format!(
                "{}需 ≥ {need}{window}，现为 {}：差 {}",
                factor_name(f, lang),
                format_value(f, a, lang),
                format_value(f, min - a, lang)
            ),
            format!(
                "needs {} ≥ {need}{window}, has {}: short by {}",
                factor_name(f, lang),
                format_value(f, a, lang),
                format_value(f, min - a, lang)
            ),
        ),
    }
}

/// A rule's minimum as written: whole percent for attainment ("100%"),
/// else like a measured value.
pub fn rule_value(f: Factor, min: i64, lang: Lang) -> String {
    match f {
        Factor::Attainment => format!("{min}%"),
        _ => format_value(f, min, lang),
    }
}

/// Default ladder for a manager tier at `order` (1 = regional manager,
/// 2 = team lead, 0 = director): (name, rules) lowest first.
pub fn default_ladder(order: u32) -> Vec<(Text, Vec<Rule>)> {
    let r = |factor, min| Rule { factor, min, periods: 0 };
    let att = |min, periods| Rule { factor: Factor::Attainment, min, periods };
    let (mid, senior) = match order {
        0 => (
            vec![r(Factor::TeamSize, 50), r(Factor::TenureMonths, 60)],
            vec![r(Factor::TeamSize, 100), r(Factor::TenureMonths, 120), att(100, 4)],
        ),
        1 => (
            vec![r(Factor::TeamSize, 15), r(Factor::TenureMonths, 48), r(Factor::SkillsAvg, 32)],
            vec![r(Factor::TeamSize, 30), r(Factor::TenureMonths, 96), r(Factor::SkillsAvg, 40), r(Factor::TargetManaged, 5_000_000_000)],
        ),
        _ => (
            vec![r(Factor::TeamSize, 5), r(Factor::TenureMonths, 36), r(Factor::SkillsAvg, 30)],
            vec![r(Factor::TeamSize, 8), r(Factor::TenureMonths, 72), r(Factor::SkillsAvg, 38), att(100, 4)],
        ),
    };
    // Senior also asks for a good scorecard record: 100 points on average over two quarters.
    let mut senior = senior;
    senior.push(Rule { factor: Factor::Score, min: 100, periods: 2 });
    vec![(Text::new("初级", "Junior"), vec![]), (Text::new("中级", "Mid"), mid), (Text::new("高级", "Senior"), senior)]
}

/// Parses a threshold typed in the factor's display unit: "8", "3.5",
/// "36", "100%", "50,000,000". None for anything else or a negative value.
pub fn parse_value(f: Factor, s: &str) -> Option<i64> {
    let t = s.trim().trim_end_matches('%').trim();
    let v = match f {
        Factor::TargetManaged => Money::parse(t).ok()?.0,
        Factor::SkillsAvg => {
            let (i, d) = t.split_once('.').unwrap_or((t, "0"));
            if d.len() != 1 || !d.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            i.parse::<i64>().ok()?.checked_mul(10)?.checked_add(d.parse::<i64>().ok()?)?
        }
        _ => t.parse::<i64>().ok()?,
    };
    (v >= 0).then_some(v)
}

/// The threshold as it is typed back into a field.
pub fn edit_value(f: Factor, v: i64) -> String {
    match f {
        Factor::TargetManaged => Money(v).to_string(),
        Factor::SkillsAvg => format!("{}.{}", v / 10, v % 10),
        _ => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_parse_in_display_units() {
        assert_eq!(parse_value(Factor::SkillsAvg, "3.5"), Some(35));
        assert_eq!(parse_value(Factor::SkillsAvg, "4"), Some(40));
        assert_eq!(parse_value(Factor::SkillsAvg, "3.55"), None);
        assert_eq!(parse_value(Factor::Attainment, "100%"), Some(100));
        assert_eq!(parse_value(Factor::TeamSize, " 8 "), Some(8));
        assert_eq!(parse_value(Factor::TeamSize, "-1"), None);
        assert_eq!(parse_value(Factor::TargetManaged, "50,000,000"), Some(5_000_000_000));
        for f in Factor::ALL {
            assert_eq!(parse_value(f, &edit_value(f, 1234)), Some(1234), "{f:?}");
        }
    }
}
