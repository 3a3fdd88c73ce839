//! Exact arithmetic every engine shares: the one rounding rule, exact
//! splits, ratios, overflow-free sums, and how numbers are written.
//!
//! **The rounding rule**: whenever a figure is divided, it is rounded once,
//! half to even, to the unit it is kept in (the minor unit for money, the
//! basis point for rates and scores, a tenth of a percent for a displayed
//! percentage). Everything that rounds calls [`div_round`]. Splits that must
//! add up to their total (targets, budgets, bonus pools) use the largest
//! remainder ([`split_exact`]) and say so where they are explained.
//!
//! Comparisons against a threshold ("attainment ≥ 50 %", "off track at 10 %
//! behind") are made on the exact values ([`reaches`]), never on a rounded
//! figure.

use crate::sort::Arrange;

/// n ÷ d rounded half to even. `d` must not be zero; a negative `d` is
/// handled like a negative `n`.
pub fn div_round(n: i128, d: i128) -> i128 {
    assert!(d != 0, "division by zero");
    let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
    let q = n.div_euclid(d);
    let r = n.rem_euclid(d);
    let up = match (2 * r).cmp(&d) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Equal => q % 2 != 0,
        std::cmp::Ordering::Less => false,
    };
    q + i128::from(up)
}

/// [`div_round`] into an `i64`, saturating at its bounds (only reachable
/// with inputs far beyond the document's limits).
pub fn round_i64(n: i128, d: i128) -> i64 {
    clamp_i64(div_round(n, d))
}

