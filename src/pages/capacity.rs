//! Headcount and capacity: each unit's reps, planned hires and expected
//! leavers, ramp-adjusted capacity against its target, reps needed and the
//! gap; the capacity assumptions; time allocation per tier and per person.

use crate::components::cell::{self, refusal, Refusal};
use crate::components::filters::id_select;
use crate::components::format::figure_width;
use crate::components::plan_bar::PlanBar;
use crate::components::reveal::{first_keyed, reveal};
use crate::components::tree::indent;
use crate::i18n::T;
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::engine::org::subtree_with_depth;
use sales_tiers_core::engine::plan::{capacities, format_units, Capacity};
use sales_tiers_core::io::input::{parse_amount, parse_expected_attainment, parse_ramp, InputError};
use sales_tiers_core::model::{Hire, Money, Split, Status};
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{Edit, Id};

#[component]
pub fn CapacityPage() -> impl IntoView {
    let s = use_app();
    let editing: RwSignal<Option<Id>> = RwSignal::new(None);
    let rows = Memo::new(move |_| {
        let (year, sc, lang) = (s.year.get(), s.scenario.get(), s.lang.get());
        let top = s.top_unit();
        s.ws.with(|w| {
            let Some(plan) = w.plan_of(sc) else { return Vec::new() };
            let Some(root) = top else { return Vec::new() };
            let caps = capacities(w, plan, year);
            subtree_with_depth(w, root)
                .into_iter()
                .map(|(u, depth)| {
                    let hc = plan.headcount.get(&sales_tiers_core::model::HeadcountPlan::id_for(u, year)).cloned();
                    (u, depth, w.units[&u].name.get(lang).to_string(), caps.units[&u].clone(), hc)
                })
                .collect::<Vec<_>>()
        })
    });
    let shown = reveal(move || rows.with_untracked(|v| v.len()));
    view! {
        <section class="page wide-page">
            <h2 class="page-title">{move || s.t(T::NavCapacity)}</h2>
            <PlanBar/>
            <p class="muted small">{move || s.t(T::CapacityHelp)}</p>
            <div class="card matrix-card">
                // The figure columns are as wide as the widest of them.
                <table class="table matrix capacity long" data-testid="capacity-table" style=move || rows.with(|v| {
                    figure_width(v.iter().flat_map(|(_, _, _, c, _)| [c.ramped(), c.effective, c.target, c.gap].map(format_units)))
                })>
                    <thead><tr>
                        <th class="name-col">{move || s.t(T::Unit)}</th>
                        <th class="num">{move || s.t(T::Reps)}</th>
                        <th class="num">{move || s.t(T::PlannedHires)}</th>
                        <th class="num">{move || s.t(T::Attrition)}</th>
                        <th class="num">{move || s.t(T::RampedQuota)}</th>
                        <th class="num">{move || s.t(T::EffectiveCapacity)}</th>
                        <th class="num">{move || s.t(T::Revenue)}</th>
                        <th class="num">{move || s.t(T::RepsNeeded)}</th>
                        <th class="num">{move || s.t(T::Gap)}</th>
                        <th></th>
                    </tr></thead>
                    <tbody>
                        // Keyed by what a row shows (its editor opens in place, the button
                        // keeps the focus); a screenful with the page, the rest in the next tasks.
                        <For each=move || {
                                let (lang, n) = (s.lang.get(), shown.get());
                                rows.with(|v| first_keyed(v, n, lang))
                            }
                            key=|x| x.0 children=move |(_, (u, depth, name, c, hc), lang): (u64, (Id, usize, String, Capacity, _), _)| {
                                let short = c.gap.0 > 0;
                                let panel = move || (editing.get() == Some(u)).then(|| view! { <tr class="cascade-row"><td colspan="10"><HeadcountEditor unit=u plan=hc.clone() on_done=Callback::new(move |_| editing.set(None))/></td></tr> });
                                view! {
                                    <tr data-testid="capacity-row" data-id=u.to_string() data-name=name.clone()>
                                        <td class="name-col"><span class="unit-name" style=indent(depth)>{name.clone()}</span></td>
                                        <td class="num">{c.reps}</td>
                                        <td class="num" data-testid="hires">{c.planned_hires}</td>
                                        <td class="num">{c.attrition}</td>
                                        <td class="num">{format_units(c.ramped())}</td>
                                        <td class="num strong" data-testid="capacity">{format_units(c.effective)}</td>
                                        <td class="num">{format_units(c.target)}</td>
                                        <td class="num" data-testid="reps-needed">{c.reps_needed}</td>
                                        <td class="num" class:alert=short data-testid="gap">{format_units(c.gap)}</td>
                                        <td><button class="btn small ghost" data-testid="edit-headcount" on:click=move |_| editing.update(|e| *e = if *e == Some(u) { None } else { Some(u) })>{T::HeadcountPlan.get(lang)}</button></td>
                                    </tr>
                                    {panel}
                                }
                            }
                        />
                    </tbody>
                </table>
            </div>
            <div class="grid2">
                <AssumptionsCard/>
                <TimeCard/>
            </div>
        </section>
    }
}

