//! The shared index (engine::index) against plain walks over the records:
//! whatever the document holds (deals moved across periods, owners and
//! stages that are not in it, any fiscal year start), a period's figures,
//! activity counts, SPIF progress and targets read from the index equal
//! those of a walk over every record.

use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use sales_tiers_core::calendar::{fiscal_month_index, period_bounds, Period};
use sales_tiers_core::demo::{generate, DemoOptions};
use sales_tiers_core::engine::crm::{deal_date, forecast, Figures};
use sales_tiers_core::engine::index::Index;
use sales_tiers_core::engine::org::IdMap;
use sales_tiers_core::engine::perf::spif_progress;
use sales_tiers_core::engine::track::{revenue_targets, standings};
use sales_tiers_core::model::*;
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{Id, Workspace};
use std::sync::OnceLock;

fn demo() -> &'static Workspace {
    static WS: OnceLock<Workspace> = OnceLock::new();
    WS.get_or_init(|| generate(&DemoOptions { people: 77, ..DemoOptions::new(Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()) }))
}

/// A person's figures for [start, end) by walking every deal.
fn walk(ws: &Workspace, start: NaiveDate, end: NaiveDate) -> IdMap<Figures> {
    let mut out: IdMap<Figures> = IdMap::default();
    for o in ws.opportunities.values() {
        let d = deal_date(o);
        let (Some(stage), true, true) = (ws.stages.get(&o.stage), d >= start && d < end, ws.people.contains_key(&o.owner)) else {
            continue;
        };
        let f = out.entry(o.owner).or_default();
        let a = o.amount.0;
        match stage.outcome {
            Outcome::Won => {
                // Won counts in every category.
                for x in [&mut f.closed, &mut f.commit, &mut f.best_case, &mut f.pipeline] {
                    *x += a;
                }
                (f.won, f.margin) = (f.won + 1, f.margin + o.margin.map(|m| m.0).unwrap_or(0));
            }
            Outcome::Lost => {
                f.lost += 1;
                f.lost_amount += a;
            }
            Outcome::Open => {
                let in_cat = |c: ForecastCategory| o.category == c;
                if in_cat(ForecastCategory::Omitted) || in_cat(ForecastCategory::Closed) {
                    continue;
                }
                f.commit += if in_cat(ForecastCategory::Commit) { a } else { 0 };
                f.best_case += if in_cat(ForecastCategory::Pipeline) { 0 } else { a };
                f.pipeline += a;
                f.weighted_x100 += a as i128 * o.probability as i128;
                f.open += 1;
            }
        }
    }
    out.retain(|_, f| *f != Figures::ZERO);
    out
}

/// Changes the demo in ways a hand-edited or merged file can: deals moved
/// by up to two years either way, given to someone not in the workspace or
/// put in a stage that is not there; activities moved; another fiscal
/// year start.
fn shaken(moves: &[(usize, i64, u8)], start_month: u8) -> Workspace {
    let mut ws = demo().clone();
    ws.settings.fiscal_year_start_month = start_month;
    let ids: Vec<Id> = ws.opportunities.keys().copied().collect();
    let acts: Vec<Id> = ws.activities.keys().copied().collect();
    for (i, (pick, days, what)) in moves.iter().enumerate() {
        let o = ws.opportunities.get_mut(&ids[pick % ids.len()]).unwrap();
        let shift = |d: NaiveDate| d + chrono::Duration::days(*days);
        match what % 5 {
            0 => {
                o.close_date = shift(o.close_date);
                o.closed = o.closed.map(shift);
            }
            1 => o.owner = Id::from_random_bytes([i as u8; 16]),
            2 => o.stage = Id::from_random_bytes([200; 16]),
            3 => o.category = ForecastCategory::OPEN[(*days).rem_euclid(4) as usize],
            _ => {
                if !acts.is_empty() {
                    let a = ws.activities.get_mut(&acts[pick % acts.len()]).unwrap();
                    a.on = shift(a.on);
                }
            }
        }
    }
    ws
}

