//! Rows of a long table, each a signal of its own. A page works out all its
//! rows in one memo (a map by key); a row's cells read their row. Were each
//! row a memo of that map, every edit would wake every row and, through
//! them, every cell: at 1,000 people the targets matrix marked and checked
//! ~5,000 cells to find the three rows an edit changed (~8 ms of an edit's
//! ~17). Here one effect compares the rows and sets only those that
//! changed, so only their cells run.
//!
//! That effect runs after the task that changed the document. Code in that
//! same task (a key handler that has just committed an edit, then moves the
//! focus and so fires the cell's change event) reads the row with
//! [`Rows::now`], from the map itself.

use leptos::prelude::*;
use sales_tiers_core::sort::Arrange;
use std::collections::HashMap;
use std::hash::Hash;

/// The rows of `all`, looked up by key with `get`.
pub struct Rows<M: Send + Sync + 'static, K: Send + Sync + 'static, V: Send + Sync + 'static> {
    all: Memo<M>,
    get: for<'a> fn(&'a M, &K) -> Option<&'a V>,
    signals: StoredValue<HashMap<K, ArcRwSignal<Option<V>>>>,
}

impl<M: Send + Sync + 'static, K: Send + Sync + 'static, V: Send + Sync + 'static> Clone for Rows<M, K, V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M: Send + Sync + 'static, K: Send + Sync + 'static, V: Send + Sync + 'static> Copy for Rows<M, K, V> {}

