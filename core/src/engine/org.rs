//! Read-only views of the org tree: children, ancestry, subtree counts.

use crate::model::{Id, Status, Workspace};
use std::collections::{BTreeMap, HashMap};

/// True when `ancestor` is `unit` itself or one of its ancestors.
/// Stops after `units.len()` steps, so a corrupt cyclic document cannot hang it.
pub fn is_ancestor_or_self(ws: &Workspace, ancestor: Id, unit: Id) -> bool {
    let mut cur = Some(unit);
    let mut steps = 0;
    while let Some(id) = cur {
        if id == ancestor {
            return true;
        }
        steps += 1;
        if steps > ws.units.len() {
            return false;
        }
        cur = ws.units.get(&id).and_then(|u| u.parent);
    }
    false
}

/// Children of every unit, sorted by (order, name-independent id).
pub fn children_map(ws: &Workspace) -> HashMap<Id, Vec<Id>> {
    let mut map: HashMap<Id, Vec<Id>> = HashMap::with_capacity(ws.units.len());
    for u in ws.units.values() {
        if let Some(p) = u.parent {
            map.entry(p).or_default().push(u.id);
        }
    }
    for kids in map.values_mut() {
        kids.sort_by_key(|id| (ws.units[id].order, *id));
    }
    map
}

/// Per-unit figures for the overview tree.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnitCounts {
    /// Active or on-leave people directly in the unit.
    pub direct: usize,
    /// Active or on-leave people in the unit and everything below it.
    pub headcount: usize,
    /// Units in the subtree (including this one) without a manager in post.
    pub vacancies: usize,
    /// True when this unit has no manager, or its manager has left.
    pub vacant: bool,
    /// Depth: the root is 0.
    pub depth: usize,
}

/// Counts for every unit, computed bottom-up in one pass over a valid tree.
pub fn unit_counts(ws: &Workspace) -> BTreeMap<Id, UnitCounts> {
    let mut counts: BTreeMap<Id, UnitCounts> = ws.units.keys().map(|id| (*id, UnitCounts::default())).collect();
    for p in ws.people.values() {
        if p.status != Status::Left {
            if let Some(c) = counts.get_mut(&p.unit) {
                c.direct += 1;
            }
        }
    }
    for u in ws.units.values() {
        let vacant = match u.manager.and_then(|m| ws.people.get(&m)) {
            Some(p) => p.status == Status::Left,
            None => true,
        };
        let c = counts.get_mut(&u.id).expect("unit present");
        c.vacant = vacant;
        c.headcount = c.direct;
        c.vacancies = usize::from(vacant);
    }
    // Order units leaves-first by depth, then add each into its parent.
    let order = units_by_depth(ws);
    for (id, d) in &order {
        counts.get_mut(id).expect("unit").depth = *d;
    }
    for (id, _) in order.iter().rev() {
        let Some(parent) = ws.units[id].parent else {
            continue;
        };
        let (h, v) = {
            let c = &counts[id];
            (c.headcount, c.vacancies)
        };
        if let Some(pc) = counts.get_mut(&parent) {
            pc.headcount += h;
            pc.vacancies += v;
        }
    }
    counts
}

/// Units in breadth-first order from the root, with their depth.
pub fn units_by_depth(ws: &Workspace) -> Vec<(Id, usize)> {
    let kids = children_map(ws);
    let mut out = Vec::with_capacity(ws.units.len());
    let mut roots: Vec<Id> = ws.units.values().filter(|u| u.parent.is_none()).map(|u| u.id).collect();
    roots.sort();
    let mut queue: std::collections::VecDeque<(Id, usize)> = roots.into_iter().map(|r| (r, 0)).collect();
    while let Some((id, d)) = queue.pop_front() {
        out.push((id, d));
        if out.len() > ws.units.len() {
            break; // cycle guard; validate() reports it
        }
        if let Some(ch) = kids.get(&id) {
            for c in ch {
                queue.push_back((*c, d + 1));
            }
        }
    }
    out
}

/// Units of a subtree in depth-first pre-order (the order of an indented tree).
pub fn subtree_preorder(ws: &Workspace, root: Id) -> Vec<Id> {
    let kids = children_map(ws);
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if !ws.units.contains_key(&id) || out.len() > ws.units.len() {
            continue;
        }
        out.push(id);
        if let Some(ch) = kids.get(&id) {
            stack.extend(ch.iter().rev().copied());
        }
    }
    out
}

/// A unit and every unit below it (the scope of "view as").
pub fn scope_units(ws: &Workspace, unit: Id) -> std::collections::HashSet<Id> {
    let kids = children_map(ws);
    let mut out = std::collections::HashSet::new();
    let mut stack = vec![unit];
    while let Some(u) = stack.pop() {
        if out.insert(u) {
            if let Some(k) = kids.get(&u) {
                stack.extend(k.iter().copied());
            }
        }
    }
    out
}
