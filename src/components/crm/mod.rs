//! CRM view pieces shared by the customers, pipeline and forecast pages:
//! labels, the customer and opportunity dialogs, and the CSV import dialog.

mod csv;
mod customer_form;
mod format;
mod opportunity_form;

pub use csv::{export_customers, export_opportunities, CsvImport};
pub use customer_form::CustomerForm;
pub use format::*;
pub use opportunity_form::OpportunityForm;

use sales_tiers_core::model::Status;
use sales_tiers_core::{Id, Lang, Workspace};
use std::collections::HashSet;

/// People who can own records (not leavers), within the view-as scope, by unit then name.
pub fn owner_options(w: &Workspace, lang: Lang, scope: Option<&HashSet<Id>>) -> Vec<(Id, String)> {
    let mut v: Vec<(String, String, Id)> = w
        .people
        .values()
        .filter(|p| p.status != Status::Left && scope.is_none_or(|s| s.contains(&p.unit)))
        .map(|p| {
            let unit = w.units.get(&p.unit).map(|u| u.name.get(lang).to_string()).unwrap_or_default();
            (unit, p.name.get(lang).to_string(), p.id)
        })
        .collect();
    v.sort();
    v.into_iter().map(|(unit, name, id)| (id, format!("{name} · {unit}"))).collect()
}

/// Is this person's record visible under the current view-as scope?
pub fn in_scope(w: &Workspace, scope: Option<&HashSet<Id>>, person: Option<Id>) -> bool {
    match scope {
        None => true,
        Some(s) => person.and_then(|p| w.people.get(&p)).is_some_and(|p| s.contains(&p.unit)),
    }
}
