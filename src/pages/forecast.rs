//! Forecast: the hierarchy's target, actual, attainment and on-track status,
//! the cumulative forecast categories and weighted pipeline rolled up unit by
//! unit, managers' calls (overrides) beside the rolled-up numbers, and the
//! funnel with conversion, win rate, deal size, cycle length and coverage.

use crate::components::common::{table_head, Col, Modal};
use crate::components::crm::{category_label, stage_name};
use crate::components::filters::PeriodPicker;
use crate::components::form::{NotesField, TextField};
use crate::components::format::{coverage, figure_width, money, or_dash, percent};
use crate::components::perf::current_period;
use crate::components::plan_bar::PlanBar;
use crate::components::reveal::{content_key, reveal};
use crate::components::rows::Rows;
use crate::components::tree::indent;
use crate::i18n::T;
use crate::state::use_app;
use crate::url;
use leptos::prelude::*;
use sales_tiers_core::calendar::period_bounds;
use sales_tiers_core::calendar::Period;
use sales_tiers_core::engine::crm::{call_of, deals_in, stats};
use sales_tiers_core::engine::org::{scope_units, subtree_with_depth, IdMap};
use sales_tiers_core::engine::track::{standings, Standing, Track};
use sales_tiers_core::model::*;
use sales_tiers_core::num::percent_bp;
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{Edit, Id, Lang};
use std::collections::HashSet;

fn track_badge(t: Track, lang: Lang) -> (&'static str, &'static str) {
    match t {
        Track::NoTarget => ("badge", T::NoTarget.get(lang)),
        Track::Ahead => ("badge ok", T::OnTrack.get(lang)),
        Track::Behind => ("badge warn", T::SlightlyBehind.get(lang)),
        Track::OffTrack => ("badge bad", T::OffTrack.get(lang)),
    }
}

/// Who a row of the rollup is and where it sits; its figures are read by
/// id from the period's standings and calls, so a period switch changes
/// the rows' figures, not the rows.
#[derive(Clone, Debug, PartialEq, Hash)]
struct Line {
    id: Id,
    name: String,
    depth: usize,
    person: bool,
}

/// A manager's call: (category, amount, note, who made it).
type Call = (ForecastCategory, i64, String, String);

