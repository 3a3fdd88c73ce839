//! Payouts: the director's summary (payout cost per unit against the
//! personnel budget), every person's statement with each line's formula,
//! the deals and the scorecard behind it (printable, CSV), incentive plans
//! with a live what-if before saving, bonus pools and SPIFs.

use crate::components::common::{id_options, tier_options};
use crate::components::crm::money;
use crate::components::perf::{rating_badge, review_period, score_text, CardView, PeriodPicker};
use crate::components::plan_bar::PlanBar;
use crate::i18n::T;
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::calendar::Period;
use sales_tiers_core::engine::perf::{changes, payouts, pool_members, settle, summary, won_deals, BudgetStatus, Payouts};
use sales_tiers_core::io::input::{parse_weights, PlanDraft, PlanField};
use sales_tiers_core::io::report::statement_lines;
use sales_tiers_core::model::*;
use sales_tiers_core::num::{percent_bp, rate};
use sales_tiers_core::{Edit, Id, Lang};
use std::collections::BTreeMap;
use std::sync::Arc;

fn delta_class(before: i64, after: i64) -> &'static str {
    if after > before {
        "bad-text"
    } else {
        "ok-text"
    }
}

/// Payouts shared between the page's parts; equal only to itself, so a
/// recompute always repaints and nothing compares the big maps.
#[derive(Clone)]
struct Shared(Arc<Payouts>);

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for Shared {
    type Target = Payouts;
    fn deref(&self) -> &Payouts {
        &self.0
    }
}

fn frequency_label(f: Frequency, lang: Lang) -> &'static str {
    match f {
        Frequency::Month => T::Monthly.get(lang),
        Frequency::Quarter => T::Quarterly.get(lang),
        Frequency::Year => T::Yearly.get(lang),
    }
}

#[component]
pub fn PayoutsPage() -> impl IntoView {
    let s = use_app();
    let period = RwSignal::new(review_period(&s));
    let pay = Memo::new(move |_| {
        let (year, p, today) = (s.year.get(), period.get(), s.today());
        Shared(Arc::new(s.ws.with(|w| payouts(w, &w.incentive_plans, year, p, today))))
    });
    view! {
        <section class="page payouts-page">
            <h2 class="page-title no-print">{move || s.t(T::NavPayouts)}</h2>
            <p class="muted no-print">{move || s.t(T::PayoutsIntro)}</p>
            <div class="no-print">
                <PlanBar no_scenario=true>
                    <PeriodPicker period=period testid="pay-period"/>
                </PlanBar>
            </div>
            <Summary pay=pay period=period/>
            <StatementCard pay=pay period=period/>
            <Plans pay=pay/>
            <div class="grid2 no-print">
                <Pools period=period/>
                <Spifs/>
            </div>
        </section>
    }
}

