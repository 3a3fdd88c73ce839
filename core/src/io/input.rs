//! Reading what people type into forms: percentages, weights, goals, a
//! target buffer, an incentive plan being edited. The app only collects
//! the text; what it means, and what is refused, is decided here (the
//! edits then apply the document's own limits).

use crate::i18n::Lang;
use crate::limits::{MAX_ACTIVITY_GOAL, MAX_ATTAINMENT_BP, MAX_POOL_WEIGHT};
use crate::model::{
    Curve, Frequency, Id, IncentivePlan, KpiKind, KpiLine, Money, MoneyParseError, PlanRules, RateTier, TargetKind, Text, TierMode,
};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// Why a typed value was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputError {
    Empty,
    /// Not a number in the expected form ("abc", "1,2,3").
    NotANumber,
    /// More decimals than the field keeps (percent: 2, money: 2).
    TooPrecise {
        max_decimals: u8,
    },
    /// Above the largest value the field accepts (in its display unit).
    TooLarge {
        max: String,
    },
    Negative,
    /// Below the smallest value the field accepts (in its display unit).
    TooSmall {
        min: String,
    },
    /// More values in a list than the field keeps.
    TooMany {
        max: usize,
    },
    /// A whole number was wanted ("1.5" for a weight).
    NotWhole,
    Money(MoneyParseError),
}

impl InputError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            InputError::Empty => lang.pick("请填写一个数值", "enter a value").into(),
            InputError::NotANumber => lang.pick("不是有效的数字", "not a number").into(),
            InputError::NotWhole => lang.pick("请填写整数（不带小数）", "a whole number, without decimals").into(),
            InputError::TooPrecise { max_decimals } => {
                lang.pick(format!("最多 {max_decimals} 位小数"), format!("at most {max_decimals} decimals"))
            }
            InputError::TooLarge { max } => lang.pick(format!("不能大于 {max}"), format!("at most {max}")),
            InputError::Negative => lang.pick("不能为负数", "cannot be negative").into(),
            InputError::TooSmall { min } => lang.pick(format!("不能小于 {min}"), format!("at least {min}")),
            InputError::TooMany { max } => lang.pick(format!("最多 {max} 项"), format!("at most {max} values")),
            InputError::Money(e) => crate::model::money::parse_error_message(e, lang),
        }
    }
}

/// "5", "5%", "2.5", "0.05" → basis points (500, 500, 250, 5). At most two
/// decimals; never negative.
pub fn parse_percent(s: &str) -> Result<u32, InputError> {
    let t = s.trim().trim_end_matches(['%', '％']).trim();
    if t.is_empty() {
        return Err(InputError::Empty);
    }
    if t.starts_with('-') {
        return Err(InputError::Negative);
    }
    let (i, f) = t.split_once('.').unwrap_or((t, ""));
    if (i.is_empty() && f.is_empty()) || !i.bytes().all(|c| c.is_ascii_digit()) || !f.bytes().all(|c| c.is_ascii_digit()) {
        return Err(InputError::NotANumber);
    }
    if f.len() > 2 {
        return Err(InputError::TooPrecise { max_decimals: 2 });
    }
    let whole: u32 = if i.is_empty() { 0 } else { i.parse().map_err(|_| InputError::TooLarge { max: "42,949,672%".into() })? };
    let frac: u32 = format!("{f:0<2}").parse().unwrap_or(0);
    whole.checked_mul(100).and_then(|w| w.checked_add(frac)).ok_or(InputError::TooLarge { max: "42,949,672%".into() })
}

/// [`parse_percent`] with an upper bound in basis points.
pub fn parse_percent_max(s: &str, max_bp: u32) -> Result<u32, InputError> {
    let v = parse_percent(s)?;
    if v > max_bp {
        return Err(InputError::TooLarge { max: crate::num::rate(i64::from(max_bp)) });
    }
    Ok(v)
}

/// An optional percentage: blank is 0.
pub fn parse_percent_or_zero(s: &str, max_bp: u32) -> Result<u32, InputError> {
    if s.trim().is_empty() {
        Ok(0)
    } else {
        parse_percent_max(s, max_bp)
    }
}

