//! Incentive plans and their editor with a what-if before saving.

use super::{frequency_label, Shared};
use crate::components::common::{id_options, tier_options};
use crate::components::common::{table_head, Col};
use crate::components::filters::PersonSelect;
use crate::components::format::{money, signed_money, DASH};
use crate::i18n::T;
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::engine::perf::{changes, settle};
use sales_tiers_core::io::input::{PlanDraft, PlanField};
use sales_tiers_core::model::*;
use sales_tiers_core::num::rate;
use sales_tiers_core::{Edit, Id, Lang};
use std::collections::BTreeMap;

fn delta_class(before: i64, after: i64) -> &'static str {
    if after > before {
        "bad-text"
    } else {
        "ok-text"
    }
}

/// Which field of the plan editor did not read, in words.
fn plan_field_name(f: PlanField, lang: Lang) -> String {
    match f {
        PlanField::TierFrom(i) => format!("{} {} · {}", T::RateTier.get(lang), i + 1, T::FromAttainment.get(lang)),
        PlanField::TierRate(i) => format!("{} {} · {}", T::RateTier.get(lang), i + 1, T::RatePct.get(lang)),
        PlanField::Threshold => T::ThresholdPct.get(lang).to_string(),
        PlanField::Cap => T::CapAmount.get(lang).to_string(),
        PlanField::Override => T::OverridePct.get(lang).to_string(),
    }
}

