//! SPIFs: one-off bonuses for a named goal between two dates.

use crate::components::common::{id_options, tier_options};
use crate::components::common::{table_head, Col};
use crate::components::form::{TextField, NAME_MAX};
use crate::components::format::money;
use crate::i18n::T;
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::model::*;
use sales_tiers_core::{Edit, Id};

/// SPIFs: one-off bonuses for a named goal between two dates.
#[component]
pub(super) fn Spifs() -> impl IntoView {
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
            <div class="table-scroll">
            <table class="table compact">
                {table_head([Col::Text(T::ItemName), Col::Text(T::Dates), Col::Text(T::Goal), Col::Num(T::Bonus), Col::Blank])}
                <tbody>
                    {move || {
                        let lang = s.lang.get();
                        s.ws.with(|w| w.spifs.values().map(|x| {
                            let id = x.id;
                            let goal = match &x.measure {
                                SpifMeasure::NewCustomers => T::SpifNewCustomers.fill(lang, &[&x.goal]),
                                SpifMeasure::WonAmount => T::SpifWon.fill(lang, &[&money(x.goal)]),
                                SpifMeasure::ProductDeals { product } => T::SpifProduct.fill(lang, &[product, &x.goal]),
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
            </div>
            <form class="form-grid" on:submit=save>
                <TextField label=T::ItemName value=name testid="spif-name" maxlength=NAME_MAX wide=true/>
                <TextField label=T::From value=from kind="date" testid="spif-from"/>
                <TextField label=T::To value=to kind="date" testid="spif-to"/>
                <label><span>{move || s.t(T::Measure)}</span>
                    <select data-testid="spif-measure" on:change=move |ev| measure.set(event_target_value(&ev))>
                        <option value="new_customers">{move || s.t(T::NewCustomersCount)}</option>
                        <option value="product">{move || s.t(T::ProductDeals)}</option>
                        <option value="won">{move || s.t(T::WonAmount)}</option>
                    </select></label>
                <Show when=move || measure.get() == "product">
                    <TextField label=T::Product value=product maxlength=NAME_MAX/>
                </Show>
                <TextField label=T::Goal value=goal testid="spif-goal"/>
                <TextField label=T::Bonus value=bonus testid="spif-bonus"/>
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