/// Basis points as they are typed back: 500 → "5", 250 → "2.5".
pub fn percent_input(bp: u32) -> String {
    crate::num::rate(i64::from(bp)).trim_end_matches('%').replace(',', "")
}

/// A bonus-pool member's weight: a whole number 0–1,000 (1 unless set).
pub fn parse_weight(s: &str) -> Result<u32, InputError> {
    parse_whole(s, MAX_POOL_WEIGHT)
}

/// A target line's cascade weight: a whole number 0–1,000,000.
pub fn parse_target_weight(s: &str) -> Result<u32, InputError> {
    parse_whole(s, crate::limits::MAX_TARGET_WEIGHT)
}

/// An activity's duration as typed, in minutes: blank is none (0), else a
/// whole number 0–1,440.
pub fn parse_minutes(s: &str) -> Result<u32, InputError> {
    if s.trim().is_empty() {
        return Ok(0);
    }
    parse_whole(s, crate::limits::MAX_ACTIVITY_MINUTES)
}

/// Days without an activity before a deal is stale, as typed: a whole
/// number 0–3,650 (0 turns the rule off).
pub fn parse_stale_days(s: &str) -> Result<u16, InputError> {
    parse_whole(s, u32::from(crate::limits::MAX_STALE_DAYS)).map(|d| d as u16)
}

/// A whole number from 0 to `max`, saying what is wrong otherwise.
fn parse_whole(s: &str, max: u32) -> Result<u32, InputError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(InputError::Empty);
    }
    if t.starts_with('-') {
        return Err(InputError::Negative);
    }
    if t.contains('.') && t.replace('.', "").bytes().all(|b| b.is_ascii_digit()) {
        return Err(InputError::NotWhole);
    }
    let v: u64 = t.parse().map_err(|_| InputError::NotANumber)?;
    u32::try_from(v).ok().filter(|v| *v <= max).ok_or(InputError::TooLarge { max: crate::num::group(i128::from(max)) })
}

/// Expected attainment as typed, in whole percent ("85", "85%"): 1 to
/// [`crate::limits::MAX_EXPECTED_ATTAINMENT`].
pub fn parse_expected_attainment(s: &str) -> Result<u32, InputError> {
    let v = parse_whole(s.trim().trim_end_matches(['%', '％']), crate::limits::MAX_EXPECTED_ATTAINMENT)?;
    if v == 0 {
        return Err(InputError::TooSmall { min: "1".into() });
    }
    Ok(v)
}

/// A new rep's ramp as typed: the percent of full quota reached in each
/// month after the start, "25, 50, 75" (commas, spaces, slashes or "、";
/// "%" optional), each 0–100, at most [`crate::limits::MAX_RAMP_MONTHS`].
/// Blank is no ramp.
pub fn parse_ramp(s: &str) -> Result<Vec<u32>, InputError> {
    let parts: Vec<&str> = s.split([',', '，', ' ', '/', '、']).map(str::trim).filter(|x| !x.is_empty()).collect();
    if parts.len() > crate::limits::MAX_RAMP_MONTHS {
        return Err(InputError::TooMany { max: crate::limits::MAX_RAMP_MONTHS });
    }
    parts.into_iter().map(|x| parse_whole(x.trim_end_matches(['%', '％']), 100)).collect()
}

/// A KPI's goal as typed: "3" is 3× for coverage (kept as percent, 300)
/// and 30 % for a rate goal typed "30" (3,000 bp) — one parse for both.
/// Blank gives the KPI's default goal; anything else that does not read is
/// refused, never replaced by the default.
pub fn parse_goal(kpi: KpiKind, s: &str) -> Result<u32, InputError> {
    if !kpi.has_goal() {
        return Ok(0);
    }
    if s.trim().is_empty() {
        return Ok(kpi.default_goal());
    }
    if kpi.counts_activities() {
        // A count a month.
        return parse_whole(s, MAX_ACTIVITY_GOAL);
    }
    parse_percent_max(s, MAX_ATTAINMENT_BP)
}

/// A unit's target buffer in percent (0–1,000 %), as basis points.
pub fn parse_buffer(s: &str) -> Result<u32, InputError> {
    parse_percent_or_zero(s, crate::limits::MAX_BUFFER_BP)
}

