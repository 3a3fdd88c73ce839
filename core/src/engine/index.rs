//! The document's countable facts in compact arrays, built once per
//! document change and shared by every engine that reads them: the org by
//! position (people, units, parents, leaves first), the deals and the
//! logged activities sorted by the day they count on, the customers by the
//! day they were created.
//!
//! A period's figures are then a binary search for its first day and a walk
//! over the rows inside it, summed into plain vectors by position and rolled
//! up the tree by position, instead of a walk over every record of a
//! `BTreeMap` with a hash lookup per record. At 10,000 people and ~200,000
//! deals a quarter's forecast reads ~25,000 rows of 48 bytes.
//!
//! An index describes the workspace it was built from, and only that one:
//! build a new one after any change (the app keeps one in a memo of the
//! document).

use crate::engine::org::IdMap;
use crate::model::*;
use crate::sort::Arrange;
use chrono::{Datelike, NaiveDate};

/// No position (an owner who is not a person of the workspace, a unit
/// without a parent).
pub const NONE: u32 = u32::MAX;

/// The org by position: people and units in id order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Org {
    /// People in id order; a person's position is their index here.
    pub people: Vec<Id>,
    person_at: IdMap<u32>,
    /// The unit (position) each person is in; `NONE` for a unit not in the workspace.
    pub person_unit: Vec<u32>,
    /// The person has not left.
    pub active: Vec<bool>,
    /// Units in id order.
    pub units: Vec<Id>,
    unit_at: IdMap<u32>,
    /// Each unit's parent (position); `NONE` for a root.
    pub parent: Vec<u32>,
    /// Units deepest first: adding each into its parent in this order leaves
    /// every unit with its whole subtree's total. Units in a cycle are left
    /// out (validation reports them).
    pub leaves_first: Vec<u32>,
    /// Each unit's child units, by (order, id).
    pub kids: Vec<Vec<u32>>,
    /// Each unit's people who have not left, in id order.
    pub members: Vec<Vec<u32>>,
}

impl Org {
    pub fn new(ws: &Workspace) -> Org {
        let units: Vec<Id> = ws.units.keys().copied().collect();
        let unit_at: IdMap<u32> = units.iter().enumerate().map(|(i, id)| (*id, i as u32)).collect();
        let parent: Vec<u32> = ws.units.values().map(|u| u.parent.and_then(|p| unit_at.get(&p).copied()).unwrap_or(NONE)).collect();
        let people: Vec<Id> = ws.people.keys().copied().collect();
        let person_at = people.iter().enumerate().map(|(i, id)| (*id, i as u32)).collect();
        let person_unit: Vec<u32> = ws.people.values().map(|p| unit_at.get(&p.unit).copied().unwrap_or(NONE)).collect();
        let active: Vec<bool> = ws.people.values().map(|p| p.status != Status::Left).collect();
        let by_depth = crate::engine::org::units_by_depth(ws);
        let leaves_first = by_depth.iter().rev().filter_map(|(id, _)| unit_at.get(id).copied()).collect();
        let mut kids: Vec<Vec<(u32, u32)>> = vec![Vec::new(); units.len()];
        for (i, u) in ws.units.values().enumerate() {
            if let Some(k) = kids.get_mut(parent[i] as usize) {
                k.push((u.order, i as u32));
            }
        }
        // Units are in id order, so (order, position) sorts as (order, id).
        let kids = kids
            .into_iter()
            .map(|mut k| {
                k.arrange();
                k.into_iter().map(|(_, i)| i).collect()
            })
            .collect();
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); units.len()];
        for (i, (u, a)) in person_unit.iter().zip(&active).enumerate() {
            if let (true, Some(m)) = (*a, members.get_mut(*u as usize)) {
                m.push(i as u32);
            }
        }
        Org { people, person_at, person_unit, active, units, unit_at, parent, leaves_first, kids, members }
    }

    /// Active people of a unit's whole subtree: the unit's own, then each
    /// child's subtree, the last child first. The order decides who gets a
    /// stray cent of a pool split.
    pub fn subtree_active(&self, root: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut stack = vec![root];
        let mut guard = 0;
        while let Some(u) = stack.pop() {
            guard += 1;
            if guard > self.units.len() + 1 {
                break; // cycle guard; validate() reports it
            }
            out.extend_from_slice(&self.members[u as usize]);
            stack.extend_from_slice(&self.kids[u as usize]);
        }
        out
    }

    /// A person's position.
    pub fn person(&self, id: Id) -> Option<u32> {
        self.person_at.get(&id).copied()
    }

    /// A unit's position.
    pub fn unit(&self, id: Id) -> Option<u32> {
        self.unit_at.get(&id).copied()
    }

    /// Per-unit totals of per-person values (by position): each person's
    /// value goes to their unit, then every unit's total to its parent,
    /// leaves first: the one roll-up walk of the engines (plan rollups,
    /// which have no index, use [`crate::engine::org::add_up_the_tree`]).
    pub fn roll_up<T: Default + Clone>(&self, people: &[T], add: impl Fn(&mut T, &T)) -> Vec<T> {
        let mut units = vec![T::default(); self.units.len()];
        for (p, v) in people.iter().enumerate() {
            if let Some(u) = units.get_mut(self.person_unit[p] as usize) {
                add(u, v);
            }
        }
        self.add_up(&mut units, add);
        units
    }

    /// Adds every unit's value into its parent's, leaves first.
    pub fn add_up<T: Clone>(&self, units: &mut [T], add: impl Fn(&mut T, &T)) {
        for u in &self.leaves_first {
            let p = self.parent[*u as usize];
            if p != NONE {
                let own = units[*u as usize].clone();
                add(&mut units[p as usize], &own);
            }
        }
    }

    /// Per-person values by id, leaving out those equal to the default
    /// (what an engine's `IdMap` result holds).
    pub fn people_map<T: Default + PartialEq + Clone>(&self, values: &[T]) -> IdMap<T> {
        let blank = T::default();
        let mut out = IdMap::with_capacity_and_hasher(values.len(), Default::default());
        out.extend(values.iter().zip(&self.people).filter(|(v, _)| **v != blank).map(|(v, id)| (*id, v.clone())));
        out
    }

    /// Per-unit values by id, every unit included.
    pub fn units_map<T: Clone>(&self, values: &[T]) -> IdMap<T> {
        let mut out = IdMap::with_capacity_and_hasher(values.len(), Default::default());
        out.extend(values.iter().zip(&self.units).map(|(v, id)| (*id, v.clone())));
        out
    }
}