#[component]
fn HeadcountEditor(unit: Id, plan: Option<sales_tiers_core::model::HeadcountPlan>, on_done: Callback<()>) -> impl IntoView {
    let s = use_app();
    let hires: RwSignal<Vec<(u8, u32)>> =
        RwSignal::new(plan.as_ref().map(|p| p.hires.iter().map(|h| (h.month, h.count)).collect()).unwrap_or_default());
    let attrition = RwSignal::new(plan.as_ref().map(|p| p.attrition).unwrap_or(0));
    view! {
        <form class="panel-form" data-testid="headcount-form" on:submit=move |ev| {
            ev.prevent_default();
            let list = hires.get_untracked().into_iter().filter(|(_, c)| *c > 0).map(|(month, count)| Hire { month, count }).collect();
            let edit = Edit::SetHeadcount { scenario: s.scenario.get_untracked(), unit, year: s.year.get_untracked(), hires: list, attrition: attrition.get_untracked() };
            if s.dispatch(edit) { on_done.run(()); }
        }>
            {move || {
                let lang = s.lang.get();
                hires.get().into_iter().enumerate().map(|(i, (m, c))| view! {
                    <span class="hire">
                        <span class="muted">{T::HiresIn.get(lang)}</span>
                        <select data-testid="hire-month" on:change=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(1); hires.update(|h| h[i].0 = v); }>
                            {(1u8..=12).map(|x| view! { <option value=x.to_string() prop:selected=x == m>{T::FiscalMonthN.fill(lang, &[&x])}</option> }).collect_view()}
                        </select>
                        <input type="number" class="short" min="0" max="10000" data-testid="hire-count" prop:value=c.to_string()
                            on:input=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(0); hires.update(|h| h[i].1 = v); }/>
                    </span>
                }).collect_view()
            }}
            <button type="button" class="btn small" data-testid="add-hire" on:click=move |_| hires.update(|h| h.push((1, 1)))>{move || s.t(T::AddHires)}</button>
            <label class="hire"><span class="muted">{move || s.t(T::Attrition)}</span>
                <input type="number" class="short" min="0" data-testid="attrition" prop:value=move || attrition.get().to_string() on:input=move |ev| attrition.set(event_target_value(&ev).parse().unwrap_or(0))/></label>
            <button type="submit" class="btn small primary" data-testid="headcount-save">{move || s.t(T::Save)}</button>
            <button type="button" class="btn small ghost" on:click=move |_| on_done.run(())>{move || s.t(T::Cancel)}</button>
        </form>
    }
}

#[component]
fn AssumptionsCard() -> impl IntoView {
    let s = use_app();
    let current = move || s.ws.with(|w| w.plan_of(s.scenario.get()).map(|p| p.assumptions.clone()));
    // One assumption changed, the others as stored.
    let save = move |quota: Option<Money>, att: Option<u32>, ramp: Option<Vec<u32>>| -> Result<(), Refusal> {
        let Some(a) = s.ws.with_untracked(|w| w.plan_of(s.scenario.get_untracked()).map(|p| p.assumptions.clone())) else { return Ok(()) };
        let edit = Edit::SetAssumptions {
            scenario: s.scenario.get_untracked(),
            quota_per_rep: quota.unwrap_or(a.quota_per_rep),
            expected_attainment: att.unwrap_or(a.expected_attainment),
            ramp: ramp.unwrap_or(a.ramp),
        };
        s.try_dispatch(edit).map(|_| ()).map_err(|e| refusal(|l| e.message(l)))
    };
    let quota_shown = move || current().map(|a| format_units(a.quota_per_rep)).unwrap_or_default();
    let att_shown = move || current().map(|a| a.expected_attainment.to_string()).unwrap_or_default();
    let ramp_shown = move || current().map(|a| a.ramp.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", ")).unwrap_or_default();
    view! {
        <article class="card">
            <h3>{move || s.t(T::Assumptions)}</h3>
            <div class="form">
                {assumption_field(T::QuotaPerRep, "quota-per-rep", "decimal", quota_shown, parse_amount, move |m| save(Some(m), None, None))}
                {assumption_field(T::ExpectedAttainment, "expected-attainment", "numeric", att_shown, parse_expected_attainment, move |v| save(None, Some(v), None))}
                {assumption_field(T::Ramp, "ramp", "text", ramp_shown, parse_ramp, move |v| save(None, None, Some(v)))}
            </div>
            <p class="muted small">{move || s.t(T::RampHelp)}</p>
        </article>
    }
}