fn periods() -> Vec<Period> {
    let mut v = vec![Period::Year];
    v.extend((1..=4).map(Period::Quarter));
    v.extend((1..=12).map(Period::Month));
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn indexed_figures_equal_a_walk_over_every_record(
        moves in prop::collection::vec((0usize..100_000, -730i64..730, 0u8..5), 0..60),
        start_month in 1u8..=12,
        year in 2025i32..=2027,
    ) {
        let ws = shaken(&moves, start_month);
        let ix = Index::new(&ws);
        let by_month = sales_tiers_core::engine::work::MonthCounts::new(&ix, year, start_month, Period::Year);
        for period in periods() {
            let (start, end) = period_bounds(year, start_month, period);
            let fc = forecast(&ws, &ix, year, period);
            prop_assert_eq!(&fc.people, &walk(&ws, start, end), "{:?}", period);
            // Activity counts: contacts (not notes) per person.
            let counts = sales_tiers_core::engine::work::counts(&ix, start, end);
            let mut want: IdMap<i64> = IdMap::default();
            for a in ws.activities.values().filter(|a| a.on >= start && a.on < end && a.kind.is_contact()) {
                if ws.people.contains_key(&a.by) {
                    *want.entry(a.by).or_default() += 1;
                }
            }
            for p in ws.people.keys() {
                prop_assert_eq!(counts.get(*p, KpiKind::Activities), want.get(p).copied().unwrap_or(0));
            }
            // A statement's periods sum the year's month-by-month counts.
            prop_assert_eq!(by_month.period(ws.people.len(), period), sales_tiers_core::engine::work::counts_by_position(&ix, start, end), "{:?}", period);
        }
        // The year's won amounts by fiscal month.
        let (y0, y1) = period_bounds(year, start_month, Period::Year);
        let fc = forecast(&ws, &ix, year, Period::Year);
        let mut monthly: IdMap<[i64; 12]> = IdMap::default();
        for o in ws.opportunities.values() {
            let d = deal_date(o);
            let won = ws.stages.get(&o.stage).is_some_and(|s| s.outcome == Outcome::Won);
            if won && d >= y0 && d < y1 && ws.people.contains_key(&o.owner) {
                monthly.entry(o.owner).or_insert([0; 12])[fiscal_month_index(d, start_month)] += o.amount.0;
            }
        }
        monthly.retain(|_, m| *m != [0; 12]);
        prop_assert_eq!(&fc.people_monthly, &monthly);
        // SPIFs: won amount or new customers between the SPIF's days, both ends in.
        for s in ws.spifs.values() {
            prop_assert_eq!(spif_progress(&ws, &ix, s), spif_walk(&ws, s));
        }
    }
}

/// Revenue targets by position equal the plan's rollup: a unit's own line,
/// else the sum of the people's lines below it; a person's own line.
#[test]
fn targets_by_position_equal_the_plan_rollup() {
    let ws = demo();
    let ix = Index::new(ws);
    let year = 2026;
    let roll = sales_tiers_core::engine::plan::rollup(ws, &ws.plan, TargetKind::Revenue, year);
    for period in periods() {
        let t = revenue_targets(ws, &ix, year, period);
        let sum = |m: &[i64; 12]| m[period.months()].iter().sum::<i64>();
        for (u, r) in &roll {
            let own = ws.plan.target(*u, TargetKind::Revenue, year).is_some();
            assert_eq!(t[u], sum(if own { &r.own } else { &r.leaves }), "{u} {period:?}");
        }
        for p in ws.people.keys() {
            let line = ws.plan.target(*p, TargetKind::Revenue, year).map(|l| sum(&l.months)).unwrap_or(0);
            assert_eq!(t[p], line);
        }
    }
    // And the standings read them: a target of some unit is not zero.
    let st = standings(ws, &ix, year, Period::Year, NaiveDate::from_ymd_opt(year, 6, 1).unwrap());
    let root = ws.root().unwrap().id;
    assert_eq!(st[&root].target, t_year(ws, &ix, root, year));
    assert!(st[&root].target > 0);
}

fn t_year(ws: &Workspace, ix: &Index, owner: Id, year: i32) -> i64 {
    revenue_targets(ws, ix, year, Period::Year)[&owner]
}

