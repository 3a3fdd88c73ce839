//! Reading days and instants as chrono does, the forms this app writes
//! (`2026-12-01`, `2026-12-01T09:30:00Z`, `…:00.250Z`) without chrono's
//! general parser: opening a workspace reads every deal's dates, and the
//! general parser took a fifth of the records' decoding at 1,000 people.
//! Any other text goes to chrono as before, errors and all. Used as
//! `#[serde(deserialize_with = "…")]` on the model's dates; [`fast_or`] also
//! reads ids (`model::Id`).

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::de::{self, value::StrDeserializer, Deserialize, Deserializer, Visitor};
use std::fmt;

/// `n` ASCII digits at `b[at..]`, as a number.
fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    b.get(at..at + n)?.iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
}

/// `YYYY-MM-DD` at the start of `b`.
fn day_at(b: &[u8]) -> Option<NaiveDate> {
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(b, 0, 4)? as i32, digits(b, 5, 2)?, digits(b, 8, 2)?)
}

/// Exactly `YYYY-MM-DD`.
fn fast_day(s: &str) -> Option<NaiveDate> {
    (s.len() == 10).then(|| day_at(s.as_bytes())).flatten()
}

/// Exactly `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1 to 9 digits,
/// then `Z`. Leap seconds and every other form: None.
fn fast_instant(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() < 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[b.len() - 1] != b'Z' {
        return None;
    }
    let day = day_at(b)?;
    let nanos = match &b[19..b.len() - 1] {
        [] => 0,
        [b'.', frac @ ..] if (1..=9).contains(&frac.len()) => digits(frac, 0, frac.len())? * 10u32.pow(9 - frac.len() as u32),
        _ => return None,
    };
    let time = NaiveTime::from_hms_nano_opt(digits(b, 11, 2)?, digits(b, 14, 2)?, digits(b, 17, 2)?, nanos)?;
    Some(day.and_time(time).and_utc())
}

/// Reads a string as `T`: `fast` for the forms this app writes, `T`'s own
/// reading (its value or its error) for any other.
pub(crate) fn fast_or<'de, D: Deserializer<'de>, T: for<'a> Deserialize<'a>>(
    d: D,
    expecting: &'static str,
    fast: fn(&str) -> Option<T>,
) -> Result<T, D::Error> {
    struct Text<T> {
        expecting: &'static str,
        fast: fn(&str) -> Option<T>,
    }
    impl<T: for<'a> Deserialize<'a>> Visitor<'_> for Text<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
            match (self.fast)(s) {
                Some(v) => Ok(v),
                None => T::deserialize(StrDeserializer::<E>::new(s)),
            }
        }
    }
    d.deserialize_str(Text { expecting, fast })
}

struct Day(NaiveDate);

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        fast_or(d, "a formatted date string", fast_day).map(Day)
    }
}

/// A `NaiveDate` field.
pub fn day<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    Day::deserialize(d).map(|x| x.0)
}

/// An `Option<NaiveDate>` field (null: None).
pub fn opt_day<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    Option::<Day>::deserialize(d).map(|x| x.map(|x| x.0))
}

/// A `DateTime<Utc>` field.
pub fn instant<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    fast_or(d, "an RFC 3339 formatted date and time string", fast_instant)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Ours {
        #[serde(deserialize_with = "day")]
        d: NaiveDate,
        #[serde(default, deserialize_with = "opt_day")]
        o: Option<NaiveDate>,
        #[serde(deserialize_with = "instant")]
        t: DateTime<Utc>,
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Chrono {
        d: NaiveDate,
        #[serde(default)]
        o: Option<NaiveDate>,
        t: DateTime<Utc>,
    }

    /// Both readings of `json`: the same record, or the same error.
    fn same(json: &str) -> Result<(), TestCaseError> {
        let ours = serde_json::from_str::<Ours>(json).map(|x| (x.d, x.o, x.t)).map_err(|e| e.to_string());
        let chrono = serde_json::from_str::<Chrono>(json).map(|x| (x.d, x.o, x.t)).map_err(|e| e.to_string());
        prop_assert_eq!(ours, chrono, "{}", json);
        Ok(())
    }

    fn record(d: &str, o: &str, t: &str) -> String {
        format!("{{\"d\":{},\"o\":{o},\"t\":{}}}", serde_json::to_string(d).unwrap(), serde_json::to_string(t).unwrap())
    }

    proptest! {
        /// What chrono writes reads back the same, to the nanosecond.
        #[test]
        fn reads_what_chrono_writes(secs in -62_000_000_000i64..250_000_000_000, nanos in 0u32..1_000_000_000, cut in 0u32..4) {
            let nanos = nanos - nanos % 10u32.pow(3 * cut);
            let t = DateTime::from_timestamp(secs, nanos).unwrap();
            let json = format!(
                "{{\"d\":{},\"o\":{},\"t\":{}}}",
                serde_json::to_string(&t.date_naive()).unwrap(),
                serde_json::to_string(&Some(t.date_naive())).unwrap(),
                serde_json::to_string(&t).unwrap()
            );
            same(&json)?;
            let ours: Ours = serde_json::from_str(&json).unwrap();
            prop_assert_eq!((ours.d, ours.o, ours.t), (t.date_naive(), Some(t.date_naive()), t));
        }

        /// Near-forms (digits and separators shuffled, impossible days and
        /// times, offsets, spaces): what chrono reads, or chrono's error.
        #[test]
        fn anything_else_as_chrono_does(d in "[0-9]{4}-[0-9]{2}-[0-9]{2}|[-0-9+ T:]{8,12}", t in "[0-9]{4}-[0-9]{2}-[0-9]{2}[T t][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,11})?(Z|z|[+-][0-9]{2}:[0-9]{2})?|[-0-9.:TZ ]{18,26}") {
            same(&record(&d, "null", &t))?;
            same(&record("2026-02-01", &serde_json::to_string(&d).unwrap(), "2026-02-01T00:00:00Z"))?;
        }
    }

    #[test]
    fn edge_cases_as_chrono() {
        for (d, t) in [
            ("2026-02-29", "2026-02-28T23:59:60Z"),
            ("2024-02-29", "2024-02-29T23:59:60.5Z"),
            ("0000-01-01", "9999-12-31T23:59:59.999999999Z"),
            ("+12026-01-01", "2026-13-01T00:00:00Z"),
            ("2026-1-01", "2026-01-01T24:00:00Z"),
            ("2026-01-01 ", "2026-01-01T00:00:00.Z"),
        ] {
            same(&record(d, "null", t)).unwrap();
        }
        for wrong in ["7", "null", "[]"] {
            same(&format!("{{\"d\":{wrong},\"t\":\"2026-01-01T00:00:00Z\"}}")).unwrap();
            same(&format!("{{\"d\":\"2026-01-01\",\"o\":{wrong},\"t\":\"2026-01-01T00:00:00Z\"}}")).unwrap();
            same(&format!("{{\"d\":\"2026-01-01\",\"t\":{wrong}}}")).unwrap();
        }
    }
}
