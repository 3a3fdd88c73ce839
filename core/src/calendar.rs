//! The fiscal calendar: periods of a fiscal year, their dates, keys and
//! labels. The one home of period handling for the engines, the app, the
//! CLI and the report.
//!
//! A fiscal year is named by the calendar year it starts in and starts on
//! the first day of the workspace's start month. Months and quarters are
//! fiscal: month 1 is the fiscal year's first month.

use crate::i18n::Lang;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Months in a fiscal year; index 0 is the fiscal year's first month.
pub const MONTHS: usize = 12;

/// A period of a fiscal year. Months and quarters are fiscal (1 = first):
/// month 1 is the fiscal start month. In a file: {"kind": "year"},
/// {"kind": "quarter", "n": 1–4} or {"kind": "month", "n": 1–12}.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", content = "n", rename_all = "snake_case")]
pub enum Period {
    Year,
    Quarter(u8),
    Month(u8),
}

impl Period {
    /// Month indices (0-based) the period covers.
    pub fn months(self) -> std::ops::Range<usize> {
        match self {
            Period::Year => 0..MONTHS,
            Period::Quarter(q) => {
                let q = q.clamp(1, 4) as usize;
                (q - 1) * 3..q * 3
            }
            Period::Month(m) => {
                let m = m.clamp(1, 12) as usize;
                m - 1..m
            }
        }
    }

    /// Does this period cover every month of `other`?
    pub fn contains(self, other: Period) -> bool {
        let (a, b) = (self.months(), other.months());
        b.start >= a.start && b.end <= a.end
    }

    pub fn valid(self) -> bool {
        match self {
            Period::Year => true,
            Period::Quarter(q) => (1..=4).contains(&q),
            Period::Month(m) => (1..=12).contains(&m),
        }
    }

    /// The 17 periods of a year in display order: Q1, M1–M3, Q2, …, Year.
    pub fn all() -> Vec<Period> {
        let mut v = Vec::new();
        for q in 1..=4u8 {
            v.push(Period::Quarter(q));
            for m in 0..3u8 {
                v.push(Period::Month((q - 1) * 3 + m + 1));
            }
        }
        v.push(Period::Year);
        v
    }

    /// The fiscal quarter of a fiscal month index (0-based).
    pub fn quarter_of_month(i: usize) -> Period {
        Period::Quarter((i.min(MONTHS - 1) / 3) as u8 + 1)
    }

    /// A short stable key for URLs and file names: "year", "q3", "m7".
    pub fn key(self) -> String {
        match self {
            Period::Year => "year".into(),
            Period::Quarter(q) => format!("q{q}"),
            Period::Month(m) => format!("m{m}"),
        }
    }

    /// Reads a [`Period::key`] back (case-insensitive); None for anything else.
    pub fn from_key(key: &str) -> Option<Period> {
        let k = key.trim().to_ascii_lowercase();
        let p = match k.as_str() {
            "year" | "y" | "fy" => Period::Year,
            _ if k.starts_with('q') => Period::Quarter(k[1..].parse().ok()?),
            _ if k.starts_with('m') => Period::Month(k[1..].parse().ok()?),
            _ => return None,
        };
        p.valid().then_some(p)
    }

    /// The report's code: "Year", "Q3", "M8" (fiscal numbering).
    pub fn code(self) -> String {
        match self {
            Period::Year => "Year".into(),
            Period::Quarter(q) => format!("Q{q}"),
            Period::Month(m) => format!("M{m}"),
        }
    }
}

/// Parses a fiscal period as scripts write it: "2026", "2026-Q3",
/// "2026-M8" / "2026-M08", "2026-FY".
pub fn parse_period(s: &str) -> Option<(i32, Period)> {
    let s = s.trim().to_ascii_uppercase();
    let (y, rest) = match s.split_once('-') {
        Some((y, r)) => (y, Some(r)),
        None => (s.as_str(), None),
    };
    let year: i32 = y.parse().ok().filter(|y| crate::limits::year_ok(*y))?;
    let period = match rest {
        None => Period::Year,
        Some(r) => Period::from_key(r)?,
    };
    Some((year, period))
}

