//! The org chart's layout on random trees and folds: every shown unit once,
//! no two boxes in one slot of a row, each box below its parent, a parent
//! over its children, more than WRAP shut siblings in lines, and the chart exactly as wide and deep as it says.

use proptest::prelude::*;
use sales_tiers_core::engine::chart::{fold_to_fit, layout, WRAP};
use sales_tiers_core::model::{Text, Unit, Workspace};
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::Id;
use std::collections::{HashMap, HashSet};

fn id(n: usize) -> Id {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&(n as u64 + 1).to_le_bytes());
    Id::from_random_bytes(b)
}

/// A tree of `parents.len() + 1` units: unit i + 1's parent is unit
/// parents[i] % (i + 1), so every unit hangs below an earlier one.
fn tree(parents: &[usize]) -> Workspace {
    let now = chrono::DateTime::UNIX_EPOCH;
    let mut ws = Workspace::empty(id(100_000), "t", sales_tiers_core::Lang::En, now);
    for i in 0..=parents.len() {
        let parent = (i > 0).then(|| id(parents[i - 1] % i));
        ws.units.insert(
            id(i),
            Unit { id: id(i), rev: 1, updated_at: now, name: Text::both(format!("U{i}")), parent, manager: None, order: i as u32 },
        );
    }
    ws
}

/// Units shown: the root and every unit whose ancestors are all open.
fn shown(ws: &Workspace, folded: &HashSet<Id>) -> HashSet<Id> {
    let mut out = HashSet::new();
    let mut todo = vec![id(0)];
    while let Some(u) = todo.pop() {
        out.insert(u);
        if !folded.contains(&u) {
            todo.extend(ws.units.values().filter(|c| c.parent == Some(u)).map(|c| c.id));
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    // Parents drawn from a small range give wide levels (many siblings,
    // wrapped) as well as deep ones.
    #[test]
    fn any_tree_and_folds_lay_out_without_overlap(
        parents in prop::collection::vec(0usize..6, 0..60),
        fold_mask in prop::collection::vec(any::<bool>(), 61),
    ) {
        let ws = tree(&parents);
        let folded: HashSet<Id> = (0..=parents.len()).filter(|i| fold_mask[*i]).map(id).collect();
        let l = layout(&ws, id(0), &folded);
        let want = shown(&ws, &folded);
        let ids: Vec<Id> = l.nodes.iter().map(|n| n.id).collect();
        prop_assert_eq!(ids.len(), want.len());
        prop_assert_eq!(ids.iter().copied().collect::<HashSet<_>>(), want);
        // One box per slot and row, a whole slot apart.
        let mut rows: HashMap<usize, Vec<f64>> = HashMap::new();
        for n in &l.nodes {
            prop_assert!(n.x >= 0.0 && n.x <= (l.slots - 1) as f64, "x {} outside {} slots", n.x, l.slots);
            rows.entry(n.depth).or_default().push(n.x);
        }
        for xs in rows.values_mut() {
            xs.arrange_by(f64::total_cmp);
            prop_assert!(xs.windows(2).all(|w| w[1] - w[0] >= 1.0), "boxes overlap in a row: {:?}", xs);
        }
        prop_assert_eq!(l.rows, l.nodes.iter().map(|n| n.depth + 1).max().unwrap_or(0));
        // Each edge goes down, and a parent sits over the span of its children.
        let mut kids: HashMap<usize, Vec<usize>> = HashMap::new();
        for &(p, c) in &l.edges {
            prop_assert!(l.nodes[c].depth > l.nodes[p].depth);
            prop_assert_eq!(ws.units[&l.nodes[c].id].parent, Some(l.nodes[p].id));
            kids.entry(p).or_default().push(c);
        }
        prop_assert_eq!(l.edges.len(), l.nodes.len() - 1);
        for (p, cs) in &kids {
            let (lo, hi) = cs.iter().map(|c| l.nodes[*c].x).fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
            prop_assert!(l.nodes[*p].x >= lo && l.nodes[*p].x <= hi);
            // Wrapped only when more than WRAP, all shut: in lines of WRAP,
            // in order, one row each, lined up in columns.
            let lines: HashSet<usize> = cs.iter().map(|c| l.nodes[*c].depth).collect();
            let shut = cs.iter().all(|c| l.nodes[*c].folded || !l.nodes[*c].has_children);
            prop_assert_eq!(lines.len() > 1, cs.len() > WRAP && shut);
            if lines.len() > 1 {
                for (i, c) in cs.iter().enumerate() {
                    prop_assert_eq!(l.nodes[*c].depth, l.nodes[*p].depth + 1 + i / WRAP);
                    prop_assert_eq!(l.nodes[*c].x, l.nodes[cs[0]].x + (i % WRAP) as f64);
                }
            }
        }
    }

    #[test]
    fn fold_to_fit_fits_when_the_root_and_its_children_can(
        parents in prop::collection::vec(0usize..8, 0..60),
        max_slots in 1usize..12,
    ) {
        let ws = tree(&parents);
        let f = fold_to_fit(&ws, id(0), max_slots);
        prop_assert!(!f.contains(&id(0)));
        let l = layout(&ws, id(0), &f);
        // The root and its children, folded, take at most WRAP slots.
        let top = ws.units.values().filter(|u| u.parent == Some(id(0))).count();
        if max_slots >= top.min(WRAP) {
            prop_assert!(l.slots <= max_slots, "{} slots for {}", l.slots, max_slots);
        }
    }
}