/// An i128 brought back into i64, saturating.
pub fn clamp_i64(v: i128) -> i64 {
    v.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

/// Σ of i64 values without overflow.
pub fn sum<I: IntoIterator<Item = i64>>(values: I) -> i128 {
    values.into_iter().map(i128::from).sum()
}

/// n × scale ÷ d, rounded (see [`div_round`]); None unless d > 0. With
/// scale 10,000 this is a ratio in basis points.
pub fn ratio(n: i64, d: i64, scale: i64) -> Option<i64> {
    (d > 0).then(|| round_i64(n as i128 * scale as i128, d as i128))
}

/// actual ÷ target in basis points (10,000 = 100 %), rounded; None without
/// a positive target. The one attainment formula.
pub fn attainment_bp(actual: i64, target: i64) -> Option<i64> {
    ratio(actual, target, 10_000)
}

/// Is n ÷ d at least `bp` basis points? Exact, no rounding (d > 0).
pub fn reaches(n: i64, d: i64, bp: i64) -> bool {
    n as i128 * 10_000 >= bp as i128 * d as i128
}

/// `bp` basis points of `amount`, rounded to its unit.
pub fn apply_bp(amount: i64, bp: i64) -> i64 {
    round_i64(amount as i128 * bp as i128, 10_000)
}

/// Splits `total` in proportion to `weights` so the parts sum to exactly
/// `total` (largest remainder): each part is rounded down, then the units
/// left over go one by one to the largest remainders (ties to the earlier
/// part). All-zero weights split equally.
pub fn split_exact(total: i64, weights: &[u128]) -> Vec<i64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let equal: Vec<u128>;
    let w: &[u128] = if weights.iter().all(|x| *x == 0) {
        equal = vec![1; weights.len()];
        &equal
    } else {
        weights
    };
    let sum: u128 = w.iter().sum();
    let neg = total < 0;
    let t = total.unsigned_abs() as u128;
    let mut parts: Vec<i64> = Vec::with_capacity(w.len());
    let mut rems: Vec<(u128, usize)> = Vec::with_capacity(w.len());
    let mut given: u128 = 0;
    for (i, wi) in w.iter().enumerate() {
        let exact = t * wi;
        let q = exact / sum;
        parts.push(q as i64);
        rems.push((exact % sum, i));
        given += q;
    }
    let mut left = t - given;
    rems.arrange_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in rems {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    if neg {
        parts.iter_mut().for_each(|p| *p = -*p);
    }
    parts
}

/// Like [`split_exact`], but money is split in whole currency units (the
/// parts are multiples of 100 minor units); stray cents of the total go to
/// the first part, so the sum is still exact.
pub fn split_whole(total: i64, weights: &[u128], money: bool) -> Vec<i64> {
    if !money {
        return split_exact(total, weights);
    }
    let mut parts: Vec<i64> = split_exact(total.div_euclid(100), weights).into_iter().map(|p| p * 100).collect();
    if let Some(first) = parts.first_mut() {
        *first += total.rem_euclid(100);
    }
    parts
}

/// Adds `b` into `a` element by element (month arrays).
pub fn add_each(a: &mut [i64], b: &[i64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

// ---------------------------------------------------------------- writing numbers

/// Digits grouped by thousands: "1,234,567", "-12,000".
pub fn group(v: i128) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if v < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A value kept in hundredths written with one decimal, rounded:
/// 12,345 → "123.5" (basis points as points or percent); a value that
/// rounds to zero is written "0.0", never "-0.0".
pub fn hundredths_1dp(v: i64) -> String {
    let tenths = round_i64(v as i128, 10);
    tenths_1dp(tenths)
}

/// A value kept in tenths written with one decimal: 867 → "86.7".
pub fn tenths_1dp(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let a = tenths.unsigned_abs();
    format!("{sign}{}.{}", group((a / 10) as i128), a % 10)
}

/// Basis points as points with one decimal: 10,250 → "102.5" (a score, or
/// a percentage without its sign).
pub fn points(bp: i64) -> String {
    hundredths_1dp(bp)
}

/// A percentage with one decimal from an exact ratio: (2, 3) → "66.7%".
/// None unless d > 0. Rounded once, from the exact value.
pub fn percent(n: i64, d: i64) -> Option<String> {
    ratio(n, d, 1_000).map(|t| format!("{}%", tenths_1dp(t)))
}

/// Basis points as a percentage with one decimal: 8,667 → "86.7%".
pub fn percent_bp(bp: i64) -> String {
    format!("{}%", points(bp))
}

/// A rate in basis points written exactly, trailing zeros trimmed:
/// 800 → "8%", 250 → "2.5%", 5 → "0.05%".
pub fn rate(bp: i64) -> String {
    format!("{}%", hundredths(i128::from(bp)))
}

/// A value kept in hundredths written exactly, trailing zeros trimmed:
/// 10,245 → "102.45", 51,200 → "512", 5 → "0.05".
pub fn hundredths(v: i128) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    let frac = format!("{:02}", a % 100);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{sign}{}", group((a / 100) as i128))
    } else {
        format!("{sign}{}.{frac}", group((a / 100) as i128))
    }
}

/// A multiple kept in percent (300 = 3×) with one decimal: 325 → "3.3×"
/// (3.25 rounds half to even to 3.2).
pub fn multiple(pct: i64) -> String {
    format!("{}×", tenths_1dp(round_i64(pct as i128, 10)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rounding_is_half_to_even_everywhere() {
        assert_eq!([div_round(5, 2), div_round(7, 2), div_round(-5, 2), div_round(-7, 2)], [2, 4, -2, -4]);
        assert_eq!(div_round(26, 10), 3);
        assert_eq!(div_round(24, 10), 2);
        assert_eq!(div_round(5, -2), -2);
        // 2.5 % of 1.00 = 0.025 → 0.02; of 3.00 = 0.075 → 0.08.
        assert_eq!((apply_bp(100, 250), apply_bp(300, 250)), (2, 8));
    }

    #[test]
    fn percentages_are_rounded_not_truncated() {
        // 86.666…% is 86.7 %, not 86.6 %.
        assert_eq!(percent(2_600, 3_000).as_deref(), Some("86.7%"));
        assert_eq!(attainment_bp(2_600, 3_000), Some(8_667));
        assert_eq!(percent_bp(8_667), "86.7%");
        assert_eq!(percent(1, 0), None);
        assert_eq!(points(10_250), "102.5");
        assert_eq!(points(10_249), "102.5");
        assert_eq!(points(10_245), "102.4", "102.45 → half to even");
        assert_eq!(points(-4), "0.0");
        assert_eq!(percent(-1, 3).as_deref(), Some("-33.3%"));
        assert_eq!(points(1_234_567), "12,345.7");
    }

    #[test]
    fn rates_are_exact() {
        assert_eq!([rate(800), rate(250), rate(5), rate(10_000), rate(0)], ["8%", "2.5%", "0.05%", "100%", "0%"]);
        assert_eq!(multiple(325), "3.2×");
        assert_eq!(multiple(335), "3.4×");
        assert_eq!(group(-1_234_567), "-1,234,567");
    }

    #[test]
    fn exact_gates() {
        assert!(!reaches(4_999_999, 10_000_000, 5_000));
        assert!(reaches(5_000_000, 10_000_000, 5_000));
        // 49.995 % rounds to 5,000 bp but does not reach 50 %.
        assert_eq!(attainment_bp(49_995, 100_000), Some(5_000));
        assert!(!reaches(49_995, 100_000, 5_000));
    }

    proptest! {
        #[test]
        fn split_exact_adds_up(total in -1_000_000_000_000i64..1_000_000_000_000, w in proptest::collection::vec(0u128..1_000_000, 1..20)) {
            let parts = split_exact(total, &w);
            prop_assert_eq!(parts.iter().map(|p| *p as i128).sum::<i128>(), total as i128);
            let whole = split_whole(total, &w, true);
            prop_assert_eq!(whole.iter().map(|p| *p as i128).sum::<i128>(), total as i128);
            prop_assert!(whole.iter().skip(1).all(|p| p % 100 == 0));
        }

        #[test]
        fn div_round_is_within_half(n in -1_000_000_000_000i128..1_000_000_000_000, d in 1i128..1_000_000) {
            let q = div_round(n, d);
            prop_assert!((q * d - n).abs() * 2 <= d);
        }
    }
}