impl<M, K, V> Rows<M, K, V>
where
    M: PartialEq + Send + Sync + 'static,
    K: Eq + Hash + Clone + Send + Sync + 'static,
    V: Clone + PartialEq + Send + Sync + 'static,
{
    /// Rows of `all` by key; see the module.
    pub fn new(all: Memo<M>, get: for<'a> fn(&'a M, &K) -> Option<&'a V>) -> Self {
        Self::build(all, get, |_| None)
    }

    /// The rows that changed are set at once, but for what `later` says
    /// (given the changed keys): Some(gone) keeps in the list the keys to
    /// set after the next paint, in that order, a few per task, and names
    /// the rows no longer drawn, whose signals are let go (a row drawn
    /// again gets a new one). See [`Rows::nearest_first`].
    fn build(all: Memo<M>, get: for<'a> fn(&'a M, &K) -> Option<&'a V>, later: impl Fn(&mut Vec<K>) -> Option<Vec<K>> + 'static) -> Self {
        let signals: StoredValue<HashMap<K, ArcRwSignal<Option<V>>>> = StoredValue::new(HashMap::new());
        // Each change's rows left for later are dropped by the next change,
        // which finds them changed again.
        let round = crate::components::reveal::Turn::new();
        Effect::new(move |_| {
            // The rows that changed, set once the map is let go (a set
            // wakes readers, which may ask for a row).
            let changed = all.with(|m| {
                signals
                    .try_update_value(|rows| {
                        let mut changed = Vec::new();
                        rows.retain(|k, row| {
                            let now = get(m, k);
                            if row.with_untracked(|was| was.as_ref() != now) {
                                changed.push((k.clone(), row.clone(), now.cloned()));
                            }
                            now.is_some()
                        });
                        changed
                    })
                    .unwrap_or_default()
            });
            let Some(this) = round.take() else { return };
            let mut keys: Vec<K> = changed.iter().map(|(k, ..)| k.clone()).collect();
            // What is on screen is read as it is, never tracked.
            let gone = untrack(|| later(&mut keys));
            let Some(gone) = gone else {
                for (_, row, now) in changed {
                    row.set(now);
                }
                return;
            };
            signals.update_value(|rows| gone.iter().for_each(|k| drop(rows.remove(k))));
            let left: std::collections::HashSet<&K> = keys.iter().chain(&gone).collect();
            for (k, row, now) in &changed {
                if !left.contains(k) {
                    row.set(now.clone());
                }
            }
            if !keys.is_empty() {
                keys.reverse();
                crate::browser::after_next_paint(move || Self::set_later(all, get, signals, round, this, keys));
            }
        });
        Self { all, get, signals }
    }

    /// As [`Rows::new`], for rows a change alters all at once (a period
    /// switched, a list re-sorted): the rows on screen, and MARGIN more on
    /// either side, are set at once, the others after the next paint,
    /// nearest first, a few per task, each as the rows are then. `body` is the
    /// table's body (in its scrolling box, or the page); `places()` gives,
    /// for the change at hand, each row's place in the list (None: not
    /// drawn). At 1,000 people a switch of Scorecards' period set ~1,000
    /// rows' texts (~7,000 DOM writes) before its first frame, for thirty
    /// on screen; Forecast's 212 rows ~2,000.
    pub fn nearest_first<P: Fn(&K) -> Option<usize> + 'static>(
        all: Memo<M>,
        get: for<'a> fn(&'a M, &K) -> Option<&'a V>,
        body: NodeRef<leptos::html::Tbody>,
        places: impl Fn() -> P + 'static,
    ) -> Self {
        // Rows set at once beyond those on screen, for a scroll in the
        // frame after the change. (Sixty rows either side of the top one
        // were set at once before: Forecast set 61 rows' cells in the
        // first task for the 16 in sight, a third of its period switch.)
        const MARGIN: usize = 8;
        Self::build(all, get, move |keys| {
            let (first, last) = body.get_untracked().map_or((0, 2 * MARGIN), |b| places_in_view(&b));
            let (first, last) = (first.saturating_sub(MARGIN), last.saturating_add(MARGIN));
            let place = places();
            let (mut far, mut gone) = (Vec::new(), Vec::new());
            for k in keys.drain(..) {
                match place(&k) {
                    None => gone.push(k),
                    Some(p) if p < first => far.push((first - p, k)),
                    Some(p) if p > last => far.push((p - last, k)),
                    Some(_) => {}
                }
            }
            far.arrange_by_num(|x| x.0 as i64);
            keys.extend(far.into_iter().map(|x| x.1));
            Some(gone)
        })
    }

    /// Sets the rows of `keys` (the last first), CHUNK in this task and the
    /// rest in the next ones, each as the map has it then; given up once
    /// another change has come (round).
    fn set_later(
        all: Memo<M>,
        get: for<'a> fn(&'a M, &K) -> Option<&'a V>,
        signals: StoredValue<HashMap<K, ArcRwSignal<Option<V>>>>,
        round: crate::components::reveal::Turn,
        this: u64,
        mut keys: Vec<K>,
    ) {
        const CHUNK: usize = 150;
        if !round.holds(this) {
            return;
        }
        let batch = keys.split_off(keys.len().saturating_sub(CHUNK));
        let rows: Vec<_> = signals.with_value(|rows| batch.iter().filter_map(|k| rows.get(k).cloned().map(|r| (k.clone(), r))).collect());
        for (k, row) in rows {
            let now = all.with_untracked(|m| get(m, &k).cloned());
            if row.with_untracked(|was| *was != now) {
                row.set(now);
            }
        }
        if !keys.is_empty() {
            leptos::prelude::set_timeout(move || Self::set_later(all, get, signals, round, this, keys), std::time::Duration::ZERO);
        }
    }

    /// The row under `k` as a signal, for what draws it (None once it is
    /// gone). Call it where the row is built: the signal lives as long as
    /// the row's owner.
    ///
    /// The row is the map's as it is now, even when the effect that sets
    /// the rows has not run yet since the map changed: a list keyed by what
    /// its rows draw once (a name in the language just chosen) builds the
    /// new row in that same change, and would otherwise draw it from the
    /// row as it was (Targets kept its English names after a language
    /// switch that came before that effect's turn).
    pub fn signal(&self, k: K) -> RwSignal<Option<V>> {
        let (all, get) = (self.all, self.get);
        let now = all.with_untracked(|m| get(m, &k).cloned());
        let row = match self.signals.with_value(|rows| rows.get(&k).cloned()) {
            Some(row) => {
                if row.with_untracked(|was| *was != now) {
                    row.set(now);
                }
                row
            }
            None => {
                let row = ArcRwSignal::new(now);
                self.signals.update_value(|rows| {
                    rows.insert(k, row.clone());
                });
                row
            }
        };
        RwSignal::from(row)
    }

    /// The row under `k` as the document has it now, untracked (for
    /// handlers: see the module).
    pub fn now(&self, k: &K) -> Option<V> {
        self.all.with_untracked(|m| (self.get)(m, k).cloned())
    }
}

/// The places (row numbers) of the first and the last row on screen of a
/// long table's `body`, in its scrolling box and the window: from their
/// positions, taking the rows drawn as alike in height.
pub fn places_in_view(body: &web_sys::Element) -> (usize, usize) {
    let rect = body.get_bounding_client_rect();
    let (top, height, n) = (rect.top(), rect.height(), body.child_element_count());
    if n == 0 || height <= 0.0 {
        return (0, 0);
    }
    let window_h = web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|h| h.as_f64()).unwrap_or(900.0);
    let (mut from, mut to) = (0.0_f64, window_h);
    if let Some(b) = body.closest(".table-scroll").ok().flatten() {
        let r = b.get_bounding_client_rect();
        (from, to) = (from.max(r.top()), to.min(r.bottom()));
    }
    let row_h = height / f64::from(n);
    let first = ((from - top) / row_h).floor().max(0.0) as usize;
    let last = ((to - top) / row_h).ceil().max(0.0) as usize;
    (first, last.max(first))
}
