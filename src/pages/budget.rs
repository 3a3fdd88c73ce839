//! Budget: units × categories for the year. A child never gets more than its
//! parent has left: the edit is refused with the amount available. Tool
//! seat costs roll up against the tools category. Tools and categories are
//! managed here too.

use crate::browser;
use crate::components::cell::{self, refusal, Refusal};
use crate::components::common::{table_head, Col, NameList};
use crate::components::filters::UnitSelect;
use crate::components::format::figure_width;
use crate::components::plan_bar::PlanBar;
use crate::components::reveal::{content_key, reveal};
use crate::components::tree::indent;
use crate::i18n::T;
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::engine::org::subtree_with_depth;
use sales_tiers_core::engine::plan::{format_units, tool_costs, tools_overrun, BudgetYear};
use sales_tiers_core::io::input::{budget_cell_text, parse_amount, parse_plan_cell};
use sales_tiers_core::model::{Money, Status, TargetKind, Text};
use sales_tiers_core::{Edit, Id};

#[component]
pub fn BudgetPage() -> impl IntoView {
    let s = use_app();
    let table = Memo::new(move |_| {
        let (year, sc, lang) = (s.year.get(), s.scenario.get(), s.lang.get());
        let top = s.top_unit();
        s.ws.with(|w| {
            let Some(plan) = w.plan_of(sc) else { return (Vec::new(), Vec::new()) };
            let cats: Vec<(Id, String, bool)> =
                w.categories_in_order().into_iter().map(|c| (c.id, c.name.get(lang).to_string(), c.tools)).collect();
            let Some(root) = top else { return (cats, Vec::new()) };
            let tools = tool_costs(w);
            let budget = BudgetYear::of(w, plan, year);
            let rows = subtree_with_depth(w, root)
                .into_iter()
                .filter(|(_, depth)| *depth <= 2)
                .map(|(u, depth)| {
                    let amounts: Vec<(Id, Money, Option<Money>)> =
                        cats.iter().map(|(c, _, _)| (*c, budget.amount(u, *c), budget.headroom(w, u, *c))).collect();
                    let seats = tools.get(&u).copied().unwrap_or_default();
                    let over = tools_overrun(w, plan, u, year, seats).is_some();
                    (u, depth, w.units[&u].name.get(lang).to_string(), amounts, budget.total(u), seats, over)
                })
                .collect();
            (cats, rows)
        })
    });
    // Rows by unit, with their places (for the keys that move between
    // cells, as on Targets): each row reads its own numbers, so an edit
    // updates the cells in place and the focus stays where it is.
    let by_unit = Memo::new(move |_| {
        table.with(|(_, rows)| rows.iter().enumerate().map(|(i, r)| (r.0, (i, r.clone()))).collect::<std::collections::HashMap<_, _>>())
    });
    let rows_of = crate::components::rows::Rows::new(by_unit, |m, u| m.get(u));
    // A screenful of rows with the page, the rest in the next tasks.
    let shown = reveal(move || table.with_untracked(|(_, rows)| rows.len()));
    let keyed_rows = move || {
        let cats: Vec<Id> = table.with(|(c, _)| c.iter().map(|c| c.0).collect());
        let ctx = content_key(&(s.lang.get(), s.year.get(), s.scenario.get(), cats));
        let n = shown.get();
        table.with(|(_, rows)| rows.iter().take(n).map(|r| (r.0, ctx)).collect::<Vec<_>>())
    };
    // Commits a typed cell; a refusal (a bad amount, more than the parent has
    // left) is returned to be shown beside the cell.
    let set = move |unit: Id, category: Id, text: String| -> Result<i64, Refusal> {
        let amount = parse_plan_cell(TargetKind::Revenue, &text).map_err(|e| refusal(|l| e.message(l)))?;
        let edit =
            Edit::SetBudget { scenario: s.scenario.get_untracked(), unit, year: s.year.get_untracked(), category, amount: Money(amount) };
        s.try_dispatch(edit).map(|_| amount).map_err(|e| refusal(|l| e.message(l)))
    };
    view! {
        <section class="page wide-page">
            <h2 class="page-title">{move || s.t(T::NavBudget)}</h2>
            <PlanBar/>
            <p class="muted small">{move || s.t(T::BudgetHelp)}</p>
            <div class="card matrix-card">
                // A long table (rows skipped out of view): a field per category,
                // the total as wide as the top unit's, the tool seats.
                <table class="matrix budget long" data-testid="budget-matrix" style=move || table.with(|(cats, rows)| {
                    let n = cats.len();
                    format!(
                        "{}; --cols: minmax(200px, 2fr) repeat({n}, minmax(100px, 1fr)) minmax(calc(var(--num) + 16px), 1fr) minmax(76px, .8fr); \
                         --min-w: calc(200px + {n} * 100px + var(--num) + 16px + 76px)",
                        figure_width(rows.first().map(|r| format_units(r.4)))
                    )
                })>
                    <thead><tr>
                        <th class="name-col">{move || s.t(T::Unit)}</th>
                        {move || table.get().0.into_iter().map(|(_, name, _)| view! { <th class="num">{name}</th> }).collect_view()}
                        <th class="num">{move || s.t(T::Total)}</th>
                        <th class="num">{move || s.t(T::ToolSeats)}</th>
                    </tr></thead>
                    <tbody>
                        <For each=keyed_rows key=|x| *x children=move |(u, _)| {
                            let lang = s.lang.get_untracked();
                            let row = rows_of.signal(u);
                            // Handlers read the row as it is now (see components::rows).
                            let now = move || rows_of.now(&u);
                            let Some((_, first)) = row.get_untracked() else { return ().into_any() };
                            let cats = table.with_untracked(|t| t.0.clone());
                            let cells = cats.into_iter().enumerate().map(|(i, (cat, cname, _))| {
                                let text_of = move |amounts: Option<&Vec<(Id, Money, Option<Money>)>>| budget_cell_text(amounts.map(|a| a[i].1).unwrap_or_default().0);
                                let shown = move || row.with(|r| text_of(r.as_ref().map(|r| &r.1.3)));
                                let shown_now = move || text_of(now().as_ref().map(|r| &r.1.3));
                                let title = move || row.with(|r| r.as_ref().and_then(|r| r.1.3[i].2).map(|h| crate::i18n::labelled(lang, T::ParentLeft.get(lang), format_units(h))));
                                let msg: RwSignal<Option<Refusal>> = RwSignal::new(None);
                                let r = move || now().map(|x| x.0).unwrap_or(0);
                                // The row's place as drawn (see Targets).
                                let place = move || row.with(|x| x.as_ref().map_or(0, |x| x.0));
                                let commit = move |typed: String| set(u, cat, typed).map(budget_cell_text);
                                view! {
                                    <td class="num">
                                        <input class="cell" type="text" autocomplete="off" inputmode="decimal" data-testid="budget-cell" data-cat=cname.clone() data-r=place data-c=i title=title prop:value=shown aria-label=T::FieldOf.fill(lang, &[&cname, &first.2])
                                            aria-invalid=move || msg.get().map(|_| "true")
                                            on:keydown=move |ev| cell::matrix_keydown(&ev, s, msg, (r(), i), shown_now, commit)
                                            on:input=move |_| msg.set(None)
                                            on:change=move |ev| cell::matrix_change(&ev, s, msg, shown_now, commit)/>
                                        {cell::message(s, msg)}
                                    </td>
                                }
                            }).collect_view();
                            let total = move || row.with(|r| r.as_ref().map(|r| format_units(r.1.4)).unwrap_or_default());
                            let tools = move || row.with(|r| r.as_ref().map(|r| format_units(r.1.5)).unwrap_or_default());
                            let tools_over = move || row.with(|r| r.as_ref().is_some_and(|r| r.1.6));
                            view! {
                                <tr data-testid="budget-row" data-name=first.2.clone()>
                                    <td class="name-col"><span style=indent(first.1) class="unit-name" title=first.2.clone()>{first.2.clone()}</span></td>
                                    {cells}
                                    <td class="num strong" data-testid="budget-total">{total}</td>
                                    <td class="num" class:alert=tools_over title=T::ToolSeatsHelp.get(lang)>{tools}</td>
                                </tr>
                            }.into_any()
                        }/>
                    </tbody>
                </table>
            </div>
            <div class="grid2">
                <ToolsCard/>
                <CategoriesCard/>
            </div>
        </section>
    }
}