/// The members' weights of a pool as typed, row by row; a weight of 1 is
/// the default and is not stored.
pub fn parse_weights(rows: &[(Id, String)]) -> Result<BTreeMap<Id, u32>, (Id, InputError)> {
    let mut out = BTreeMap::new();
    for (id, text) in rows {
        match parse_weight(text) {
            Ok(1) => {}
            Ok(v) => {
                out.insert(*id, v);
            }
            Err(e) => return Err((*id, e)),
        }
    }
    Ok(out)
}

/// A scorecard template's lines as typed: (KPI, weight %, curve, goal).
/// The first line whose weight or goal does not read is refused with its
/// index (0-based) — a bad goal is never replaced by the default.
pub fn scorecard_lines(rows: &[(KpiKind, String, Curve, String)]) -> Result<Vec<KpiLine>, (usize, InputError)> {
    rows.iter()
        .enumerate()
        .map(|(i, (kpi, w, curve, g))| {
            let weight_bp = parse_percent_max(w, 10_000).map_err(|e| (i, e))?;
            let goal = parse_goal(*kpi, g).map_err(|e| (i, e))?;
            Ok(KpiLine { kpi: *kpi, weight_bp, curve: curve.clone(), goal })
        })
        .collect()
}

/// A line's goal as typed back (blank for KPIs without a goal).
pub fn goal_input(kpi: KpiKind, goal: u32) -> String {
    if kpi.counts_activities() {
        goal.to_string()
    } else if kpi.has_goal() {
        percent_input(goal)
    } else {
        String::new()
    }
}

/// An amount of money as typed into a field or a cell ("1,234.5",
/// "¥2 000 000"), zero or more. Misplaced separators ("1,2,3"), a third
/// decimal or an amount past the limit are refused with what is wrong.
pub fn parse_amount(s: &str) -> Result<Money, InputError> {
    match Money::parse(s) {
        Ok(m) if m.0 < 0 => Err(InputError::Negative),
        Ok(m) => Ok(m),
        Err(MoneyParseError::Empty) => Err(InputError::Empty),
        Err(e) => Err(InputError::Money(e)),
    }
}

/// A plan cell (a target, a budget line) as typed: blank clears it (zero);
/// money kinds read as [`parse_amount`], new customers as a whole count
/// with separators only between groups of three.
pub fn parse_plan_cell(kind: TargetKind, s: &str) -> Result<i64, InputError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(0);
    }
    if kind.is_money() {
        return parse_amount(t).map(|m| m.0);
    }
    if t.starts_with('-') {
        return Err(InputError::Negative);
    }
    if !crate::model::money::grouping_ok(t) {
        return Err(InputError::NotANumber);
    }
    let digits: String = t.chars().filter(|c| !crate::model::money::is_separator(*c)).collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(InputError::NotANumber);
    }
    let max = crate::model::money::MAX_MONEY_UNITS;
    digits.parse::<i64>().ok().filter(|v| *v <= max).ok_or(InputError::TooLarge { max: crate::num::group(i128::from(max)) })
}

/// What a plan cell shows: the number as [`format_target`] writes it, and
/// nothing at all for zero, so an empty cell is empty and typing into it
/// never lands beside a "0".
///
/// [`format_target`]: crate::engine::plan::format_target
pub fn plan_cell_text(kind: TargetKind, v: i64) -> String {
    if v == 0 {
        String::new()
    } else {
        crate::engine::plan::format_target(kind, v)
    }
}

/// What a budget cell shows: whole currency units (the budget page's unit,
/// rounded by the one rule), nothing for zero.
pub fn budget_cell_text(minor_units: i64) -> String {
    plan_cell_text(TargetKind::Revenue, crate::num::div_round(i128::from(minor_units), 100) as i64 * 100)
}

/// Which field of a plan draft did not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanField {
    TierFrom(usize),
    TierRate(usize),
    Threshold,
    Cap,
    Override,
}

