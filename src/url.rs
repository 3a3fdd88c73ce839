//! Page state kept in the URL query, so that back / forward, a reload and a
//! copied link show the same view. The query is the one source of such a
//! value: a page reads it through a memo and a choice writes it (a history
//! entry, so back undoes it). A value that does not read (an unknown
//! period, an id that is not there) falls back to the page's default.
//!
//! Keys: `as` (view as, every page) and `year` (fiscal year, every page),
//! `period` (forecast, scorecards, payouts, pipeline), `unit` (customers,
//! pipeline), `view` (pipeline: `kanban`), `person` (payouts' statement).

use crate::state::use_app;
use leptos::prelude::*;
use leptos_router::hooks::query_signal;
use sales_tiers_core::calendar::Period;
use sales_tiers_core::Id;

pub const AS: &str = "as";
pub const YEAR: &str = "year";
pub const PERIOD: &str = "period";
pub const UNIT: &str = "unit";
pub const VIEW: &str = "view";
pub const PERSON: &str = "person";

/// A value kept in the query under `key`: `read` reads the raw text (None,
/// or a text it refuses, gives `default`), `write` gives the text to store
/// (None removes the key). Returns the value and a setter for choices.
pub fn query_state<V>(
    key: &'static str,
    read: impl Fn(&str) -> Option<V> + Send + Sync + 'static,
    default: impl Fn() -> V + Send + Sync + 'static,
    write: impl Fn(&V) -> Option<String> + Send + Sync + 'static,
) -> (Memo<V>, Callback<V>)
where
    V: Clone + PartialEq + Send + Sync + 'static,
{
    let (raw, set) = query_signal::<String>(key);
    let value = Memo::new(move |_| raw.with(|r| r.as_deref().and_then(&read)).unwrap_or_else(&default));
    (value, Callback::new(move |v: V| set.set(write(&v))))
}

/// A fiscal period in the query ("q3", "m7", "year").
pub fn period_state(default: impl Fn() -> Period + Send + Sync + 'static) -> (Memo<Period>, Callback<Period>) {
    query_state(PERIOD, Period::from_key, default, |p| Some(p.key()))
}

/// A unit filter in the query (None, "all units", leaves the key out); an
/// id that is not a unit of the workspace reads as "all units".
pub fn unit_state() -> (Memo<Option<Id>>, Callback<Option<Id>>) {
    let s = use_app();
    let read = move |v: &str| Some(Id::parse(v).filter(|id| s.ws.with(|w| w.units.contains_key(id))));
    query_state(UNIT, read, || None, |u| u.map(|id| id.to_string()))
}

/// A year as the query may hold it: a plain four-digit fiscal year.
pub fn read_year(s: &str) -> Option<i32> {
    s.parse().ok().filter(|y| (2000..=2200).contains(y))
}
