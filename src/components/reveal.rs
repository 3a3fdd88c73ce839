//! Long lists painted a screenful first. A page builds the first rows of a
//! long table with itself and the rest over the next browser tasks, each
//! kept short, so that a click in the sidebar paints the new page at once
//! and the page answers typing and scrolling while its other rows are built.
//! Every row is there a moment later (a few tasks at 1,000 people); the
//! lists stay whole for searching, printing and the keyboard after that.

use leptos::prelude::*;

/// Rows built with the page itself: a tall screen's worth.
const FIRST: usize = 25;
/// What one later step aims to take, its rows built and painted.
const TASK_MS: f64 = 40.0;

/// Turns for work left until after a paint, the latest wins: each
/// [`Turn::take`] makes the turns taken before it stale, and so does the
/// end of the owner the turn was made under (the page left). Work that
/// waited checks its turn with [`Turn::holds`] before it starts.
#[derive(Clone, Copy)]
pub struct Turn(StoredValue<u64>);

impl Turn {
    pub fn new() -> Self {
        Turn(StoredValue::new(0))
    }

    /// A new turn; None once the owner is gone.
    pub fn take(self) -> Option<u64> {
        let n = self.0.try_get_value()?.wrapping_add(1);
        self.0.set_value(n);
        Some(n)
    }

    /// Is `turn` still the latest (and the owner there)?
    pub fn holds(self, turn: u64) -> bool {
        self.0.try_get_value() == Some(turn)
    }
}

impl Default for Turn {
    fn default() -> Self {
        Self::new()
    }
}

/// How many rows of a list to build now: [`FIRST`] with the page, then more
/// after each paint, as many as about [`TASK_MS`] allows, until `total` (read
/// untracked, each step) rows are built; from then on every row (`usize::MAX`:
/// a list that grows later, by a filter or an edit, is shown whole at once).
/// Take as many rows from the list as it says.
pub fn reveal(total: impl Fn() -> usize + 'static) -> ReadSignal<usize> {
    let shown = RwSignal::new(FIRST);
    // The first step is not measured: its time is the page's own build.
    next(shown, total, 20, f64::NAN, None);
    shown.read_only()
}

/// [`reveal`], for a table whose rows are kept by place and show whatever
/// a search puts there: `again(drawn)`, called as the search is made,
/// keeps the `drawn` rows there are (they are updated, not built), and
/// builds those a longer list needs from [`FIRST`] on, a screenful at
/// once and the rest over the next tasks (a search cleared after one
/// that found three rows). A reveal started again ends the one before.
pub fn reveal_again(
    total: impl Fn() -> usize + Copy + Send + Sync + 'static,
) -> (ReadSignal<usize>, impl Fn(usize) + Copy + Send + Sync + 'static) {
    let shown = RwSignal::new(FIRST);
    let run = Turn::new();
    next(shown, total, 20, f64::NAN, run.take().map(|n| (run, n)));
    let again = move |drawn: usize| {
        let Some(n) = run.take() else { return };
        shown.set(drawn.max(FIRST));
        next(shown, total, 20, f64::NAN, Some((run, n)));
    };
    (shown.read_only(), again)
}

/// Takes `step` more rows once the browser has painted, the step scaled by
/// how long the last one took (`since`: when it was asked for; its rows are
/// built and painted before the next one starts). Without waiting for the
/// frame, the next step would often run before the page's first paint.
fn next(shown: RwSignal<usize>, total: impl Fn() -> usize + 'static, step: usize, since: f64, run: Option<(Turn, u64)>) {
    crate::browser::after_next_paint(move || {
        // The page is gone (its owner disposed the signal): nothing to build.
        let Some(n) = shown.try_get_untracked() else { return };
        // Started again since: that reveal goes on instead.
        if run.is_some_and(|(r, mine)| !r.holds(mine)) {
            return;
        }
        let all = untrack(&total);
        if n >= all {
            shown.set(usize::MAX);
            return;
        }
        let took = crate::browser::perf_now() - since;
        let step = if took.is_nan() {
            step
        } else {
            ((step as f64 * TASK_MS / took.max(1.0)) as usize).clamp(step / 2 + 1, step * 2).clamp(10, 1000)
        };
        let now = crate::browser::perf_now();
        shown.set(n + step);
        next(shown, total, step, now, run);
    });
}

/// A figure worked out after the next paint, and again after each change
/// of what `track` reads: for a card beside the list an edit changes, so
/// that the edit's frame carries the list and the card follows a frame
/// later. None until the first figure is ready. Only the last change's
/// figure is worked out when several come before it.
pub fn after_paint<T: Clone + PartialEq + Send + Sync + 'static>(
    track: impl Fn() + 'static,
    compute: impl Fn() -> T + 'static,
) -> ReadSignal<Option<T>> {
    let value = RwSignal::new(None);
    let set = move |v: T| {
        if value.try_with_untracked(|x| x.as_ref() != Some(&v)) == Some(true) {
            value.set(Some(v));
        }
    };
    follow(track, compute, set);
    value.read_only()
}

/// [`after_paint`] for figures a page shows from its first frame: the
/// first is worked out now, with the page; after a change of what `track`
/// reads, the figure is worked out again after the next paint and always
/// set (what is shown beside the figure, names say, may have changed with
/// it). Once more after the first paint too: a change between the page's
/// build and its effect's first run (which starts the tracking) is not
/// missed. Readers that show a part of it keep that part in a memo.
pub fn lagging<T: Send + Sync + 'static>(track: impl Fn() + 'static, compute: impl Fn() -> T + 'static) -> ReadSignal<T> {
    let value = RwSignal::new(untrack(&compute));
    follow(track, compute, move |v| drop(value.try_set(v)));
    value.read_only()
}

/// Works `compute` out and hands it to `set` after the next paint, then
/// again after the paint following each change of what `track` reads.
fn follow<T: 'static>(track: impl Fn() + 'static, compute: impl Fn() -> T + 'static, set: impl Fn(T) + 'static) {
    let run = Turn::new();
    let work = std::rc::Rc::new(move || set(untrack(&compute)));
    Effect::new(move |_| {
        track();
        let Some(n) = run.take() else { return };
        let work = work.clone();
        crate::browser::after_next_paint(move || {
            // Changed again since, or the page is gone.
            if run.holds(n) {
                work();
            }
        });
    });
}

/// A key for a row of a keyed list made of all the row shows (`parts`,
/// hashed): the list rebuilds a row when, and only when, what it shows has
/// changed. (It printed `parts` with `Debug` and hashed the text; escaping
/// every name cost ~1.5 ms per edit on the org tree at 1,000 people.)
pub fn content_key(parts: &impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    // Fixed keys: a row's key is compared with the one it had last render.
    BuildHasherDefault::<DefaultHasher>::default().hash_one(parts)
}

/// The first `n` of `rows` for a keyed list (see [`keyed`]).
pub fn first_keyed<T: std::hash::Hash + Clone>(
    rows: &[T],
    n: usize,
    lang: sales_tiers_core::Lang,
) -> Vec<(u64, T, sales_tiers_core::Lang)> {
    keyed(rows.iter().take(n), lang)
}

/// `rows` for a keyed list, each with its key: all the row shows and the
/// language (see [`content_key`]), and the language.
pub fn keyed<'a, T: std::hash::Hash + Clone + 'a>(
    rows: impl Iterator<Item = &'a T>,
    lang: sales_tiers_core::Lang,
) -> Vec<(u64, T, sales_tiers_core::Lang)> {
    rows.map(|r| (content_key(&(r, lang)), r.clone(), lang)).collect()
}
