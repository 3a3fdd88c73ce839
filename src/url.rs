//! Page state kept in the URL query, so that back / forward, a reload and a
//! copied link show the same view. The query is the one source of such a
//! value: a page reads it through a memo and a choice writes it (a history
//! entry, so back undoes it). A value that does not read (an unknown
//! period, an id that is not there) falls back to the page's default.
//!
//! Keys: `as` (view as, every page) and `year` (fiscal year, every page),
//! `period` (forecast, scorecards, payouts, pipeline), `unit` (customers,
//! pipeline, people), `view` (a page's other view: `kanban` on pipeline,
//! `months` on targets, `table` on the organisation's monthly chart and
//! the org chart, `funnel-table` on forecast), `person` (payouts'
//! statement); the long lists (customers, pipeline, people) keep their
//! search `q`, filters (`stage`, `status`, `segment`, `key`, `tier`,
//! `grade`), `sort` (a column, `-` first for descending) and `page`.

use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::calendar::Period;
use sales_tiers_core::Id;

pub const AS: &str = "as";
pub const YEAR: &str = "year";
pub const PERIOD: &str = "period";
pub const UNIT: &str = "unit";
pub const VIEW: &str = "view";
pub const PERSON: &str = "person";
pub const Q: &str = "q";
pub const STAGE: &str = "stage";
pub const STATUS: &str = "status";
pub const SEGMENT: &str = "segment";
pub const KEY: &str = "key";
pub const TIER: &str = "tier";
pub const GRADE: &str = "grade";
pub const SORT: &str = "sort";
pub const PAGE: &str = "page";

/// A value kept in the link's query and the setter for a choice of it.
pub type QueryState<V> = (Memo<V>, Callback<V>);

/// A value kept in the query under `key`: `read` reads the raw text (None,
/// or a text it refuses, gives `default`), `write` gives the text to store
/// (None removes the key). Returns the value and a setter for choices.
pub fn query_state<V>(
    key: &'static str,
    read: impl Fn(&str) -> Option<V> + Send + Sync + 'static,
    default: impl Fn() -> V + Send + Sync + 'static,
    write: impl Fn(&V) -> Option<String> + Send + Sync + 'static,
) -> QueryState<V>
where
    V: Clone + PartialEq + Send + Sync + 'static,
{
    let (raw, set) = query_value(key, false);
    let value = Memo::new(move |_| raw.with(|r| r.as_deref().and_then(&read)).unwrap_or_else(&default));
    (value, Callback::new(move |v: V| set.run(write(&v))))
}

/// A page's other view (`view=<value>` in the query), off by default:
/// whether it is chosen, and a setter.
pub fn view_flag(value: &'static str) -> QueryState<bool> {
    query_state(VIEW, move |v| Some(v == value), || false, move |on| on.then(|| value.to_string()))
}

/// The raw text under `key` in the query, and a setter (None removes the
/// key). Every setter of every key writes through one queue: the choices
/// made in one task become one navigation, applied to the URL as it is
/// *then*. (The router's own `query_signal` takes the URL when the value is
/// set: a search written to the URL in between was then taken back by a
/// stale copy, and the text being typed with it.)
///
/// A choice reads at once: the page draws it in the task that made it, and
/// the URL is written after that frame is painted (the history write is
/// about a third of a filter change's work at 1,000 people).
pub fn query_value(key: &'static str, replace: bool) -> QueryState<Option<String>> {
    let location = leptos_router::hooks::use_location();
    let navigate = leptos_router::hooks::use_navigate();
    let raw = Memo::new(move |_| {
        QUEUED.with(ArcTrigger::track);
        // The URL is read (and tracked) even while a choice stands in for
        // it: a link to this page with another query must reach the page
        // once the choice is written.
        let in_url = location.query.with(|q| q.get_str(key).map(str::to_string));
        let queued = location.pathname.with(|path| QUERY_QUEUE.with_borrow(|q| q.value(path, key)));
        queued.unwrap_or(in_url)
    });
    let set = Callback::new(move |value: Option<String>| {
        let path = location.pathname.get_untracked();
        let first = QUERY_QUEUE.with_borrow_mut(|q| {
            let first = q.writes.is_empty();
            if first {
                q.path = path;
                q.replace = true;
            }
            q.replace &= replace;
            q.writes.push((key, value));
            first
        });
        QUEUED.with(ArcTrigger::notify);
        if !first {
            return;
        }
        let (location, navigate) = (location.clone(), navigate.clone());
        // After the frame that draws the choice.
        crate::browser::after_next_paint(move || write_queue(location, navigate));
    });
    (raw, set)
}

