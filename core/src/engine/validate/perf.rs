//! Pillar 3 rules: scorecards, KPIs and their entries, rating bands,
//! incentive plans, bonus pools and SPIFs. Each record's checks are a
//! function of their own so the edits refuse exactly what validation would
//! (derived ids aside: the edits compute them, validation checks them per
//! section in `derived`).

use super::derived::check_section;
use super::problem::{check_str, check_text};
use super::{Problem, MAX_AMOUNT};
use crate::limits::*;
use crate::model::*;
use crate::sort::Arrange;

fn rule(out: &mut Vec<Problem>, ok: bool, kind: Kind, id: Id, field: &'static str) {
    if !ok {
        out.push(Problem::OutOfRange { kind, id, field });
    }
}

/// A record's bilingual name: not blank, not too long.
fn name_rules(out: &mut Vec<Problem>, kind: Kind, id: Id, name: &Text) {
    if name.is_blank() {
        out.push(Problem::BlankName { kind, id });
    }
    check_text(out, kind, id, "name", name, MAX_NAME_CHARS);
}

/// An optional tier a record applies to must exist.
fn tier_ref(out: &mut Vec<Problem>, ws: &Workspace, kind: Kind, id: Id, tier: Option<Id>) {
    if let Some(t) = tier.filter(|t| !ws.tiers.contains_key(t)) {
        out.push(Problem::MissingRef { kind, id, field: "tier", target: t });
    }
}

fn money_ok(m: Money) -> bool {
    (0..=MAX_AMOUNT).contains(&m.0)
}

fn curve_ok(c: &Curve) -> bool {
    match c {
        Curve::Linear { cap_bp } => *cap_bp > 0 && *cap_bp <= MAX_ATTAINMENT_BP,
        Curve::Threshold { floor_bp, cap_bp } => *cap_bp > 0 && *cap_bp <= MAX_ATTAINMENT_BP && floor_bp <= cap_bp,
        Curve::Banded { bands } => {
            !bands.is_empty() && bands.len() <= MAX_BANDS && bands.iter().all(|(a, s)| *a <= MAX_ATTAINMENT_BP && *s <= MAX_ATTAINMENT_BP)
        }
    }
}

/// A tier's scorecard template.
pub fn check_scorecard(ws: &Workspace, t: &ScorecardTemplate) -> Vec<Problem> {
    let mut out = Vec::new();
    let k = Kind::Scorecard;
    if !ws.tiers.contains_key(&t.tier) {
        out.push(Problem::MissingRef { kind: k, id: t.id, field: "tier", target: t.tier });
    }
    if t.lines.len() > MAX_KPIS_PER_CARD {
        out.push(Problem::TooMany { kind: Kind::Kpi, count: t.lines.len(), max: MAX_KPIS_PER_CARD });
    }
    if !t.lines.is_empty() && t.weight_sum() != 10_000 {
        out.push(Problem::WeightsNot100 { tier: t.tier, total: t.weight_sum() });
    }
    for l in &t.lines {
        if let KpiKind::Custom(c) = l.kpi {
            if !ws.kpis.contains_key(&c) {
                out.push(Problem::MissingRef { kind: k, id: t.id, field: "kpi", target: c });
            }
        }
        rule(&mut out, curve_ok(&l.curve), k, t.id, "curve");
        rule(&mut out, l.goal <= MAX_ATTAINMENT_BP, k, t.id, "goal");
    }
    let mut kinds: Vec<KpiKind> = t.lines.iter().map(|l| l.kpi).collect();
    kinds.arrange();
    kinds.dedup();
    rule(&mut out, kinds.len() == t.lines.len(), k, t.id, "kpi");
    out
}

