//! Pipeline: opportunities as an editable, sortable table or a kanban board
//! by stage (drag, or ← → on a focused card), scoped by view-as; the stage
//! editor; CSV import and export.

use crate::components::cell::{self, refusal, Refusal};
use crate::components::common::{pressed, sort_head, table_head, Col, Modal};
use crate::components::crm::{category_label, export_opportunities, CsvImport, DealLine as Row, OpportunityForm};
use crate::components::filters::{id_select, search_handlers, KeySelect, PeriodSelect, UnitSelect};
use crate::components::format::money;
use crate::components::pager::{self, Pager};
use crate::components::plan_bar::PlanBar;
use crate::components::reveal::reveal_again;
use crate::components::work::WorkDialog;
use crate::i18n::T;
use crate::state::{use_app, AppState, NoticeKind, Shared};
use crate::url;
use chrono::Datelike;
use leptos::prelude::*;
use sales_tiers_core::calendar::{fiscal_month_index, fiscal_year_of, period_bounds, Period};
use sales_tiers_core::edit::{OpportunityFields, StageFields};
use sales_tiers_core::engine::org::scope_units;
use sales_tiers_core::engine::org::IdMap;
use sales_tiers_core::io::csv::Target;
use sales_tiers_core::io::input::parse_amount;
use sales_tiers_core::model::*;
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{Edit, Id, Lang};
use wasm_bindgen::JsCast;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sort {
    Name,
    Customer,
    Owner,
    Amount,
    Close,
    Stage,
}

/// Sort columns as the URL names them.
const SORTS: [(Sort, &str); 6] = [
    (Sort::Name, "name"),
    (Sort::Customer, "customer"),
    (Sort::Owner, "owner"),
    (Sort::Amount, "amount"),
    (Sort::Close, "close"),
    (Sort::Stage, "stage"),
];

/// The table's status filter as the URL writes it (open deals when absent).
fn status_key(o: &Option<Outcome>) -> Option<String> {
    match o {
        Some(Outcome::Open) => None,
        Some(Outcome::Won) => Some("won".into()),
        Some(Outcome::Lost) => Some("lost".into()),
        None => Some("all".into()),
    }
}

fn read_status(v: &str) -> Option<Option<Outcome>> {
    match v {
        "won" => Some(Some(Outcome::Won)),
        "lost" => Some(Some(Outcome::Lost)),
        "all" => Some(None),
        "open" => Some(Some(Outcome::Open)),
        _ => None,
    }
}

/// The table's view: its filters, status, order and page.
type TableView = (Filters, Option<Outcome>, (Sort, bool), usize);

/// What the table and the board show: a view's filters.
#[derive(Clone, Debug, PartialEq)]
struct Filters {
    year: i32,
    period: Option<Period>,
    q: String,
    unit: Option<Id>,
    stage: Option<Id>,
}

impl Filters {
    /// Does the deal pass the filters (not the table's status filter)?
    /// What the filters read (the search in lower case, the period's days,
    /// the unit's subtree) is worked out once for all the rows.
    fn keeps<'a>(&'a self, w: &'a Workspace) -> impl Fn(&Row) -> bool + 'a {
        let q = self.q.trim().to_lowercase();
        let bounds = self.period.map(|p| period_bounds(self.year, w.settings.fiscal_year_start_month, p));
        let units = self.unit.map(|u| scope_units(w, u));
        move |r: &Row| {
            r.found_by(&q)
                && self.stage.is_none_or(|st| r.stage == st)
                && bounds.is_none_or(|(a, b)| (a..b).contains(&r.close))
                && units.as_ref().is_none_or(|us| w.people.get(&r.owner_id).is_some_and(|p| us.contains(&p.unit)))
        }
    }
}

/// The table's rows: deals the filters keep with the status wanted, sorted.
fn table_ids<'a>(rows: impl Iterator<Item = &'a Row>, status: Option<Outcome>, (col, asc): (Sort, bool)) -> Vec<Id> {
    let mut v: Vec<&Row> = rows.filter(|r| status.is_none_or(|st| r.outcome == st)).collect();
    v.arrange_by(|a, b| {
        let o = match col {
            Sort::Name => a.name.cmp(&b.name),
            Sort::Customer => a.customer.cmp(&b.customer),
            Sort::Owner => a.owner.cmp(&b.owner),
            Sort::Amount => a.amount.cmp(&b.amount),
            Sort::Close => a.close.cmp(&b.close),
            Sort::Stage => a.stage_order.cmp(&b.stage_order),
        };
        let o = o.then(a.id.cmp(&b.id));
        if asc {
            o
        } else {
            o.reverse()
        }
    });
    v.into_iter().map(|r| r.id).collect()
}

/// Moves a deal to a stage as the viewing manager, today.
fn move_to(s: AppState, id: Id, stage: Id) -> bool {
    s.dispatch(Edit::SetStage { id, stage, on: s.today(), by: s.who() })
}

/// Edits one field of a deal through the full update; a refusal is returned
/// to be shown beside the field.
fn update(s: AppState, id: Id, change: impl FnOnce(&mut OpportunityFields)) -> Result<(), Refusal> {
    let Some(mut f) = s.ws.with_untracked(|w| w.opportunities.get(&id).map(OpportunityFields::of)) else { return Ok(()) };
    change(&mut f);
    s.try_dispatch(Edit::UpdateOpportunity { id, fields: f, on: s.today(), by: s.who() }).map(|_| ()).map_err(|e| refusal(|l| e.message(l)))
}

/// Focuses a card once it is drawn: at once after a move within the view,
/// a few tasks later when the move changed the period shown.
fn focus_card(id: Id) {
    crate::browser::focus_when_drawn(format!("[data-card='{id}']"), 10);
}

/// Brings a just-saved deal's row into view once it is drawn.
fn scroll_to_row(id: Id) {
    crate::browser::when_drawn(format!("[data-testid=opp-row][data-id='{id}']"), 10, 150, |el| el.scroll_into_view());
}

/// Is the element inside `container`?
fn inside(container: &web_sys::EventTarget, el: Option<web_sys::EventTarget>) -> bool {
    let (Some(c), Some(e)) = (container.dyn_ref::<web_sys::Node>(), el) else { return false };
    c.contains(e.dyn_ref::<web_sys::Node>())
}