#[component]
pub fn ForecastPage() -> impl IntoView {
    let s = use_app();
    // The period in the URL, else the current quarter (as on Scorecards and Payouts).
    let current = current_period(&s);
    let (period, set_period) = url::period_state(move || current);
    let show_people = RwSignal::new(false);
    let editing: RwSignal<Option<Id>> = RwSignal::new(None);

    let root = Memo::new(move |_| s.top_unit());
    let board = Memo::new(move |_| {
        let (year, p, today) = (s.year.get(), period.get(), s.today());
        // The year's are shared with the home page (one computation per change).
        if p == sales_tiers_core::calendar::Period::Year {
            return (*s.year_standings.get()).clone();
        }
        s.with_index(|w, ix| standings(w, ix, year, p, today))
    });
    let lines = Memo::new(move |_| {
        let lang = s.lang.get();
        let people = show_people.get();
        let Some(root) = root.get() else { return Vec::new() };
        s.ws.with(|w| {
            let mut out = Vec::new();
            for (u, depth) in subtree_with_depth(w, root) {
                let unit = &w.units[&u];
                out.push(Line { id: u, name: unit.name.get(lang).to_string(), depth, person: false });
                if people {
                    let mut members: Vec<&Person> = w.people.values().filter(|x| x.unit == u && x.status != Status::Left).collect();
                    members.arrange_by_cached_key(|x| (Some(x.id) != unit.manager, x.name.get(lang).to_string()));
                    out.extend(members.into_iter().map(|m| Line {
                        id: m.id,
                        name: m.name.get(lang).to_string(),
                        depth: depth + 1,
                        person: true,
                    }));
                }
            }
            out
        })
    });
    let shown = reveal(move || lines.with_untracked(|v| v.len()));
    // The calls made for the period, by owner (the few rows that have one).
    let calls = Memo::new(move |_| {
        let lang = s.lang.get();
        let (year, p) = (s.year.get(), period.get());
        lines.with(|v| {
            s.ws.with(|w| {
                v.iter()
                    .filter_map(|l| {
                        let o = call_of(w, l.id, year, p)?;
                        Some((l.id, (o.category, o.amount.0, o.note.clone(), w.person_name(o.by, lang))))
                    })
                    .collect::<IdMap<Call>>()
            })
        })
    });
    // Each row's figures and call, from a signal of its own: a period
    // switch changes every row, and the rows on screen are set first (see
    // `Rows::nearest_first`).
    let figures = Memo::new(move |_| {
        board.with(|b| {
            calls.with(|c| b.iter().map(|(id, st)| (*id, (*st, c.get(id).cloned()))).collect::<IdMap<(Standing, Option<Call>)>>())
        })
    });
    let body: NodeRef<leptos::html::Tbody> = NodeRef::new();
    let figures_of = Rows::nearest_first(
        figures,
        |m, id| m.get(id),
        body,
        move || {
            let place: std::collections::HashMap<Id, usize> =
                lines.with_untracked(|v| v.iter().enumerate().map(|(i, l)| (l.id, i)).collect());
            move |id: &Id| place.get(id).copied()
        },
    );
    let funnel = Memo::new(move |_| {
        let (year, p) = (s.year.get(), period.get());
        let scope = root.get();
        s.ws.with(|w| {
            let (a, b) = period_bounds(year, w.settings.fiscal_year_start_month, p);
            let people: Option<HashSet<Id>> = scope.map(|r| {
                let units = scope_units(w, r);
                w.people.values().filter(|x| units.contains(&x.unit)).map(|x| x.id).collect()
            });
            stats(w, deals_in(w, people.as_ref(), a, b))
        })
    });
    let top = move || root.get().and_then(|r| board.with(|b| b.get(&r).copied()));

    view! {
        <section class="page">
            <h2 class="page-title">{move || s.t(T::NavForecast)}</h2>
            <PlanBar no_scenario=true>
                <PeriodPicker period=period on_change=set_period testid="forecast-period"/>
            </PlanBar>
            {move || top().map(|t| {
                let lang = s.lang.get();
                let (cls, label) = track_badge(t.track, lang);
                let att = percent(t.attainment_bp());
                let cov = coverage(t.coverage_pct);
                view! {
                    <div class="kpis" data-testid="forecast-kpis">
                        <div class="kpi"><span class="muted small">{T::Target.get(lang)}</span><strong data-testid="kpi-target">{money(t.target)}</strong></div>
                        <div class="kpi"><span class="muted small">{T::Actual.get(lang)}</span><strong data-testid="kpi-actual">{money(t.figures.closed)}</strong>
                            <span class="small">{format!("{} {att}", T::Attainment.get(lang))}</span></div>
                        <div class="kpi"><span class="muted small">{T::ExpectedToDate.get(lang)}</span><strong>{money(t.expected)}</strong><span class=cls data-testid="kpi-track">{label}</span></div>
                        <div class="kpi"><span class="muted small">{category_label(ForecastCategory::Commit, lang)}</span><strong data-testid="kpi-commit">{money(t.figures.commit)}</strong></div>
                        <div class="kpi"><span class="muted small">{category_label(ForecastCategory::BestCase, lang)}</span><strong>{money(t.figures.best_case)}</strong></div>
                        <div class="kpi"><span class="muted small">{category_label(ForecastCategory::Pipeline, lang)}</span><strong>{money(t.figures.pipeline)}</strong></div>
                        <div class="kpi"><span class="muted small">{T::Weighted.get(lang)}</span><strong>{money(t.figures.weighted().0)}</strong></div>
                        <div class="kpi" class:warn-kpi=t.thin_coverage()><span class="muted small">{T::Coverage.get(lang)}</span><strong data-testid="kpi-coverage">{cov}</strong>
                            {t.thin_coverage().then(|| view! { <span class="badge warn">{T::BelowThreeX.get(lang)}</span> })}</div>
                    </div>
                }
            })}
            <div class="card">
                <div class="filters">
                    <h3>{move || s.t(T::ForecastRollup)}</h3>
                    <div class="spacer"></div>
                    <label class="check"><input type="checkbox" data-testid="show-people" prop:checked=move || show_people.get() on:change=move |ev| show_people.set(event_target_checked(&ev))/>
                        <span>{move || s.t(T::ShowPeople)}</span></label>
                </div>
                // A box of its own: its headings and its sideways scroll bar stay in sight.
                <div class="table-scroll tall">
                // The widest figure is the top unit's: every other row is a part of it.
                <table class="table forecast long" data-testid="forecast-table" style=move || {
                    let top = top();
                    figure_width(top.iter().flat_map(|t| {
                        let f = &t.figures;
                        [t.target, f.closed, f.commit, f.best_case, f.pipeline, f.weighted().0].map(money)
                    }))
                }>
                    <thead><tr>
                        <th>{move || s.t(T::Unit)}</th>
                        <th class="num">{move || s.t(T::Target)}</th>
                        <th class="num">{move || s.t(T::Actual)}</th>
                        <th class="num">{move || s.t(T::Attainment)}</th>
                        <th>{move || s.t(T::Status)}</th>
                        <th class="num">{move || category_label(ForecastCategory::Commit, s.lang.get())}</th>
                        <th class="num">{move || category_label(ForecastCategory::BestCase, s.lang.get())}</th>
                        <th class="num">{move || category_label(ForecastCategory::Pipeline, s.lang.get())}</th>
                        <th class="num">{move || s.t(T::Weighted)}</th>
                        <th class="num">{move || s.t(T::Coverage)}</th>
                        <th>{move || s.t(T::ManagersCall)}</th>
                    </tr></thead>
                    <tbody node_ref=body>
                        // Keyed by who the row is (its name, place and the language); its
                        // figures are read from the row's own signal, so a period switch or an
                        // edit updates the cells in place. A screenful with the page, the
                        // rest in the next tasks.
                        <For each=move || {
                                let (lang, n) = (s.lang.get(), shown.get());
                                lines.with(|v| v.iter().take(n).map(|l| (content_key(&(l, lang)), l.clone(), lang)).collect::<Vec<_>>())
                            }
                            key=|x| x.0 children=move |(_, l, lang)| {
                                let id = l.id;
                                let line = figures_of.signal(id);
                                let st = move || line.with(|x| x.as_ref().map(|x| x.0));
                                let fig = move |f: fn(&Standing) -> String| move || st().map(|x| f(&x)).unwrap_or_default();
                                let badge = move || st().map(|x| track_badge(x.track, lang));
                                let row_cls = if l.person { "person-row" } else { "unit-row" };
                                let call = move || line.with(|x| x.as_ref().and_then(|x| x.1.clone())).map(|(c, amount, note, by)| {
                                    // The note and who made the call, those there are.
                                    let tip = [note.as_str(), by.as_str()].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join(" — ");
                                    let tip = (!tip.is_empty()).then_some(tip);
                                    view! {
                                        <button class="link" data-testid="override-value" title=tip on:click=move |_| editing.set(Some(id))>
                                            {crate::i18n::labelled(lang, category_label(c, lang), money(amount))}" ✎"
                                        </button>
                                        <div class="muted small override-note" data-testid="override-note">{note.clone()}</div>
                                    }
                                });
                                let no_call = move || line.with(|x| x.as_ref().is_some_and(|x| x.1.is_none()));
                                view! {
                                    <tr class=row_cls data-testid="forecast-row" data-id=id.to_string() data-name=l.name.clone()>
                                        <td class="unit-cell" class:strong=!l.person><span style=indent(l.depth)>{l.name.clone()}</span></td>
                                        <td class="num" data-testid="f-target">{fig(|x| money(x.target))}</td>
                                        <td class="num" data-testid="f-actual">{fig(|x| money(x.figures.closed))}</td>
                                        <td class="num" data-testid="f-attainment">{fig(|x| percent(x.attainment_bp()))}</td>
                                        <td><span class=move || badge().map(|b| b.0) data-testid="f-track">{move || badge().map(|b| b.1)}</span></td>
                                        <td class="num" data-testid="f-commit">{fig(|x| money(x.figures.commit))}</td>
                                        <td class="num">{fig(|x| money(x.figures.best_case))}</td>
                                        <td class="num">{fig(|x| money(x.figures.pipeline))}</td>
                                        <td class="num">{fig(|x| money(x.figures.weighted().0))}</td>
                                        <td class="num" class:warn-text=move || st().is_some_and(|x| x.thin_coverage())>{fig(|x| coverage(x.coverage_pct))}</td>
                                        <td class="call">
                                            {call}
                                            <Show when=no_call>
                                                <button class="btn small ghost" data-testid="override" on:click=move |_| editing.set(Some(id))>{T::MakeCall.get(lang)}</button>
                                            </Show>
                                        </td>
                                    </tr>
                                }
                            }
                        />
                    </tbody>
                </table>
                </div>
                <p class="muted small">{move || s.t(T::ForecastHelp)}</p>
            </div>
            <div class="grid2">
                <Funnel stats=funnel/>
                <div class="card" data-testid="deal-stats">
                    <h3>{move || s.t(T::DealStats)}</h3>
                    {move || {
                        let lang = s.lang.get();
                        let st = funnel.get();
                        let rows: Vec<(T, String, &str)> = vec![
                            (T::WinRate, percent(st.win_rate_bp.map(i64::from)), "stat-win-rate"),
                            (T::AvgDeal, or_dash(st.avg_deal.map(|m| money(m.0))), "stat-avg-deal"),
                            (T::SalesCycle, or_dash(st.cycle_days.map(|d| T::Days.fill(lang, &[&d]))), "stat-cycle"),
                            (T::WonDeals, format!("{} · {}", st.won, money(st.won_amount)), "stat-won"),
                            (T::LostDeals, st.lost.to_string(), "stat-lost"),
                        ];
                        view! {
                            <dl class="deal-stats">
                                {rows.into_iter().map(|(k, v, tid)| view! { <dt>{k.get(lang)}</dt><dd data-testid=tid>{v}</dd> }).collect_view()}
                            </dl>
                        }
                    }}
                </div>
            </div>
            {move || editing.get().map(|owner| view! { <OverrideDialog owner=owner period=period.get_untracked() on_close=Callback::new(move |_| editing.set(None))/> })}
        </section>
    }
}