/// Writes the queued choices to the URL (see [`query_value`]).
fn write_queue(location: leptos_router::location::Location, navigate: impl Fn(&str, leptos_router::NavigateOptions)) {
    // Taken without a notice: the keys read the same from the URL once it
    // is written, and the URL's own change re-reads them.
    let queued = QUERY_QUEUE.with_borrow_mut(std::mem::take);
    // Dropped by a Back or Forward, or the page left meanwhile: its
    // choices do not belong to the entry shown now.
    if queued.writes.is_empty() || queued.path != location.pathname.get_untracked() {
        return;
    }
    let before = location.query.get_untracked();
    let mut query = before.clone();
    for (k, v) in queued.writes {
        match v {
            Some(v) => query.replace(k, v),
            None => {
                query.remove(k);
            }
        }
    }
    // Nothing changes: no navigation, no history entry.
    if query.to_query_string() == before.to_query_string() {
        return;
    }
    let options = leptos_router::NavigateOptions { replace: queued.replace, scroll: false, ..Default::default() };
    navigate(&format!("{}{}{}", queued.path, query.to_query_string(), location.hash.get_untracked()), options);
}

/// Query choices waiting to be written to the URL (see [`query_value`]).
#[derive(Default)]
struct QueryQueue {
    path: String,
    /// Replace the history entry: only if every write asked to.
    replace: bool,
    writes: Vec<(&'static str, Option<String>)>,
}

impl QueryQueue {
    /// What `key` will read on `path` once the queue is written: the last
    /// choice for it (`Some(None)`: removed), None if there is none.
    fn value(&self, path: &str, key: &str) -> Option<Option<String>> {
        if self.path != path {
            return None;
        }
        self.writes.iter().rev().find(|(k, _)| *k == key).map(|(_, v)| v.clone())
    }
}

thread_local! {
    static QUERY_QUEUE: std::cell::RefCell<QueryQueue> = std::cell::RefCell::new(QueryQueue::default());
    /// Tells the keys' readers that the queue's choices changed.
    static QUEUED: ArcTrigger = ArcTrigger::new();
}

/// Drops the choices not yet written to the URL, and what they read as.
fn drop_queue() {
    QUERY_QUEUE.with_borrow_mut(|q| *q = QueryQueue::default());
    QUEUED.with(ArcTrigger::notify);
}

/// A fiscal period in the query ("q3", "m7", "year").
pub fn period_state(default: impl Fn() -> Period + Send + Sync + 'static) -> QueryState<Period> {
    query_state(PERIOD, Period::from_key, default, |p| Some(p.key()))
}

/// A unit filter in the query (None, "all units", leaves the key out); an
/// id that is not a unit of the workspace reads as "all units".
pub fn unit_state() -> QueryState<Option<Id>> {
    let s = use_app();
    let read = move |v: &str| Some(Id::parse(v).filter(|id| s.ws.with(|w| w.units.contains_key(id))));
    query_state(UNIT, read, || None, |u| u.map(|id| id.to_string()))
}

/// A year as the query may hold it: a plain four-digit fiscal year.
pub fn read_year(s: &str) -> Option<i32> {
    s.parse().ok().filter(|y| (2000..=2200).contains(y))
}

/// How long typing pauses before the search text is written to the URL.
const SEARCH_TO_URL: std::time::Duration = std::time::Duration::from_millis(300);

/// Search text in the query (`q`). A keystroke filters at once; the URL
/// follows once typing pauses, replacing the history entry (the history
/// write cost about a quarter of a keystroke's work at 1,000 people).
pub fn search_state() -> QueryState<String> {
    // Through the query queue, like every choice: a Back or a link before
    // its frame drops the write (see `query_value`).
    let (raw, write) = query_value(Q, true);
    let in_url = Memo::new(move |_| raw.get().unwrap_or_default());
    // Text typed and not yet in the URL.
    let typed: RwSignal<Option<String>> = RwSignal::new(None);
    let value = Memo::new(move |_| typed.get().unwrap_or_else(|| in_url.get()));
    let pending: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    // What the URL will read once the last write lands (the queue writes
    // on the next frame, and more may be typed meanwhile).
    let written: StoredValue<Option<String>> = StoredValue::new(None);
    let stop = move || {
        if let Some(h) = pending.try_get_value().flatten() {
            h.clear();
        }
    };
    // The URL's text is the search: a write not made yet is dropped.
    let reset = move || {
        stop();
        written.set_value(None);
        typed.set(None);
    };
    Effect::watch(
        move || in_url.get(),
        move |url: &String, _, _| {
            if written.get_value().as_ref() == Some(url) {
                // Our write landed: the URL holds the text, unless more was typed since.
                written.set_value(None);
                if typed.with_untracked(|t| t.as_ref() == Some(url)) {
                    typed.set(None);
                }
            } else {
                // Back, forward or a link changed the search.
                reset();
            }
        },
        false,
    );
    // Back or Forward, even to an entry whose search reads the same (the
    // pending write would put this text there).
    let popped = window_event_listener_untyped("popstate", move |_| reset());
    // Leaving the page drops a write not made yet: it would land in the next page's URL.
    on_cleanup(move || {
        stop();
        popped.remove();
    });
    let set = Callback::new(move |v: String| {
        stop();
        typed.set(Some(v.clone()));
        let flush = move || {
            pending.set_value(None);
            let text = (!v.trim().is_empty()).then_some(v);
            written.set_value(Some(text.clone().unwrap_or_default()));
            write.run(text);
        };
        pending.set_value(set_timeout_with_handle(flush, SEARCH_TO_URL).ok());
    });
    (value, set)
}

/// A record filter by id (`stage`, `tier`, `grade`, …): an id that does not
/// read is no filter.
pub fn id_state(key: &'static str) -> QueryState<Option<Id>> {
    query_state(key, |v| Some(Id::parse(v)), || None, |v| v.map(|id| id.to_string()))
}

/// A list's sort: a column by its key, `-` first for descending; a key
/// that is not a column gives `default`.
pub fn sort_state<C>(columns: &'static [(C, &'static str)], default: (C, bool)) -> QueryState<(C, bool)>
where
    C: Copy + PartialEq + Send + Sync + 'static,
{
    let read = move |v: &str| {
        let (asc, key) = match v.strip_prefix('-') {
            Some(k) => (false, k),
            None => (true, v),
        };
        columns.iter().find(|(_, k)| *k == key).map(|(c, _)| (*c, asc))
    };
    let write = move |(c, asc): &(C, bool)| {
        if (*c, *asc) == default {
            return None;
        }
        columns.iter().find(|(x, _)| x == c).map(|(_, k)| format!("{}{k}", if *asc { "" } else { "-" }))
    };
    query_state(SORT, read, move || default, write)
}

