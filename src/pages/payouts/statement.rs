//! One person's statement: each line with its formula, the deals it
//! counts and the scorecard; printable and exported as CSV.

use super::{frequency_label, Shared};
use crate::components::common::{table_head, Col};
use crate::components::filters::PersonSelect;
use crate::components::format::money;
use crate::components::perf::{rating_badge, score_text, CardView};
use crate::i18n::T;
use crate::state::use_app;
use crate::url;
use leptos::prelude::*;
use sales_tiers_core::calendar::Period;
use sales_tiers_core::engine::perf::won_deals;
use sales_tiers_core::io::report::statement_lines;
use sales_tiers_core::model::Money;
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{Id, Lang};

/// One person's statement: lines with formulas, deals, scorecard; print and CSV.
#[component]
pub(super) fn StatementCard(pay: Memo<Shared>, period: Memo<Period>) -> impl IntoView {
    let s = use_app();
    // The person the URL names when they are in view, else the viewed manager.
    let in_view = move |id: &Id| {
        let scope = s.scope();
        s.ws.with(|w| w.people.get(id).is_some_and(|p| scope.as_ref().is_none_or(|u| u.contains(&p.unit))))
    };
    let (person, set_person) = url::query_state(
        url::PERSON,
        move |v| Id::parse(v).filter(in_view).map(Some),
        move || s.view_as.get(),
        |p| p.map(|id| id.to_string()),
    );
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
                v.arrange();
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
            let headers: Vec<String> =
                [T::CsvPeriod, T::CsvKind, T::CsvAmount, T::CsvFormula].iter().map(|t| t.get(lang).to_string()).collect();
            let mut rows: Vec<Vec<String>> = lines.into_iter().map(|l| vec![l.period, l.kind, l.amount, l.text]).collect();
            let total = pay.people.get(&pid).map(|s| s.total).unwrap_or(0);
            rows.push(vec![String::new(), T::CsvTotal.get(lang).into(), sales_tiers_core::io::report::decimal(total), String::new()]);
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
                <PersonSelect value=Signal::derive(chosen) on_change=Callback::new(move |p| set_person.run(p)) testid="statement-person" required=true attr:aria-label=move || s.t(T::Person)/>
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
                    let tier_name = w.tiers.get(&person.tier).map(|t| t.name.get(lang).to_string()).unwrap_or_default();
                    view! {
                        <div class="statement-head">
                            <div>
                                <div class="statement-name" data-testid="statement-name">{person.name.get(lang).to_string()}</div>
                                <div class="muted">{w.tiers.get(&person.tier).map(|t| t.name.get(lang).to_string())}" · "{w.units.get(&person.unit).map(|u| u.name.get(lang).to_string())}</div>
                            </div>
                            <div class="statement-meta">
                                <div>{T::Period.get(lang)}{lang.colon()}<strong>{format!("{year} {period_name}")}</strong></div>
                                <div>{T::Plan.get(lang)}{lang.colon()}<strong>{plan.map(|x| format!("{}{}", x.name.get(lang), crate::i18n::bracketed(lang, frequency_label(x.frequency, lang)))).unwrap_or_else(|| T::NoPlan.get(lang).to_string())}</strong></div>
                                {card.as_ref().and_then(|c| c.score_bp).map(|bp| view! {
                                    <div>{T::Score.get(lang)}{lang.colon()}<strong>{score_text(Some(bp))}</strong>" "<span class=cls>{band}</span></div>
                                })}
                            </div>
                        </div>
                        {st.deferred.map(|(_, f)| view! { <p class="result warn" data-testid="deferred">{T::SettlesIn.fill(lang, &[&frequency_label(f, lang).to_lowercase()])}</p> })}
                        <table class="table statement-lines">
                            {table_head([Col::Text(T::Period), Col::Text(T::Calculation), Col::Num(T::Amount)])}
                            <tbody>
                                {lines.into_iter().map(|l| view! {
                                    <tr data-testid="pay-line" data-kind=l.kind.clone()><td>{l.period}</td><td class="formula">{l.text}</td><td class="num">{Money(l.minor).shown()}</td></tr>
                                }).collect_view()}
                                <tr class="total"><td></td><td>{T::Total.get(lang)}</td><td class="num" data-testid="pay-total">{Money(st.total).shown()}</td></tr>
                            </tbody>
                        </table>
                        <h4>{T::DealsCounted.get(lang)}{crate::i18n::bracketed(lang, &format!("{} · {}", deals.len(), money(deal_total)))}</h4>
                        <table class="table compact" data-testid="statement-deals">
                            {table_head([Col::Text(T::CloseDate), Col::Text(T::OpportunityName), Col::Text(T::Customer), Col::Num(T::Amount)])}
                            <tbody>
                                {deals.into_iter().map(|(d, n, c, a)| view! { <tr data-testid="statement-deal"><td>{d}</td><td>{n}</td><td>{c}</td><td class="num">{money(a)}</td></tr> }).collect_view()}
                            </tbody>
                        </table>
                        <h4>{T::NavScorecards.get(lang)}</h4>
                        // Without a score, say why rather than show dashes.
                        {match &card {
                            None => Some(T::NoScorecardForTier.fill(lang, &[&tier_name])),
                            Some(c) if c.score_bp.is_none() => Some(T::NoScoreData.get(lang).to_string()),
                            Some(_) => None,
                        }.map(|why| view! { <p class="muted" data-testid="no-score">{why}</p> })}
                        {card.map(|c| view! { <CardView card=c/> })}
                    }.into_any()
                })
            })}
        </div>
    }
}