/// A manual KPI entry.
pub fn check_entry(ws: &Workspace, e: &KpiEntry) -> Vec<Problem> {
    let mut out = Vec::new();
    let k = Kind::KpiEntry;
    if !ws.people.contains_key(&e.person) {
        out.push(Problem::MissingRef { kind: k, id: e.id, field: "person", target: e.person });
    }
    // Activities were entered by hand before version 8: such entries stay
    // in the file, no longer read.
    if !e.kpi.is_manual() && e.kpi != KpiKind::Activities {
        out.push(Problem::NotManual { id: e.id });
    }
    if let KpiKind::Custom(c) = e.kpi {
        if !ws.kpis.contains_key(&c) {
            out.push(Problem::MissingRef { kind: k, id: e.id, field: "kpi", target: c });
        }
    }
    rule(&mut out, e.period.valid() && crate::limits::year_ok(e.year), k, e.id, "period");
    rule(&mut out, (0..=MAX_AMOUNT).contains(&e.actual), k, e.id, "actual");
    // A target of zero would leave the KPI without data: not an entry.
    rule(&mut out, (1..=MAX_AMOUNT).contains(&e.target), k, e.id, "target");
    if e.kpi == KpiKind::Strategic {
        rule(&mut out, e.actual <= 10_000 && e.target == 10_000, k, e.id, "actual");
    }
    check_str(&mut out, k, e.id, "note", &e.note, MAX_NOTE_CHARS);
    out
}

/// The rating bands.
pub fn check_bands(s: &PerfSettings) -> Vec<Problem> {
    let mut out = Vec::new();
    if s.bands.is_empty() || s.bands.len() > MAX_BANDS {
        out.push(Problem::TooMany { kind: Kind::Scorecard, count: s.bands.len(), max: MAX_BANDS });
    }
    let ordered = s.bands.windows(2).all(|w| w[0].min_bp > w[1].min_bp) && s.bands.last().is_some_and(|b| b.min_bp == 0);
    if !ordered {
        out.push(Problem::BandsOutOfOrder);
    }
    for b in &s.bands {
        if b.name.is_blank() {
            out.push(Problem::BlankName { kind: Kind::Scorecard, id: Id(uuid::Uuid::nil()) });
        }
        let len = b.name.max_chars();
        if len > MAX_SHORT_TEXT_CHARS || b.min_bp > MAX_ATTAINMENT_BP || b.guideline_bp > 10_000 {
            out.push(Problem::BandsOutOfOrder);
        }
    }
    out
}

/// An incentive plan.
pub fn check_plan(ws: &Workspace, p: &IncentivePlan) -> Vec<Problem> {
    let mut out = Vec::new();
    let k = Kind::IncentivePlan;
    name_rules(&mut out, k, p.id, &p.name);
    tier_ref(&mut out, ws, k, p.id, p.tier);
    for person in &p.people {
        if !ws.people.contains_key(person) {
            out.push(Problem::MissingRef { kind: k, id: p.id, field: "people", target: *person });
        }
    }
    if let (Some(a), Some(b)) = (p.from, p.to) {
        if b < a {
            out.push(Problem::DatesReversed { kind: k, id: p.id });
        }
    }
    let r = &p.rules;
    if r.tiers.len() > MAX_PLAN_TIERS {
        out.push(Problem::TooMany { kind: k, count: r.tiers.len(), max: MAX_PLAN_TIERS });
    }
    rule(&mut out, r.tiers.iter().all(|t| t.rate_bp <= MAX_RATE_BP), k, p.id, "rate");
    rule(&mut out, r.tiers.iter().all(|t| t.from_bp <= MAX_ATTAINMENT_BP), k, p.id, "tier");
    let mut froms: Vec<u32> = r.tiers.iter().map(|t| t.from_bp).collect();
    froms.arrange();
    froms.dedup();
    rule(&mut out, froms.len() == r.tiers.len(), k, p.id, "tier");
    rule(&mut out, r.threshold_bp <= MAX_ATTAINMENT_BP, k, p.id, "threshold");
    rule(&mut out, r.cap.is_none_or(money_ok), k, p.id, "cap");
    rule(&mut out, r.override_bp <= MAX_RATE_BP, k, p.id, "override");
    out
}

/// A bonus pool.
pub fn check_pool(ws: &Workspace, b: &BonusPool) -> Vec<Problem> {
    let mut out = Vec::new();
    let k = Kind::Pool;
    if !ws.units.contains_key(&b.unit) {
        out.push(Problem::MissingRef { kind: k, id: b.id, field: "unit", target: b.unit });
    }
    rule(&mut out, b.period.valid() && crate::limits::year_ok(b.year), k, b.id, "period");
    rule(&mut out, money_ok(b.amount), k, b.id, "amount");
    rule(&mut out, b.member_cap.is_none_or(money_ok), k, b.id, "cap");
    for (person, w) in &b.weights {
        if !ws.people.contains_key(person) {
            out.push(Problem::MissingRef { kind: k, id: b.id, field: "people", target: *person });
        }
        rule(&mut out, *w <= MAX_POOL_WEIGHT, k, b.id, "weight");
    }
    out
}

