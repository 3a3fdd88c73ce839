//! The director's summary: payout cost per unit and in total against the
//! personnel budget, and the CSV of every statement.

use super::Shared;
use crate::components::common::{table_head, Col};
use crate::components::format::{figure_width, money, percent, DASH};
use crate::components::reveal::{first_keyed, reveal};
use crate::components::tree::indent;
use crate::i18n::T;
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::calendar::Period;
use sales_tiers_core::engine::perf::{summary, BudgetStatus};

/// Payout cost per unit and in total against the personnel budget.
#[component]
pub(super) fn Summary(pay: Memo<Shared>, period: Memo<Period>) -> impl IntoView {
    let s = use_app();
    let rows = Memo::new(move |_| {
        let lang = s.lang.get();
        let pay = pay.get();
        let root = s.top_unit();
        s.ws.with(|w| {
            let Some(root) = root else { return Vec::new() };
            summary(w, &pay, root).into_iter().map(|r| (w.units[&r.unit].name.get(lang).to_string(), r)).collect::<Vec<_>>()
        })
    });
    let shown = reveal(move || rows.with_untracked(|v| v.len()));
    view! {
        <div class="card no-print" data-testid="pay-summary">
            <h3>{move || s.t(T::DirectorSummary)}</h3>
            // The widest figure is the top unit's: every other row is a part of it.
            <div class="table-scroll">
            <table class="table long pay-summary" style=move || rows.with(|v| figure_width(v.first().into_iter().flat_map(|(_, r)| [money(r.cost), money(r.budget)])))>
                {table_head([Col::Text(T::Unit), Col::Num(T::PeoplePaid), Col::Num(T::PayoutCost), Col::Num(T::PersonnelBudget), Col::Num(T::ShareOfBudget), Col::Blank])}
                <tbody>
                    // Keyed by what a row shows; a screenful with the page, the rest in the next tasks.
                    <For each=move || {
                            let (lang, n) = (s.lang.get(), shown.get());
                            rows.with(|v| first_keyed(v, n, lang))
                        }
                        key=|x| x.0 children=move |(_, (name, r), lang)| {
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
                                    <td><span style=indent(depth)>{name}</span></td>
                                    <td class="num">{people}</td>
                                    <td class="num" data-testid="summary-cost">{money(cost)}</td>
                                    <td class="num" data-testid="summary-budget">{if budget > 0 { money(budget) } else { DASH.into() }}</td>
                                    <td class="num">{percent(r.share_bp)}</td>
                                    <td><span class=cls data-testid="summary-status">{label}</span></td>
                                </tr>
                            }
                        }
                    />
                </tbody>
            </table>
            </div>
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
