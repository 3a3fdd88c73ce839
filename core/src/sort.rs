//! One stable sort for the whole program.
//!
//! `slice::sort_by` and friends are generic over the element type and the
//! comparison, so each call site got its own copy of the standard library's
//! driftsort: 94 copies, about 375 KB of the app's pre-opt wasm (6.7 %).
//! Here every call sorts a list of positions with the same, non-generic
//! routine; the comparison is reached through `dyn`, and only the small
//! step that moves elements into their places is generic. Long lists
//! sorted by a number (the CRM index's deals and activities by day) take
//! `arrange_by_num`, which sorts packed (key, position) integers instead of
//! calling the comparison: 900,000 activities sort in ~34 ms against the
//! standard library's ~19 ms, where the `dyn` comparison took ~65 ms.
//!
//! The order is the standard library's: stable (equal elements keep their
//! order), by the comparison given. Clippy refuses the slice methods
//! (`clippy.toml`), so new code uses these.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Stable sorting of a slice through the one shared routine.
pub trait Arrange<T> {
    /// Like `sort_by`: stable, by `cmp`.
    fn arrange_by(&mut self, cmp: impl FnMut(&T, &T) -> Ordering);

    /// Like `sort_by_key`: stable, by `key` (called twice per comparison).
    fn arrange_by_key<K: Ord>(&mut self, mut key: impl FnMut(&T) -> K) {
        self.arrange_by(|a, b| key(a).cmp(&key(b)));
    }

    /// Like `sort_by_cached_key`: stable, by `key`, taken once per element
    /// instead of twice per comparison. For keys that cost something to
    /// take: a name's rank is a hash lookup of the name, and People's
    /// 1,000 rows sorted by (tier, unit's rank, name's rank) spent ~3 ms
    /// of a rename in 40,000 lookups.
    fn arrange_by_cached_key<K: Ord>(&mut self, key: impl FnMut(&T) -> K);

    /// Like `sort_by_key` with a whole-number key, for long lists: each
    /// key is taken once and the (key, position) pairs are sorted
    /// directly, without a call per comparison (the CRM index sorts
    /// 900,000 activities by day).
    fn arrange_by_num(&mut self, key: impl FnMut(&T) -> i64);

    /// The first `n` elements as `arrange_by(cmp)` would put them, for a
    /// long list of which only the front is shown (a board column's first
    /// cards). The list is sorted by the whole-number `coarse` key, as
    /// `arrange_by_num` does, and only its front by `cmp`: the elements up
    /// to the `n`th and those with the same `coarse` key as it. `cmp` must
    /// order by `coarse` first. The rest stay in `coarse` order.
    fn arrange_front_by(&mut self, n: usize, coarse: impl FnMut(&T) -> i64, cmp: impl FnMut(&T, &T) -> Ordering);

    /// Like `sort`: stable, by `Ord`.
    fn arrange(&mut self)
    where
        T: Ord,
    {
        self.arrange_by(T::cmp);
    }
}

impl<T> Arrange<T> for Vec<T> {
    fn arrange_by(&mut self, mut cmp: impl FnMut(&T, &T) -> Ordering) {
        if self.len() < 2 {
            return;
        }
        let order = {
            let v: &[T] = self;
            positions(v.len(), &mut |a, b| cmp(&v[a], &v[b]))
        };
        permute(self, order);
    }

    fn arrange_by_cached_key<K: Ord>(&mut self, key: impl FnMut(&T) -> K) {
        if self.len() < 2 {
            return;
        }
        let keys: Vec<K> = self.iter().map(key).collect();
        let order = positions(keys.len(), &mut |a, b| keys[a].cmp(&keys[b]));
        permute(self, order);
    }

    fn arrange_by_num(&mut self, key: impl FnMut(&T) -> i64) {
        if self.len() < 2 {
            return;
        }
        let order = by_num(self.iter().map(key).collect());
        permute_long(self, order);
    }

    fn arrange_front_by(&mut self, n: usize, coarse: impl FnMut(&T) -> i64, cmp: impl FnMut(&T, &T) -> Ordering) {
        if self.len() < 2 {
            return;
        }
        let keys: Vec<i64> = self.iter().map(coarse).collect();
        let order = by_num(keys.clone());
        // The front ends past the `n`th element and its ties.
        let front = match n.checked_sub(1).and_then(|last| order.get(last)) {
            Some(&edge) => order[n..].iter().position(|&i| keys[i as usize] != keys[edge as usize]).map_or(order.len(), |p| n + p),
            None => n.min(order.len()),
        };
        permute_long(self, order);
        let rest = self.split_off(front);
        self.arrange_by(cmp);
        self.extend(rest);
    }
}

