//! The org chart's tidy layout, as pure geometry: leaves are placed left to
//! right one slot apart, each parent centred over its first and last child,
//! one row per level. A folded unit is placed like a leaf. Positions are in
//! slots (box width + gap) and rows; the app scales them to pixels.
//!
//! More than [`WRAP`] siblings that are all shut (folded, or with nothing
//! below them) are wrapped into lines of [`WRAP`], one row each: a
//! director's 53 regions, folded, make a block 6 boxes wide and 9 rows
//! deep under the root instead of a strip 53 boxes wide. Once one of them
//! is open they stand side by side again, so that every open branch hangs
//! straight below its box (lines of open branches put one line's
//! connector right under the last line's children, where it read as
//! theirs).

use crate::engine::org::children_map;
use crate::model::{Id, Workspace};
use std::collections::HashSet;

/// The most siblings side by side before they wrap (see the module).
pub const WRAP: usize = 6;

#[derive(Clone, Debug, PartialEq)]
pub struct ChartNode {
    pub id: Id,
    /// Row: 0 for the root, one more per level down and per line of
    /// wrapped siblings.
    pub depth: usize,
    /// Left edge, in slots (exact halves, quarters… of a slot).
    pub x: f64,
    pub folded: bool,
    pub has_children: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartLayout {
    /// Depth-first, parents before their children.
    pub nodes: Vec<ChartNode>,
    /// (parent, child) as indices into `nodes`.
    pub edges: Vec<(usize, usize)>,
    /// Leaf slots used: the chart is this many slots wide.
    pub slots: usize,
    /// Rows used.
    pub rows: usize,
}

/// Lays out the subtree of `root`, with the units in `folded` shown closed.
pub fn layout(ws: &Workspace, root: Id, folded: &HashSet<Id>) -> ChartLayout {
    let mut out = ChartLayout::default();
    if !ws.units.contains_key(&root) {
        return out;
    }
    let kids = children_map(ws);
    place(&kids, folded, root, (0, 0), &mut out);
    out
}

/// What to fold so the chart opens readable: the units to show folded so
/// that it is at most `max_slots` wide, keeping as many levels open from
/// the top as fit (at least the root and its children). Empty when the
/// whole tree fits.
pub fn fold_to_fit(ws: &Workspace, root: Id, max_slots: usize) -> HashSet<Id> {
    let kids = children_map(ws);
    // Units by depth below `root`, top down.
    let mut levels: Vec<Vec<Id>> = Vec::new();
    let mut level = vec![root];
    while !level.is_empty() && levels.len() <= crate::limits::MAX_DEPTH {
        let next = level.iter().flat_map(|u| kids.get(u).into_iter().flatten().copied()).collect();
        levels.push(std::mem::replace(&mut level, next));
    }
    if !ws.units.contains_key(&root) || layout(ws, root, &HashSet::new()).slots <= max_slots {
        return HashSet::new();
    }
    // Fold every unit from depth d on, from the deepest d up, until it fits.
    let folded_from = |d: usize| -> HashSet<Id> { levels.iter().skip(d).flatten().copied().collect() };
    let mut d = levels.len().saturating_sub(1);
    while d > 1 && layout(ws, root, &folded_from(d)).slots > max_slots {
        d -= 1;
    }
    folded_from(d.max(1))
}

/// Places `id` and its open branch with its box in row `row`, `level`
/// units below the root; returns its index in `out.nodes`.
fn place(
    kids: &crate::engine::org::IdMap<Vec<Id>>,
    folded: &HashSet<Id>,
    id: Id,
    (row, level): (usize, usize),
    out: &mut ChartLayout,
) -> usize {
    out.rows = out.rows.max(row + 1);
    let children = kids.get(&id).map(Vec::as_slice).unwrap_or(&[]);
    let is_folded = folded.contains(&id);
    let idx = out.nodes.len();
    out.nodes.push(ChartNode { id, depth: row, x: 0.0, folded: is_folded, has_children: !children.is_empty() });
    // The level guard only matters for a corrupt (cyclic) tree: validate reports it.
    if children.is_empty() || is_folded || level > crate::limits::MAX_DEPTH {
        out.nodes[idx].x = out.slots as f64;
        out.slots += 1;
        return idx;
    }
    let shut = |c: &Id| folded.contains(c) || kids.get(c).is_none_or(Vec::is_empty);
    if children.len() > WRAP && children.iter().all(shut) {
        // Lines of WRAP, one row each, the parent over the first.
        let start = out.slots;
        for (i, ch) in children.iter().enumerate() {
            let ci = place(kids, folded, *ch, (row + 1 + i / WRAP, level + 1), out);
            out.nodes[ci].x = (start + i % WRAP) as f64;
            out.edges.push((idx, ci));
        }
        out.slots = start + WRAP;
        out.nodes[idx].x = start as f64 + (WRAP - 1) as f64 / 2.0;
        return idx;
    }
    let (mut first, mut last) = (f64::NAN, 0.0);
    for ch in children {
        let ci = place(kids, folded, *ch, (row + 1, level + 1), out);
        out.edges.push((idx, ci));
        if first.is_nan() {
            first = out.nodes[ci].x;
        }
        last = out.nodes[ci].x;
    }
    out.nodes[idx].x = (first + last) / 2.0;
    idx
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Text, Unit};

