//! Pipeline: opportunities as an editable, sortable table or a kanban board
//! by stage (drag, or ← → on a focused card), scoped by view-as; the stage
//! editor; CSV import and export.

use crate::components::common::{id_options, sort_head, table_head, Col, Modal};
use crate::components::crm::{category_label, export_opportunities, in_scope, CsvImport, OpportunityForm};
use crate::components::filters::{PeriodSelect, SearchBox, UnitSelect};
use crate::components::format::money;
use crate::components::plan_bar::PlanBar;
use crate::i18n::T;
use crate::state::{use_app, AppState};
use crate::url;
use leptos::prelude::*;
use sales_tiers_core::calendar::period_bounds;
use sales_tiers_core::calendar::Period;
use sales_tiers_core::edit::{OpportunityFields, StageFields};
use sales_tiers_core::engine::crm::deal_date;
use sales_tiers_core::engine::org::scope_units;
use sales_tiers_core::io::csv::Target;
use sales_tiers_core::model::*;
use sales_tiers_core::{Edit, Id, Lang};
use wasm_bindgen::JsCast;

#[derive(Clone, Debug, PartialEq)]
struct Row {
    id: Id,
    name: String,
    customer: String,
    owner: String,
    amount: i64,
    close: chrono::NaiveDate,
    stage: Id,
    stage_order: u32,
    outcome: Outcome,
    probability: u8,
    category: ForecastCategory,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sort {
    Name,
    Customer,
    Owner,
    Amount,
    Close,
    Stage,
}

/// Moves a deal to a stage as the viewing manager, today.
fn move_to(s: AppState, id: Id, stage: Id) -> bool {
    s.dispatch(Edit::SetStage { id, stage, on: s.today(), by: s.view_as.get_untracked() })
}

/// Edits one field of a deal through the full update.
fn update(s: AppState, id: Id, change: impl FnOnce(&mut OpportunityFields)) -> bool {
    let Some(mut f) = s.ws.with_untracked(|w| w.opportunities.get(&id).map(OpportunityFields::of)) else { return false };
    change(&mut f);
    s.dispatch(Edit::UpdateOpportunity { id, fields: f, on: s.today(), by: s.view_as.get_untracked() })
}

fn focus_card(id: Id) {
    set_timeout(
        move || {
            let el = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector(&format!("[data-card='{id}']")).ok().flatten())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(el) = el {
                let _ = el.focus();
            }
        },
        std::time::Duration::from_millis(0),
    );
}