/// A SPIF.
pub fn check_spif(ws: &Workspace, s: &Spif) -> Vec<Problem> {
    let mut out = Vec::new();
    let k = Kind::Spif;
    name_rules(&mut out, k, s.id, &s.name);
    if s.to < s.from {
        out.push(Problem::DatesReversed { kind: k, id: s.id });
    }
    if let SpifMeasure::ProductDeals { product } = &s.measure {
        if product.trim().is_empty() {
            out.push(Problem::BlankName { kind: k, id: s.id });
        }
        check_str(&mut out, k, s.id, "product", product, MAX_NAME_CHARS);
    }
    rule(&mut out, (1..=MAX_AMOUNT).contains(&s.goal), k, s.id, "goal");
    rule(&mut out, money_ok(s.bonus), k, s.id, "bonus");
    tier_ref(&mut out, ws, k, s.id, s.tier);
    out
}

/// Keys match ids (`None`: a derived-id section, checked by
/// `check_section`) and no record is both live and deleted.
fn keyed<T>(out: &mut Vec<Problem>, ws: &Workspace, kind: Kind, map: &std::collections::BTreeMap<Id, T>, id: Option<fn(&T) -> Id>) {
    for (key, r) in map {
        if let Some(id) = id.filter(|id| *key != id(r)) {
            out.push(Problem::KeyMismatch { kind, key: *key, id: id(r) });
        }
        if ws.tombstones.contains_key(key) {
            out.push(Problem::DeletedButPresent { kind, id: *key });
        }
    }
}

pub(super) fn validate_perf(ws: &Workspace, out: &mut Vec<Problem>) {
    for (kind, count, max) in [
        (Kind::Kpi, ws.kpis.len(), MAX_CUSTOM_KPIS),
        (Kind::KpiEntry, ws.kpi_entries.len(), MAX_KPI_ENTRIES),
        (Kind::IncentivePlan, ws.incentive_plans.len(), MAX_PLANS),
        (Kind::Pool, ws.pools.len(), MAX_POOLS),
        (Kind::Spif, ws.spifs.len(), MAX_SPIFS),
        (Kind::Key, ws.keys.len(), MAX_KEYS),
    ] {
        if count > max {
            out.push(Problem::TooMany { kind, count, max });
        }
    }
    keyed(out, ws, Kind::Scorecard, &ws.scorecards, None);
    keyed(out, ws, Kind::Kpi, &ws.kpis, Some(|r| r.id));
    keyed(out, ws, Kind::KpiEntry, &ws.kpi_entries, None);
    keyed(out, ws, Kind::IncentivePlan, &ws.incentive_plans, Some(|r| r.id));
    keyed(out, ws, Kind::Pool, &ws.pools, None);
    keyed(out, ws, Kind::Spif, &ws.spifs, Some(|r| r.id));
    check_section(ws, &ws.scorecards, out);
    check_section(ws, &ws.kpi_entries, out);
    check_section(ws, &ws.pools, out);
    keyed(out, ws, Kind::Key, &ws.keys, None);
    check_section(ws, &ws.keys, out);
    for k in ws.keys.values() {
        check_text(out, Kind::Key, k.id, "name", &k.name, MAX_NAME_CHARS);
        rule(out, k.revoked_at.is_none_or(|t| t >= k.recorded_at), Kind::Key, k.id, "revoked_at");
    }
    for t in ws.scorecards.values() {
        out.extend(check_scorecard(ws, t));
    }
    for c in ws.kpis.values() {
        name_rules(out, Kind::Kpi, c.id, &c.name);
    }
    for e in ws.kpi_entries.values() {
        out.extend(check_entry(ws, e));
    }
    out.extend(check_bands(&ws.performance));
    for p in ws.incentive_plans.values() {
        out.extend(check_plan(ws, p));
    }
    for b in ws.pools.values() {
        out.extend(check_pool(ws, b));
    }
    for s in ws.spifs.values() {
        out.extend(check_spif(ws, s));
    }
}
