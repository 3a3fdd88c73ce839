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
        Self::build(all, get, |_| false)
    }

    /// The rows that changed are set at once, but for those `later` names:
    /// those are set after the next paint, in the order given, a few per
    /// task (see [`Rows::by_place`]).
    fn build(all: Memo<M>, get: for<'a> fn(&'a M, &K) -> Option<&'a V>, later: impl Fn(&mut Vec<K>) -> bool + 'static) -> Self {
        let signals: StoredValue<HashMap<K, ArcRwSignal<Option<V>>>> = StoredValue::new(HashMap::new());
        // Each change's rows left for later are dropped by the next change,
        // which finds them changed again.
        let round = StoredValue::new(0u64);
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
            let this = round.get_value() + 1;
            round.set_value(this);
            let mut keys: Vec<K> = changed.iter().map(|(k, ..)| k.clone()).collect();
            let deferred = later(&mut keys);
            let left: std::collections::HashSet<&K> = if deferred { keys.iter().collect() } else { Default::default() };
            for (k, row, now) in &changed {
                if !left.contains(k) {
                    row.set(now.clone());
                }
            }
            if deferred && !keys.is_empty() {
                keys.reverse();
                crate::browser::after_next_paint(move || Self::set_later(all, get, signals, round, this, keys));
            }
        });
        Self { all, get, signals }
    }

    /// As [`Rows::new`], for rows a change alters all at once (a period
    /// switched, a list re-sorted): the rows within NEAR of what is on
    /// screen are set at once, the others after the next paint, nearest
    /// first, a few per task, each as the rows are then. `distance()` gives,
    /// for the change at hand, how far a row is from the screen (in rows).
    /// At 1,000 people a switch of Scorecards' period set ~1,000 rows'
    /// texts (~7,000 DOM writes) before its first frame, for thirty on
    /// screen; Forecast's 212 rows ~2,000.
    pub fn nearest_first<D: Fn(&K) -> usize + 'static>(
        all: Memo<M>,
        get: for<'a> fn(&'a M, &K) -> Option<&'a V>,
        distance: impl Fn() -> D + 'static,
    ) -> Self {
        const NEAR: usize = 60;
        Self::build(all, get, move |keys| {
            let far = distance();
            keys.retain(|k| far(k) > NEAR);
            keys.arrange_by_key(|k| far(k));
            true
        })
    }

    /// Sets the rows of `keys` (the last first), CHUNK in this task and the
    /// rest in the next ones, each as the map has it then; given up once
    /// another change has come (round).
    fn set_later(
        all: Memo<M>,
        get: for<'a> fn(&'a M, &K) -> Option<&'a V>,
        signals: StoredValue<HashMap<K, ArcRwSignal<Option<V>>>>,
        round: StoredValue<u64>,
        this: u64,
        mut keys: Vec<K>,
    ) {
        const CHUNK: usize = 150;
        if round.try_get_value() != Some(this) {
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
    pub fn signal(&self, k: K) -> RwSignal<Option<V>> {
        let (all, get) = (self.all, self.get);
        let row = self.signals.with_value(|rows| rows.get(&k).cloned()).unwrap_or_else(|| {
            let row = ArcRwSignal::new(all.with_untracked(|m| get(m, &k).cloned()));
            self.signals.update_value(|rows| {
                rows.insert(k, row.clone());
            });
            row
        });
        RwSignal::from(row)
    }

    /// The row under `k` as the document has it now, untracked (for
    /// handlers: see the module).
    pub fn now(&self, k: &K) -> Option<V> {
        self.all.with_untracked(|m| (self.get)(m, k).cloned())
    }
}

/// The place (row number) at the top of what is on screen of a long
/// table's `body` of `n` rows, in its scrolling box (or the page): from
/// their positions, taking the rows as alike in height.
pub fn place_in_view(body: &web_sys::Element, n: usize) -> usize {
    let rect = body.get_bounding_client_rect();
    let (top, height) = (rect.top(), rect.height());
    let shown_from = body.closest(".table-scroll").ok().flatten().map(|b| b.get_bounding_client_rect().top()).unwrap_or(0.0).max(0.0);
    if n == 0 || height <= 0.0 || shown_from <= top {
        return 0;
    }
    ((shown_from - top) / (height / n as f64)) as usize
}