/// Plans and their editor with a what-if: totals and each person's change before saving.
#[component]
pub(super) fn Plans(pay: Memo<Shared>) -> impl IntoView {
    let s = use_app();
    let draft: RwSignal<Option<PlanDraft>> = RwSignal::new(None);
    let error = RwSignal::new(false);
    // The first field that does not read, and why.
    let problem = move || {
        let lang = s.lang.get();
        draft
            .with(|d| d.as_ref().and_then(|d| d.plan().err()))
            .map(|(f, e)| crate::i18n::labelled(lang, plan_field_name(f, lang), e.message(lang)))
    };
    let whatif = Memo::new(move |_| {
        let d = draft.get()?;
        let plan = d.plan().ok()?;
        let base = pay.get();
        s.with_index(|w, ix| {
            let mut plans: BTreeMap<Id, IncentivePlan> = w.incentive_plans.clone();
            plans.insert(plan.id, plan);
            // Scorecards and actuals do not depend on the plans: only re-settle.
            let next = settle(w, ix, &plans, base.prep.clone());
            let lang = s.lang.get_untracked();
            let all = changes(&base, &next);
            let n = all.len();
            let changes: Vec<(i64, String, i64, i64)> =
                all.into_iter().take(15).map(|(id, b, a)| ((a - b).abs(), w.person_name(Some(id), lang), b, a)).collect();
            Some((base.total, next.total, n, changes))
        })
    });
    let save = move |_| {
        let Some(plan) = draft.get_untracked().and_then(|d| d.plan().ok()) else {
            error.set(true);
            return;
        };
        if s.dispatch(Edit::PutPlan { plan }) {
            draft.set(None);
            error.set(false);
        }
    };
    let set = move |f: &dyn Fn(&mut PlanDraft)| {
        draft.update(|d| {
            if let Some(d) = d.as_mut() {
                f(d)
            }
        })
    };
    // The editor re-renders when another plan is opened or tiers are added or removed, not on each keystroke.
    let shape = Memo::new(move |_| draft.with(|d| d.as_ref().map(|d| (d.id, d.tiers.len(), d.people.len()))));
    view! {
        <div class="card no-print" data-testid="plans">
            <div class="card-head">
                <h3>{move || s.t(T::IncentivePlans)}</h3>
                <div class="spacer"></div>
                <button class="btn small" data-testid="new-plan" on:click=move |_| draft.set(Some(PlanDraft::new_plan(crate::browser::new_id())))>{move || s.t(T::NewPlan)}</button>
            </div>
            <div class="table-scroll">
            <table class="table">
                {table_head([Col::Text(T::ItemName), Col::Text(T::AppliesTo), Col::Text(T::Settles), Col::Text(T::Rules), Col::Blank])}
                <tbody>
                    {move || {
                        let lang = s.lang.get();
                        s.ws.with(|w| w.incentive_plans.values().map(|p| {
                            let who = match (p.tier.and_then(|t| w.tiers.get(&t)), p.people.len()) {
                                (_, n) if n > 0 => T::NamedPeopleCount.fill(lang, &[&n]),
                                (Some(t), _) => t.name.get(lang).to_string(),
                                (None, _) => DASH.into(),
                            };
                            let r = &p.rules;
                            let mut parts: Vec<String> = r.tiers.iter().map(|t| crate::i18n::labelled(lang, format!("≥{}", rate(t.from_bp.into())), rate(t.rate_bp.into()))).collect();
                            if r.threshold_bp > 0 { parts.push(T::RuleThreshold.fill(lang, &[&rate(r.threshold_bp.into())])); }
                            if let Some(c) = r.cap { parts.push(T::RuleCap.fill(lang, &[&money(c.0)])); }
                            if r.override_bp > 0 { parts.push(T::RuleOverride.fill(lang, &[&rate(r.override_bp.into())])); }
                            if r.scorecard_multiplier { parts.push(T::ScorecardMultiplier.get(lang).to_string()); }
                            let plan = p.clone();
                            let id = p.id;
                            view! {
                                <tr data-testid="plan-row" data-name=p.name.get(Lang::En).to_string()>
                                    <td>{p.name.get(lang).to_string()}</td><td>{who}</td><td>{frequency_label(p.frequency, lang)}</td>
                                    <td class="small">{parts.join(" · ")}</td>
                                    <td class="nowrap">
                                        <button class="btn small" data-testid="edit-plan" on:click=move |_| draft.set(Some(PlanDraft::of(&plan)))>{T::Edit.get(lang)}</button>
                                        <button class="btn small ghost" on:click=move |_| { s.dispatch(Edit::DeletePlan { id }); }>{T::Delete.get(lang)}</button>
                                    </td>
                                </tr>
                            }
                        }).collect_view())
                    }}
                </tbody>
            </table>
            </div>
            {move || shape.get().and_then(|_| draft.get_untracked()).map(|d| {
                let lang = s.lang.get();
                view! {
                    <div class="plan-editor" data-testid="plan-editor">
                        <div class="form-grid">
                            <label><span>{T::NameZh.get(lang)}</span><input type="text" maxlength="120" prop:value=d.name_zh.clone() on:change=move |ev| { let v = event_target_value(&ev); set(&|d| d.name_zh = v.clone()); }/></label>
                            <label><span>{T::NameEn.get(lang)}</span><input type="text" maxlength="120" prop:value=d.name_en.clone() on:change=move |ev| { let v = event_target_value(&ev); set(&|d| d.name_en = v.clone()); }/></label>
                            <label><span>{T::Tier.get(lang)}</span>
                                <select data-testid="plan-tier" on:change=move |ev| { let v = Id::parse(&event_target_value(&ev)); set(&|d| d.tier = v); }>
                                    <option value="">"—"</option>
                                    {id_options(s.ws.with(|w| tier_options(w, lang)), d.tier)}
                                </select></label>
                            <label><span>{T::Settles.get(lang)}</span>
                                <select on:change=move |ev| { let f = match event_target_value(&ev).as_str() { "month" => Frequency::Month, "year" => Frequency::Year, _ => Frequency::Quarter }; set(&|d| d.frequency = f); }>
                                    {[("month", Frequency::Month), ("quarter", Frequency::Quarter), ("year", Frequency::Year)].into_iter().map(|(k, f)| view! { <option value=k prop:selected=f == d.frequency>{frequency_label(f, lang)}</option> }).collect_view()}
                                </select></label>
                            <label><span>{T::TierMode.get(lang)}</span>
                                <select data-testid="plan-mode" on:change=move |ev| { let m = if event_target_value(&ev) == "retro" { TierMode::Retroactive } else { TierMode::Marginal }; set(&|d| d.mode = m); }>
                                    <option value="marginal" prop:selected=d.mode == TierMode::Marginal>{T::Marginal.get(lang)}</option>
                                    <option value="retro" prop:selected=d.mode == TierMode::Retroactive>{T::Retroactive.get(lang)}</option>
                                </select></label>
                            <label><span>{T::ThresholdPct.get(lang)}</span><input type="text" inputmode="decimal" class="short" data-testid="plan-threshold" prop:value=d.threshold.clone() on:input=move |ev| { let v = event_target_value(&ev); set(&|d| d.threshold = v.clone()); }/></label>
                            <label><span>{T::CapAmount.get(lang)}</span><input type="text" data-testid="plan-cap" prop:value=d.cap.clone() on:input=move |ev| { let v = event_target_value(&ev); set(&|d| d.cap = v.clone()); }/></label>
                            <label><span>{T::OverridePct.get(lang)}</span><input type="text" inputmode="decimal" class="short" data-testid="plan-override" prop:value=d.override_pct.clone() on:input=move |ev| { let v = event_target_value(&ev); set(&|d| d.override_pct = v.clone()); }/></label>
                            <label class="check"><input type="checkbox" prop:checked=d.multiplier on:change=move |ev| { let v = event_target_checked(&ev); set(&|d| d.multiplier = v); }/><span>{T::ScorecardMultiplier.get(lang)}</span></label>
                            <label><span>{T::InForceFrom.get(lang)}</span><input type="date" prop:value=d.from.map(|x| x.to_string()).unwrap_or_default()
                                on:change=move |ev| { let v = chrono::NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d").ok(); set(&|d| d.from = v); }/></label>
                            <label><span>{T::InForceTo.get(lang)}</span><input type="date" prop:value=d.to.map(|x| x.to_string()).unwrap_or_default()
                                on:change=move |ev| { let v = chrono::NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d").ok(); set(&|d| d.to = v); }/></label>
                            <div class="wide named-people">
                                <span class="muted small">{T::NamedPeople.get(lang)}</span>
                                <div class="chips" data-testid="plan-people">
                                    {s.ws.with(|w| d.people.iter().map(|pid| {
                                        let pid = *pid;
                                        view! { <span class="chip">{w.person_name(Some(pid), lang)}<button class="link" aria-label=T::Remove.get(lang) on:click=move |_| set(&|d| { d.people.remove(&pid); })>"×"</button></span> }
                                    }).collect_view())}
                                    <PersonSelect value=Signal::stored(None) testid="plan-add-person" none=T::AddPerson attr:aria-label=T::AddPerson.get(lang)
                                        on_change=Callback::new(move |p: Option<Id>| if let Some(pid) = p { set(&|d| { d.people.insert(pid); }); })/>
                                </div>
                                <span class="muted small">{T::NamedPeopleHint.get(lang)}</span>
                            </div>
                        </div>
                        <table class="table compact rate-tiers">
                            <thead><tr><th>"#"</th><th>{T::FromAttainment.get(lang)}</th><th>{T::RatePct.get(lang)}</th><th></th></tr></thead>
                            <tbody>
                                {d.tiers.iter().enumerate().map(|(i, (f, r))| view! {
                                    <tr data-testid="rate-tier">
                                        <td>{i + 1}</td>
                                        <td><input type="text" inputmode="decimal" class="short" data-testid="tier-from" aria-label=T::FieldOf.fill(lang, &[&T::FromAttainment.get(lang), &(i + 1)]) prop:value=f.clone() on:input=move |ev| { let v = event_target_value(&ev); set(&|d| d.tiers[i].0 = v.clone()); }/>"%"</td>
                                        <td><input type="text" inputmode="decimal" class="short" data-testid="tier-rate" aria-label=T::FieldOf.fill(lang, &[&T::RatePct.get(lang), &(i + 1)]) prop:value=r.clone() on:input=move |ev| { let v = event_target_value(&ev); set(&|d| d.tiers[i].1 = v.clone()); }/>"%"</td>
                                        <td><button class="btn small ghost" aria-label=T::Remove.get(lang) on:click=move |_| set(&|d| { d.tiers.remove(i); })>"×"</button></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <button class="btn small" data-testid="add-rate-tier" on:click=move |_| set(&|d| d.tiers.push(("100".into(), "5".into())))>{T::AddRateTier.get(lang)}</button>
                    </div>
                }
            })}
            {move || shape.get().is_some().then(|| {
                let lang = s.lang.get();
                view! {
                    <div class="whatif" data-testid="whatif">
                        <h4>{T::PlanWhatIf.get(lang)}</h4>
                        {move || match whatif.get() {
                            None => view! { <p class="result err" data-testid="plan-problem">{problem().unwrap_or_else(|| T::BadPlanField.get(lang).to_string())}</p> }.into_any(),
                            Some((before, after, n, changes)) => view! {
                                <p class="kpi-line">
                                    {T::TotalCost.get(lang)}{lang.colon()}{money(before)}" → "<strong data-testid="whatif-total">{money(after)}</strong>
                                    " ("<span data-testid="whatif-delta" class=delta_class(before, after)>{signed_money(after - before)}</span>")"
                                    " · "{T::PeopleChange.fill(lang, &[&n])}
                                </p>
                                <table class="table compact">
                                    <thead><tr><th>{T::Name.get(lang)}</th><th class="num">{T::Now.get(lang)}</th><th class="num">{T::Draft.get(lang)}</th><th class="num">"Δ"</th></tr></thead>
                                    <tbody>
                                        {changes.into_iter().map(|(_, name, b, a)| view! {
                                            <tr data-testid="whatif-row"><td>{name}</td><td class="num">{money(b)}</td><td class="num">{money(a)}</td><td class="num">{signed_money(a - b)}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                        }}
                        <div class="form-actions">
                            <Show when=move || error.get()><span class="result err">{move || problem().unwrap_or_else(|| T::BadPlanField.get(lang).to_string())}</span></Show>
                            <div class="spacer"></div>
                            <button class="btn" data-testid="cancel-plan" on:click=move |_| draft.set(None)>{T::Cancel.get(lang)}</button>
                            <button class="btn primary" data-testid="save-plan" on:click=save>{T::Save.get(lang)}</button>
                        </div>
                    </div>
                }
            })}
        </div>
    }
}