/// One labelled assumption: typed text read by core's `parse`, then saved;
/// a refusal (unreadable, or refused by the edit) is said under the field
/// and the stored value comes back on blur, as in a targets cell.
fn assumption_field<V: 'static>(
    label: T,
    testid: &'static str,
    inputmode: &'static str,
    shown: impl Fn() -> String + Copy + Send + Sync + 'static,
    parse: fn(&str) -> Result<V, InputError>,
    save: impl Fn(V) -> Result<(), Refusal> + Copy + 'static,
) -> impl IntoView {
    let s = use_app();
    let msg = RwSignal::new(None::<Refusal>);
    view! {
        <label><span>{move || s.t(label)}</span>
            <span class="field-wrap">
                <input type="text" inputmode=inputmode data-testid=testid prop:value=shown aria-invalid=move || msg.get().map(|_| "true")
                    on:input=move |_| msg.set(None)
                    on:change=move |ev| {
                        let r = parse(&event_target_value(&ev)).map_err(|e| refusal(|l| e.message(l))).and_then(save);
                        if r.is_err() {
                            cell::refused(&ev, untrack(shown));
                        }
                        cell::show(s, msg, r.err());
                    }/>
                // Said aloud by the live region; kept out of the field's name.
                <span aria-hidden="true">{cell::message(s, msg)}</span>
            </span></label>
    }
}

const PARTS: [T; 5] = [T::TimeStrategy, T::TimeCoaching, T::TimeSelling, T::TimeAdmin, T::TimeOther];

/// Five percentage fields and a save button for one owner's split.
#[component]
fn SplitEditor(owner: Id, split: Split, overridden: bool) -> impl IntoView {
    let s = use_app();
    let parts = RwSignal::new(split.parts());
    let total = move || parts.get().iter().map(|x| *x as u32).sum::<u32>();
    view! {
        <div class="split-editor" data-testid="split-editor">
            {(0..5).map(|i| view! {
                <label class="split-part"><span class="muted small">{move || s.t(PARTS[i])}</span>
                    <input type="number" min="0" max="100" class="short" prop:value=move || parts.get()[i].to_string()
                        on:input=move |ev| { let v = event_target_value(&ev).parse::<u8>().unwrap_or(0).min(100); parts.update(|p| p[i] = v); }/></label>
            }).collect_view()}
            <span class="split-total" class:alert=move || total() != 100>{move || format!("{}%", total())}</span>
            <button class="btn small" disabled=move || total() != 100 on:click=move |_| { s.dispatch(Edit::SetTimeSplit { owner, split: Some(Split::from_parts(parts.get_untracked())) }); }>{move || s.t(T::Save)}</button>
            {overridden.then(|| view! { <button class="btn small ghost" on:click=move |_| { s.dispatch(Edit::SetTimeSplit { owner, split: None }); }>{move || s.t(T::UseTierDefault)}</button> })}
        </div>
    }
}

#[component]
fn TimeCard() -> impl IntoView {
    let s = use_app();
    let person: RwSignal<Option<Id>> = RwSignal::new(None);
    // The people to choose from, rebuilt when the list changes, not on every edit.
    let people = Memo::new(move |_| {
        let lang = s.lang.get();
        s.ws.with(|w| {
            let mut v: Vec<(Id, String)> =
                w.people.values().filter(|p| p.status != Status::Left).map(|p| (p.id, p.name.get(lang).to_string())).collect();
            let order = crate::browser::NameOrder::of(v.iter().map(|x| x.1.as_str()), lang);
            v.arrange_by_cached_key(|x| order.rank(&x.1));
            v
        })
    });
    view! {
        <article class="card">
            <h3>{move || s.t(T::TimeAllocation)}</h3>
            {move || {
                let lang = s.lang.get();
                s.ws.with(|w| w.tiers_in_order().into_iter().map(|t| (t.id, t.name.get(lang).to_string(), w.tier_split(t.id), w.time_splits.contains_key(&sales_tiers_core::model::TimeSplit::id_for(t.id)))).collect::<Vec<_>>())
                    .into_iter().map(|(id, name, split, set)| view! {
                        <div class="split-row"><strong>{name}</strong><SplitEditor owner=id split=split overridden=set/></div>
                    }).collect_view()
            }}
            <div class="split-row">
                <strong>{move || s.t(T::PersonOverride)}</strong>
                <label class="bare-label"><span class="visually-hidden">{move || s.t(T::PersonOverride)}</span>
                    {id_select(people.into(), person.into(), Callback::new(move |p| person.set(p)), "split-person", None, false, None)}
                </label>
                {move || person.get().and_then(|p| s.ws.with(|w| w.people.get(&p).map(|x| w.split_of(x)))).map(|(split, overridden)| {
                    let p = person.get_untracked().expect("person");
                    view! { <SplitEditor owner=p split=split overridden=overridden/> }
                })}
            </div>
        </article>
    }
}