/// A unit's active people by position come in the order of the walk the
/// pool splits used before (it decides who gets a stray cent): the unit's
/// own members in id order, then its children's subtrees, the last child
/// (by order, then id) first.
#[test]
fn subtree_members_by_position_keep_the_walk_order() {
    let ws = demo();
    let ix = Index::new(ws);
    let kids = sales_tiers_core::engine::org::children_map(ws);
    let by_unit = sales_tiers_core::engine::org::members(ws);
    fn walk(kids: &IdMap<Vec<Id>>, by_unit: &IdMap<Vec<&Person>>, root: Id) -> Vec<Id> {
        let mut out: Vec<Id> = by_unit.get(&root).into_iter().flatten().map(|p| p.id).collect();
        for k in kids.get(&root).into_iter().flatten().rev() {
            out.extend(walk(kids, by_unit, *k));
        }
        out
    }
    for u in ws.units.keys() {
        let want = walk(&kids, &by_unit, *u);
        let got: Vec<Id> = ix.org.subtree_active(ix.org.unit(*u).unwrap()).into_iter().map(|p| ix.org.people[p as usize]).collect();
        assert_eq!(got, want);
    }
}

/// What a SPIF counts, by walking every record.
fn spif_walk(ws: &Workspace, s: &Spif) -> IdMap<i64> {
    let mut want: IdMap<i64> = IdMap::default();
    match &s.measure {
        SpifMeasure::NewCustomers => {
            for c in ws.customers.values().filter(|c| c.created >= s.from && c.created <= s.to) {
                if let Some(o) = c.owner.filter(|o| ws.people.contains_key(o)) {
                    *want.entry(o).or_default() += 1;
                }
            }
        }
        m => {
            for o in ws.opportunities.values() {
                let d = deal_date(o);
                let won = ws.stages.get(&o.stage).is_some_and(|st| st.outcome == Outcome::Won);
                if !won || d < s.from || d > s.to || !ws.people.contains_key(&o.owner) {
                    continue;
                }
                match m {
                    SpifMeasure::ProductDeals { product } => {
                        let p = product.trim().to_lowercase();
                        if o.name.to_lowercase().contains(&p) || o.notes.to_lowercase().contains(&p) {
                            *want.entry(o.owner).or_default() += 1;
                        }
                    }
                    _ => *want.entry(o.owner).or_default() += o.amount.0,
                }
            }
        }
    }
    want.retain(|_, v| *v != 0);
    want
}

/// More product SPIFs than the index marks deals for (8): the others read
/// each won deal's text, and every one counts the same as a walk.
#[test]
fn product_spifs_past_those_the_index_marks_count_the_same() {
    let mut ws = demo().clone();
    let model = ws.spifs.values().next().unwrap().clone();
    // Products named in the demo's deals (names and pieces of them), and a
    // Latin one in another case than the text's.
    let mut names: Vec<String> = ws
        .opportunities
        .values()
        .flat_map(|o| [o.name.clone(), o.name.chars().take(2).collect(), o.name.chars().skip(1).take(3).collect()])
        .collect();
    names.arrange();
    names.dedup();
    names.truncate(11);
    names.push("ACME".to_string());
    assert!(names.len() > 8);
    for (i, n) in names.iter().enumerate() {
        let id = Id::from_random_bytes([100 + i as u8; 16]);
        let from = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        ws.spifs.insert(id, Spif { id, from, to, measure: SpifMeasure::ProductDeals { product: format!(" {n} ") }, ..model.clone() });
    }
    let ix = Index::new(&ws);
    // Deals counted for products the index marks, and for those it does not.
    let mut counted = [0, 0];
    for s in ws.spifs.values() {
        let got = spif_progress(&ws, &ix, s);
        assert_eq!(got, spif_walk(&ws, s), "{:?}", s.measure);
        if let SpifMeasure::ProductDeals { product } = &s.measure {
            counted[usize::from(ix.product_bit(&product.trim().to_lowercase()).is_none())] += got.values().sum::<i64>();
        }
    }
    assert!(counted[0] > 0 && counted[1] > 0, "both ways count some won deals: {counted:?}");
}
