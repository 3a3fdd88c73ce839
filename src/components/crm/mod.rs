//! CRM view pieces shared by the customers, pipeline and forecast pages:
//! labels, the customer and opportunity dialogs, and the CSV import dialog.

mod csv;
mod customer_form;
mod customer_pick;
mod format;
mod opportunity_form;

pub use csv::{export_customers, export_opportunities, CsvImport};
pub use customer_form::CustomerForm;
pub use customer_pick::{CustomerPick, CustomerText};
pub use format::*;
pub use opportunity_form::OpportunityForm;

use sales_tiers_core::engine::crm::deal_date;
use sales_tiers_core::engine::org::IdMap;
use sales_tiers_core::model::{ForecastCategory, Outcome, Status};
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{Id, Lang, Workspace};
use std::collections::HashSet;
use std::sync::Arc;

/// A deal as the Pipeline table and board show it. Names are shared
/// strings: a customer's or an owner's is built once for all their deals,
/// and a line is copied without copying text.
#[derive(Clone, Debug, PartialEq)]
pub struct DealLine {
    pub id: Id,
    pub name: Arc<str>,
    pub customer: Arc<str>,
    pub owner: Arc<str>,
    pub amount: i64,
    pub close: chrono::NaiveDate,
    pub stage: Id,
    pub stage_order: u32,
    pub outcome: Outcome,
    pub probability: u8,
    pub category: ForecastCategory,
    pub owner_id: Id,
    /// The name and the customer in lower case, as the search reads them
    /// (worked out with the line, not at every keystroke).
    pub search: Arc<str>,
}

impl DealLine {
    /// Does the search (already in lower case) find this deal? Each word of
    /// it, in the name or the customer, in any order ("lathe hengtai").
    pub fn found_by(&self, q: &str) -> bool {
        q.split_whitespace().all(|w| self.search.contains(w))
    }
}

/// Every deal whose owner is in `scope` (None: everyone's), by id; deals
/// at a stage the document does not have are left out.
pub fn deal_lines(w: &Workspace, scope: Option<&HashSet<Id>>, lang: Lang) -> IdMap<DealLine> {
    let mut customers: IdMap<Arc<str>> = IdMap::default();
    let mut owners: IdMap<Arc<str>> = IdMap::default();
    w.opportunities
        .values()
        .filter(|o| in_scope(w, scope, Some(o.owner)))
        .filter_map(|o| {
            let customer = customers.entry(o.customer).or_insert_with(|| customer_name(w, o.customer)).clone();
            let owner = owners.entry(o.owner).or_insert_with(|| w.person_name(Some(o.owner), lang).into()).clone();
            Some((o.id, line(w, o, customer, owner)?))
        })
        .collect()
}

/// The changes to the deal lines' inputs since they were last built: some
/// deals, and the deals of some owners (a person renamed or moved: their
/// name and their unit, which puts their deals in or out of the view-as
/// scope); or anything (a unit, stage or customer changed, the workspace
/// was replaced): then they are built again.
#[derive(Debug)]
pub enum DealEdits {
    Only { deals: HashSet<Id>, owners: HashSet<Id> },
    All,
}

impl Default for DealEdits {
    fn default() -> Self {
        DealEdits::Only { deals: Default::default(), owners: Default::default() }
    }
}

impl DealEdits {
    /// Notes the cells an edit wrote (`relabel`: it changed only names of
    /// people and units). A deal's own cell names its line, a person's names
    /// their deals' lines; a unit's name is on no line; the other sections
    /// the lines read (units, stages, customers) change many.
    pub fn note(&mut self, cells: &[sales_tiers_core::store::cells::CellKey], relabel: bool) {
        use sales_tiers_core::store::cells::Section;
        for c in cells {
            if relabel && c.section == Section::Units {
                continue;
            }
            match (c.section, c.id, &mut *self) {
                (Section::Opportunities, Some(id), DealEdits::Only { deals, .. }) => {
                    deals.insert(id);
                }
                (Section::People, Some(id), DealEdits::Only { owners, .. }) => {
                    owners.insert(id);
                }
                (Section::Units | Section::Stages | Section::Customers, ..) | (Section::Opportunities | Section::People, None, _) => {
                    *self = DealEdits::All
                }
                _ => {}
            }
        }
    }

