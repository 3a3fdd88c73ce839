//! Pillar 3 engine (second part): KPI scoring curves, weighted scorecards,
//! rating bands and the calibration view, as pure functions.
//!
//! Units: attainment and scores in basis points (10,000 = 100 % = a score
//! of 100 points), weights in basis points summing to 10,000. A KPI with
//! no data (no target, no entry) is reported as such and its weight is
//! left out rather than scored as zero.

use crate::i18n::Lang;
pub use crate::model::Curve;

use crate::num::{attainment_bp as ratio_bp, percent, points as pts, round_i64};

/// Attainment in basis points: actual ÷ target, rounded (None without a target).
pub fn attainment_bp(actual: i64, target: i64) -> Option<u32> {
    ratio_bp(actual.max(0), target).map(|a| a.clamp(0, u32::MAX as i64) as u32)
}

/// A KPI's score (basis points of 100 points) for an attainment.
pub fn curve_score(curve: &Curve, att_bp: u32) -> u32 {
    match curve {
        Curve::Linear { cap_bp } => att_bp.min(*cap_bp),
        Curve::Threshold { floor_bp, cap_bp } => {
            if att_bp < *floor_bp {
                0
            } else {
                att_bp.min(*cap_bp)
            }
        }
        // The highest band reached (the highest score among bands starting
        // at the same attainment); none reached scores 0.
        Curve::Banded { bands } => bands.iter().filter(|(from, _)| att_bp >= *from).max().map(|(_, s)| *s).unwrap_or(0),
    }
}

/// One KPI of a person's scorecard, scored.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KpiResult {
    pub weight_bp: u32,
    pub actual: i64,
    pub target: i64,
    /// None when there is no target (no data): the KPI is left out.
    pub attainment_bp: Option<u32>,
    pub score_bp: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scorecard {
    pub kpis: Vec<KpiResult>,
    /// Σ wₖ × scoreₖ over the KPIs with data, re-weighted to their weights'
    /// sum; None when no KPI has data. Basis points of 100 points.
    pub score_bp: Option<u32>,
    /// Weight of the KPIs that had data, basis points.
    pub weight_with_data_bp: u32,
}

/// One KPI scored: attainment of `actual` against `target` on its curve.
pub fn score_kpi(weight_bp: u32, curve: &Curve, actual: i64, target: i64) -> KpiResult {
    let att = attainment_bp(actual, target);
    KpiResult { weight_bp, actual, target, attainment_bp: att, score_bp: att.map(|a| curve_score(curve, a)) }
}

/// Σ wₖ × scoreₖ over the KPIs with data, re-weighted to their weights'
/// sum (None when none has data), and that weight.
pub fn combine(kpis: impl Iterator<Item = KpiResult>) -> (Option<u32>, u32) {
    let (mut weight, mut sum) = (0u64, 0u128);
    for k in kpis {
        if let Some(s) = k.score_bp {
            weight += k.weight_bp as u64;
            sum += k.weight_bp as u128 * s as u128;
        }
    }
    ((weight > 0).then(|| round_i64(sum as i128, weight as i128) as u32), weight as u32)
}

/// Scores each (weight, curve, actual, target) and combines them.
pub fn scorecard(items: &[(u32, Curve, i64, i64)]) -> Scorecard {
    let kpis: Vec<KpiResult> = items.iter().map(|(w, curve, actual, target)| score_kpi(*w, curve, *actual, *target)).collect();
    let (score_bp, weight_with_data_bp) = combine(kpis.iter().cloned());
    Scorecard { kpis, score_bp, weight_with_data_bp }
}

/// Index of the band a score falls in (bands best first; the last catches all).
pub fn rating(score_bp: u32, bands: &[crate::model::Band]) -> usize {
    bands.iter().position(|b| score_bp >= b.min_bp).unwrap_or(bands.len().saturating_sub(1))
}

/// One band of a calibration view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BandCount {
    pub count: usize,
    /// Share of the group, basis points.
    pub share_bp: u32,
    /// The guideline's share, basis points.
    pub guideline_bp: u32,
    /// More than [`OFF_GUIDELINE_BP`] away from the guideline, in a group
    /// large enough for that to mean something.
    pub off_guideline: bool,
}

/// How far a band's share may be from its guideline before it is flagged
/// (10 percentage points).
pub const OFF_GUIDELINE_BP: u32 = 1_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calibration {
    pub bands: Vec<BandCount>,
    pub people: usize,
    /// Too few people for a distribution to mean much: guidance only.
    pub small_group: bool,
}

/// Groups under this size get a "small group" warning.
pub const SMALL_GROUP: usize = 10;