/// Collecting into a `BTreeMap` or `BTreeSet` with `collect()` sorts the
/// items first, with one more copy of std's sort per item type (31 copies,
/// ~120 KB of pre-opt wasm, after the slice sorts went through
/// [`Arrange`]). These insert the items one by one instead, with the code
/// every map type has anyway. The same map results: a later item with an
/// equal key replaces the value of an earlier one, as with `collect()`.
pub trait Gather: Iterator + Sized {
    /// `collect::<BTreeMap<_, _>>()` without the sort.
    fn gather_map<K: Ord, V>(self) -> BTreeMap<K, V>
    where
        Self: Iterator<Item = (K, V)>,
    {
        let mut m = BTreeMap::new();
        self.for_each(|(k, v)| {
            m.insert(k, v);
        });
        m
    }

    /// `collect::<BTreeSet<_>>()` without the sort.
    fn gather_set<K: Ord>(self) -> BTreeSet<K>
    where
        Self: Iterator<Item = K>,
    {
        let mut s = BTreeSet::new();
        self.for_each(|k| {
            s.insert(k);
        });
        s
    }
}

impl<I: Iterator> Gather for I {}

/// Brings `sorted`, distinct names in `cmp`'s order, to the distinct
/// `names` in the same order by taking out the names gone and putting
/// each new one where a binary search finds its place: a dozen comparisons
/// per name changed instead of a sort of them all. A rename at 1,000
/// people changes one name of 1,200, and the browser's collator took ~6 ms
/// to sort them all again. Gives false and leaves `sorted` as it was when
/// more than `limit` names changed: sort those afresh. `cmp` must be a
/// total order (no two distinct names equal), or where a tie lands would
/// depend on the path taken.
pub fn resort_few(sorted: &mut Vec<String>, names: &[&str], limit: usize, mut cmp: impl FnMut(&str, &str) -> Ordering) -> bool {
    use rustc_hash::FxHashSet;
    let next: FxHashSet<&str> = names.iter().copied().collect();
    let before: FxHashSet<&str> = sorted.iter().map(String::as_str).collect();
    // New names in the order given, each once.
    let mut seen = FxHashSet::default();
    let added: Vec<&str> = names.iter().copied().filter(|n| !before.contains(n) && seen.insert(*n)).collect();
    let gone = before.len() + added.len() - next.len();
    if added.len() + gone > limit {
        return false;
    }
    drop(before);
    if gone > 0 {
        sorted.retain(|n| next.contains(n.as_str()));
    }
    for name in added {
        let at = sorted.partition_point(|s| cmp(s, name) == Ordering::Less);
        sorted.insert(at, name.to_string());
    }
    true
}