/// The fiscal year (named by the calendar year it starts in) containing `date`.
pub fn fiscal_year_of(date: NaiveDate, start_month: u8) -> i32 {
    if date.month() >= start_month as u32 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// 0-based fiscal month of a date.
pub fn fiscal_month_index(d: NaiveDate, start_month: u8) -> usize {
    ((d.month() as i32 - start_month as i32).rem_euclid(12)) as usize
}

/// Calendar (year, month) of fiscal month index `i` (0-based).
pub fn calendar_month(year: i32, start_month: u8, i: usize) -> (i32, u32) {
    let m0 = start_month.clamp(1, 12) as usize - 1 + i;
    (year + (m0 / 12) as i32, (m0 % 12) as u32 + 1)
}

/// First day of fiscal month `i`.
pub fn month_start(year: i32, start_month: u8, i: usize) -> NaiveDate {
    let (y, m) = calendar_month(year, start_month, i);
    NaiveDate::from_ymd_opt(y, m, 1).expect("valid month")
}

/// First day of a period and the first day after it.
pub fn period_bounds(year: i32, start_month: u8, period: Period) -> (NaiveDate, NaiveDate) {
    let r = period.months();
    let start = month_start(year, start_month, r.start);
    let end = if r.end == MONTHS { month_start(year + 1, start_month, 0) } else { month_start(year, start_month, r.end) };
    (start, end)
}

/// Elapsed share of a period at `today`, as (elapsed days, total days).
pub fn elapsed(year: i32, start_month: u8, period: Period, today: NaiveDate) -> (i64, i64) {
    let (start, end) = period_bounds(year, start_month, period);
    let total = (end - start).num_days();
    let done = (today - start).num_days().clamp(0, total);
    (done, total)
}

/// Whole months from `from` to `to` (0 if `to` is earlier).
pub fn months_between(from: NaiveDate, to: NaiveDate) -> i64 {
    let m = (to.year() - from.year()) as i64 * 12 + to.month() as i64 - from.month() as i64;
    let m = if to.day() < from.day() { m - 1 } else { m };
    m.max(0)
}

/// The fiscal (year, period) of today's month.
pub fn current_month(today: NaiveDate, start_month: u8) -> (i32, Period) {
    (fiscal_year_of(today, start_month), Period::Month(fiscal_month_index(today, start_month) as u8 + 1))
}

/// The fiscal (year, quarter) today falls in.
pub fn current_quarter(today: NaiveDate, start_month: u8) -> (i32, Period) {
    (fiscal_year_of(today, start_month), Period::quarter_of_month(fiscal_month_index(today, start_month)))
}

/// The last `n` complete fiscal quarters before today, newest first
/// (they may reach into earlier fiscal years).
pub fn complete_quarters(today: NaiveDate, start_month: u8, n: usize) -> Vec<(i32, Period)> {
    let mut q = (fiscal_year_of(today, start_month), fiscal_month_index(today, start_month) / 3);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        q = if q.1 == 0 { (q.0 - 1, 3) } else { (q.0, q.1 - 1) };
        out.push((q.0, Period::Quarter(q.1 as u8 + 1)));
    }
    out
}

/// Complete fiscal quarters of today's fiscal year so far (0–3).
pub fn complete_quarters_this_year(today: NaiveDate, start_month: u8) -> usize {
    fiscal_month_index(today, start_month) / 3
}

/// The period a review opens on: the last complete quarter of today's
/// fiscal year, or Q1 while the first quarter is still running.
pub fn review_quarter(today: NaiveDate, start_month: u8) -> Period {
    Period::Quarter((complete_quarters_this_year(today, start_month) as u8).max(1))
}

