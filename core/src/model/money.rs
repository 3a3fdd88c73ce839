//! Exact money: integer minor units (fen / cents). Never `f64`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount in minor units (1/100 of the currency unit). Serialised as a
/// JSON integer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(pub i64);

/// Largest amount accepted from a user: 10^15 currency units. Anything
/// larger is treated as a typo, not a plan.
pub const MAX_MONEY_UNITS: i64 = 1_000_000_000_000_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MoneyParseError {
    Empty,
    NotANumber,
    TooManyDecimals,
    TooLarge,
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn from_units(units: i64) -> Money {
        Money(units * 100)
    }

    pub fn minor(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, o: Money) -> Option<Money> {
        self.0.checked_add(o.0).map(Money)
    }

    /// Parses "1,234.5", "1234", "-12.05", "¥1 000". At most two decimals.
    /// Thousands separators (comma, space, full-width comma, underscore)
    /// must sit between groups of three digits: "1,2,3" is refused, not
    /// read as 123.
    pub fn parse(s: &str) -> Result<Money, MoneyParseError> {
        let t: String = s.trim().chars().filter(|c| !matches!(c, '¥' | '￥' | '$')).collect();
        let t = t.trim();
        if t.is_empty() {
            return Err(MoneyParseError::Empty);
        }
        if !grouping_ok(t) {
            return Err(MoneyParseError::NotANumber);
        }
        let cleaned: String = t.chars().filter(|c| !is_separator(*c)).collect();
        let (neg, body) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, cleaned.as_str()),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(MoneyParseError::NotANumber);
        }
        if !int_part.chars().all(|c| c.is_ascii_digit()) || !frac_part.chars().all(|c| c.is_ascii_digit()) {
            return Err(MoneyParseError::NotANumber);
        }
        if frac_part.len() > 2 {
            return Err(MoneyParseError::TooManyDecimals);
        }
        if int_part.len() > 16 {
            return Err(MoneyParseError::TooLarge);
        }
        let units: i64 = if int_part.is_empty() { 0 } else { int_part.parse().map_err(|_| MoneyParseError::TooLarge)? };
        if units > MAX_MONEY_UNITS {
            return Err(MoneyParseError::TooLarge);
        }
        let mut frac: i64 = if frac_part.is_empty() { 0 } else { frac_part.parse().map_err(|_| MoneyParseError::NotANumber)? };
        if frac_part.len() == 1 {
            frac *= 10;
        }
        let minor = units * 100 + frac;
        Ok(Money(if neg { -minor } else { minor }))
    }
}

pub(crate) fn is_separator(c: char) -> bool {
    matches!(c, ',' | ' ' | '_' | '，')
}

/// Separators only between groups of three digits of the integer part.
pub(crate) fn grouping_ok(t: &str) -> bool {
    let body = t.strip_prefix('-').unwrap_or(t);
    let int = body.split_once('.').map(|(i, _)| i).unwrap_or(body);
    if body.split_once('.').is_some_and(|(_, f)| f.chars().any(is_separator)) {
        return false;
    }
    let groups: Vec<&str> = int.split(is_separator).collect();
    groups.len() == 1 || (!groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3))
}

/// What is wrong with a typed amount, in words.
pub fn parse_error_message(e: &MoneyParseError, lang: crate::i18n::Lang) -> String {
    match e {
        MoneyParseError::Empty => lang.pick("请填写金额", "enter an amount").into(),
        MoneyParseError::NotANumber => lang
            .pick(
                "不是有效的金额（例如 1,234,567.89；千位分隔符须每三位一组）",
                "not an amount (e.g. 1,234,567.89; thousands separators go every three digits)",
            )
            .into(),
        MoneyParseError::TooManyDecimals => lang.pick("金额最多 2 位小数", "an amount has at most 2 decimals").into(),
        MoneyParseError::TooLarge => lang.pick(
            format!("金额过大：最多 {}", crate::num::group(i128::from(MAX_MONEY_UNITS))),
            format!("too large: at most {}", crate::num::group(i128::from(MAX_MONEY_UNITS))),
        ),
    }
}

impl Money {
    /// A plain decimal for files and scripts: no grouping, two decimals,
    /// a leading minus: "1200000.50", "-6000.00".
    pub fn plain(self) -> String {
        let a = self.0.unsigned_abs();
        format!("{}{}.{:02}", if self.0 < 0 { "-" } else { "" }, a / 100, a % 100)
    }

    /// For people to read beside a formula: grouped, two decimals, and a
    /// true minus sign like the formula's own ("−2,124.19"). `Display`
    /// keeps the ASCII "-" that files and spreadsheets read back.
    pub fn shown(self) -> String {
        let abs = self.0.unsigned_abs();
        format!("{}{}.{:02}", if self.0 < 0 { "−" } else { "" }, crate::num::group((abs / 100) as i128), abs % 100)
    }
}

impl fmt::Display for Money {
    /// "1,234,567.89" — grouping by thousands, always two decimals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let abs = self.0.unsigned_abs();
        let units = crate::num::group((abs / 100) as i128);
        write!(f, "{}{}.{:02}", if self.0 < 0 { "-" } else { "" }, units, abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_common_forms() {
        assert_eq!(Money::parse("1,234.5"), Ok(Money(123_450)));
        assert_eq!(Money::parse("¥1 000"), Ok(Money(100_000)));
        assert_eq!(Money::parse("-12.05"), Ok(Money(-1205)));
        assert_eq!(Money::parse(".5"), Ok(Money(50)));
        assert_eq!(Money::parse(""), Err(MoneyParseError::Empty));
        assert_eq!(Money::parse("12.345"), Err(MoneyParseError::TooManyDecimals));
        assert_eq!(Money::parse("1e5"), Err(MoneyParseError::NotANumber));
        assert_eq!(Money::parse("99999999999999999999"), Err(MoneyParseError::TooLarge));
        // Separators only between groups of three.
        assert_eq!(Money::parse("1,2,3"), Err(MoneyParseError::NotANumber));
        assert_eq!(Money::parse("12,34"), Err(MoneyParseError::NotANumber));
        assert_eq!(Money::parse(",123"), Err(MoneyParseError::NotANumber));
        assert_eq!(Money::parse("1.2,3"), Err(MoneyParseError::NotANumber));
        assert_eq!(Money::parse("12,345,678.9"), Ok(Money(1_234_567_890)));
        assert_eq!(Money::parse("-1 000 000"), Ok(Money(-100_000_000)));
        assert_eq!(Money::parse("1，000"), Ok(Money(100_000)));
    }

    #[test]
    fn formats_with_grouping() {
        assert_eq!(Money(123_456_789).to_string(), "1,234,567.89");
        assert_eq!(Money(-5).to_string(), "-0.05");
        assert_eq!(Money(100_000).to_string(), "1,000.00");
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(minor in -(MAX_MONEY_UNITS * 100)..(MAX_MONEY_UNITS * 100)) {
            let m = Money(minor);
            prop_assert_eq!(Money::parse(&m.to_string()), Ok(m));
        }
    }
}