/// The positions `0..n` in the order `cmp` puts the elements at them,
/// stably. Not generic: the one copy of the sort in the program.
#[inline(never)]
fn positions(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<u32> {
    assert!(n <= u32::MAX as usize, "too many elements to sort");
    let mut order: Vec<u32> = (0..n as u32).collect();
    #[allow(clippy::disallowed_methods)]
    order.sort_by(|&a, &b| cmp(a as usize, b as usize));
    order
}

/// The positions in the order of their keys, stably: the position breaks
/// ties, so an unstable sort of (key, position) gives the stable order.
/// Keys within 2³² of each other (days, ids, amounts of one scale) are
/// packed with the position into one `u64`, the fastest thing to sort.
/// Not generic either.
#[inline(never)]
fn by_num(keys: Vec<i64>) -> Vec<u32> {
    assert!(keys.len() <= u32::MAX as usize, "too many elements to sort");
    let lo = keys.iter().copied().min().unwrap_or(0);
    let hi = keys.iter().copied().max().unwrap_or(0);
    #[allow(clippy::disallowed_methods)]
    if (hi as i128 - lo as i128) < 1 << 32 {
        let mut packed: Vec<u64> = keys.into_iter().zip(0u64..).map(|(k, i)| ((k as i128 - lo as i128) as u64) << 32 | i).collect();
        packed.sort_unstable();
        packed.into_iter().map(|p| p as u32).collect()
    } else {
        let mut pairs: Vec<(i64, u32)> = keys.into_iter().zip(0u32..).collect();
        pairs.sort_unstable();
        pairs.into_iter().map(|(_, i)| i).collect()
    }
}

/// Puts the element at `order[i]` at position `i`, following each cycle of
/// the permutation with swaps; `order` marks the positions done by pointing
/// them at themselves. Small code, as each element type gets its own copy.
fn permute<T>(v: &mut [T], mut order: Vec<u32>) {
    for start in 0..v.len() {
        let mut at = start;
        loop {
            let from = std::mem::replace(&mut order[at], at as u32) as usize;
            if from == start || from == at {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

/// The same, for long lists: each element is read once from its old place
/// and written in order to a new list (the swaps write at random, and were
/// twice as slow on 900,000 elements), at the cost of more code per type.
fn permute_long<T>(v: &mut Vec<T>, order: Vec<u32>) {
    let mut old: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    *v = order.into_iter().map(|i| old[i as usize].take().expect("a permutation takes each element once")).collect();
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard library's stable sort, ties
        /// included (the second field tells equal keys apart).
        #[test]
        #[allow(clippy::disallowed_methods)]
        fn same_order_as_std(v in proptest::collection::vec((0u8..8, any::<u16>()), 0..200)) {
            let mut ours = v.clone();
            ours.arrange_by_key(|x| x.0);
            let mut std = v.clone();
            std.sort_by_key(|x| x.0);
            prop_assert_eq!(&ours, &std);

            let mut ours = v.clone();
            ours.arrange_by_num(|x| i64::from(x.0) - 4);
            prop_assert_eq!(&ours, &std);
            let mut ours = v.clone();
            let mut taken = 0;
            ours.arrange_by_cached_key(|x| {
                taken += 1;
                x.0
            });
            prop_assert_eq!(&ours, &std);
            // Once per element, not per comparison.
            prop_assert_eq!(taken, if v.len() < 2 { 0 } else { v.len() });
            // Keys too far apart to pack.
            let mut ours = v.clone();
            ours.arrange_by_num(|x| if x.0 < 4 { i64::MIN + i64::from(x.0) } else { i64::MAX - 8 + i64::from(x.0) });
            prop_assert_eq!(&ours, &std);

            let mut ours = v.clone();
            ours.arrange_by(|a, b| b.cmp(a));
            let mut std = v.clone();
            std.sort_by(|a, b| b.cmp(a));
            prop_assert_eq!(&ours, &std);

            let mut ours = v.clone();
            ours.arrange();
            let mut std = v;
            std.sort();
            prop_assert_eq!(ours, std);
        }
    }

    proptest! {
        /// The front of a list arranged by its front alone is the front of
        /// the whole list sorted: ties of the coarse key at the edge
        /// included, and the rest is every other element, in coarse order.
        #[test]
        #[allow(clippy::disallowed_methods)]
        fn front_as_in_the_whole_sort(v in proptest::collection::vec((-3i8..6, any::<u8>(), any::<u16>()), 0..120), n in 0usize..130, down: bool) {
            let cmp = |a: &(i8, u8, u16), b: &(i8, u8, u16)| {
                let o = (a.0, a.1).cmp(&(b.0, b.1));
                if down { o.reverse() } else { o }
            };
            let coarse = |x: &(i8, u8, u16)| if down { -i64::from(x.0) } else { i64::from(x.0) };
            let mut whole = v.clone();
            whole.sort_by(cmp);
            let mut ours = v.clone();
            ours.arrange_front_by(n, coarse, cmp);
            let shown = n.min(v.len());
            prop_assert_eq!(&ours[..shown], &whole[..shown]);
            prop_assert!(ours.windows(2).all(|w| coarse(&w[0]) <= coarse(&w[1])));
            let (mut a, mut b) = (ours, v);
            a.sort();
            b.sort();
            prop_assert_eq!(a, b);
        }
    }

    proptest! {
        /// The same map and set as `collect()`, duplicate keys included.
        #[test]
        fn gathered_as_collected(v in proptest::collection::vec((0u8..16, any::<u16>()), 0..100)) {
            prop_assert_eq!(v.iter().copied().gather_map(), v.iter().copied().collect::<BTreeMap<_, _>>());
            prop_assert_eq!(v.iter().map(|x| x.0).gather_set(), v.iter().map(|x| x.0).collect::<BTreeSet<_>>());
        }
    }

    proptest! {
        /// A few names changed and put in their places give the list a
        /// whole sort of the new names gives; past the limit, nothing is
        /// touched. Names from a small alphabet, so lists share many.
        #[test]
        #[allow(clippy::disallowed_methods)]
        fn few_resorted_as_a_whole_sort(
            before in proptest::collection::vec("[a-eA-E]{1,3}", 0..40),
            after in proptest::collection::vec("[a-eA-E]{1,3}", 0..40),
            limit in 0usize..50,
        ) {
            // Case-blind first, then by code point: a total order with
            // names a case-blind order alone would call equal.
            let cmp = |a: &str, b: &str| a.to_lowercase().cmp(&b.to_lowercase()).then_with(|| a.cmp(b));
            let whole = |v: &[String]| {
                let mut w: Vec<String> = v.iter().cloned().collect::<BTreeSet<_>>().into_iter().collect();
                w.sort_by(|a, b| cmp(a, b));
                w
            };
            let mut sorted = whole(&before);
            let kept = sorted.clone();
            let names: Vec<&str> = after.iter().map(String::as_str).collect();
            let changed = {
                let (a, b): (BTreeSet<&str>, BTreeSet<&str>) = (kept.iter().map(String::as_str).collect(), names.iter().copied().collect());
                a.symmetric_difference(&b).count()
            };
            let done = resort_few(&mut sorted, &names, limit, cmp);
            prop_assert_eq!(done, changed <= limit);
            if done {
                prop_assert_eq!(sorted, whole(&after));
            } else {
                prop_assert_eq!(sorted, kept);
            }
        }
    }

    #[test]
    fn owned_elements_move_without_loss() {
        let mut v: Vec<String> = ["d", "b", "a", "c", "b"].iter().map(|s| s.to_string()).collect();
        v.arrange();
        assert_eq!(v, ["a", "b", "b", "c", "d"]);
        let mut one = vec![String::from("x")];
        one.arrange();
        assert_eq!(one, ["x"]);
    }
}