const EN_MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A period as people read it: "Q1", a month by its calendar name ("4月" /
/// "Apr" for fiscal month 1 of a year starting in April), "全年" / "Year".
pub fn label(p: Period, year: i32, start_month: u8, lang: Lang) -> String {
    match p {
        Period::Year => lang.pick("全年", "Year").to_string(),
        Period::Quarter(q) => format!("Q{q}"),
        Period::Month(m) => {
            let (_, cm) = calendar_month(year, start_month, m as usize - 1);
            lang.pick(format!("{cm}月"), EN_MONTHS[cm as usize - 1].to_string())
        }
    }
}

/// The label with its fiscal year: "2026 Q3", "2026年4月" / "Apr 2026", "2026 全年" / "FY2026".
pub fn label_with_year(p: Period, year: i32, start_month: u8, lang: Lang) -> String {
    match p {
        Period::Year => lang.pick(format!("{year} 财年"), format!("FY{year}")),
        Period::Quarter(q) => lang.pick(format!("{year} 财年 Q{q}"), format!("FY{year} Q{q}")),
        Period::Month(m) => {
            let (cy, cm) = calendar_month(year, start_month, m as usize - 1);
            lang.pick(format!("{cy}年{cm}月"), format!("{} {cy}", EN_MONTHS[cm as usize - 1]))
        }
    }
}

/// (key, label) of every period of a fiscal year, for selects.
pub fn choices(year: i32, start_month: u8, lang: Lang) -> Vec<(String, String)> {
    Period::all().into_iter().map(|p| (p.key(), label(p, year, start_month, lang))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn fiscal_calendar() {
        assert_eq!(fiscal_year_of(d(2026, 3, 31), 4), 2025);
        assert_eq!(fiscal_year_of(d(2026, 4, 1), 4), 2026);
        assert_eq!(calendar_month(2026, 4, 11), (2027, 3));
        assert_eq!(Period::Quarter(2).months(), 3..6);
        assert_eq!(Period::all().len(), 17);
        // Half of Q1 of a January year gone on 15 Feb (31 + 14 of 90 days).
        assert_eq!(elapsed(2026, 1, Period::Quarter(1), d(2026, 2, 15)), (45, 90));
        assert_eq!(elapsed(2026, 1, Period::Year, d(2025, 6, 1)), (0, 365));
        assert_eq!(months_between(d(2024, 1, 31), d(2024, 2, 29)), 0);
        assert_eq!(months_between(d(2024, 1, 15), d(2026, 1, 15)), 24);
    }

    #[test]
    fn labels_name_the_calendar_month_of_a_fiscal_month() {
        // A fiscal year starting in April: fiscal M1 is April, M10 is January of the next year.
        assert_eq!(label(Period::Month(1), 2026, 4, Lang::Zh), "4月");
        assert_eq!(label(Period::Month(10), 2026, 4, Lang::En), "Jan");
        assert_eq!(label_with_year(Period::Month(10), 2026, 4, Lang::En), "Jan 2027");
        assert_eq!(label_with_year(Period::Month(10), 2026, 4, Lang::Zh), "2027年1月");
        assert_eq!(label(Period::Quarter(3), 2026, 4, Lang::Zh), "Q3");
        assert_eq!(label(Period::Year, 2026, 4, Lang::En), "Year");
    }

    #[test]
    fn keys_and_codes_round_trip() {
        for p in Period::all() {
            assert_eq!(Period::from_key(&p.key()), Some(p));
            assert_eq!(Period::from_key(&p.code()), Some(p));
            assert_eq!(parse_period(&format!("2026-{}", p.code())), Some((2026, p)));
        }
        assert_eq!(parse_period("2026-M08"), Some((2026, Period::Month(8))));
        assert_eq!(parse_period("2026"), Some((2026, Period::Year)));
        assert_eq!(parse_period("2026-Q5"), None);
        assert_eq!(parse_period("1999-Q1"), None);
        assert_eq!(Period::from_key("m13"), None);
    }

    #[test]
    fn complete_quarters_walk_back_across_years() {
        // 15 Feb 2027 in a year starting in April: fiscal 2026, month 11 (Q4 running).
        assert_eq!(
            complete_quarters(d(2027, 2, 15), 4, 4),
            vec![(2026, Period::Quarter(3)), (2026, Period::Quarter(2)), (2026, Period::Quarter(1)), (2025, Period::Quarter(4))]
        );
        assert_eq!(complete_quarters_this_year(d(2027, 2, 15), 4), 3);
        assert_eq!(review_quarter(d(2026, 1, 5), 1), Period::Quarter(1));
        assert_eq!(review_quarter(d(2026, 8, 5), 1), Period::Quarter(2));
        assert_eq!(current_quarter(d(2026, 12, 1), 1), (2026, Period::Quarter(4)));
    }
}