/// An incentive plan as typed in its editor: the rules as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanDraft {
    pub id: Id,
    pub name_zh: String,
    pub name_en: String,
    pub tier: Option<Id>,
    pub frequency: Frequency,
    pub mode: TierMode,
    /// (from % of target, rate %), as typed.
    pub tiers: Vec<(String, String)>,
    pub threshold: String,
    pub cap: String,
    pub override_pct: String,
    pub multiplier: bool,
    pub people: BTreeSet<Id>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl PlanDraft {
    pub fn of(p: &IncentivePlan) -> PlanDraft {
        PlanDraft {
            id: p.id,
            name_zh: p.name.zh.clone(),
            name_en: p.name.en.clone(),
            tier: p.tier,
            frequency: p.frequency,
            mode: p.rules.mode,
            tiers: p.rules.tiers.iter().map(|t| (percent_input(t.from_bp), percent_input(t.rate_bp))).collect(),
            threshold: if p.rules.threshold_bp == 0 { String::new() } else { percent_input(p.rules.threshold_bp) },
            cap: p.rules.cap.map(|c| c.to_string()).unwrap_or_default(),
            override_pct: if p.rules.override_bp == 0 { String::new() } else { percent_input(p.rules.override_bp) },
            multiplier: p.rules.scorecard_multiplier,
            people: p.people.clone(),
            from: p.from,
            to: p.to,
        }
    }

    /// A new plan: quarterly, 3 % on everything, named as a starting point.
    pub fn new_plan(id: Id) -> PlanDraft {
        PlanDraft::of(&IncentivePlan {
            id,
            rev: 0,
            updated_at: chrono::DateTime::UNIX_EPOCH,
            name: Text::new("新方案", "New plan"),
            tier: None,
            people: Default::default(),
            frequency: Frequency::Quarter,
            from: None,
            to: None,
            rules: PlanRules { tiers: vec![RateTier { from_bp: 0, rate_bp: 300 }], ..Default::default() },
        })
    }

    /// The plan the draft describes, or the first field that does not read
    /// (with why). Limits on the values (rates ≤ 100 %, …) are the edit's.
    pub fn plan(&self) -> Result<IncentivePlan, (PlanField, InputError)> {
        let mut tiers = Vec::with_capacity(self.tiers.len());
        for (i, (f, r)) in self.tiers.iter().enumerate() {
            let from_bp = parse_percent(f).map_err(|e| (PlanField::TierFrom(i), e))?;
            let rate_bp = parse_percent(r).map_err(|e| (PlanField::TierRate(i), e))?;
            tiers.push(RateTier { from_bp, rate_bp });
        }
        let cap = match self.cap.trim() {
            "" => None,
            c => Some(Money::parse(c).map_err(|e| (PlanField::Cap, InputError::Money(e)))?),
        };
        let threshold_bp = parse_percent_or_zero(&self.threshold, MAX_ATTAINMENT_BP).map_err(|e| (PlanField::Threshold, e))?;
        let override_bp = parse_percent_or_zero(&self.override_pct, crate::limits::MAX_RATE_BP).map_err(|e| (PlanField::Override, e))?;
        Ok(IncentivePlan {
            id: self.id,
            rev: 0,
            updated_at: chrono::DateTime::UNIX_EPOCH,
            name: Text::new(self.name_zh.trim(), self.name_en.trim()),
            tier: self.tier,
            people: self.people.clone(),
            frequency: self.frequency,
            from: self.from,
            to: self.to,
            rules: PlanRules { tiers, mode: self.mode, threshold_bp, cap, override_bp, scorecard_multiplier: self.multiplier },
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn capacity_assumptions_say_what_is_wrong() {
        use super::{parse_expected_attainment as att, parse_ramp as ramp, InputError as E};
        assert_eq!(att(" 85% "), Ok(85));
        assert_eq!(att("300"), Ok(300));
        assert_eq!(att("0"), Err(E::TooSmall { min: "1".into() }));
        assert_eq!(att("-100"), Err(E::Negative));
        assert_eq!(att("99999"), Err(E::TooLarge { max: "300".into() }));
        assert_eq!(att("abc"), Err(E::NotANumber));
        assert_eq!(ramp("25, 50，75%/100"), Ok(vec![25, 50, 75, 100]));
        assert_eq!(ramp("  "), Ok(vec![]));
        assert_eq!(ramp("abc, 200, -5"), Err(E::NotANumber));
        assert_eq!(ramp("50, 200"), Err(E::TooLarge { max: "100".into() }));
        assert_eq!(ramp("50, -5"), Err(E::Negative));
        assert_eq!(ramp(&vec!["10"; 25].join(",")), Err(E::TooMany { max: 24 }));
        // Every message is said in both languages.
        for e in [E::TooSmall { min: "1".into() }, E::TooMany { max: 24 }] {
            assert!(!e.message(crate::Lang::Zh).is_empty() && !e.message(crate::Lang::En).is_empty());
        }
    }

    use super::*;

    #[test]
    fn percentages() {
        assert_eq!(parse_percent("5"), Ok(500));
        assert_eq!(parse_percent(" 2.5 %"), Ok(250));
        assert_eq!(parse_percent("0.05"), Ok(5));
        assert_eq!(parse_percent(".5"), Ok(50));
        assert_eq!(parse_percent("1.234"), Err(InputError::TooPrecise { max_decimals: 2 }));
        assert_eq!(parse_percent("-1"), Err(InputError::Negative));
        assert_eq!(parse_percent("1,5"), Err(InputError::NotANumber));
        assert_eq!(parse_percent(""), Err(InputError::Empty));
        for bp in [0, 5, 250, 500, 10_000, 123_456] {
            assert_eq!(parse_percent(&percent_input(bp)), Ok(bp), "{bp}");
        }
    }

    #[test]
    fn weights_goals_and_buffers_are_refused_not_defaulted() {
        assert_eq!(parse_weight("3"), Ok(3));
        assert_eq!(parse_weight("1001"), Err(InputError::TooLarge { max: "1,000".into() }));
        assert_eq!(parse_weight("1.5"), Err(InputError::NotWhole));
        assert_eq!(parse_goal(KpiKind::Coverage, "3"), Ok(300));
        assert_eq!(parse_goal(KpiKind::Coverage, ""), Ok(300), "blank is the default goal");
        assert_eq!(parse_goal(KpiKind::WinRate, "x"), Err(InputError::NotANumber), "a bad goal is refused");
        assert_eq!(parse_goal(KpiKind::Revenue, "x"), Ok(0), "no goal to read");
        assert_eq!(parse_buffer("10"), Ok(1_000));
        assert_eq!(parse_buffer(""), Ok(0));
        assert!(matches!(parse_buffer("1001"), Err(InputError::TooLarge { .. })), "no silent 1000 % cap");
        let a = Id::from_random_bytes([1; 16]);
        let b = Id::from_random_bytes([2; 16]);
        assert_eq!(parse_weights(&[(a, "1".into()), (b, "4".into())]), Ok([(b, 4)].into_iter().collect()));
        assert_eq!(parse_weights(&[(a, "x".into())]), Err((a, InputError::NotANumber)));
    }

    #[test]
    fn scorecard_lines_refuse_a_bad_goal_with_its_line() {
        let row = |k: KpiKind, w: &str, g: &str| (k, w.to_string(), Curve::default(), g.to_string());
        let ok = scorecard_lines(&[row(KpiKind::Revenue, "60", ""), row(KpiKind::Coverage, "40", "3")]).unwrap();
        assert_eq!((ok[0].weight_bp, ok[1].weight_bp, ok[1].goal), (6_000, 4_000, 300));
        assert_eq!(
            scorecard_lines(&[row(KpiKind::Revenue, "60", ""), row(KpiKind::WinRate, "40", "3x")]),
            Err((1, InputError::NotANumber))
        );
        assert_eq!(scorecard_lines(&[row(KpiKind::Revenue, "101", "")]).unwrap_err().0, 0);
        assert_eq!(goal_input(KpiKind::Coverage, 300), "3");
        assert_eq!(goal_input(KpiKind::Revenue, 0), "");
    }

    #[test]
    fn weights_are_whole_numbers_within_their_limit() {
        assert_eq!(parse_weight(" 3 "), Ok(3));
        assert_eq!(parse_weight("1.5"), Err(InputError::NotWhole));
        assert_eq!(parse_weight("-2"), Err(InputError::Negative));
        assert_eq!(parse_weight("x"), Err(InputError::NotANumber));
        assert_eq!(parse_weight("1001"), Err(InputError::TooLarge { max: "1,000".into() }));
        assert_eq!(parse_target_weight("1000000"), Ok(1_000_000));
        assert!(matches!(parse_target_weight("99999999999"), Err(InputError::TooLarge { .. })));
        assert!(InputError::NotWhole.message(Lang::En).contains("whole number"));
    }

    #[test]
    fn amounts_and_plan_cells_say_what_is_wrong() {
        assert_eq!(parse_amount("1,234.5"), Ok(Money(123_450)));
        assert_eq!(parse_amount(" ¥2 000 000 "), Ok(Money(200_000_000)));
        assert_eq!(parse_amount("1,2,3"), Err(InputError::Money(MoneyParseError::NotANumber)));
        assert_eq!(parse_amount("1.234"), Err(InputError::Money(MoneyParseError::TooManyDecimals)));
        assert_eq!(parse_amount("99999999999999999"), Err(InputError::Money(MoneyParseError::TooLarge)));
        assert_eq!(parse_amount("-5"), Err(InputError::Negative));
        assert_eq!(parse_amount("  "), Err(InputError::Empty));
        assert!(parse_amount("1,2,3").unwrap_err().message(Lang::En).contains("every three digits"));
        assert!(parse_amount("1.234").unwrap_err().message(Lang::En).contains("at most 2 decimals"));
        assert!(parse_amount("99999999999999999").unwrap_err().message(Lang::En).starts_with("too large"));

        assert_eq!(parse_plan_cell(TargetKind::Revenue, ""), Ok(0), "blank clears the cell");
        assert_eq!(parse_plan_cell(TargetKind::Revenue, "12,000,000"), Ok(1_200_000_000));
        assert_eq!(parse_plan_cell(TargetKind::Revenue, "1,2,3"), Err(InputError::Money(MoneyParseError::NotANumber)));
        assert_eq!(parse_plan_cell(TargetKind::NewCustomers, "1,200"), Ok(1_200));
        assert_eq!(parse_plan_cell(TargetKind::NewCustomers, "1,2,3"), Err(InputError::NotANumber));
        assert_eq!(parse_plan_cell(TargetKind::NewCustomers, "1.5"), Err(InputError::NotANumber));
        assert_eq!(parse_plan_cell(TargetKind::NewCustomers, "-3"), Err(InputError::Negative));
        assert!(matches!(parse_plan_cell(TargetKind::NewCustomers, "99999999999999999"), Err(InputError::TooLarge { .. })));

        assert_eq!(plan_cell_text(TargetKind::Revenue, 0), "");
        assert_eq!(budget_cell_text(0), "");
        assert_eq!(budget_cell_text(123_450), "1,234", "half to even: 1,234.50 → 1,234");
        assert_eq!(budget_cell_text(123_551), "1,236");
        assert_eq!(plan_cell_text(TargetKind::NewCustomers, 0), "");
        for (k, v) in [(TargetKind::Revenue, 123_456_701), (TargetKind::GrossMargin, 500_000), (TargetKind::NewCustomers, 1_234)] {
            assert_eq!(parse_plan_cell(k, &plan_cell_text(k, v)), Ok(v), "{k:?} {v}");
        }
    }

    #[test]
    fn a_plan_draft_reads_back_what_it_was_made_from() {
        let mut d = PlanDraft::new_plan(Id::from_random_bytes([3; 16]));
        d.tiers.push(("100".into(), "8".into()));
        d.threshold = "50".into();
        d.cap = "60,000".into();
        let p = d.plan().unwrap();
        assert_eq!(p.rules.tiers, vec![RateTier { from_bp: 0, rate_bp: 300 }, RateTier { from_bp: 10_000, rate_bp: 800 }]);
        assert_eq!((p.rules.threshold_bp, p.rules.cap), (5_000, Some(Money(6_000_000))));
        assert_eq!(PlanDraft::of(&p).plan().unwrap().rules, p.rules);
        d.tiers[1].1 = "8.125".into();
        assert_eq!(d.plan().unwrap_err(), (PlanField::TierRate(1), InputError::TooPrecise { max_decimals: 2 }));
        d.tiers[1].1 = "8".into();
        d.cap = "1,2,3".into();
        assert_eq!(d.plan().unwrap_err().0, PlanField::Cap);
    }
}