/// Funnel by stage: deals that reached each step (bar), deals now in it,
/// amounts, and conversion to the next step.
#[component]
fn Funnel(stats: Memo<sales_tiers_core::engine::crm::Stats>) -> impl IntoView {
    let s = use_app();
    // The same figures as a table: the chart's text equivalent.
    let (as_table, set_as_table) = crate::url::view_flag("funnel-table");
    view! {
        <div class="card" data-testid="funnel">
            <div class="card-head">
                <h3>{move || s.t(T::Funnel)}</h3>
                <div class="spacer"></div>
                <div class="lang-switch" role="group" aria-label=move || s.t(T::ChartShowAs)>
                    <button class="btn seg small" data-testid="funnel-as-chart" aria-pressed=move || (!as_table.get()).to_string() on:click=move |_| set_as_table.run(false)>{move || s.t(T::ChartView)}</button>
                    <button class="btn seg small" data-testid="funnel-as-table" aria-pressed=move || as_table.get().to_string() on:click=move |_| set_as_table.run(true)>{move || s.t(T::TableView)}</button>
                </div>
            </div>
            {move || {
                let lang = s.lang.get();
                let st = stats.get();
                let steps: Vec<(String, u32, u32, i64, Option<u32>)> = s.ws.with(|w| {
                    st.stages
                        .iter()
                        .filter(|x| w.stages.get(&x.stage).is_some_and(|g| g.outcome != Outcome::Lost))
                        .map(|x| {
                            let conv = st.conversions.iter().find(|c| c.0 == x.stage).and_then(|c| c.2);
                            (stage_name(w, x.stage, lang), x.reached, x.count, x.amount, conv)
                        })
                        .collect()
                });
                let max = steps.iter().map(|x| x.1).max().unwrap_or(0).max(1) as f64;
                if as_table.get() {
                    return view! {
                        <table class="table compact" data-testid="funnel-table">
                            {table_head([Col::Text(T::Stage), Col::Num(T::FunnelReached), Col::Num(T::FunnelNow), Col::Num(T::Amount), Col::Num(T::FunnelConversion)])}
                            <tbody>
                                {steps.iter().map(|(name, reached, now, amount, conv)| view! {
                                    <tr>
                                        <th scope="row">{name.clone()}</th>
                                        <td class="num">{*reached}</td>
                                        <td class="num">{*now}</td>
                                        <td class="num">{money(*amount)}</td>
                                        <td class="num">{conv.map(|c| percent_bp(c as i64))}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any();
                }
                // Its name carries every figure, for readers that do not open the table.
                let label = std::iter::once(T::Funnel.get(lang).to_string())
                    .chain(steps.iter().map(|(name, reached, now, amount, conv)| {
                        let step = crate::i18n::labelled(lang, name, T::FunnelStep.fill(lang, &[reached, now, &money(*amount)]));
                        match conv {
                            Some(c) => step + &crate::i18n::bracketed(lang, T::FunnelConvert.fill(lang, &[&percent_bp(*c as i64)]).trim_start_matches("↓ ")),
                            None => step,
                        }
                    }))
                    .collect::<Vec<_>>()
                    .join(T::ListSep.get(lang));
                // HTML, not a scaled SVG: the names and figures keep the
                // page's text size at any card width, and wrap when narrow.
                view! {
                    <div class="funnel-chart" role="img" aria-label=label>
                        {steps.iter().map(|(name, reached, now, amount, conv)| {
                            let share = (100.0 * *reached as f64 / max).clamp(0.5, 100.0);
                            let text = T::FunnelStep.fill(lang, &[reached, now, &money(*amount)]);
                            let conv_text = conv.map(|c| T::FunnelConvert.fill(lang, &[&percent_bp(c as i64)]));
                            view! {
                                <div class="funnel-step" data-testid="funnel-step">
                                    <span class="funnel-label">{name.clone()}</span>
                                    <span class="funnel-track"><span class="funnel-bar" style=format!("width: {share:.1}%")></span></span>
                                    <span class="funnel-value">{text}</span>
                                </div>
                                {conv_text.map(|c| view! { <span class="funnel-conv">{c}</span> })}
                            }
                        }).collect_view()}
                    </div>
                }.into_any()
            }}
        </div>
    }
}

/// A manager's call on one figure, with a note; shown beside the rollup.
#[component]
fn OverrideDialog(owner: Id, period: Period, on_close: Callback<()>) -> impl IntoView {
    let s = use_app();
    let year = s.year.get_untracked();
    let existing = s.ws.with_untracked(|w| call_of(w, owner, year, period).cloned());
    let category = RwSignal::new(existing.as_ref().map(|o| o.category).unwrap_or(ForecastCategory::Commit));
    let amount = RwSignal::new(existing.as_ref().map(|o| money(o.amount.0)).unwrap_or_default());
    let note = RwSignal::new(existing.as_ref().map(|o| o.note.clone()).unwrap_or_default());
    let error = RwSignal::new(false);
    let name = s.ws.with_untracked(|w| {
        let lang = s.lang.get_untracked();
        w.units
            .get(&owner)
            .map(|u| u.name.get(lang).to_string())
            .or_else(|| w.people.get(&owner).map(|p| p.name.get(lang).to_string()))
            .unwrap_or_default()
    });
    let rolled =
        s.index.with_untracked(|ix| s.ws.with_untracked(|w| sales_tiers_core::engine::crm::forecast_period(w, ix, year, period).of(owner)));
    let title = Signal::derive(move || format!("{} · {name}", s.t(T::ManagersCall)));
    let prior = existing.as_ref().map(|o| o.category);
    let has_call = existing.is_some();
    let set = Callback::new(move |amount: Option<Money>| {
        // Core keeps one call per owner and period; clearing removes the one there is.
        let category = match (amount, prior) {
            (None, Some(p)) => p,
            _ => category.get_untracked(),
        };
        let edit = Edit::SetOverride { owner, year, period, category, amount, note: note.get_untracked(), by: s.who() };
        if s.dispatch(edit) {
            crate::focus::close_after_edit(on_close);
        }
    });
    let save = move || match Money::parse(&amount.get_untracked()) {
        Ok(m) => {
            error.set(false);
            set.run(Some(m))
        }
        Err(_) => error.set(true),
    };
    view! {
        <Modal title=title on_close=on_close>
            <p class="small">{move || s.tf(T::RolledUpCall, &[&money(rolled.commit), &money(rolled.best_case)])}</p>
            // A form, so that Enter in the amount saves.
            <form class="form-grid" id="override-form" on:submit=move |ev| { ev.prevent_default(); save() }>
                <label><span>{move || s.t(T::ForecastCategory)}</span>
                    <select data-testid="override-category" on:change=move |ev| category.set(if event_target_value(&ev) == "best" { ForecastCategory::BestCase } else { ForecastCategory::Commit })>
                        <option value="commit" prop:selected=move || category.get() == ForecastCategory::Commit>{move || category_label(ForecastCategory::Commit, s.lang.get())}</option>
                        <option value="best" prop:selected=move || category.get() == ForecastCategory::BestCase>{move || category_label(ForecastCategory::BestCase, s.lang.get())}</option>
                    </select></label>
                <TextField label=T::Amount value=amount testid="override-amount" inputmode="decimal"/>
                <NotesField label=T::Notes value=note rows=2 testid="override-note-input"/>
            </form>
            <Show when=move || error.get()><p class="error">{move || s.t(T::BadAmount)}</p></Show>
            <div class="modal-actions">
                {has_call.then(|| view! { <button class="btn danger" data-testid="override-clear" on:click=move |_| set.run(None)>{move || s.t(T::ClearCall)}</button> })}
                <div class="spacer"></div>
                <button class="btn" on:click=move |_| on_close.run(())>{move || s.t(T::Cancel)}</button>
                <button class="btn primary" type="submit" form="override-form" data-testid="override-save">{move || s.t(T::Save)}</button>
            </div>
        </Modal>
    }
}