#[component]
fn ToolsCard() -> impl IntoView {
    let s = use_app();
    let new_name = RwSignal::new(String::new());
    let new_cost = RwSignal::new(String::new());
    let add_msg: RwSignal<Option<Refusal>> = RwSignal::new(None);
    let seat_unit: RwSignal<Option<Id>> = RwSignal::new(None);
    view! {
        <article class="card">
            <h3>{move || s.t(T::Tools)}</h3>
            <div class="table-scroll">
            <table class="table tools-table">
                {table_head([Col::Text(T::ItemName), Col::Num(T::CostPerSeat), Col::Num(T::Seats), Col::Num(T::Total), Col::Blank])}
                <tbody>
                    {move || {
                        let lang = s.lang.get();
                        s.ws.with(|w| w.tools.values().cloned().collect::<Vec<_>>()).into_iter().map(|t| {
                            let id = t.id;
                            let name = t.name.clone();
                            let seats = t.seats.len();
                            let shown = format_units(t.cost_per_seat);
                            let msg: RwSignal<Option<Refusal>> = RwSignal::new(None);
                            view! {
                                <tr data-testid="tool">
                                    <td>{t.name.get(lang).to_string()}</td>
                                    <td class="num"><input class="cell" type="text" autocomplete="off" inputmode="decimal" data-testid="tool-cost" prop:value=shown.clone()
                                        aria-label=T::FieldOf.fill(lang, &[&T::CostPerSeat.get(lang), &t.name.get(lang)]) aria-invalid=move || msg.get().map(|_| "true")
                                        on:input=move |_| msg.set(None)
                                        on:change=move |ev| {
                                            let r = parse_amount(&event_target_value(&ev)).map_err(|e| refusal(|l| e.message(l))).and_then(|m| {
                                                s.try_dispatch(Edit::UpdateTool { id, name: name.clone(), cost_per_seat: m }).map(|_| ()).map_err(|e| refusal(|l| e.message(l)))
                                            });
                                            if r.is_err() { cell::refused(&ev, shown.clone()) }
                                            cell::show(s, msg, r.err());
                                        }/>{cell::message(s, msg)}</td>
                                    <td class="num">{seats}</td>
                                    <td class="num">{format_units(Money(t.cost_per_seat.0 * seats as i64))}</td>
                                    <td class="row-actions-cell">
                                        <button class="btn small ghost" title=T::SeatsForUnit.get(lang) on:click=move |_| {
                                            let Some(u) = seat_unit.get_untracked() else { return };
                                            let edits = s.ws.with_untracked(|w| {
                                                let scope = sales_tiers_core::engine::org::scope_units(w, u);
                                                w.people.values().filter(|p| scope.contains(&p.unit) && p.status != Status::Left).map(|p| Edit::SetSeat { tool: id, person: p.id, on: true }).collect()
                                            });
                                            s.dispatch(Edit::Batch { edits });
                                        }>{T::GiveSeats.get(lang)}</button>
                                        <button class="btn small ghost" on:click=move |_| { s.dispatch(Edit::RemoveTool { id }); }>{T::Remove.get(lang)}</button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
            </table>
            </div>
            <div class="panel-form">
                <span class="muted small">{move || s.t(T::SeatsForUnit)}</span>
                <UnitSelect value=seat_unit on_change=Callback::new(move |u| seat_unit.set(u)) testid="seat-unit" attr:aria-label=move || s.t(T::SeatsForUnit)/>
            </div>
            <form class="panel-form" on:submit=move |ev| {
                ev.prevent_default();
                let r = parse_amount(&new_cost.get_untracked()).map_err(|e| refusal(|l| e.message(l))).and_then(|cost| {
                    let edit = Edit::AddTool { id: browser::new_id(), name: Text::both(new_name.get_untracked().trim()), cost_per_seat: cost };
                    s.try_dispatch(edit).map_err(|e| refusal(|l| e.message(l)))
                });
                if r.is_ok() {
                    new_name.set(String::new());
                    new_cost.set(String::new());
                }
                cell::show(s, add_msg, r.err());
            }>
                <input type="text" maxlength="120" placeholder=move || s.t(T::ItemName) aria-label=move || s.t(T::ItemName) prop:value=move || new_name.get() on:input=move |ev| new_name.set(event_target_value(&ev))/>
                <input type="text" class="short" inputmode="decimal" data-testid="new-tool-cost" placeholder=move || s.t(T::CostPerSeat) aria-label=move || s.t(T::CostPerSeat) prop:value=move || new_cost.get()
                    on:input=move |ev| { add_msg.set(None); new_cost.set(event_target_value(&ev)) }/>
                <button type="submit" class="btn small">{move || s.t(T::AddTool)}</button>
                {cell::message(s, add_msg)}
            </form>
        </article>
    }
}

#[component]
fn CategoriesCard() -> impl IntoView {
    let s = use_app();
    let items = Signal::derive(move || {
        s.ws.with(|w| {
            w.categories_in_order().into_iter().map(|c| (c.id, c.name.clone(), c.tools.then_some(T::ToolsCategory))).collect::<Vec<_>>()
        })
    });
    view! {
        <article class="card">
            <h3>{move || s.t(T::Categories)}</h3>
            <NameList
                items=items
                on_rename=Callback::new(move |(id, name)| s.dispatch(Edit::RenameCategory { id, name }))
                on_remove=Callback::new(move |id| s.dispatch(Edit::RemoveCategory { id }))
                on_add=Callback::new(move |name| s.dispatch(Edit::AddCategory { id: browser::new_id(), name }))
                add_label=T::AddCategory/>
        </article>
    }
}