/// A list's page, from 1 (the first page leaves the key out).
pub fn page_state() -> QueryState<usize> {
    query_state(PAGE, |v| v.parse().ok().filter(|p| *p >= 1), || 1, |p| (*p > 1).then(|| p.to_string()))
}

/// Keeps the router's record of the history in step after Forward.
///
/// The router keeps a stack of the addresses it pushed, to tell Back from
/// Forward, and pushes a new entry only when the address differs from the
/// top of that stack. Back pops the stack; Forward does not push. So after
/// Back then Forward, a link to the page Back had shown drew that page but
/// left the address bar on the one before (and a reload opened the wrong
/// page). Re-stating the address after every Back or Forward puts it on the
/// stack when it is missing; the browser's history is only rewritten with
/// the same address.
pub fn keep_history_in_step() {
    let navigate = leptos_router::hooks::use_navigate();
    let handle = window_event_listener_untyped("popstate", move |_| {
        // Choices not yet written were made on the entry just left.
        drop_queue();
        let navigate = navigate.clone();
        // After the router has taken the new address in.
        set_timeout(
            move || {
                let l = window().location();
                let (Ok(path), Ok(search), Ok(hash)) = (l.pathname(), l.search(), l.hash()) else { return };
                let options = leptos_router::NavigateOptions { replace: true, scroll: false, ..Default::default() };
                navigate(&format!("{path}{search}{hash}"), options);
            },
            std::time::Duration::ZERO,
        );
    });
    // The router lives as long as the page.
    std::mem::forget(handle);
}