/// The distribution of ratings against a guideline (e.g. 20/70/10 over
/// A / B+C / D, given per band). Guidance only: nothing is forced.
pub fn calibrate(ratings: &[usize], guideline_bp: &[u32]) -> Calibration {
    let n = ratings.len();
    let small_group = n < SMALL_GROUP;
    let bands = guideline_bp
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let count = ratings.iter().filter(|r| **r == i).count();
            let share_bp = crate::num::ratio(count as i64, n as i64, 10_000).unwrap_or(0) as u32;
            BandCount { count, share_bp, guideline_bp: *g, off_guideline: !small_group && share_bp.abs_diff(*g) > OFF_GUIDELINE_BP }
        })
        .collect();
    Calibration { bands, people: n, small_group }
}

/// "120.0" for 12,000 bp (one decimal, rounded).
pub fn points(bp: u32) -> String {
    pts(i64::from(bp))
}

impl KpiResult {
    /// "actual 1,200,000 ÷ target 1,000,000 = 120.0% → score 120.0 × weight 60% = 72.0"
    pub fn explain(&self, lang: Lang, fmt: impl Fn(i64) -> String) -> String {
        let w = points(self.weight_bp);
        match (self.attainment_bp, self.score_bp) {
            (Some(a), Some(s)) => {
                let contrib = points(round_i64(self.weight_bp as i128 * s as i128, 10_000) as u32);
                let att = percent(self.actual.max(0), self.target).unwrap_or_else(|| format!("{}%", points(a)));
                lang.pick(
                    format!("实际 {} ÷ 目标 {} = {att} → 得分 {} × 权重 {w}% = {contrib}", fmt(self.actual), fmt(self.target), points(s)),
                    format!(
                        "actual {} ÷ target {} = {att} → score {} × weight {w}% = {contrib}",
                        fmt(self.actual),
                        fmt(self.target),
                        points(s)
                    ),
                )
            }
            _ => lang.pick(format!("无目标，暂无数据：不计入（权重 {w}%）"), format!("no target, no data: left out (weight {w}%)")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curves_by_hand() {
        assert_eq!(curve_score(&Curve::Linear { cap_bp: 15_000 }, 12_000), 12_000);
        assert_eq!(curve_score(&Curve::Linear { cap_bp: 15_000 }, 19_000), 15_000);
        let t = Curve::Threshold { floor_bp: 8_000, cap_bp: 12_000 };
        assert_eq!((curve_score(&t, 7_999), curve_score(&t, 8_000), curve_score(&t, 13_000)), (0, 8_000, 12_000));
        let b = Curve::Banded { bands: vec![(10_000, 10_000), (0, 0), (8_000, 6_000), (12_000, 13_000)] };
        assert_eq!([7_000, 8_000, 9_999, 10_000, 15_000].map(|a| curve_score(&b, a)), [0, 6_000, 6_000, 10_000, 13_000]);
        // Two bands from the same attainment: the higher score; none reached: 0.
        let tie = Curve::Banded { bands: vec![(8_000, 7_000), (8_000, 5_000)] };
        assert_eq!([7_999, 8_000].map(|a| curve_score(&tie, a)), [0, 7_000]);
    }

    #[test]
    fn weighted_score_by_hand_and_no_data_is_left_out() {
        // Revenue 120 % (weight 60), new customers 50 % (weight 20), pipeline: no target (weight 20).
        let card =
            scorecard(&[(6_000, Curve::default(), 1_200, 1_000), (2_000, Curve::default(), 5, 10), (2_000, Curve::default(), 300, 0)]);
        // (60 × 120 + 20 × 50) ÷ 80 = 102.5.
        assert_eq!(card.score_bp, Some(10_250));
        assert_eq!(card.weight_with_data_bp, 8_000);
        assert!(card.kpis[2].explain(Lang::En, |v| v.to_string()).contains("left out"));
        assert_eq!(
            card.kpis[0].explain(Lang::En, |v| v.to_string()),
            "actual 1200 ÷ target 1000 = 120.0% → score 120.0 × weight 60.0% = 72.0"
        );
        assert_eq!(scorecard(&[(10_000, Curve::default(), 1, 0)]).score_bp, None);
    }

    #[test]
    fn ratings_and_calibration() {
        let bands = crate::model::PerfSettings::default_at(chrono::DateTime::UNIX_EPOCH).bands;
        assert_eq!([11_000, 10_999, 9_000, 7_000, 6_999].map(|s| rating(s, &bands)), [0, 1, 1, 2, 3]);
        let cal = calibrate(&[0, 1, 1, 1, 2], &[2_000, 7_000, 1_000, 0]);
        assert_eq!(cal.bands.iter().map(|b| b.count).collect::<Vec<_>>(), vec![1, 3, 1, 0]);
        assert_eq!(cal.bands[1].share_bp, 6_000);
        assert!(cal.small_group);
        assert!(cal.bands.iter().all(|b| !b.off_guideline), "a small group is never flagged");
        // Ten people, 5 in A against a 20 % guideline: 30 points off.
        let big = calibrate(&[0, 0, 0, 0, 0, 1, 1, 1, 2, 3], &[2_000, 4_000, 3_000, 1_000]);
        assert_eq!(big.bands.iter().map(|b| b.off_guideline).collect::<Vec<_>>(), vec![true, false, true, false]);
    }
}