/// Payout cost per unit and in total against the personnel budget.
#[component]
fn Summary(pay: Memo<Shared>, period: RwSignal<Period>) -> impl IntoView {
    let s = use_app();
    let rows = move || {
        let lang = s.lang.get();
        let pay = pay.get();
        let root = s.scope_root().or_else(|| s.ws.with(|w| w.root().map(|r| r.id)));
        s.ws.with(|w| {
            let Some(root) = root else { return Vec::new() };
            summary(w, &pay, root).into_iter().map(|r| (w.units[&r.unit].name.get(lang).to_string(), r)).collect::<Vec<_>>()
        })
    };
    view! {
        <div class="card no-print" data-testid="pay-summary">
            <h3>{move || s.t(T::DirectorSummary)}</h3>
            <table class="table">
                <thead><tr>
                    <th>{move || s.t(T::Unit)}</th><th class="num">{move || s.t(T::PeoplePaid)}</th><th class="num">{move || s.t(T::PayoutCost)}</th>
                    <th class="num">{move || s.t(T::PersonnelBudget)}</th><th class="num">{move || s.t(T::ShareOfBudget)}</th><th></th>
                </tr></thead>
                <tbody>
                    {move || {
                        let lang = s.lang.get();
                        rows().into_iter().map(|(name, r)| {
                            let (depth, cost, budget, people) = (r.depth, r.cost, r.budget, r.people_paid);
                            let (cls, label) = match r.status {
                                BudgetStatus::NoBudget => ("badge muted", T::NoBudget.get(lang)),
                                BudgetStatus::Over => ("badge bad", T::OverBudget.get(lang)),
                                BudgetStatus::Near => ("badge warn", T::NearBudget.get(lang)),
                                BudgetStatus::Within => ("badge ok", T::WithinBudget.get(lang)),
                            };
                            let dn = name.clone();
                            let row_class = if depth == 0 { "total" } else { "" };
                            view! {
                                <tr data-testid="summary-row" data-name=dn class=row_class>
                                    <td style=format!("padding-left:{}rem", 0.5 + depth as f32 * 1.2)>{name}</td>
                                    <td class="num">{people}</td>
                                    <td class="num" data-testid="summary-cost">{money(cost)}</td>
                                    <td class="num" data-testid="summary-budget">{if budget > 0 { money(budget) } else { "—".into() }}</td>
                                    <td class="num">{r.share_bp.map(percent_bp).unwrap_or_else(|| "—".into())}</td>
                                    <td><span class=cls data-testid="summary-status">{label}</span></td>
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
            </table>
            <p class="muted small">{move || s.t(T::BudgetProrated)}</p>
            <div class="form-actions">
                <button class="btn small" data-testid="export-statements" on:click=move |_| {
                    let lang = s.lang.get_untracked();
                    let (year, p) = (s.year.get_untracked(), period.get_untracked());
                    let unit = s.scope_root();
                    let bytes = s.ws.with_untracked(|w| {
                        let r = sales_tiers_core::io::report::report(w, year, p, unit, s.today(), lang);
                        sales_tiers_core::io::report::to_csv(&r, lang)
                    });
                    crate::browser::download_bytes(&format!("payouts-{year}-{}.csv", p.key()), "text/csv;charset=utf-8", &bytes);
                }>{move || s.t(T::ExportAllCsv)}</button>
            </div>
        </div>
    }
}

/// One person's statement: lines with formulas, deals, scorecard; print and CSV.
#[component]
fn StatementCard(pay: Memo<Shared>, period: RwSignal<Period>) -> impl IntoView {
    let s = use_app();
    let person: RwSignal<Option<Id>> = RwSignal::new(s.view_as.get_untracked());
    let chosen = move || {
        person.get().or_else(|| {
            let pay = pay.get();
            let scope = s.scope();
            s.ws.with(|w| {
                let mut v: Vec<(i64, Id)> = pay
                    .people
                    .iter()
                    .filter(|(id, _)| w.people.get(id).is_some_and(|p| scope.as_ref().is_none_or(|u| u.contains(&p.unit))))
                    .map(|(id, st)| (-st.total, *id))
                    .collect();
                v.sort();
                v.first().map(|x| x.1)
            })
        })
    };
    let export = move |_| {
        let Some(pid) = chosen() else { return };
        let lang = s.lang.get_untracked();
        let pay = pay.get_untracked();
        let bytes = s.ws.with_untracked(|w| {
            let lines = statement_lines(w, &pay, pid, lang);
            let headers = vec![
                lang.pick("期间", "period").to_string(),
                lang.pick("类型", "kind").into(),
                lang.pick("金额", "amount").into(),
                lang.pick("计算", "formula").into(),
            ];
            let mut rows: Vec<Vec<String>> = lines.into_iter().map(|l| vec![l.period, l.kind, l.amount, l.text]).collect();
            let total = pay.people.get(&pid).map(|s| s.total).unwrap_or(0);
            rows.push(vec![String::new(), lang.pick("合计", "total").into(), sales_tiers_core::io::report::decimal(total), String::new()]);
            sales_tiers_core::io::csv::write(&headers, &rows)
        });
        let name = s.ws.with_untracked(|w| w.person_name(Some(pid), Lang::En)).replace(' ', "-");
        crate::browser::download_bytes(
            &format!("statement-{name}-{}-{}.csv", s.year.get_untracked(), period.get_untracked().key()),
            "text/csv;charset=utf-8",
            &bytes,
        );
    };
    view! {
        <div class="card printable" data-testid="statement">
            <div class="card-head no-print">
                <h3>{move || s.t(T::PayoutStatement)}</h3>
                <select data-testid="statement-person" on:change=move |ev| person.set(Id::parse(&event_target_value(&ev)))>
                    {move || { let scope = s.scope(); id_options(s.ws.with(|w| crate::components::crm::owner_options(w, s.lang.get(), scope.as_ref())), chosen()) }}
                </select>
                <div class="spacer"></div>
                <button class="btn small" data-testid="print-statement" on:click=move |_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>{move || s.t(T::Print)}</button>
                <button class="btn small" data-testid="export-statement" on:click=export>{move || s.t(T::ExportCsv)}</button>
            </div>
            {move || chosen().map(|pid| {
                let lang = s.lang.get();
                let pay = pay.get();
                let (year, p) = (s.year.get(), period.get());
                s.ws.with(|w| {
                    let Some(person) = w.people.get(&pid) else { return view! { <p></p> }.into_any() };
                    let st = pay.people.get(&pid).cloned().unwrap_or_default();
                    let lines = statement_lines(w, &pay, pid, lang);
                    let plan = st.plan().and_then(|id| w.incentive_plans.get(&id));
                    let card = pay.cards().get(&pid).cloned();
                    let (band, cls) = rating_badge(w, card.as_ref().and_then(|c| c.rating), lang);
                    let deals: Vec<(String, String, String, i64)> = won_deals(w, pid, year, p).into_iter().map(|o| {
                        let cust = w.customers.get(&o.customer).map(|c| c.name.clone()).unwrap_or_default();
                        (sales_tiers_core::engine::crm::deal_date(o).to_string(), o.name.clone(), cust, o.amount.0)
                    }).collect();
                    let deal_total: i64 = deals.iter().map(|d| d.3).sum();
                    let period_name = sales_tiers_core::calendar::label(p, year, w.settings.fiscal_year_start_month, lang);
                    view! {
                        <div class="statement-head">
                            <div>
                                <div class="statement-name" data-testid="statement-name">{person.name.get(lang).to_string()}</div>
                                <div class="muted">{w.tiers.get(&person.tier).map(|t| t.name.get(lang).to_string())}" · "{w.units.get(&person.unit).map(|u| u.name.get(lang).to_string())}</div>
                            </div>
                            <div class="statement-meta">
                                <div>{T::Period.get(lang)}": "<strong>{format!("{year} {period_name}")}</strong></div>
                                <div>{T::Plan.get(lang)}": "<strong>{plan.map(|x| format!("{} ({})", x.name.get(lang), frequency_label(x.frequency, lang))).unwrap_or_else(|| T::NoPlan.get(lang).to_string())}</strong></div>
                                <div>{T::Score.get(lang)}": "<strong>{score_text(card.as_ref().and_then(|c| c.score_bp))}</strong>" "<span class=cls>{band}</span></div>
                            </div>
                        </div>
                        {st.deferred.map(|(_, f)| view! { <p class="result warn" data-testid="deferred">{lang.pick(format!("该方案按{}结算：请在对应期间查看提成。", frequency_label(f, lang)), format!("This plan settles {}: choose that period to see its commission.", frequency_label(f, lang).to_lowercase()))}</p> })}
                        <table class="table statement-lines">
                            <thead><tr><th>{T::Period.get(lang)}</th><th>{T::Calculation.get(lang)}</th><th class="num">{T::Amount.get(lang)}</th></tr></thead>
                            <tbody>
                                {lines.into_iter().map(|l| view! {
                                    <tr data-testid="pay-line" data-kind=l.kind.clone()><td>{l.period}</td><td class="formula">{l.text}</td><td class="num">{Money(l.minor).to_string()}</td></tr>
                                }).collect_view()}
                                <tr class="total"><td></td><td>{T::Total.get(lang)}</td><td class="num" data-testid="pay-total">{Money(st.total).to_string()}</td></tr>
                            </tbody>
                        </table>
                        <h4>{T::DealsCounted.get(lang)}" ("{deals.len()}" · "{money(deal_total)}")"</h4>
                        <table class="table compact" data-testid="statement-deals">
                            <thead><tr><th>{T::CloseDate.get(lang)}</th><th>{T::OpportunityName.get(lang)}</th><th>{T::Customer.get(lang)}</th><th class="num">{T::Amount.get(lang)}</th></tr></thead>
                            <tbody>
                                {deals.into_iter().map(|(d, n, c, a)| view! { <tr data-testid="statement-deal"><td>{d}</td><td>{n}</td><td>{c}</td><td class="num">{money(a)}</td></tr> }).collect_view()}
                            </tbody>
                        </table>
                        <h4>{T::NavScorecards.get(lang)}</h4>
                        {card.map(|c| view! { <CardView card=c/> })}
                    }.into_any()
                })
            })}
        </div>
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
fn Plans(pay: Memo<Shared>) -> impl IntoView {
    let s = use_app();
    let draft: RwSignal<Option<PlanDraft>> = RwSignal::new(None);
    let error = RwSignal::new(false);
    // The first field that does not read, and why.
    let problem = move || {
        let lang = s.lang.get();
        draft.with(|d| d.as_ref().and_then(|d| d.plan().err())).map(|(f, e)| format!("{}: {}", plan_field_name(f, lang), e.message(lang)))
    };
    let whatif = Memo::new(move |_| {
        let d = draft.get()?;
        let plan = d.plan().ok()?;
        let base = pay.get();
        s.ws.with(|w| {
            let mut plans: BTreeMap<Id, IncentivePlan> = w.incentive_plans.clone();
            plans.insert(plan.id, plan);
            // Scorecards and actuals do not depend on the plans: only re-settle.
            let next = settle(w, &plans, base.prep.clone());
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
            <table class="table">
                <thead><tr><th>{move || s.t(T::ItemName)}</th><th>{move || s.t(T::AppliesTo)}</th><th>{move || s.t(T::Settles)}</th><th>{move || s.t(T::Rules)}</th><th></th></tr></thead>
                <tbody>
                    {move || {
                        let lang = s.lang.get();
                        s.ws.with(|w| w.incentive_plans.values().map(|p| {
                            let who = match (p.tier.and_then(|t| w.tiers.get(&t)), p.people.len()) {
                                (_, n) if n > 0 => lang.pick(format!("{n} 人（指定）"), format!("{n} named people")),
                                (Some(t), _) => t.name.get(lang).to_string(),
                                (None, _) => "—".into(),
                            };
                            let r = &p.rules;
                            let mut parts: Vec<String> = r.tiers.iter().map(|t| format!("≥{}: {}", rate(t.from_bp.into()), rate(t.rate_bp.into()))).collect();
                            if r.threshold_bp > 0 { parts.push(lang.pick(format!("门槛 {}", rate(r.threshold_bp.into())), format!("threshold {}", rate(r.threshold_bp.into())))); }
                            if let Some(c) = r.cap { parts.push(lang.pick(format!("封顶 {}", money(c.0)), format!("cap {}", money(c.0)))); }
                            if r.override_bp > 0 { parts.push(lang.pick(format!("团队提成 {}", rate(r.override_bp.into())), format!("override {}", rate(r.override_bp.into())))); }
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
                                    {[("month", Frequency::Month), ("quarter", Frequency::Quarter), ("year", Frequency::Year)].into_iter().map(|(k, f)| view! { <option value=k selected=f == d.frequency>{frequency_label(f, lang)}</option> }).collect_view()}
                                </select></label>
                            <label><span>{T::TierMode.get(lang)}</span>
                                <select data-testid="plan-mode" on:change=move |ev| { let m = if event_target_value(&ev) == "retro" { TierMode::Retroactive } else { TierMode::Marginal }; set(&|d| d.mode = m); }>
                                    <option value="marginal" selected=d.mode == TierMode::Marginal>{T::Marginal.get(lang)}</option>
                                    <option value="retro" selected=d.mode == TierMode::Retroactive>{T::Retroactive.get(lang)}</option>
                                </select></label>
                            <label><span>{T::ThresholdPct.get(lang)}</span><input type="text" class="short" data-testid="plan-threshold" prop:value=d.threshold.clone() on:input=move |ev| { let v = event_target_value(&ev); set(&|d| d.threshold = v.clone()); }/></label>
                            <label><span>{T::CapAmount.get(lang)}</span><input type="text" data-testid="plan-cap" prop:value=d.cap.clone() on:input=move |ev| { let v = event_target_value(&ev); set(&|d| d.cap = v.clone()); }/></label>
                            <label><span>{T::OverridePct.get(lang)}</span><input type="text" class="short" data-testid="plan-override" prop:value=d.override_pct.clone() on:input=move |ev| { let v = event_target_value(&ev); set(&|d| d.override_pct = v.clone()); }/></label>
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
                                    <select data-testid="plan-add-person" on:change=move |ev| { if let Some(pid) = Id::parse(&event_target_value(&ev)) { set(&|d| { d.people.insert(pid); }); } }>
                                        <option value="">{T::AddPerson.get(lang)}</option>
                                        {let scope = s.scope(); id_options(s.ws.with(|w| crate::components::crm::owner_options(w, lang, scope.as_ref())), None)}
                                    </select>
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
                                        <td><input type="text" class="short" data-testid="tier-from" prop:value=f.clone() on:input=move |ev| { let v = event_target_value(&ev); set(&|d| d.tiers[i].0 = v.clone()); }/>"%"</td>
                                        <td><input type="text" class="short" data-testid="tier-rate" prop:value=r.clone() on:input=move |ev| { let v = event_target_value(&ev); set(&|d| d.tiers[i].1 = v.clone()); }/>"%"</td>
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
                                    {T::TotalCost.get(lang)}": "{money(before)}" → "<strong data-testid="whatif-total">{money(after)}</strong>
                                    " ("<span data-testid="whatif-delta" class=delta_class(before, after)>{format!("{}{}", if after >= before { "+" } else { "−" }, money((after - before).abs()))}</span>")"
                                    " · "{lang.pick(format!("{n} 人变化", ), format!("{n} people change"))}
                                </p>
                                <table class="table compact">
                                    <thead><tr><th>{T::Name.get(lang)}</th><th class="num">{T::Now.get(lang)}</th><th class="num">{T::Draft.get(lang)}</th><th class="num">"Δ"</th></tr></thead>
                                    <tbody>
                                        {changes.into_iter().map(|(_, name, b, a)| view! {
                                            <tr data-testid="whatif-row"><td>{name}</td><td class="num">{money(b)}</td><td class="num">{money(a)}</td><td class="num">{format!("{}{}", if a >= b { "+" } else { "−" }, money((a - b).abs()))}</td></tr>
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

/// Bonus pools of the period: a unit, an amount and a cap per member.
#[component]
fn Pools(period: RwSignal<Period>) -> impl IntoView {
    let s = use_app();
    let unit: RwSignal<Option<Id>> = RwSignal::new(None);
    let amount = RwSignal::new(String::new());
    let cap = RwSignal::new(String::new());
    let error = RwSignal::new(false);
    let weights_of: RwSignal<Option<Id>> = RwSignal::new(None);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(u) = unit.get_untracked() else { return };
        let Ok(a) = Money::parse(&amount.get_untracked()) else {
            error.set(true);
            return;
        };
        let c = match cap.get_untracked().trim() {
            "" => None,
            t => match Money::parse(t) {
                Ok(m) => Some(m),
                Err(_) => {
                    error.set(true);
                    return;
                }
            },
        };
        error.set(false);
        let pool = sales_tiers_core::edit::PoolFields { amount: a, member_cap: c, weights: Default::default() };
        if s.dispatch(Edit::SetPool { unit: u, year: s.year.get_untracked(), period: period.get_untracked(), pool: Some(pool) }) {
            amount.set(String::new());
            cap.set(String::new());
        }
    };
    view! {
        <div class="card" data-testid="pools">
            <h3>{move || s.t(T::BonusPools)}</h3>
            <table class="table compact">
                <thead><tr><th>{move || s.t(T::Unit)}</th><th>{move || s.t(T::Period)}</th><th class="num">{move || s.t(T::Amount)}</th><th class="num">{move || s.t(T::MemberCap)}</th><th></th></tr></thead>
                <tbody>
                    {move || {
                        let lang = s.lang.get();
                        let (year, p) = (s.year.get(), period.get());
                        s.ws.with(|w| w.pools.values().filter(|b| b.year == year && p.contains(b.period)).map(|b| {
                            let (u, y, bp, pid) = (b.unit, b.year, b.period, b.id);
                            view! {
                                <tr data-testid="pool-row">
                                    <td>{w.units.get(&b.unit).map(|u| u.name.get(lang).to_string())}</td>
                                    <td>{sales_tiers_core::calendar::label(b.period, b.year, w.settings.fiscal_year_start_month, lang)}</td>
                                    <td class="num">{money(b.amount.0)}</td>
                                    <td class="num">{b.member_cap.map(|c| money(c.0)).unwrap_or_else(|| "—".into())}</td>
                                    <td class="nowrap">
                                        <button class="btn small" data-testid="pool-weights" on:click=move |_| weights_of.set(Some(pid))>{T::Weights.get(lang)}</button>
                                        <button class="btn small ghost" on:click=move |_| { s.dispatch(Edit::SetPool { unit: u, year: y, period: bp, pool: None }); }>{T::Remove.get(lang)}</button>
                                    </td>
                                </tr>
                            }
                        }).collect_view())
                    }}
                </tbody>
            </table>
            <form class="panel-form" on:submit=save>
                <select data-testid="pool-unit" on:change=move |ev| unit.set(Id::parse(&event_target_value(&ev)))>
                    <option value="">{move || s.t(T::Unit)}</option>
                    {move || id_options(s.ws.with(|w| crate::components::common::unit_options(w, s.lang.get())), unit.get_untracked())}
                </select>
                <input type="text" class="short" data-testid="pool-amount" placeholder=move || s.t(T::Amount) prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
                <input type="text" class="short" placeholder=move || s.t(T::MemberCap) prop:value=move || cap.get() on:input=move |ev| cap.set(event_target_value(&ev))/>
                <button type="submit" class="btn small" data-testid="save-pool">{move || s.t(T::SetPool)}</button>
            </form>
            <Show when=move || error.get()><p class="result err">{move || s.t(T::BadAmount)}</p></Show>
            {move || weights_of.get().and_then(|id| s.ws.with_untracked(|w| w.pools.get(&id).cloned())).map(|b| view! { <PoolWeights pool=b on_done=Callback::new(move |_| weights_of.set(None))/> })}
            <p class="muted small">{move || s.t(T::PoolExplain)}</p>
        </div>
    }
}

/// The members of a pool's unit with their weights (1 unless set).
#[component]
fn PoolWeights(pool: BonusPool, on_done: Callback<()>) -> impl IntoView {
    let s = use_app();
    let lang = s.lang.get_untracked();
    let members: Vec<(Id, String, u32)> = s.ws.with_untracked(|w| {
        let mut v: Vec<(Id, String, u32)> =
            pool_members(w, &pool).into_iter().map(|(id, wt)| (id, w.person_name(Some(id), lang), wt)).collect();
        v.sort_by(|a, b| a.1.cmp(&b.1));
        v
    });
    let rows = RwSignal::new(members.iter().map(|(id, _, wt)| (*id, wt.to_string())).collect::<Vec<_>>());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let unit_name = s.ws.with_untracked(|w| w.units.get(&pool.unit).map(|u| u.name.get(lang).to_string()).unwrap_or_default());
    let p2 = pool.clone();
    let save = move |_| {
        let weights = match parse_weights(&rows.get_untracked()) {
            Ok(w) => w,
            Err((id, e)) => {
                error.set(Some(s.ws.with_untracked(|w| format!("{}: {}", w.person_name(Some(id), lang), e.message(lang)))));
                return;
            }
        };
        let fields = sales_tiers_core::edit::PoolFields { amount: p2.amount, member_cap: p2.member_cap, weights };
        if s.dispatch(Edit::SetPool { unit: p2.unit, year: p2.year, period: p2.period, pool: Some(fields) }) {
            on_done.run(());
        }
    };
    view! {
        <div class="pool-weights" data-testid="pool-weights-editor">
            <h4>{format!("{unit_name} · {}", T::Weights.get(lang))}</h4>
            <table class="table compact">
                <thead><tr><th>{T::Name.get(lang)}</th><th class="num">{T::Weights.get(lang)}</th></tr></thead>
                <tbody>
                    {members.into_iter().enumerate().map(|(i, (_, name, wt))| view! {
                        <tr><td>{name}</td><td class="num"><input type="number" min="0" max="1000" class="short" data-testid="pool-weight" prop:value=wt.to_string()
                            on:input=move |ev| { let v = event_target_value(&ev); rows.update(|r| r[i].1 = v); }/></td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="form-actions">
                {move || error.get().map(|e| view! { <span class="result err" role="alert" data-testid="weight-error">{e}</span> })}
                <div class="spacer"></div>
                <button class="btn small" on:click=move |_| on_done.run(())>{T::Cancel.get(lang)}</button>
                <button class="btn small primary" data-testid="save-weights" on:click=save>{T::Save.get(lang)}</button>
            </div>
        </div>
    }
}

/// SPIFs: one-off bonuses for a named goal between two dates.
#[component]
fn Spifs() -> impl IntoView {
    let s = use_app();
    let name = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let measure = RwSignal::new("new_customers".to_string());
    let product = RwSignal::new(String::new());
    let goal = RwSignal::new(String::new());
    let bonus = RwSignal::new(String::new());
    let tier: RwSignal<Option<Id>> = RwSignal::new(None);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = s.lang.get_untracked();
        let date = |t: String| chrono::NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok();
        let m = match measure.get_untracked().as_str() {
            "product" => SpifMeasure::ProductDeals { product: product.get_untracked().trim().to_string() },
            "won" => SpifMeasure::WonAmount,
            _ => SpifMeasure::NewCustomers,
        };
        let g = if m == SpifMeasure::WonAmount {
            Money::parse(&goal.get_untracked()).ok().map(|x| x.0)
        } else {
            goal.get_untracked().trim().parse::<i64>().ok()
        };
        let (Some(f), Some(t), Some(g), Ok(b)) =
            (date(from.get_untracked()), date(to.get_untracked()), g, Money::parse(&bonus.get_untracked()))
        else {
            error.set(Some(T::BadSpif.get(lang).to_string()));
            return;
        };
        let spif = Spif {
            id: crate::browser::new_id(),
            rev: 0,
            updated_at: crate::browser::now(),
            name: Text::both(name.get_untracked().trim()),
            from: f,
            to: t,
            measure: m,
            goal: g,
            bonus: b,
            tier: tier.get_untracked(),
        };
        match s.ws.with_untracked(|w| {
            sales_tiers_core::engine::validate::check_spif(w, &spif)
                .first()
                .map(|p| p.message_with(&sales_tiers_core::engine::validate::Names::lookup(w, p.ids()), lang))
        }) {
            Some(msg) => error.set(Some(msg)),
            None => {
                if s.dispatch(Edit::PutSpif { spif }) {
                    error.set(None);
                    name.set(String::new());
                }
            }
        }
    };
    view! {
        <div class="card" data-testid="spifs">
            <h3>{move || s.t(T::Spifs)}</h3>
            <table class="table compact">
                <thead><tr><th>{move || s.t(T::ItemName)}</th><th>{move || s.t(T::Dates)}</th><th>{move || s.t(T::Goal)}</th><th class="num">{move || s.t(T::Bonus)}</th><th></th></tr></thead>
                <tbody>
                    {move || {
                        let lang = s.lang.get();
                        s.ws.with(|w| w.spifs.values().map(|x| {
                            let id = x.id;
                            let goal = match &x.measure {
                                SpifMeasure::NewCustomers => lang.pick(format!("新客户 ≥ {}", x.goal), format!("new customers ≥ {}", x.goal)),
                                SpifMeasure::WonAmount => lang.pick(format!("赢单金额 ≥ {}", money(x.goal)), format!("won ≥ {}", money(x.goal))),
                                SpifMeasure::ProductDeals { product } => lang.pick(format!("“{product}”赢单 ≥ {}", x.goal), format!("“{product}” deals won ≥ {}", x.goal)),
                            };
                            view! {
                                <tr data-testid="spif-row">
                                    <td>{x.name.get(lang).to_string()}{x.tier.and_then(|t| w.tiers.get(&t)).map(|t| view! { <span class="badge">{t.name.get(lang).to_string()}</span> })}</td>
                                    <td class="small nowrap">{format!("{} – {}", x.from, x.to)}</td>
                                    <td class="small">{goal}</td>
                                    <td class="num">{money(x.bonus.0)}</td>
                                    <td><button class="btn small ghost" on:click=move |_| { s.dispatch(Edit::DeleteSpif { id }); }>{T::Remove.get(lang)}</button></td>
                                </tr>
                            }
                        }).collect_view())
                    }}
                </tbody>
            </table>
            <form class="form-grid" on:submit=save>
                <label class="wide"><span>{move || s.t(T::ItemName)}</span><input type="text" maxlength="120" data-testid="spif-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/></label>
                <label><span>{move || s.t(T::From)}</span><input type="date" data-testid="spif-from" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/></label>
                <label><span>{move || s.t(T::To)}</span><input type="date" data-testid="spif-to" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/></label>
                <label><span>{move || s.t(T::Measure)}</span>
                    <select data-testid="spif-measure" on:change=move |ev| measure.set(event_target_value(&ev))>
                        <option value="new_customers">{move || s.t(T::NewCustomersCount)}</option>
                        <option value="product">{move || s.t(T::ProductDeals)}</option>
                        <option value="won">{move || s.t(T::WonAmount)}</option>
                    </select></label>
                <Show when=move || measure.get() == "product">
                    <label><span>{move || s.t(T::Product)}</span><input type="text" maxlength="120" prop:value=move || product.get() on:input=move |ev| product.set(event_target_value(&ev))/></label>
                </Show>
                <label><span>{move || s.t(T::Goal)}</span><input type="text" data-testid="spif-goal" prop:value=move || goal.get() on:input=move |ev| goal.set(event_target_value(&ev))/></label>
                <label><span>{move || s.t(T::Bonus)}</span><input type="text" data-testid="spif-bonus" prop:value=move || bonus.get() on:input=move |ev| bonus.set(event_target_value(&ev))/></label>
                <label><span>{move || s.t(T::Tier)}</span>
                    <select on:change=move |ev| tier.set(Id::parse(&event_target_value(&ev)))>
                        <option value="">{move || s.t(T::AllTiers)}</option>
                        {move || id_options(s.ws.with(|w| tier_options(w, s.lang.get())), tier.get_untracked())}
                    </select></label>
                <div class="form-actions wide">
                    {move || error.get().map(|e| view! { <span class="result err" data-testid="spif-error">{e}</span> })}
                    <div class="spacer"></div>
                    <button type="submit" class="btn primary" data-testid="save-spif">{move || s.t(T::AddSpif)}</button>
                </div>
            </form>
        </div>
    }
}