/// One deal, as the period figures read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deal {
    /// The day it counts on (closed, else expected), days from the common era.
    pub day: i32,
    /// The owner's position, `NONE` for an owner who is not a person here.
    pub owner: u32,
    /// Calendar month of the day, 0–11.
    pub month0: u8,
    pub outcome: Outcome,
    pub category: ForecastCategory,
    /// Win probability, percent.
    pub probability: u8,
    pub amount: i64,
    /// Gross margin (0 when not known).
    pub margin: i64,
    /// Bit k: a won deal whose name or notes name product k of
    /// [`Index::product_bit`] (what a product SPIF counts).
    pub products: u8,
    /// The deal's id (for what reads its text, e.g. a product SPIF).
    pub id: Id,
}

/// One logged contact (a note is not one) as the activity counts read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Contact {
    pub day: i32,
    /// Who did it (position), `NONE` for someone not in the workspace.
    pub by: u32,
    pub kind: ActivityKind,
}

/// The index: see the module's documentation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Index {
    pub org: Org,
    /// Deals whose stage exists, by day (then id).
    deals: Vec<Deal>,
    /// Contacts by day.
    contacts: Vec<Contact>,
    /// (Day created, owner position) of customers with an owner, by day.
    customers: Vec<(i32, u32)>,
    /// The products the SPIFs count deals of (lower case, at most 8): a
    /// deal's `products` bits say which its text names.
    products: Vec<String>,
    /// What it was built from, to catch an index used with another document
    /// in debug builds.
    shape: [usize; 5],
}

/// The date a deal counts on: when it closed, else when it is expected to.
pub fn deal_date(o: &Opportunity) -> NaiveDate {
    o.closed.unwrap_or(o.close_date)
}