    /// The deals whose lines to build again, in `w` as it is now (None:
    /// every line, built anew).
    pub fn deals(self, w: &Workspace) -> Option<HashSet<Id>> {
        let DealEdits::Only { mut deals, owners } = self else { return None };
        if !owners.is_empty() {
            deals.extend(w.opportunities.values().filter(|o| owners.contains(&o.owner)).map(|o| o.id));
        }
        Some(deals)
    }
}

/// Brings `lines`, built by [`deal_lines`] for the same scope and language,
/// up to date after the deals in `changed` were edited (nothing else): each
/// is built again, or left out when it is gone, out of scope or at a stage
/// the document does not have. Equal to building them all again.
pub fn update_deal_lines(lines: &mut IdMap<DealLine>, w: &Workspace, scope: Option<&HashSet<Id>>, lang: Lang, changed: &HashSet<Id>) {
    for id in changed {
        let now = w
            .opportunities
            .get(id)
            .filter(|o| in_scope(w, scope, Some(o.owner)))
            .and_then(|o| line(w, o, customer_name(w, o.customer), w.person_name(Some(o.owner), lang).into()));
        match now {
            Some(l) => lines.insert(*id, l),
            None => lines.remove(id),
        };
    }
}

fn customer_name(w: &Workspace, customer: Id) -> Arc<str> {
    w.customers.get(&customer).map(|c| c.name.as_str()).unwrap_or_default().into()
}

/// One deal's line (None: its stage is not in the document).
fn line(w: &Workspace, o: &sales_tiers_core::model::Opportunity, customer: Arc<str>, owner: Arc<str>) -> Option<DealLine> {
    let st = w.stages.get(&o.stage)?;
    Some(DealLine {
        id: o.id,
        search: format!("{} {customer}", o.name).to_lowercase().into(),
        name: o.name.as_str().into(),
        customer,
        owner,
        owner_id: o.owner,
        amount: o.amount.0,
        close: deal_date(o),
        stage: o.stage,
        stage_order: st.order,
        outcome: st.outcome,
        probability: o.probability,
        category: o.category,
    })
}

/// People who can own records (not leavers), within the view-as scope, by
/// unit then name in the reader's order (Chinese by pinyin), as "name ·
/// unit". A signal: the people are listed (cheap) on every document
/// change, and sorted by the browser only when that list changes.
pub fn owner_options_memo(s: crate::state::AppState) -> leptos::prelude::Memo<Vec<(Id, String)>> {
    use leptos::prelude::*;
    let listed = Memo::new(move |_| {
        let (lang, scope) = (s.lang.get(), s.scope());
        let list = s.ws.with(|w| {
            w.people
                .values()
                .filter(|p| p.status != Status::Left && scope.as_ref().is_none_or(|sc| sc.contains(&p.unit)))
                .map(|p| {
                    (w.units.get(&p.unit).map(|u| u.name.get(lang).to_string()).unwrap_or_default(), p.name.get(lang).to_string(), p.id)
                })
                .collect::<Vec<_>>()
        });
        (lang, list)
    });
    Memo::new(move |_| {
        listed.with(|(lang, list)| {
            let order = crate::browser::NameOrder::of(list.iter().flat_map(|(unit, name, _)| [unit.as_str(), name.as_str()]), *lang);
            let mut ranked: Vec<_> =
                list.iter().map(|(unit, name, id)| ((order.rank(unit), order.rank(name), *id), format!("{name} · {unit}"))).collect();
            ranked.arrange();
            ranked.into_iter().map(|((_, _, id), label)| (id, label)).collect()
        })
    })
}

/// Is this person's record visible under the current view-as scope?
pub fn in_scope(w: &Workspace, scope: Option<&HashSet<Id>>, person: Option<Id>) -> bool {
    match scope {
        None => true,
        Some(s) => person.and_then(|p| w.people.get(&p)).is_some_and(|p| s.contains(&p.unit)),
    }
}
