//! Records picked by typing their name: the labels a type-to-search field
//! offers, and which record a typed text names. Two customers may share a
//! name (two branches of one group, a typo fixed later); a field that
//! picks by name must tell them apart and never pick one of them silently.

use crate::model::Id;
use std::collections::HashMap;

/// One record a type-to-search field offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub id: Id,
    pub name: String,
    /// The name where no other choice shares it; else the name and the
    /// first details that tell the choices apart ("Acme · Beijing"), and
    /// as a last resort the start of the id.
    pub label: String,
}

/// Separates a name from what tells it apart in a label.
pub const SEP: &str = " · ";

/// How names compare when typed: spaces around and letter case aside.
fn folded(s: &str) -> String {
    s.trim().to_lowercase()
}

/// The choices for `items`: (id, name, details in order of preference,
/// e.g. region then owner). Order kept.
pub fn choices(items: Vec<(Id, String, Vec<String>)>) -> Vec<Choice> {
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (_, name, _)) in items.iter().enumerate() {
        by_name.entry(folded(name)).or_default().push(i);
    }
    let mut labels: Vec<String> = items.iter().map(|(_, name, _)| name.trim().to_string()).collect();
    for group in by_name.values().filter(|g| g.len() > 1) {
        let most = group.iter().map(|&i| items[i].2.len()).max().unwrap_or(0);
        let label = |i: usize, k: usize| {
            let (_, name, details) = &items[i];
            let mut l = name.trim().to_string();
            for d in details.iter().take(k).map(|d| d.trim()).filter(|d| !d.is_empty()) {
                l.push_str(SEP);
                l.push_str(d);
            }
            l
        };
        let distinct = |k: usize| {
            let mut seen = std::collections::HashSet::new();
            group.iter().all(|&i| seen.insert(folded(&label(i, k))))
        };
        match (1..=most).find(|&k| distinct(k)) {
            Some(k) => group.iter().for_each(|&i| labels[i] = label(i, k)),
            None => group.iter().for_each(|&i| labels[i] = format!("{}{SEP}#{}", label(i, most), &items[i].0 .0.simple().to_string()[..8])),
        }
    }
    items.into_iter().zip(labels).map(|((id, name, _), label)| Choice { id, name: name.trim().to_string(), label }).collect()
}

/// The record `typed` names: the one choice whose label it is, else the
/// one choice whose name it is (spaces around and letter case aside).
/// None when it names none, or a name several share.
pub fn pick(choices: &[Choice], typed: &str) -> Option<Id> {
    let t = folded(typed);
    if t.is_empty() {
        return None;
    }
    let only = |hits: Vec<Id>| if hits.len() == 1 { Some(hits[0]) } else { None };
    only(choices.iter().filter(|c| folded(&c.label) == t).map(|c| c.id).collect())
        .or_else(|| only(choices.iter().filter(|c| folded(&c.name) == t).map(|c| c.id).collect()))
}

/// How many choices are named `typed` (to say "3 customers are named …").
pub fn named(choices: &[Choice], typed: &str) -> usize {
    let t = folded(typed);
    choices.iter().filter(|c| folded(&c.name) == t).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn id(n: u8) -> Id {
        Id::from_random_bytes([n; 16])
    }

    fn item(n: u8, name: &str, details: &[&str]) -> (Id, String, Vec<String>) {
        (id(n), name.to_string(), details.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn a_name_of_its_own_is_its_label() {
        let c = choices(vec![item(1, " Acme ", &["Beijing"]), item(2, "Bolt", &["Shanghai"])]);
        assert_eq!(c[0].label, "Acme");
        assert_eq!(c[1].label, "Bolt");
        assert_eq!(pick(&c, "acme"), Some(id(1)));
        assert_eq!(pick(&c, "  BOLT "), Some(id(2)));
        assert_eq!(pick(&c, "Acm"), None);
        assert_eq!(pick(&c, ""), None);
    }

    #[test]
    fn shared_names_are_told_apart_by_the_first_details_that_do() {
        let c = choices(vec![
            item(1, "Acme", &["Beijing", "Li Lei"]),
            item(2, "acme", &["Shanghai", "Li Lei"]),
            item(3, "Acme", &["Beijing", "Han Mei"]),
            item(4, "Other", &["Beijing", "Li Lei"]),
        ]);
        assert_eq!(c[0].label, "Acme · Beijing · Li Lei");
        assert_eq!(c[1].label, "acme · Shanghai · Li Lei");
        assert_eq!(c[2].label, "Acme · Beijing · Han Mei");
        assert_eq!(c[3].label, "Other");
        // The name alone is not enough; the label is.
        assert_eq!(pick(&c, "Acme"), None);
        assert_eq!(named(&c, "ACME"), 3);
        assert_eq!(pick(&c, "acme · beijing · han mei"), Some(id(3)));
    }

    #[test]
    fn blank_details_are_skipped_and_twins_get_their_ids() {
        let c =
            choices(vec![item(1, "Acme", &["", "Li"]), item(2, "Acme", &["", "Han"]), item(3, "Twin", &["X"]), item(4, "Twin", &["X"])]);
        assert_eq!(c[0].label, "Acme · Li");
        assert_eq!(c[1].label, "Acme · Han");
        assert!(c[2].label.starts_with("Twin · X · #"));
        assert_ne!(c[2].label, c[3].label);
        assert_eq!(pick(&c, &c[3].label), Some(id(4)));
    }

    proptest! {
        /// Every label is different (names without the separator), and
        /// picking a label gives its record back.
        #[test]
        fn labels_are_unique_and_pick_their_record(
            rows in prop::collection::vec(("[ab]{1,2}", prop::collection::vec("[xy ]{0,2}", 0..3)), 1..12)
        ) {
            let items: Vec<_> = rows.iter().enumerate()
                .map(|(i, (name, details))| (id(i as u8), name.clone(), details.clone()))
                .collect();
            let c = choices(items);
            let mut seen = std::collections::HashSet::new();
            for x in &c {
                prop_assert!(seen.insert(folded(&x.label)), "label {:?} twice", x.label);
                prop_assert_eq!(pick(&c, &x.label), Some(x.id));
            }
        }
    }
}