/// A day as the index stores it.
pub fn day(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

fn shape(ws: &Workspace) -> [usize; 5] {
    [ws.people.len(), ws.units.len(), ws.opportunities.len(), ws.activities.len(), ws.customers.len()]
}

/// The sections of the document an index is built from: an edit that
/// writes none of them leaves the index as it was (the app keeps it).
pub const SECTIONS: [crate::store::cells::Section; 7] = {
    use crate::store::cells::Section::*;
    [People, Units, Stages, Spifs, Opportunities, Activities, Customers]
};

/// Does a change writing `cells` change the index? (See [`SECTIONS`].)
pub fn changed_by(cells: &[crate::store::cells::CellKey]) -> bool {
    cells.iter().any(|c| SECTIONS.contains(&c.section))
}

/// Does a change writing `cells` write, of what the index reads, only the
/// org (units, people)? Then [`Index::with_org_of`] brings it up to date.
pub fn org_only(cells: &[crate::store::cells::CellKey]) -> bool {
    use crate::store::cells::Section::*;
    cells.iter().filter(|c| SECTIONS.contains(&c.section)).all(|c| matches!(c.section, Units | People))
}

impl Index {
    /// This index after a change to the org only (see [`org_only`]): the
    /// org built again, the deals, contacts and customers kept. They name
    /// people by position, which stays while the same people are there;
    /// when someone came or went, the whole index is built again.
    pub fn with_org_of(&self, ws: &Workspace) -> Index {
        let org = Org::new(ws);
        if org.people != self.org.people {
            return Index::new(ws);
        }
        Index {
            org,
            deals: self.deals.clone(),
            contacts: self.contacts.clone(),
            customers: self.customers.clone(),
            products: self.products.clone(),
            shape: shape(ws),
        }
    }

    pub fn new(ws: &Workspace) -> Index {
        let org = Org::new(ws);
        let outcome: IdMap<Outcome> = ws.stages.values().map(|s| (s.id, s.outcome)).collect();
        let owner = |id: &Id| org.person(*id).unwrap_or(NONE);
        let mut products: Vec<String> = ws
            .spifs
            .values()
            .filter_map(|s| match &s.measure {
                SpifMeasure::ProductDeals { product } => Some(product.trim().to_lowercase()),
                _ => None,
            })
            .collect();
        products.arrange();
        products.dedup();
        products.truncate(8);
        let names = |o: &Opportunity| {
            products
                .iter()
                .enumerate()
                .filter(|(_, p)| contains_ci(&o.name, p) || contains_ci(&o.notes, p))
                .fold(0u8, |m, (k, _)| m | 1 << k)
        };
        let mut deals: Vec<Deal> = ws
            .opportunities
            .values()
            .filter_map(|o| {
                let d = deal_date(o);
                let outcome = *outcome.get(&o.stage)?;
                Some(Deal {
                    day: day(d),
                    owner: owner(&o.owner),
                    month0: d.month0() as u8,
                    outcome,
                    products: if outcome == Outcome::Won { names(o) } else { 0 },
                    category: o.category,
                    probability: o.probability,
                    amount: o.amount.0,
                    margin: o.margin.map(|m| m.0).unwrap_or(0),
                    id: o.id,
                })
            })
            .collect();
        // Stable: deals of one day stay in id order.
        deals.arrange_by_num(|d| i64::from(d.day));
        let mut contacts: Vec<Contact> = ws
            .activities
            .values()
            .filter(|a| a.kind.is_contact())
            .map(|a| Contact { day: day(a.on), by: owner(&a.by), kind: a.kind })
            .collect();
        contacts.arrange_by_num(|c| i64::from(c.day));
        let mut customers: Vec<(i32, u32)> = ws.customers.values().filter_map(|c| c.owner.map(|o| (day(c.created), owner(&o)))).collect();
        customers.arrange_by_num(|c| i64::from(c.0));
        Index { org, deals, contacts, customers, products, shape: shape(ws) }
    }

    /// Checks (in debug builds) that the index was built from `ws`'s shape.
    pub fn debug_check(&self, ws: &Workspace) {
        debug_assert_eq!(self.shape, shape(ws), "an index used with a workspace it was not built from");
    }

    /// The bit of a product (lower case) in the deals' `products`, when
    /// the index keeps one for it.
    pub fn product_bit(&self, product: &str) -> Option<u8> {
        self.products.iter().position(|p| p == product).map(|k| 1 << k)
    }

    /// Deals that count in [from, to).
    pub fn deals(&self, from: NaiveDate, to: NaiveDate) -> &[Deal] {
        within(&self.deals, |d| d.day, from, to)
    }

    /// Contacts logged in [from, to).
    pub fn contacts(&self, from: NaiveDate, to: NaiveDate) -> &[Contact] {
        within(&self.contacts, |c| c.day, from, to)
    }

    /// Customers (created day, owner position) created in [from, to).
    pub fn customers(&self, from: NaiveDate, to: NaiveDate) -> &[(i32, u32)] {
        within(&self.customers, |c| c.0, from, to)
    }
}

/// Does `hay` contain `needle` (already lower-case), ignoring case? ASCII
/// text is compared in place; other text is lower-cased first.
pub fn contains_ci(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    // No cased letters in the needle (e.g. Chinese): a plain search will do.
    if needle.chars().all(|c| !c.is_alphabetic() || c.to_uppercase().eq(c.to_lowercase())) {
        return hay.contains(needle);
    }
    if hay.is_ascii() && needle.is_ascii() {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        return h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    hay.to_lowercase().contains(needle)
}

/// The rows of a slice sorted by day that fall in [from, to).
fn within<T>(rows: &[T], day_of: impl Fn(&T) -> i32, from: NaiveDate, to: NaiveDate) -> &[T] {
    let (a, b) = (day(from), day(to));
    if b <= a {
        return &[];
    }
    let start = rows.partition_point(|r| day_of(r) < a);
    let end = start + rows[start..].partition_point(|r| day_of(r) < b);
    &rows[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_is_half_open_and_empty_when_reversed() {
        let d = |m, dd| NaiveDate::from_ymd_opt(2026, m, dd).unwrap();
        let rows = [day(d(1, 1)), day(d(1, 31)), day(d(2, 1)), day(d(2, 1)), day(d(3, 1))];
        assert_eq!(within(&rows, |r| *r, d(1, 1), d(2, 1)).len(), 2);
        assert_eq!(within(&rows, |r| *r, d(2, 1), d(3, 1)).len(), 2);
        assert_eq!(within(&rows, |r| *r, d(1, 2), d(1, 31)).len(), 0);
        assert_eq!(within(&rows, |r| *r, d(3, 1), d(1, 1)).len(), 0);
        assert_eq!(within(&rows, |r| *r, d(1, 1), d(12, 1)).len(), 5);
    }
}
