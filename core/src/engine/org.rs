//! Read-only views of the org tree: children, ancestry, subtree counts,
//! members, and the walk that adds unit figures up the tree (per-person
//! figures roll up by position: `engine::index::Org::roll_up`).

use crate::model::{Id, Person, Status, Workspace};
use crate::sort::{Arrange, Gather};
use std::collections::BTreeMap;

/// A map keyed by record id. Ids are random UUIDs, so the fast Fx hash is
/// safe here (SipHash was a quarter of the time of a 10,000-person payout run).
pub type IdMap<V> = std::collections::HashMap<Id, V, rustc_hash::FxBuildHasher>;

/// Adds every unit's value into its parent's, leaves first, so each unit
/// ends with its whole subtree's total. `units` holds each unit's own value.
pub fn add_up_the_tree<T: Clone, S: std::hash::BuildHasher>(
    ws: &Workspace,
    units: &mut std::collections::HashMap<Id, T, S>,
    add: impl Fn(&mut T, &T),
) {
    for (id, _) in units_by_depth(ws).iter().rev() {
        let Some(parent) = ws.units.get(id).and_then(|u| u.parent) else { continue };
        let Some(own) = units.get(id).cloned() else { continue };
        if let Some(pu) = units.get_mut(&parent) {
            add(pu, &own);
        }
    }
}

/// People who have not left, by unit, in id order.
pub fn members(ws: &Workspace) -> IdMap<Vec<&Person>> {
    let mut by_unit: IdMap<Vec<&Person>> = IdMap::default();
    // People come in id order (a BTreeMap), which fixes who gets a stray
    // cent in a split; no sort needed.
    for p in ws.people.values().filter(|p| p.status != Status::Left) {
        by_unit.entry(p.unit).or_default().push(p);
    }
    by_unit
}

/// Each person's nearest managing unit: the unit they run, if any.
pub fn managed_units(ws: &Workspace) -> IdMap<Id> {
    ws.units.values().filter_map(|u| Some((u.manager?, u.id))).collect()
}

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
pub fn children_map(ws: &Workspace) -> IdMap<Vec<Id>> {
    // Sorted on (order, id) pairs gathered in the same pass: no lookup of
    // each child in the unit map for every comparison (that was 18 % of a
    // quarter's payouts at 10,000 people).
    let mut pairs: IdMap<Vec<(u32, Id)>> = IdMap::with_capacity_and_hasher(ws.units.len(), Default::default());
    for u in ws.units.values() {
        if let Some(p) = u.parent {
            pairs.entry(p).or_default().push((u.order, u.id));
        }
    }
    pairs
        .into_iter()
        .map(|(p, mut kids)| {
            kids.arrange();
            (p, kids.into_iter().map(|(_, id)| id).collect())
        })
        .collect()
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
/// Units not reached from a root (in or below a cycle, or under a parent
/// that is not there, which validation reports) count only their own.
pub fn unit_counts(ws: &Workspace) -> BTreeMap<Id, UnitCounts> {
    let mut counts: IdMap<UnitCounts> = IdMap::with_capacity_and_hasher(ws.units.len(), Default::default());
    for u in ws.units.values() {
        let manager = u.manager.and_then(|m| ws.people.get(&m));
        let vacant = manager.is_none_or(|p| p.status == Status::Left);
        counts.insert(u.id, UnitCounts { vacant, vacancies: usize::from(vacant), ..UnitCounts::default() });
    }
    for p in ws.people.values().filter(|p| p.status != Status::Left) {
        if let Some(c) = counts.get_mut(&p.unit) {
            c.direct += 1;
            c.headcount += 1;
        }
    }
    for (id, depth) in units_by_depth(ws) {
        if let Some(c) = counts.get_mut(&id) {
            c.depth = depth;
        }
    }
    add_up_the_tree(ws, &mut counts, |a, b| {
        a.headcount += b.headcount;
        a.vacancies += b.vacancies;
    });
    counts.into_iter().gather_map()
}

/// Units in breadth-first order from the root, with their depth.
pub fn units_by_depth(ws: &Workspace) -> Vec<(Id, usize)> {
    let kids = children_map(ws);
    let mut out = Vec::with_capacity(ws.units.len());
    let mut roots: Vec<Id> = ws.units.values().filter(|u| u.parent.is_none()).map(|u| u.id).collect();
    roots.arrange();
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
    subtree_with_depth(ws, root).into_iter().map(|(u, _)| u).collect()
}

/// [`subtree_preorder`], each unit with its depth below `root` (0 for
/// `root`): the rows of an indented tree, in one walk.
pub fn subtree_with_depth(ws: &Workspace, root: Id) -> Vec<(Id, usize)> {
    let kids = children_map(ws);
    let mut out = Vec::new();
    let mut stack = vec![(root, 0)];
    while let Some((id, depth)) = stack.pop() {
        if !ws.units.contains_key(&id) || out.len() > ws.units.len() {
            continue;
        }
        out.push((id, depth));
        if let Some(ch) = kids.get(&id) {
            stack.extend(ch.iter().rev().map(|c| (*c, depth + 1)));
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

/// The rule: a unit's manager sits in a higher tier (a lower order) than
/// every other member of the unit.
pub fn outranks(manager_order: u32, member_order: u32) -> bool {
    manager_order < member_order
}

/// The tier a person added to `unit` most likely holds: one below the
/// unit's manager; for a unit without a manager in post, one below the
/// parent unit's manager (the newcomer is likely to lead it); the top tier
/// for an empty root; else the bottom tier.
pub fn suggested_tier(ws: &Workspace, unit: Id) -> Option<Id> {
    let tiers = ws.tiers_in_order();
    let below = |person: Option<Id>| {
        let t = ws.people.get(&person?).filter(|p| p.status != Status::Left)?.tier;
        let i = tiers.iter().position(|x| x.id == t)?;
        tiers.get(i + 1).map(|x| x.id)
    };
    let u = ws.units.get(&unit)?;
    below(u.manager)
        .or_else(|| below(u.parent.and_then(|p| ws.units.get(&p)).and_then(|p| p.manager)))
        .or_else(|| u.parent.is_none().then(|| tiers.first().map(|t| t.id)).flatten())
        .or_else(|| tiers.last().map(|t| t.id))
}

/// Could a person of `tier` be appointed to lead `unit` now: it has no
/// manager in post, and `tier` outranks every other current member (the
/// rule a manager must meet).
pub fn could_lead(ws: &Workspace, unit: Id, tier: Id, person: Option<Id>) -> bool {
    let Some(u) = ws.units.get(&unit) else { return false };
    let in_post = u.manager.and_then(|m| ws.people.get(&m)).is_some_and(|p| p.status != Status::Left);
    let Some(order) = ws.tiers.get(&tier).map(|t| t.order) else { return false };
    !in_post
        && ws
            .people
            .values()
            .filter(|p| p.unit == unit && p.status != Status::Left && Some(p.id) != person)
            .all(|p| ws.tiers.get(&p.tier).is_some_and(|t| outranks(order, t.order)))
}

/// Should appointing a newcomer of `tier` to lead `unit` be proposed as the
/// default: they [`could_lead`] it and `tier` is a manager's, not the bottom
/// one (a rep made manager of a team would block the next rep).
pub fn proposes_lead(ws: &Workspace, unit: Id, tier: Id) -> bool {
    ws.tiers_in_order().last().is_some_and(|bottom| bottom.id != tier) && could_lead(ws, unit, tier, None)
}