#[component]
pub fn PipelinePage() -> impl IntoView {
    let s = use_app();
    let (query, set_query) = url::search_state();
    let (unit_f, set_unit) = url::unit_state();
    let (stage_f, set_stage) = url::id_state(url::STAGE);
    // Table only: which deals (the board shows every stage anyway).
    let (status_f, set_status) = url::query_state(url::STATUS, read_status, || Some(Outcome::Open), status_key);
    // None = any date ("all" in the URL); the year unless the URL says otherwise.
    let (period, set_period) = url::query_state(
        url::PERIOD,
        |k| if k == "all" { Some(None) } else { Period::from_key(k).map(Some) },
        || Some(Period::Year),
        |p| Some(p.map(Period::key).unwrap_or_else(|| "all".into())),
    );
    // The board, or the table (the default, no key in the URL).
    let (kanban, set_kanban) = url::view_flag("kanban");
    let (sort, set_sort) = url::sort_state(&SORTS, (Sort::Close, true));
    let (page, set_page) = url::page_state();
    // Any change of filter or order starts from the first page.
    let refilter = move |f: &dyn Fn()| {
        f();
        set_page.run(1);
    };
    let dialog: RwSignal<Option<Option<Id>>> = RwSignal::new(None);
    let importing = RwSignal::new(false);
    let stages_open = RwSignal::new(false);
    // While a cell of the table has the focus, its rows keep their places.
    // Only for edits: another filter, order or page (Back included) shows
    // its own rows at once, so the rows are kept with the view they were
    // pinned in.
    let pinned: RwSignal<Option<(TableView, Vec<Id>)>> = RwSignal::new(None);

    // Every deal in view-as scope, by id: shared, built once per change.
    let all = s.deals;
    // The board shows every stage: the table's stage filter (kept in the
    // link for when the table is back) filters nothing there.
    let filters = Memo::new(move |_| {
        let stage = if kanban.get() { None } else { stage_f.get() };
        Filters { year: s.year.get(), period: period.get(), q: query.get(), unit: unit_f.get(), stage }
    });
    // The deals the filters keep (the board shows these by stage). The
    // filters read the fiscal year's start and the org (people, units); a
    // change to the org rebuilds `all`, so the rest of the document is read
    // untracked: a target or a budget edited elsewhere filters nothing again.
    let fiscal_start = Memo::new(move |_| s.ws.with(|w| w.settings.fiscal_year_start_month));
    // Ids, not copies of the lines: an edit (a card moved) copies 15,000
    // ids at 1,000 people, not 15,000 lines, and compares nothing. Every
    // change of the lines is a change of the rows (the same ids with an
    // amount edited, or a card moved back by an undo, change what is
    // shown): what reads the rows reads the lines through them, and is
    // never left with lines older than the rows.
    let rows = Memo::new_owning(move |_: Option<Kept>| {
        let f = filters.get();
        fiscal_start.track();
        let mut kept = Kept::default();
        all.with(|a| {
            s.ws.with_untracked(|w| {
                let keeps = f.keeps(w);
                for r in a.values().filter(|r| keeps(r)) {
                    kept.ids.push(r.id);
                    if r.outcome == Outcome::Open {
                        (kept.open, kept.worth) = (kept.open + 1, kept.worth + r.amount);
                    }
                }
            })
        });
        (kept, true)
    });
    // The lines of `rows`, in their order (the lines read untracked: the
    // rows change with them).
    let lines = move |f: &mut dyn FnMut(&mut dyn Iterator<Item = &Row>)| {
        rows.with(|k| all.with_untracked(|a| f(&mut k.ids.iter().filter_map(|id| a.get(id)))))
    };
    let sorted = Memo::new(move |_| {
        let (status, by) = (status_f.get(), sort.get());
        let mut out = Vec::new();
        lines(&mut |r| out = table_ids(r, status, by));
        out
    });
    // The board's open deals that close outside the period shown, by stage
    // (what the other filters keep): in December most new leads close next
    // year, and an empty Lead column would read as "no leads".
    let outside = Memo::new(move |_| {
        let f = filters.get();
        let mut by: IdMap<usize> = IdMap::default();
        if f.period.is_none() || !kanban.get() {
            return by;
        }
        fiscal_start.track();
        let any_date = Filters { period: None, ..f.clone() };
        all.with(|a| {
            s.ws.with_untracked(|w| {
                let (keeps, in_period) = (any_date.keeps(w), f.keeps(w));
                for r in a.values().filter(|r| r.outcome == Outcome::Open && keeps(r) && !in_period(r)) {
                    *by.entry(r.stage).or_default() += 1;
                }
            })
        });
        by
    });
    let any_date = Callback::new(move |()| refilter(&|| set_period.run(None)));
    // The period shown, named as the period filter names it ("FY2026").
    let period_name = Memo::new(move |_| {
        let f = filters.get();
        f.period.map(|p| sales_tiers_core::calendar::label_with_year(p, f.year, fiscal_start.get(), s.lang.get())).unwrap_or_default()
    });
    let view_now = move || (filters.get(), status_f.get(), sort.get(), page.get());
    let shown = move || {
        let now = view_now();
        pinned.get().filter(|(at, _)| *at == now).map(|(_, ids)| ids).unwrap_or_else(|| sorted.with(|ids| pager::slice(ids, now.3)))
    };
    // A screenful of the page's rows with the page, the rest in the next tasks.
    // The rows' stage and category choices, shared by every row.
    let choices = Memo::new(move |_| {
        let lang = s.lang.get();
        let stages = s.ws.with(|w| w.stages_in_order().iter().map(|x| (x.id.to_string(), x.name.get(lang).to_string())).collect());
        let categories =
            ForecastCategory::OPEN.iter().enumerate().map(|(i, c)| (i.to_string(), category_label(*c, lang).to_string())).collect();
        RowChoices { stages, categories }
    });
    // A screenful of rows with the page, the rest next. A search shows other
    // deals in the rows there are; the rows a longer list needs are built
    // a screenful at a time again.
    let (built, build_again) = reveal_again(|| pager::PAGE_SIZE);
    // The deals the table's rows show, in order.
    let drawn = Memo::new(move |_| {
        let mut v = shown();
        v.truncate(built.get());
        v
    });
    // The search runs a frame after the keystroke (see search_handlers).
    let (on_search, on_composed) = search_handlers(
        move || query.get_untracked(),
        move |t: String| {
            build_again(drawn.with_untracked(Vec::len));
            refilter(&|| set_query.run(t.clone()))
        },
    );
    // The deals kept, how many are open and what those are worth.
    let counts = move || rows.with(|k| (k.ids.len(), k.open, k.worth));

    // A saved or moved deal the filters would hide: show the year, period
    // and filters it is in. The board has no status filter: a deal moved to
    // Won there leaves the table's status alone.
    let follow = Callback::new(move |id: Id| {
        let Some(r) = all.with_untracked(|a| a.get(&id).cloned()) else { return };
        let start = s.ws.with_untracked(|w| w.settings.fiscal_year_start_month);
        let mut f = filters.get_untracked();
        let board = kanban.get_untracked();
        let mut status = if board { None } else { status_f.get_untracked() };
        if s.ws.with_untracked(|w| f.keeps(w)(&r)) && status.is_none_or(|st| st == r.outcome) {
            if board {
                return;
            }
            let page_of = sorted.with_untracked(|ids| ids.iter().position(|x| *x == id)).map(|i| i / pager::PAGE_SIZE + 1);
            if let Some(p) = page_of.filter(|p| *p != page.get_untracked()) {
                set_page.run(p);
            }
            scroll_to_row(id);
            return;
        }
        let year = fiscal_year_of(r.close, start);
        let index = fiscal_month_index(r.close, start);
        let in_period = match f.period {
            None => None,
            Some(Period::Year) => Some(Period::Year),
            Some(Period::Quarter(_)) => Some(Period::quarter_of_month(index)),
            Some(Period::Month(_)) => Some(Period::Month(index as u8 + 1)),
        };
        if year != f.year {
            s.set_year(year);
        }
        if in_period != f.period {
            set_period.run(in_period);
        }
        if !r.found_by(&f.q.trim().to_lowercase()) {
            set_query.run(String::new());
        }
        if f.stage.is_some_and(|st| st != r.stage) {
            set_stage.run(None);
        }
        if f.unit.is_some() {
            set_unit.run(None);
        }
        if status.is_some_and(|st| st != r.outcome) {
            status = Some(r.outcome);
            set_status.run(status);
        }
        (f.year, f.period, f.q, f.stage, f.unit) = (year, in_period, String::new(), None, None);
        // The table's page the deal will be on once the view has moved (the
        // board has no pages: the table opens on its first).
        let page_of = if board {
            None
        } else {
            all.with_untracked(|a| {
                let ids = s.ws.with_untracked(|w| {
                    let keeps = f.keeps(w);
                    table_ids(a.values().filter(|x| keeps(x)), status, sort.get_untracked())
                });
                ids.iter().position(|x| *x == id).map(|i| i / pager::PAGE_SIZE + 1)
            })
        };
        set_page.run(page_of.unwrap_or(1));
        // Where the deal is shown now, in each language.
        let where_in = |l: Lang| match in_period {
            Some(p) => sales_tiers_core::calendar::label_with_year(p, year, start, l),
            None => T::AnyDate.get(l).to_string(),
        };
        let say = |l: Lang| T::DealShownWhere.fill(l, &[&r.name, &r.close, &where_in(l)]);
        // An undo moves the view again: its notice replaces this one.
        s.notify_about(Some("deal-shown-where"), NoticeKind::Info, say(Lang::Zh), say(Lang::En));
        scroll_to_row(id);
    });

    // "+N more" on a board column: that stage's deals in the table, every
    // one of them (won and lost stages list their won or lost deals).
    let show_stage = Callback::new(move |(stage, outcome): (Id, Outcome)| {
        set_stage.run(Some(stage));
        set_status.run(Some(outcome));
        set_page.run(1);
        set_kanban.run(false);
        // The table from its top, the focus on its first deal.
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
        crate::browser::focus_when_drawn("[data-testid=opp-table] [data-testid=open-opp]".into(), 10);
    });

    view! {
        <section class="page">
            <h2 class="page-title">{move || s.t(T::NavPipeline)}</h2>
            <PlanBar no_scenario=true>
                <div class="seg-group" role="group">
                    <button class="btn seg" data-testid="view-table" aria-pressed=move || (!kanban.get()).to_string() on:click=move |_| set_kanban.run(false)>{move || s.t(T::TableView)}</button>
                    <button class="btn seg" data-testid="view-kanban" aria-pressed=move || kanban.get().to_string() on:click=move |_| set_kanban.run(true)>{move || s.t(T::KanbanView)}</button>
                </div>
            </PlanBar>
            <div class="card">
                <div class="filters" role="search">
                    <input type="search" data-testid="opp-search" placeholder=move || s.t(T::SearchOpportunities) aria-label=move || s.t(T::SearchOpportunities)
                        prop:value=move || query.get() on:input=on_search
                        on:compositionend=on_composed/>
                    <PeriodSelect value=period on_change=Callback::new(move |p| refilter(&|| set_period.run(p))) testid="opp-period" any=T::AnyDate attr:aria-label=move || s.t(T::Period)/>
                    <UnitSelect value=unit_f on_change=Callback::new(move |u| refilter(&|| set_unit.run(u))) testid="opp-unit" none=T::AllUnits attr:aria-label=move || s.t(T::Unit)/>
                    <Show when=move || !kanban.get()>
                        <select data-testid="opp-status" aria-label=move || s.t(T::Status) on:change=move |ev| { let v = read_status(&event_target_value(&ev)).unwrap_or(Some(Outcome::Open)); refilter(&|| set_status.run(v)) }>
                            <option value="open" prop:selected=move || status_f.get() == Some(Outcome::Open)>{move || s.t(T::OpenDeals)}</option>
                            <option value="won" prop:selected=move || status_f.get() == Some(Outcome::Won)>{move || s.t(T::OutcomeWon)}</option>
                            <option value="lost" prop:selected=move || status_f.get() == Some(Outcome::Lost)>{move || s.t(T::OutcomeLost)}</option>
                            <option value="all" prop:selected=move || status_f.get().is_none()>{move || s.t(T::AllDeals)}</option>
                        </select>
                        <label class="bare-label"><span class="visually-hidden">{move || s.t(T::Stage)}</span>
                            {id_select(
                                Signal::derive(move || { let lang = s.lang.get(); s.ws.with(|w| w.stages_in_order().iter().map(|x| (x.id, x.name.get(lang).to_string())).collect()) }),
                                stage_f.into(),
                                Callback::new(move |st: Option<Id>| refilter(&|| {
                                    set_stage.run(st);
                                    // A won or lost stage under another status would list nothing: its deals' status goes with it.
                                    let outcome = st.and_then(|st| s.ws.with_untracked(|w| w.stages.get(&st).map(|x| x.outcome)));
                                    if let Some(o) = outcome.filter(|o| status_f.get_untracked().is_some_and(|now| now != *o)) {
                                        set_status.run(Some(o));
                                    }
                                })),
                                "opp-stage-filter",
                                Some(T::AllStages),
                                false,
                                None,
                            )}
                        </label>
                    </Show>
                    <div class="spacer"></div>
                    <span class="muted" data-testid="opp-count">{move || { let (all, open, worth) = counts(); s.tf(T::DealCount, &[&all, &open, &money(worth)]) }}</span>
                    // The actions wrap as one group, not one by one.
                    <div class="filter-actions">
                        <button class="btn" data-testid="edit-stages" on:click=move |_| stages_open.set(true)>{move || s.t(T::Stages)}</button>
                        <button class="btn" data-testid="import-opportunities" on:click=move |_| importing.set(true)>{move || s.t(T::ImportCsv)}</button>
                        <button class="btn" data-testid="export-opportunities" on:click=move |_| export_opportunities(s, sorted.get_untracked())>{move || s.t(T::ExportCsv)}</button>
                        <button class="btn primary" data-testid="add-opportunity" on:click=move |_| dialog.set(Some(None))>{move || s.t(T::AddOpportunity)}</button>
                    </div>
                </div>
                <Show when=move || !kanban.get() fallback=move || view! { <Kanban rows=rows dialog=dialog follow=follow show_stage=show_stage outside=outside period_name=period_name any_date=any_date/> }>
                    <div class="table-scroll">
                    <table class="table opp-table" data-testid="opp-table">
                        <thead><tr>
                            {sort_head(sort, Callback::new(move |x| refilter(&|| set_sort.run(x))), Sort::Name, T::OpportunityName, false)}
                            {sort_head(sort, Callback::new(move |x| refilter(&|| set_sort.run(x))), Sort::Customer, T::Customer, false)}
                            {sort_head(sort, Callback::new(move |x| refilter(&|| set_sort.run(x))), Sort::Owner, T::Owner, false)}
                            {sort_head(sort, Callback::new(move |x| refilter(&|| set_sort.run(x))), Sort::Stage, T::Stage, false)}
                            <th>{move || s.t(T::ForecastCategory)}</th>
                            {sort_head(sort, Callback::new(move |x| refilter(&|| set_sort.run(x))), Sort::Amount, T::Amount, true)}
                            {sort_head(sort, Callback::new(move |x| refilter(&|| set_sort.run(x))), Sort::Close, T::CloseDate, true)}
                            <th class="num">{move || s.t(T::Probability)}</th>
                        </tr></thead>
                        // While a field of a row has the focus, the rows keep their places: an
                        // edit that re-sorts the table moves them once the focus leaves it.
                        <tbody
                            on:focusin=move |_| {
                                let now = untrack(view_now);
                                if pinned.with_untracked(|p| p.as_ref().is_none_or(|(at, _)| *at != now)) { pinned.set(Some((now, untrack(shown)))); }
                            }
                            on:focusout=move |ev| {
                                let Some(body) = ev.current_target() else { return };
                                if !inside(&body, ev.related_target()) { pinned.set(None); }
                            }>
                            // Rows by place, not by deal: a keystroke in the search, a sort or
                            // another page shows other deals in the rows already drawn (their
                            // texts and values change) instead of taking 25 rows of fields out
                            // and building 25 new ones.
                            <For each=move || 0..drawn.with(Vec::len) key=|i| *i children=move |i| {
                                let id = Memo::new(move |_| drawn.with(|v| v.get(i).copied()));
                                view! { <DealRow id=id all=all dialog=dialog choices=choices/> }
                            }/>
                            // Not while a row the filters no longer keep is pinned under the focus.
                            {move || drawn.with(|v| v.is_empty()).then(|| view! {
                                <tr data-testid="opp-none"><td colspan="8" class="muted">{s.t(T::NoDealsMatch)}</td></tr>
                            })}
                        </tbody>
                    </table>
                    </div>
                    <Pager total=Signal::derive(move || sorted.with(|v| v.len())) page=page on_change=set_page testid="opp-pager"/>
                </Show>
            </div>
            {move || dialog.get().map(|d| view! { <OpportunityForm opportunity=d on_close=Callback::new(move |_| dialog.set(None)) on_saved=follow/> })}
            <Show when=move || importing.get()>
                <CsvImport target=Target::Opportunities on_close=Callback::new(move |_| importing.set(false))/>
            </Show>
            <Show when=move || stages_open.get()>
                <StagesEditor on_close=Callback::new(move |_| stages_open.set(false))/>
            </Show>
        </section>
    }
}

