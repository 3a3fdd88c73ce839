//! How CRM records read: stage, category, segment and status labels.

use crate::i18n::{either, T};
use sales_tiers_core::io::csv::{category_names, segment_names, status_names};
use sales_tiers_core::model::*;
use sales_tiers_core::{Id, Lang, Workspace};

pub fn stage_name(w: &Workspace, id: Id, lang: Lang) -> String {
    w.stages.get(&id).map(|s| s.name.get(lang).to_string()).unwrap_or_else(|| T::StageRemoved.get(lang).to_string())
}

pub fn category_label(c: ForecastCategory, lang: Lang) -> &'static str {
    either(lang, category_names(c))
}

pub fn segment_label(s: Segment, lang: Lang) -> &'static str {
    either(lang, segment_names(s))
}

pub fn customer_status_label(s: CustomerStatus, lang: Lang) -> &'static str {
    either(lang, status_names(s))
}