#[component]
pub fn PipelinePage() -> impl IntoView {
    let s = use_app();
    let query = RwSignal::new(String::new());
    let (unit_f, set_unit) = url::unit_state();
    let stage_f: RwSignal<Option<Id>> = RwSignal::new(None);
    // Table only: which deals (the board shows every stage anyway).
    let status_f: RwSignal<Option<Outcome>> = RwSignal::new(Some(Outcome::Open));
    // None = any date ("all" in the URL); the year unless the URL says otherwise.
    let (period, set_period) = url::query_state(
        url::PERIOD,
        |k| if k == "all" { Some(None) } else { Period::from_key(k).map(Some) },
        || Some(Period::Year),
        |p| Some(p.map(Period::key).unwrap_or_else(|| "all".into())),
    );
    // The board, or the table (the default, no key in the URL).
    let (kanban, set_kanban) = url::query_state(url::VIEW, |v| Some(v == "kanban"), || false, |k| k.then(|| "kanban".to_string()));
    let sort = RwSignal::new((Sort::Close, true));
    let dialog: RwSignal<Option<Option<Id>>> = RwSignal::new(None);
    let importing = RwSignal::new(false);
    let stages_open = RwSignal::new(false);

    let rows = Memo::new(move |_| {
        let lang = s.lang.get();
        let scope = s.scope();
        let year = s.year.get();
        let p = period.get();
        let q = query.get().trim().to_lowercase();
        let (unit, stage) = (unit_f.get(), stage_f.get());
        s.ws.with(|w| {
            let bounds = p.map(|p| period_bounds(year, w.settings.fiscal_year_start_month, p));
            let units = unit.map(|u| scope_units(w, u));
            w.opportunities
                .values()
                .filter(|o| in_scope(w, scope.as_ref(), Some(o.owner)))
                .filter(|o| units.as_ref().is_none_or(|u| w.people.get(&o.owner).is_some_and(|p| u.contains(&p.unit))))
                .filter(|o| stage.is_none_or(|st| o.stage == st))
                .filter(|o| bounds.is_none_or(|(a, b)| (a..b).contains(&deal_date(o))))
                .filter_map(|o| {
                    let customer = w.customers.get(&o.customer).map(|c| c.name.clone()).unwrap_or_default();
                    if !q.is_empty() && !format!("{} {}", o.name, customer).to_lowercase().contains(&q) {
                        return None;
                    }
                    let st = w.stages.get(&o.stage)?;
                    Some(Row {
                        id: o.id,
                        name: o.name.clone(),
                        customer,
                        owner: w.person_name(Some(o.owner), lang),
                        amount: o.amount.0,
                        close: deal_date(o),
                        stage: o.stage,
                        stage_order: st.order,
                        outcome: st.outcome,
                        probability: o.probability,
                        category: o.category,
                    })
                })
                .collect::<Vec<_>>()
        })
    });
    let sorted = Memo::new(move |_| {
        let (col, asc) = sort.get();
        let status = status_f.get();
        let mut v: Vec<Row> = rows.get().into_iter().filter(|r| status.is_none_or(|st| r.outcome == st)).collect();
        v.sort_by(|a, b| {
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
        v
    });
    let total = move || rows.with(|r| r.iter().filter(|x| x.outcome == Outcome::Open).map(|x| x.amount).sum::<i64>());
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
                    <SearchBox value=query placeholder=T::SearchOpportunities testid="opp-search"/>
                    <PeriodSelect value=period on_change=set_period testid="opp-period" any=T::AnyDate attr:aria-label=move || s.t(T::Period)/>
                    <UnitSelect value=unit_f on_change=set_unit testid="opp-unit" none=T::AllUnits attr:aria-label=move || s.t(T::Unit)/>
                    <Show when=move || !kanban.get()>
                        <select data-testid="opp-status" aria-label=move || s.t(T::Status) on:change=move |ev| status_f.set(match event_target_value(&ev).as_str() {
                            "won" => Some(Outcome::Won), "lost" => Some(Outcome::Lost), "all" => None, _ => Some(Outcome::Open) })>
                            <option value="open" selected=move || status_f.get_untracked() == Some(Outcome::Open)>{move || s.t(T::OpenDeals)}</option>
                            <option value="won">{move || s.t(T::OutcomeWon)}</option>
                            <option value="lost">{move || s.t(T::OutcomeLost)}</option>
                            <option value="all">{move || s.t(T::AllDeals)}</option>
                        </select>
                        <select data-testid="opp-stage-filter" aria-label=move || s.t(T::Stage) on:change=move |ev| stage_f.set(Id::parse(&event_target_value(&ev)))>
                            <option value="">{move || s.t(T::AllStages)}</option>
                            {move || { let lang = s.lang.get(); id_options(s.ws.with(|w| w.stages_in_order().iter().map(|x| (x.id, x.name.get(lang).to_string())).collect()), stage_f.get_untracked()) }}
                        </select>
                    </Show>
                    <div class="spacer"></div>
                    <span class="muted" data-testid="opp-count">{move || s.tf(T::DealCount, &[&rows.with(|r| r.len()), &money(total())])}</span>
                    <button class="btn" data-testid="edit-stages" on:click=move |_| stages_open.set(true)>{move || s.t(T::Stages)}</button>
                    <button class="btn" data-testid="import-opportunities" on:click=move |_| importing.set(true)>{move || s.t(T::ImportCsv)}</button>
                    <button class="btn" data-testid="export-opportunities" on:click=move |_| export_opportunities(s, sorted.with_untracked(|f| f.iter().map(|r| r.id).collect()))>{move || s.t(T::ExportCsv)}</button>
                    <button class="btn primary" data-testid="add-opportunity" on:click=move |_| dialog.set(Some(None))>{move || s.t(T::AddOpportunity)}</button>
                </div>
                <Show when=move || !kanban.get() fallback=move || view! { <Kanban rows=rows dialog=dialog/> }>
                    <div class="table-scroll">
                    <table class="table" data-testid="opp-table">
                        <thead><tr>
                            {sort_head(sort, Sort::Name, T::OpportunityName, false)}
                            {sort_head(sort, Sort::Customer, T::Customer, false)}
                            {sort_head(sort, Sort::Owner, T::Owner, false)}
                            {sort_head(sort, Sort::Stage, T::Stage, false)}
                            <th>{move || s.t(T::ForecastCategory)}</th>
                            {sort_head(sort, Sort::Amount, T::Amount, true)}
                            {sort_head(sort, Sort::Close, T::CloseDate, true)}
                            <th class="num">{move || s.t(T::Probability)}</th>
                        </tr></thead>
                        <tbody>
                            {move || {
                                let lang = s.lang.get();
                                let stages: Vec<(Id, String)> = s.ws.with(|w| w.stages_in_order().iter().map(|x| (x.id, x.name.get(lang).to_string())).collect());
                                let today = s.today();
                                sorted.get().into_iter().take(300).map(|r| {
                                    let id = r.id;
                                    let open = r.outcome == Outcome::Open;
                                    let amount = money(r.amount);
                                    let close = r.close.to_string();
                                    // Each in-place control is named by its column and the deal.
                                    let named = |col: T| T::FieldOf.fill(lang, &[&col.get(lang), &r.name]);
                                    view! {
                                        <tr data-testid="opp-row" data-name=r.name.clone()>
                                            <td class="strong"><button class="link" data-testid="open-opp" on:click=move |_| dialog.set(Some(Some(id)))>{r.name.clone()}</button></td>
                                            <td>{r.customer.clone()}</td>
                                            <td>{r.owner.clone()}</td>
                                            <td><select class="inline" data-testid="row-stage" aria-label=named(T::Stage) on:change=move |ev| { if let Some(st) = Id::parse(&event_target_value(&ev)) { move_to(s, id, st); } }>
                                                {id_options(stages.clone(), Some(r.stage))}
                                            </select></td>
                                            <td>{if open {
                                                view! {
                                                    <select class="inline" data-testid="row-category" aria-label=named(T::ForecastCategory) on:change=move |ev| {
                                                        if let Some(c) = ForecastCategory::OPEN.get(event_target_value(&ev).parse::<usize>().unwrap_or(0)).copied() { update(s, id, |f| f.category = c); }
                                                    }>
                                                        {ForecastCategory::OPEN.iter().enumerate().map(|(i, c)| view! { <option value=i.to_string() selected=*c == r.category>{category_label(*c, lang)}</option> }).collect_view()}
                                                    </select>
                                                }.into_any()
                                            } else {
                                                view! { <span class="muted">{category_label(r.category, lang)}</span> }.into_any()
                                            }}</td>
                                            <td class="num"><input class="cell" type="text" inputmode="decimal" data-testid="row-amount" aria-label=named(T::Amount) prop:value=amount
                                                on:change=move |ev| {
                                                    match Money::parse(&event_target_value(&ev)) {
                                                        Ok(m) => { update(s, id, |f| f.amount = m); }
                                                        Err(_) => s.notify(crate::state::NoticeKind::Error, T::BadAmount.get(Lang::Zh), T::BadAmount.get(Lang::En)),
                                                    }
                                                }/></td>
                                            <td class="num"><input class="cell date" type="date" data-testid="row-close" aria-label=named(T::CloseDate) prop:value=close disabled=!open
                                                on:change=move |ev| { if let Ok(d) = chrono::NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d") { update(s, id, |f| f.close_date = d); } }/>
                                                {(open && r.close < today).then(|| view! { <span class="badge bad" data-testid="past-due">{T::PastDue.get(lang)}</span> })}</td>
                                            <td class="num">{format!("{}%", r.probability)}</td>
                                        </tr>
                                    }
                                }).collect_view()
                            }}
                        </tbody>
                    </table>
                    </div>
                    <Show when=move || sorted.with(|f| f.len() > 300)>
                        <p class="muted small">{move || s.t(T::FirstRowsOnly)}</p>
                    </Show>
                </Show>
            </div>
            {move || dialog.get().map(|d| view! { <OpportunityForm opportunity=d on_close=Callback::new(move |_| dialog.set(None))/> })}
            <Show when=move || importing.get()>
                <CsvImport target=Target::Opportunities on_close=Callback::new(move |_| importing.set(false))/>
            </Show>
            <Show when=move || stages_open.get()>
                <StagesEditor on_close=Callback::new(move |_| stages_open.set(false))/>
            </Show>
        </section>
    }
}

/// Columns per stage; drag a card, or focus it and press ← / →.
#[component]
fn Kanban(rows: Memo<Vec<Row>>, dialog: RwSignal<Option<Option<Id>>>) -> impl IntoView {
    let s = use_app();
    let dragging: RwSignal<Option<Id>> = RwSignal::new(None);
    let stages =
        Memo::new(move |_| s.ws.with(|w| w.stages_in_order().iter().map(|x| (x.id, x.name.clone(), x.outcome)).collect::<Vec<_>>()));
    let neighbour = move |stage: Id, step: i32| {
        stages.with(|v| {
            let i = v.iter().position(|x| x.0 == stage)? as i32 + step;
            (i >= 0).then(|| v.get(i as usize).map(|x| x.0)).flatten()
        })
    };
    view! {
        <div class="kanban" data-testid="kanban">
            {move || {
                let lang = s.lang.get();
                let today = s.today();
                stages.get().into_iter().map(|(sid, name, outcome)| {
                    let mut cards: Vec<Row> = rows.with(|r| r.iter().filter(|x| x.stage == sid).cloned().collect());
                    // Open deals: soonest close first; won and lost: most recent first.
                    cards.sort_by_key(|c| (c.close, c.id));
                    if outcome != Outcome::Open {
                        cards.reverse();
                    }
                    let count = cards.len();
                    let sum: i64 = cards.iter().map(|c| c.amount).sum();
                    let more = count.saturating_sub(60);
                    let cls = match outcome { Outcome::Won => "kanban-col won", Outcome::Lost => "kanban-col lost", Outcome::Open => "kanban-col" };
                    view! {
                        <div class=cls data-testid="kanban-col" data-stage=name.en.clone()
                            on:dragover=move |ev| ev.prevent_default()
                            on:drop=move |ev| {
                                ev.prevent_default();
                                let id = ev.data_transfer().and_then(|d| d.get_data("text/plain").ok()).and_then(|t| Id::parse(&t)).or(dragging.get_untracked());
                                if let Some(id) = id { move_to(s, id, sid); }
                                dragging.set(None);
                            }>
                            <header class="kanban-head">
                                <span class="strong">{name.get(lang).to_string()}</span>
                                <span class="muted small" data-testid="kanban-count">{format!("{count} · {}", money(sum))}</span>
                            </header>
                            {cards.into_iter().take(60).map(|c| {
                                let id = c.id;
                                let stage = c.stage;
                                view! {
                                    <article class="kanban-card" draggable="true" tabindex="0" data-testid="kanban-card" data-card=id.to_string() data-name=c.name.clone()
                                        aria-label=format!("{} · {}", c.name, c.customer)
                                        on:dragstart=move |ev| {
                                            dragging.set(Some(id));
                                            if let Some(d) = ev.data_transfer() { let _ = d.set_data("text/plain", &id.to_string()); }
                                        }
                                        on:dblclick=move |_| dialog.set(Some(Some(id)))
                                        on:keydown=move |ev| {
                                            let step = match ev.key().as_str() { "ArrowRight" => 1, "ArrowLeft" => -1, "Enter" => { dialog.set(Some(Some(id))); 0 } _ => 0 };
                                            if step != 0 {
                                                ev.prevent_default();
                                                if let Some(next) = neighbour(stage, step) {
                                                    if move_to(s, id, next) { focus_card(id); }
                                                }
                                            }
                                        }>
                                        <div class="strong">{c.name.clone()}</div>
                                        <div class="muted small">{c.customer.clone()}</div>
                                        <div class="kanban-meta"><span>{c.owner.clone()}</span><span class="num strong">{money(c.amount)}</span></div>
                                        <div class="small" class:muted=!(outcome == Outcome::Open && c.close < today) class:warn-text=outcome == Outcome::Open && c.close < today>
                                            {c.close.to_string()}
                                            {(outcome == Outcome::Open && c.close < today).then(|| view! { " · " {T::PastDue.get(lang)} })}
                                        </div>
                                    </article>
                                }
                            }).collect_view()}
                            {(more > 0).then(|| view! { <p class="muted small">{T::MoreCards.fill(lang, &[&more])}</p> })}
                        </div>
                    }
                }).collect_view()
            }}
        </div>
        <p class="muted small">{move || s.t(T::KanbanHelp)}</p>
    }
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
        let mut f = StageFields { name: st.name.clone(), probability: st.probability, outcome: st.outcome, category: st.category };
        change(&mut f);
        s.dispatch(Edit::UpdateStage { id: st.id, fields: f });
    };
    view! {
        <Modal title=title on_close=on_close>
            <table class="table compact" data-testid="stages-table">
                {table_head([Col::Text(T::NameZh), Col::Text(T::NameEn), Col::Num(T::Probability), Col::Text(T::Outcome), Col::Text(T::ForecastCategory), Col::Blank])}
                <tbody>
                    {move || {
                        let lang = s.lang.get();
                        let list: Vec<Stage> = s.ws.with(|w| w.stages_in_order().into_iter().cloned().collect());
                        let n = list.len();
                        list.into_iter().enumerate().map(|(i, st)| {
                            let (a, b, c, d, e) = (st.clone(), st.clone(), st.clone(), st.clone(), st.clone());
                            let id = st.id;
                            view! {
                                <tr data-testid="stage-row">
                                    <td><input type="text" maxlength="120" prop:value=st.name.zh.clone() on:change=move |ev| { let v = event_target_value(&ev); save(&a, &|f| f.name.zh = v.trim().to_string()) }/></td>
                                    <td><input type="text" maxlength="120" prop:value=st.name.en.clone() on:change=move |ev| { let v = event_target_value(&ev); save(&b, &|f| f.name.en = v.trim().to_string()) }/></td>
                                    <td class="num"><input type="number" min="0" max="100" class="short" data-testid="stage-probability" prop:value=st.probability.to_string()
                                        on:change=move |ev| { match event_target_value(&ev).parse::<u8>() { Ok(p) => save(&c, &|f| f.probability = p), Err(_) => { s.dispatch(Edit::UpdateStage { id, fields: StageFields { name: c.name.clone(), probability: 101, outcome: c.outcome, category: c.category } }); } } }/></td>
                                    <td><select on:change=move |ev| { if let Some(o) = OUTCOMES.get(event_target_value(&ev).parse::<usize>().unwrap_or(0)).copied() { save(&d, &|f| f.outcome = o) } }>
                                        {OUTCOMES.iter().enumerate().map(|(k, o)| view! { <option value=k.to_string() selected=*o == st.outcome>{outcome_label(*o, lang)}</option> }).collect_view()}
                                    </select></td>
                                    <td>{if st.outcome == Outcome::Open {
                                        view! { <select on:change=move |ev| { if let Some(c) = ForecastCategory::OPEN.get(event_target_value(&ev).parse::<usize>().unwrap_or(0)).copied() { save(&e, &|f| f.category = c) } }>
                                            {ForecastCategory::OPEN.iter().enumerate().map(|(k, c)| view! { <option value=k.to_string() selected=*c == st.category>{category_label(*c, lang)}</option> }).collect_view()}
                                        </select> }.into_any()
                                    } else {
                                        view! { <span class="muted">{category_label(st.category, lang)}</span> }.into_any()
                                    }}</td>
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
                let fields = StageFields { name, probability: 30, outcome: Outcome::Open, category: ForecastCategory::Pipeline };
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