/// One deal in the table, edited in place: stage, category, amount and
/// close date. Text is committed on Enter or when the field is left, never
/// while it is typed; a refused value goes back with the reason beside it.
#[component]
fn DealRow(
    /// The deal this row shows now (rows are kept by place: see the table).
    id: Memo<Option<Id>>,
    all: Memo<Shared<IdMap<Row>>>,
    dialog: RwSignal<Option<Option<Id>>>,
    choices: Memo<RowChoices>,
) -> impl IntoView {
    let s = use_app();
    let row = Memo::new(move |_| id.get().and_then(|id| all.with(|a| a.get(&id).cloned())));
    // What the row's fields edit: the deal shown now.
    let deal = move || row.with_untracked(|r| r.as_ref().map(|r| r.id));
    let edit = move |change: &dyn Fn(&mut OpportunityFields)| deal().map_or(Ok(()), |id| update(s, id, change));
    let field = move |f: fn(&Row) -> String| move || row.with(|r| r.as_ref().map(f).unwrap_or_default());
    // What decides which controls a cell holds, as memos: a row showing
    // another deal (a search, an edit) rebuilds a cell's controls only when
    // these change, and otherwise writes their values.
    let open = Memo::new(move |_| row.with(|r| r.as_ref().is_some_and(|r| r.outcome == Outcome::Open)));
    let past_due = Memo::new(move |_| open.get() && row.with(|r| r.as_ref().is_some_and(|r| r.close < s.today())));
    let amount = field(|r| money(r.amount));
    let close = field(|r| r.close.to_string());
    let stage_msg: RwSignal<Option<Refusal>> = RwSignal::new(None);
    let amount_msg: RwSignal<Option<Refusal>> = RwSignal::new(None);
    let close_msg: RwSignal<Option<Refusal>> = RwSignal::new(None);
    // A refusal was said of a deal: it goes when the row shows another.
    Effect::watch(
        move || id.get(),
        move |_, _, _| {
            for m in [stage_msg, amount_msg, close_msg] {
                m.set(None);
            }
        },
        false,
    );
    // The close date as typed, committed when complete and the field is left or Enter pressed.
    let commit_close = move |input: web_sys::HtmlInputElement| {
        let text = input.value();
        let stored = untrack(close);
        if text == stored {
            cell::show(s, close_msg, None);
            return;
        }
        let r = match chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(d) => edit(&|f| f.close_date = d),
            Err(_) => Err(refusal(|l| T::IncompleteDate.get(l).to_string())),
        };
        if r.is_err() {
            input.set_value(&stored);
        }
        cell::show(s, close_msg, r.err());
    };
    // Each row's selects as one piece of HTML each, their value set once.
    let stage_choices = Signal::derive(move || choices.with(|c| c.stages.clone()));
    let category_choices = Signal::derive(move || choices.with(|c| c.categories.clone()));
    let stage_key = Signal::derive(move || row.with(|r| r.as_ref().map(|r| r.stage.to_string()).unwrap_or_default()));
    let category_key = Signal::derive(move || {
        let cat = row.with(|r| r.as_ref().map(|r| r.category).unwrap_or_default());
        ForecastCategory::OPEN.iter().position(|c| *c == cat).map(|i| i.to_string()).unwrap_or_default()
    });
    let set_stage = Callback::new(move |k: String| {
        let r = match (deal(), Id::parse(&k)) {
            (Some(id), Some(stage)) => {
                s.try_dispatch(Edit::SetStage { id, stage, on: s.today(), by: s.who() }).map(|_| ()).map_err(|e| refusal(|l| e.message(l)))
            }
            _ => Ok(()),
        };
        cell::show(s, stage_msg, r.err());
    });
    let set_category = Callback::new(move |k: String| {
        if let Some(c) = k.parse::<usize>().ok().and_then(|i| ForecastCategory::OPEN.get(i).copied()) {
            let _ = edit(&|f| f.category = c);
        }
    });
    view! {
        <tr data-testid="opp-row" data-name=move || row.with(|r| r.as_ref().map(|r| r.name.to_string())) data-id=move || id.get().map(|i| i.to_string())
            hidden=move || row.with(Option::is_none)>
            <td class="strong deal-name"><div class="deal-name-cell"><button class="link" data-testid="open-opp" on:click=move |_| if let Some(id) = deal() { dialog.set(Some(Some(id))) }>{field(|r| r.name.to_string())}</button>
                <button type="button" class="btn tiny ghost" data-testid="row-log" title=move || s.t(T::LogActivity)
                    aria-label=move || format!("{} · {}", s.t(T::LogActivity), row.with(|r| r.as_ref().map(|r| r.name.clone()).unwrap_or_default()))
                    on:click=move |_| s.work.set(Some(WorkDialog::Log { customer: None, deal: deal() }))>"✎"</button></div></td>
            <td>{field(|r| r.customer.to_string())}</td>
            <td>{field(|r| r.owner.to_string())}</td>
            <td><KeySelect choices=stage_choices value=stage_key on_change=set_stage testid="row-stage" first=None first_key=""
                attr:class="inline" attr:aria-label=move || s.t(T::Stage)/>{cell::message(s, stage_msg)}</td>
            <td>{move || {
                if open.get() {
                    view! {
                        <KeySelect choices=category_choices value=category_key on_change=set_category testid="row-category" first=None first_key=""
                            attr:class="inline" attr:aria-label=move || s.t(T::ForecastCategory)/>
                    }.into_any()
                } else {
                    let cat = move || category_label(row.with(|r| r.as_ref().map(|r| r.category).unwrap_or_default()), s.lang.get());
                    view! { <span class="muted">{cat}</span> }.into_any()
                }
            }}</td>
            <td class="num"><input class="cell" type="text" autocomplete="off" inputmode="decimal" data-testid="row-amount" aria-label=move || s.t(T::Amount) prop:value=amount
                aria-invalid=move || amount_msg.get().map(|_| "true")
                on:keydown=move |ev| if ev.key() == "Escape" { cell::reset(&ev, &untrack(amount)); amount_msg.set(None) }
                on:input=move |_| amount_msg.set(None)
                on:change=move |ev| {
                    let r = parse_amount(&event_target_value(&ev)).map_err(|e| refusal(|l| e.message(l))).and_then(|m| edit(&|f| f.amount = m));
                    match r {
                        Ok(()) => cell::reset(&ev, &untrack(amount)),
                        Err(_) => cell::refused(&ev, untrack(amount)),
                    }
                    cell::show(s, amount_msg, r.err());
                }/>{cell::message(s, amount_msg)}</td>
            <td class="num close-cell"><input class="cell date" type="date" autocomplete="off" data-testid="row-close" aria-label=move || s.t(T::CloseDate) prop:value=close disabled=move || !open.get()
                aria-invalid=move || close_msg.get().map(|_| "true")
                on:blur=move |ev| { if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { commit_close(i) } }
                on:keydown=move |ev| {
                    let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
                    match (ev.key().as_str(), input) {
                        ("Enter", Some(i)) => { ev.prevent_default(); commit_close(i) }
                        ("Escape", Some(i)) => { i.set_value(&untrack(close)); close_msg.set(None) }
                        _ => {}
                    }
                }/>
                {move || past_due.get().then(|| view! { <span class="badge bad" data-testid="past-due">{move || s.t(T::PastDue)}</span> })}
                {cell::message(s, close_msg)}</td>
            <td class="num">{move || row.with(|r| r.as_ref().map(|r| format!("{}%", r.probability)))}</td>
        </tr>
    }
}

