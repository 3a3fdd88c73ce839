//! How CRM records read: stage, category, segment and status labels.

use sales_tiers_core::io::csv::{category_names, segment_names, status_names};
use sales_tiers_core::model::*;
use sales_tiers_core::{Id, Lang, Workspace};

pub fn stage_name(w: &Workspace, id: Id, lang: Lang) -> String {
    w.stages.get(&id).map(|s| s.name.get(lang).to_string()).unwrap_or_else(|| lang.pick("（已删除）", "(removed)").to_string())
}

pub fn category_label(c: ForecastCategory, lang: Lang) -> &'static str {
    let (zh, en) = category_names(c);
    lang.pick(zh, en)
}

pub fn segment_label(s: Segment, lang: Lang) -> &'static str {
    let (zh, en) = segment_names(s);
    lang.pick(zh, en)
}

pub fn customer_status_label(s: CustomerStatus, lang: Lang) -> &'static str {
    let (zh, en) = status_names(s);
    lang.pick(zh, en)
}
