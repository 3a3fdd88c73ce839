//! Bonus pools per unit and period, and each pool's member weights.

use crate::components::common::{table_head, Col};
use crate::components::filters::UnitSelect;
use crate::components::format::{money, or_dash};
use crate::i18n::T;
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::calendar::Period;
use sales_tiers_core::engine::perf::pool_members;
use sales_tiers_core::io::input::parse_weights;
use sales_tiers_core::model::*;
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{Edit, Id};

/// Bonus pools of the period: a unit, an amount and a cap per member.
#[component]
pub(super) fn Pools(period: Memo<Period>) -> impl IntoView {
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
            <div class="table-scroll">
            <table class="table compact">
                {table_head([Col::Text(T::Unit), Col::Text(T::Period), Col::Num(T::Amount), Col::Num(T::MemberCap), Col::Blank])}
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
                                    <td class="num">{or_dash(b.member_cap.map(|c| money(c.0)))}</td>
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
            </div>
            <form class="panel-form" on:submit=save>
                <UnitSelect value=unit on_change=Callback::new(move |u| unit.set(u)) testid="pool-unit" none=T::Unit attr:aria-label=move || s.t(T::Unit)/>
                <input type="text" inputmode="decimal" class="short" data-testid="pool-amount" placeholder=move || s.t(T::Amount) prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
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
pub(super) fn PoolWeights(pool: BonusPool, on_done: Callback<()>) -> impl IntoView {
    let s = use_app();
    let lang = s.lang.get_untracked();
    let members: Vec<(Id, String, u32)> = s.ws.with_untracked(|w| {
        let mut v: Vec<(Id, String, u32)> =
            s.index.with(|ix| pool_members(w, ix, &pool)).into_iter().map(|(id, wt)| (id, w.person_name(Some(id), lang), wt)).collect();
        v.arrange_by(|a, b| a.1.cmp(&b.1));
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
                error.set(Some(s.ws.with_untracked(|w| crate::i18n::labelled(lang, w.person_name(Some(id), lang), e.message(lang)))));
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
            <div class="table-scroll">
            <table class="table compact">
                {table_head([Col::Text(T::Name), Col::Num(T::Weights)])}
                <tbody>
                    {members.into_iter().enumerate().map(|(i, (_, name, wt))| view! {
                        <tr><td>{name.clone()}</td><td class="num"><input type="number" min="0" max="1000" class="short" data-testid="pool-weight" aria-label=T::FieldOf.fill(lang, &[&T::Weights.get(lang), &name]) prop:value=wt.to_string()
                            on:input=move |ev| { let v = event_target_value(&ev); rows.update(|r| r[i].1 = v); }/></td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            <div class="form-actions">
                {move || error.get().map(|e| view! { <span class="result err" role="alert" data-testid="weight-error">{e}</span> })}
                <div class="spacer"></div>
                <button class="btn small" on:click=move |_| on_done.run(())>{T::Cancel.get(lang)}</button>
                <button class="btn small primary" data-testid="save-weights" on:click=save>{T::Save.get(lang)}</button>
            </div>
        </div>
    }
}