/// The cards a board column draws; the rest are counted and summed, and
/// the table lists them.
const CARDS_SHOWN: usize = 60;

/// Columns per stage; drag a card, or focus it and press ← / →.
#[component]
fn Kanban(
    rows: Memo<Kept>,
    dialog: RwSignal<Option<Option<Id>>>,
    follow: Callback<Id>,
    show_stage: Callback<(Id, Outcome)>,
    /// Open deals per stage the period shown leaves out (see the page).
    outside: Memo<IdMap<usize>>,
    period_name: Memo<String>,
    /// Shows every date (the period filter set to "Any date").
    any_date: Callback<()>,
) -> impl IntoView {
    let s = use_app();
    let dragging: RwSignal<Option<Id>> = RwSignal::new(None);
    // The card last moved stays drawn in its new column even past the
    // column's first cards (its focus follows it there).
    let kept: RwSignal<Option<Id>> = RwSignal::new(None);
    let stages =
        Memo::new(move |_| s.ws.with(|w| w.stages_in_order().iter().map(|x| (x.id, x.name.clone(), x.outcome)).collect::<Vec<_>>()));
    let neighbour = move |stage: Id, step: i32| {
        stages.with(|v| {
            let i = v.iter().position(|x| x.0 == stage)? as i32 + step;
            (i >= 0).then(|| v.get(i as usize).map(|x| x.0)).flatten()
        })
    };
    // Every column's cards, worked out once per change of the rows: a move
    // redraws the two columns it changed, and in them the one card.
    let columns = Memo::new(move |_| {
        let moved = kept.get();
        let stages = stages.get();
        rows.with(|Kept { ids, .. }| {
            s.deals.with_untracked(|a| {
                let mut by: IdMap<Vec<&Row>> = IdMap::default();
                for x in ids.iter().filter_map(|id| a.get(id)) {
                    by.entry(x.stage).or_default().push(x);
                }
                stages
                    .into_iter()
                    .map(|(sid, _, outcome)| {
                        let mut cards = by.remove(&sid).unwrap_or_default();
                        // Open deals: soonest close first; won and lost: most
                        // recent first. Only the cards drawn are put in full
                        // order (a column holds thousands at 1,000 people).
                        let newest = outcome != Outcome::Open;
                        // Year and day of the year: in the dates' order, and
                        // cheaper than a count of days.
                        let day = |c: &&Row| (i64::from(c.close.year()) << 9 | i64::from(c.close.ordinal())) * if newest { -1 } else { 1 };
                        cards.arrange_front_by(CARDS_SHOWN, day, |a, b| {
                            let o = (a.close, a.id).cmp(&(b.close, b.id));
                            if newest {
                                o.reverse()
                            } else {
                                o
                            }
                        });
                        let (count, sum) = (cards.len(), cards.iter().map(|c| c.amount).sum::<i64>());
                        let past = moved
                            .filter(|m| a.get(m).is_some_and(|r| r.stage == sid))
                            .and_then(|m| cards.iter().skip(CARDS_SHOWN).find(|c| c.id == m));
                        let shown: Vec<Row> = cards.iter().take(CARDS_SHOWN).chain(past).map(|c| (*c).clone()).collect();
                        (sid, Column { count, sum, cards: shown })
                    })
                    .collect::<IdMap<Column>>()
            })
        })
    });
    // A move keeps the card in sight and the focus on it: a deal moved to
    // Won or Lost is dated today, which the period shown may not hold.
    let moved = move |id: Id| {
        if !rows.with_untracked(|k| k.ids.contains(&id)) {
            follow.run(id);
        }
        focus_card(id);
    };
    // And so does its undo or redo (Ctrl+Z puts the deal back in the period
    // it came from): the moved card's stage or date changed in the document.
    Effect::watch(
        move || kept.get().and_then(|id| s.deals.with(|a| a.get(&id).map(|r| (id, r.stage, r.close)))),
        move |now, before, _| {
            if let (Some((id, ..)), Some(Some(_))) = (now, before) {
                if before != Some(now) {
                    moved(*id);
                }
            }
        },
        false,
    );
    let card = move |c: Row, past_due: bool, lang: Lang| {
        let id = c.id;
        let stage = c.stage;
        view! {
            <article class="kanban-card" draggable="true" tabindex="0" data-testid="kanban-card" data-card=id.to_string() data-name=c.name.to_string()
                aria-label=format!("{} · {}", c.name, c.customer)
                on:dragstart=move |ev| {
                    dragging.set(Some(id));
                    if let Some(d) = ev.data_transfer() { let _ = d.set_data("text/plain", &id.to_string()); }
                }
                // A drag that ends anywhere (dropped outside a column, or
                // cancelled) is over: a later drop of other text moves nothing.
                on:dragend=move |_| dragging.set(None)
                on:dblclick=move |_| dialog.set(Some(Some(id)))
                on:keydown=move |ev| {
                    // Enter or Space opens the deal, as on a row of the table
                    // (`pressed` uses the key up: Enter's keypress would reach the
                    // dialog's first field and submit its form, Space would scroll).
                    if pressed(&ev) {
                        dialog.set(Some(Some(id)));
                        return;
                    }
                    let step = match ev.key().as_str() { "ArrowRight" => 1, "ArrowLeft" => -1, _ => 0 };
                    if step != 0 {
                        ev.prevent_default();
                        if let Some(next) = neighbour(stage, step) {
                            kept.set(Some(id));
                            if move_to(s, id, next) { moved(id); }
                        }
                    }
                }>
                <div class="strong">{c.name.to_string()}</div>
                <div class="muted small">{c.customer.to_string()}</div>
                <div class="kanban-meta"><span>{c.owner.to_string()}</span><span class="num strong">{money(c.amount)}</span></div>
                <div class="kanban-foot">
                    <span class="small" class:muted=!past_due class:warn-text=past_due>
                        <span class="nowrap">{c.close.to_string()}</span>
                        {past_due.then(|| view! { " · " <span class="nowrap">{T::PastDue.get(lang)}</span> })}
                    </span>
                    <button type="button" class="btn tiny" data-testid="card-log" title=T::LogActivity.get(lang)
                        aria-label=format!("{} · {}", T::LogActivity.get(lang), c.name)
                        on:keydown=|ev| ev.stop_propagation()
                        on:click=move |_| s.work.set(Some(WorkDialog::Log { customer: None, deal: Some(id) }))>"✎"</button>
                </div>
            </article>
        }
    };
    let column = move |sid: Id, name: Text, outcome: Outcome, lang: Lang| {
        let col = Memo::new(move |_| columns.with(|c| c.get(&sid).cloned().unwrap_or_default()));
        let cls = match outcome {
            Outcome::Won => "kanban-col won",
            Outcome::Lost => "kanban-col lost",
            Outcome::Open => "kanban-col",
        };
        // Each card keyed by all it shows: an edit redraws the cards it changed.
        let cards = move || {
            let today = s.today();
            col.with(|c| {
                c.cards
                    .iter()
                    .map(|r| {
                        let past_due = outcome == Outcome::Open && r.close < today;
                        ((r.id, r.name.clone(), r.customer.clone(), r.owner.clone(), r.amount, r.close, past_due), r.clone())
                    })
                    .collect::<Vec<_>>()
            })
        };
        view! {
            <div class=cls data-testid="kanban-col" data-stage=name.en.clone()
                on:dragover=move |ev| ev.prevent_default()
                on:drop=move |ev| {
                    ev.prevent_default();
                    let id = ev.data_transfer().and_then(|d| d.get_data("text/plain").ok()).and_then(|t| Id::parse(&t)).or(dragging.get_untracked());
                    if let Some(id) = id {
                        kept.set(Some(id));
                        if move_to(s, id, sid) { moved(id); }
                    }
                    dragging.set(None);
                }>
                <header class="kanban-head">
                    <span class="strong">{name.get(lang).to_string()}</span>
                    <span class="muted small" data-testid="kanban-count">{move || col.with(|c| format!("{} · {}", c.count, money(c.sum)))}</span>
                </header>
                <For each=cards key=|(k, _)| k.clone() children=move |((.., past_due), r)| card(r, past_due, lang)/>
                {move || {
                    let more = col.with(|c| c.count - c.cards.len());
                    (more > 0).then(|| view! {
                        <button type="button" class="link small kanban-more" data-testid="kanban-more" title=T::ShowStageInTable.get(lang)
                            on:click=move |_| show_stage.run((sid, outcome))>{T::MoreCards.fill(lang, &[&more])}</button>
                    })
                }}
                {move || {
                    let later = outside.with(|o| o.get(&sid).copied().unwrap_or(0));
                    (later > 0).then(|| view! {
                        <button type="button" class="link small kanban-more" data-testid="kanban-outside" title=T::ShowAnyDate.get(lang)
                            on:click=move |_| any_date.run(())>{T::ClosingOutside.fill(lang, &[&later, &period_name.get()])}</button>
                    })
                }}
            </div>
        }
    };
    view! {
        // An empty board says why, as the table does (a search that finds nothing).
        {move || rows.with(|k| k.ids.is_empty()).then(|| view! {
            <p class="muted kanban-none" role="status" data-testid="kanban-none">{s.t(T::NoDealsMatch)}</p>
        })}
        <div class="kanban" data-testid="kanban">
            <For each=move || { let lang = s.lang.get(); stages.get().into_iter().map(move |(sid, name, outcome)| (sid, name, outcome, lang)).collect::<Vec<_>>() }
                key=|(sid, name, outcome, lang)| (*sid, name.zh.clone(), name.en.clone(), *outcome, *lang)
                children=move |(sid, name, outcome, lang)| column(sid, name, outcome, lang)/>
        </div>
        <p class="muted small">{move || s.t(T::KanbanHelp)}</p>
    }
}

