//! One stable sort for the whole program.
//!
//! `slice::sort_by` and friends are generic over the element type and the
//! comparison, so each call site got its own copy of the standard library's
//! driftsort: 94 copies, about 375 KB of the app's pre-opt wasm (6.7 %).
//! Here every call sorts a list of positions with the same, non-generic
//! routine; the comparison is reached through `dyn`, and only the small
//! step that moves elements into their places is generic.
//!
//! The order is the standard library's: stable (equal elements keep their
//! order), by the comparison given. Clippy refuses the slice methods
//! (`clippy.toml`), so new code uses these.

use std::cmp::Ordering;

/// Stable sorting of a slice through the one shared routine.
pub trait Arrange<T> {
    /// Like `sort_by`: stable, by `cmp`.
    fn arrange_by(&mut self, cmp: impl FnMut(&T, &T) -> Ordering);

    /// Like `sort_by_key`: stable, by `key` (called twice per comparison).
    fn arrange_by_key<K: Ord>(&mut self, mut key: impl FnMut(&T) -> K) {
        self.arrange_by(|a, b| key(a).cmp(&key(b)));
    }

    /// Like `sort`: stable, by `Ord`.
    fn arrange(&mut self)
    where
        T: Ord,
    {
        self.arrange_by(T::cmp);
    }
}

impl<T> Arrange<T> for [T] {
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

/// Puts the element at `order[i]` at position `i`, following each cycle of
/// the permutation with swaps. `order` marks the positions done by pointing
/// them at themselves.
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