    fn unit(ws: &mut Workspace, n: u8, parent: Option<Id>) -> Id {
        let id = Id::from_random_bytes([n; 16]);
        let now = chrono::DateTime::UNIX_EPOCH;
        ws.units
            .insert(id, Unit { id, rev: 1, updated_at: now, name: Text::both(format!("U{n}")), parent, manager: None, order: n as u32 });
        id
    }

    #[test]
    fn parents_centre_over_their_children_and_folding_makes_a_leaf() {
        let mut ws = Workspace::empty(Id::from_random_bytes([0; 16]), "t", crate::Lang::En, chrono::DateTime::UNIX_EPOCH);
        let root = unit(&mut ws, 1, None);
        let a = unit(&mut ws, 2, Some(root));
        let b = unit(&mut ws, 3, Some(root));
        for n in 4..7 {
            unit(&mut ws, n, Some(a));
        }
        let l = layout(&ws, root, &HashSet::new());
        let x = |id: Id| l.nodes.iter().find(|n| n.id == id).unwrap().x;
        // a's three children at 0, 1, 2 → a at 1; b is the fourth leaf at 3; root at (1 + 3) ÷ 2.
        assert_eq!((x(a), x(b), x(root)), (1.0, 3.0, 2.0));
        assert_eq!((l.slots, l.rows, l.edges.len()), (4, 3, 5));
        let folded = layout(&ws, root, &[a].into_iter().collect());
        assert_eq!((folded.slots, folded.rows, folded.nodes.len()), (2, 2, 3));
        assert!(folded.nodes.iter().find(|n| n.id == a).unwrap().folded);
        assert_eq!(layout(&ws, Id::from_random_bytes([9; 16]), &HashSet::new()), ChartLayout::default());
    }

    #[test]
    fn many_leaf_siblings_wrap_in_lines_under_their_parent() {
        let mut ws = Workspace::empty(Id::from_random_bytes([0; 16]), "t", crate::Lang::En, chrono::DateTime::UNIX_EPOCH);
        let root = unit(&mut ws, 1, None);
        let n = 2 * WRAP + 2;
        let kids: Vec<Id> = (0..n).map(|i| unit(&mut ws, 10 + i as u8, Some(root))).collect();
        let l = layout(&ws, root, &HashSet::new());
        let at = |id: Id| l.nodes.iter().find(|x| x.id == id).map(|x| (x.depth, x.x)).unwrap();
        for (i, k) in kids.iter().enumerate() {
            assert_eq!(at(*k), (1 + i / WRAP, (i % WRAP) as f64), "child {i}");
        }
        // Three lines below the root, WRAP wide, the root over the first.
        assert_eq!((l.slots, l.rows, l.edges.len()), (WRAP, 4, n));
        assert_eq!(at(root), (0, (WRAP - 1) as f64 / 2.0));
        // Exactly WRAP: one line, as before.
        let mut ws6 = Workspace::empty(Id::from_random_bytes([0; 16]), "t", crate::Lang::En, chrono::DateTime::UNIX_EPOCH);
        let r6 = unit(&mut ws6, 1, None);
        for i in 0..WRAP {
            unit(&mut ws6, 10 + i as u8, Some(r6));
        }
        let l6 = layout(&ws6, r6, &HashSet::new());
        assert_eq!((l6.slots, l6.rows), (WRAP, 2));
        // One sibling with its branch open: they stand side by side.
        let g = unit(&mut ws, 100, Some(kids[3]));
        let open = layout(&ws, root, &HashSet::new());
        assert_eq!((open.slots, open.rows), (n, 3));
        assert_eq!(open.nodes.iter().find(|x| x.id == g).map(|x| (x.depth, x.x)), Some((2, 3.0)));
        // Folded, that sibling is shut again: they wrap.
        let folded = layout(&ws, root, &[kids[3]].into_iter().collect());
        assert_eq!((folded.slots, folded.rows), (WRAP, 4));
        let k3 = folded.nodes.iter().find(|x| x.id == kids[3]).unwrap();
        assert!(k3.folded && k3.has_children);
    }

    #[test]
    fn fold_to_fit_keeps_the_top_levels_that_fit() {
        let mut ws = Workspace::empty(Id::from_random_bytes([0; 16]), "t", crate::Lang::En, chrono::DateTime::UNIX_EPOCH);
        let root = unit(&mut ws, 1, None);
        let a = unit(&mut ws, 2, Some(root));
        let b = unit(&mut ws, 3, Some(root));
        let mut leaves = Vec::new();
        for n in 4..10 {
            leaves.push(unit(&mut ws, n, Some(if n < 7 { a } else { b })));
        }
        let g = unit(&mut ws, 10, Some(leaves[0]));
        // Whole tree: 6 leaf slots.
        assert!(fold_to_fit(&ws, root, 6).is_empty());
        // Fewer than 6: the third level is folded (a, b keep their children folded away).
        let f = fold_to_fit(&ws, root, 5);
        assert_eq!(layout(&ws, root, &f).slots, 2);
        assert!(f.contains(&a) && f.contains(&b) && f.contains(&g) && !f.contains(&root));
        // Never less than the root and its children, even when that is too wide.
        let f = fold_to_fit(&ws, root, 1);
        assert_eq!(layout(&ws, root, &f).slots, 2);
        // A deeper level is only folded when needed: with 6 slots and g below leaves[0], still everything.
        assert_eq!(layout(&ws, root, &fold_to_fit(&ws, root, 6)).rows, 4);
    }
}
