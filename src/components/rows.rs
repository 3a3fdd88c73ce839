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
        let signals: StoredValue<HashMap<K, ArcRwSignal<Option<V>>>> = StoredValue::new(HashMap::new());
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
                                changed.push((row.clone(), now.cloned()));
                            }
                            now.is_some()
                        });
                        changed
                    })
                    .unwrap_or_default()
            });
            for (row, now) in changed {
                row.set(now);
            }
        });
        Self { all, get, signals }
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