/// The deals the filters keep (their ids, in no order), how many of them
/// are open and what those are worth.
#[derive(Clone, Debug, Default)]
struct Kept {
    ids: Vec<Id>,
    open: usize,
    worth: i64,
}

/// The choices of a deal row's selects, in the language shown.
#[derive(Clone, Debug, PartialEq)]
struct RowChoices {
    stages: Vec<(String, String)>,
    categories: Vec<(String, String)>,
}

/// A board column's figures and the cards it draws.
#[derive(Clone, Debug, Default, PartialEq)]
struct Column {
    count: usize,
    sum: i64,
    cards: Vec<Row>,
}

fn outcome_label(o: Outcome, lang: Lang) -> &'static str {
    match o {
        Outcome::Open => T::OutcomeOpen.get(lang),
        Outcome::Won => T::OutcomeWon.get(lang),
        Outcome::Lost => T::OutcomeLost.get(lang),
    }
}

const OUTCOMES: [Outcome; 3] = [Outcome::Open, Outcome::Won, Outcome::Lost];

/// Stages: names, default probability and category, outcome, order.
#[component]
fn StagesEditor(on_close: Callback<()>) -> impl IntoView {
    let s = use_app();
    let add_zh = RwSignal::new(String::new());
    let add_en = RwSignal::new(String::new());
    let title = Signal::derive(move || s.t(T::Stages).to_string());
    let save = move |st: &Stage, change: &dyn Fn(&mut StageFields)| {
        let mut f = StageFields {
            name: st.name.clone(),
            probability: st.probability,
            outcome: st.outcome,
            category: st.category,
            stale_days: st.stale_days,
        };
        change(&mut f);
        s.dispatch(Edit::UpdateStage { id: st.id, fields: f });
    };
    view! {
        <Modal title=title on_close=on_close>
            <table class="table compact" data-testid="stages-table">
                {table_head([Col::Text(T::NameZh), Col::Text(T::NameEn), Col::Num(T::Probability), Col::Text(T::Outcome), Col::Text(T::ForecastCategory), Col::Num(T::StaleDaysSetting), Col::Blank])}
                <tbody>
                    {move || {
                        let lang = s.lang.get();
                        let list: Vec<Stage> = s.ws.with(|w| w.stages_in_order().into_iter().cloned().collect());
                        let n = list.len();
                        list.into_iter().enumerate().map(|(i, st)| {
                            let (a, b, c, d, e, g) = (st.clone(), st.clone(), st.clone(), st.clone(), st.clone(), st.clone());
                            let id = st.id;
                            let named = |col: T| T::FieldOf.fill(lang, &[&col.get(lang), &st.name.get(lang)]);
                            view! {
                                <tr data-testid="stage-row">
                                    <td><input type="text" maxlength="120" aria-label=named(T::NameZh) prop:value=st.name.zh.clone() on:change=move |ev| { let v = event_target_value(&ev); save(&a, &|f| f.name.zh = v.trim().to_string()) }/></td>
                                    <td><input type="text" maxlength="120" aria-label=named(T::NameEn) prop:value=st.name.en.clone() on:change=move |ev| { let v = event_target_value(&ev); save(&b, &|f| f.name.en = v.trim().to_string()) }/></td>
                                    <td class="num"><input type="number" min="0" max="100" class="short" data-testid="stage-probability" aria-label=named(T::Probability) prop:value=st.probability.to_string()
                                        on:change=move |ev| { match event_target_value(&ev).parse::<u8>() { Ok(p) => save(&c, &|f| f.probability = p), Err(_) => { s.dispatch(Edit::UpdateStage { id, fields: StageFields { name: c.name.clone(), probability: 101, outcome: c.outcome, category: c.category, stale_days: c.stale_days } }); } } }/></td>
                                    <td><select aria-label=named(T::Outcome) on:change=move |ev| { if let Some(o) = OUTCOMES.get(event_target_value(&ev).parse::<usize>().unwrap_or(0)).copied() { save(&d, &|f| f.outcome = o) } }>
                                        {OUTCOMES.iter().enumerate().map(|(k, o)| view! { <option value=k.to_string() prop:selected=*o == st.outcome>{outcome_label(*o, lang)}</option> }).collect_view()}
                                    </select></td>
                                    <td>{if st.outcome == Outcome::Open {
                                        view! { <select aria-label=named(T::ForecastCategory) on:change=move |ev| { if let Some(c) = ForecastCategory::OPEN.get(event_target_value(&ev).parse::<usize>().unwrap_or(0)).copied() { save(&e, &|f| f.category = c) } }>
                                            {ForecastCategory::OPEN.iter().enumerate().map(|(k, c)| view! { <option value=k.to_string() prop:selected=*c == st.category>{category_label(*c, lang)}</option> }).collect_view()}
                                        </select> }.into_any()
                                    } else {
                                        view! { <span class="muted">{category_label(st.category, lang)}</span> }.into_any()
                                    }}</td>
                                    // Blank: the workspace's number of days (Daily work page).
                                    <td class="num">{(st.outcome == Outcome::Open).then(|| view! {
                                        <input type="number" min="0" max="3650" class="short" data-testid="stage-stale-days" aria-label=named(T::StaleDaysSetting)
                                            placeholder=s.ws.with_untracked(|w| w.settings.stale_days.to_string()) prop:value=st.stale_days.map(|d| d.to_string()).unwrap_or_default()
                                            on:change=move |ev| {
                                                let v = event_target_value(&ev);
                                                match v.trim() {
                                                    "" => save(&g, &|f| f.stale_days = None),
                                                    t => match sales_tiers_core::io::input::parse_stale_days(t) {
                                                        Ok(d) => save(&g, &|f| f.stale_days = Some(d)),
                                                        Err(e) => crate::pages::work::bad_days(s, e),
                                                    },
                                                }
                                            }/>
                                    })}</td>
                                    <td class="actions">
                                        <button class="btn small ghost" disabled=i == 0 aria-label=T::MoveUp.get(lang) on:click=move |_| { s.dispatch(Edit::MoveStage { id, order: i.saturating_sub(1) as u32 }); }>"↑"</button>
                                        <button class="btn small ghost" disabled=i + 1 == n aria-label=T::MoveDown.get(lang) on:click=move |_| { s.dispatch(Edit::MoveStage { id, order: (i + 1) as u32 }); }>"↓"</button>
                                        <button class="btn small ghost" data-testid="remove-stage" on:click=move |_| { s.dispatch(Edit::RemoveStage { id }); }>{T::Remove.get(lang)}</button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
            </table>
            <form class="panel-form" on:submit=move |ev| {
                ev.prevent_default();
                let name = Text::new(add_zh.get_untracked().trim(), add_en.get_untracked().trim());
                let fields = StageFields { name, probability: 30, outcome: Outcome::Open, category: ForecastCategory::Pipeline, stale_days: None };
                if s.dispatch(Edit::AddStage { id: crate::browser::new_id(), fields }) {
                    add_zh.set(String::new());
                    add_en.set(String::new());
                }
            }>
                <input type="text" maxlength="120" data-testid="new-stage-zh" placeholder=move || s.t(T::NameZh) prop:value=move || add_zh.get() on:input=move |ev| add_zh.set(event_target_value(&ev))/>
                <input type="text" maxlength="120" data-testid="new-stage-en" placeholder=move || s.t(T::NameEn) prop:value=move || add_en.get() on:input=move |ev| add_en.set(event_target_value(&ev))/>
                <button type="submit" class="btn small" data-testid="add-stage">{move || s.t(T::AddStage)}</button>
            </form>
            <p class="muted small">{move || s.t(T::StagesHelp)}</p>
        </Modal>
    }
}
