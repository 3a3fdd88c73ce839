//! Customers: search, filter (owner's unit subtree, segment, key account),
//! sort; the customer dialog with its opportunities and history; CSV import
//! and export.

use crate::components::common::{pressed, sort_head};
use crate::components::crm::{customer_status_label, export_customers, in_scope, segment_label, CsvImport, CustomerForm, OpportunityForm};
use crate::components::filters::{search_handlers, UnitSelect};
use crate::components::format::money;
use crate::components::pager::{self, Pager};
use crate::i18n::T;
use crate::state::use_app;
use crate::url;
use leptos::prelude::*;
use sales_tiers_core::engine::org::scope_units;
use sales_tiers_core::io::csv::Target;
use sales_tiers_core::model::{Outcome, Segment};
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::Id;
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq)]
struct Row {
    id: Id,
    name: String,
    industry: String,
    region: String,
    segment: Segment,
    owner: String,
    key: bool,
    status: String,
    open: i64,
    open_count: usize,
    won: i64,
    created: chrono::NaiveDate,
    search: String,
    /// Where the name and the owner sort, in the reader's order (Chinese by pinyin).
    name_rank: u32,
    owner_rank: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sort {
    Name,
    Owner,
    Segment,
    Open,
    Won,
    Created,
}

/// Sort columns and segments as the URL names them.
const SORTS: [(Sort, &str); 6] = [
    (Sort::Name, "name"),
    (Sort::Owner, "owner"),
    (Sort::Segment, "segment"),
    (Sort::Open, "open"),
    (Sort::Won, "won"),
    (Sort::Created, "created"),
];

fn segment_key(s: Segment) -> String {
    serde_json::to_value(s).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

#[component]
pub fn CustomersPage() -> impl IntoView {
    let s = use_app();
    let (query, set_query) = url::search_state();
    let (unit_f, set_unit) = url::unit_state();
    let (segment_f, set_segment) = url::query_state(
        url::SEGMENT,
        |v| Some(Segment::ALL.into_iter().find(|x| segment_key(*x) == v)),
        || None,
        |v: &Option<Segment>| v.map(segment_key),
    );
    let (key_only, set_key_only) = url::query_state(url::KEY, |v| Some(v == "1"), || false, |v| v.then(|| "1".to_string()));
    let (sort, set_sort) = url::sort_state(&SORTS, (Sort::Name, true));
    let (page, set_page) = url::page_state();
    // Any change of filter or order starts from the first page.
    let refilter = move |f: &dyn Fn()| {
        f();
        set_page.run(1);
    };
    // The search runs a frame after the keystroke (see search_handlers).
    let (on_search, on_composed) = search_handlers(move || query.get_untracked(), move |t: String| refilter(&|| set_query.run(t.clone())));
    let on_sort = Callback::new(move |x| refilter(&|| set_sort.run(x)));
    let dialog: RwSignal<Option<Option<Id>>> = RwSignal::new(None);
    let deal: RwSignal<Option<Id>> = RwSignal::new(None);
    let importing = RwSignal::new(false);

    // Customer and owner names in the reader's order, sorted again only when they change (not when a deal does).
    let order = crate::browser::NameOrder::memo(move || {
        let lang = s.lang.get();
        let names = s.ws.with(|w| {
            w.customers.values().map(|c| c.name.clone()).chain(w.people.values().map(|p| p.name.get(lang).to_string())).collect()
        });
        (lang, names)
    });
    let rows = Memo::new(move |_| {
        let lang = s.lang.get();
        let scope = s.scope();
        let mut rows = s.ws.with(|w| {
            let won_stage: std::collections::HashSet<Id> = w.stages.values().filter(|x| x.outcome == Outcome::Won).map(|x| x.id).collect();
            let open_stage: std::collections::HashSet<Id> =
                w.stages.values().filter(|x| x.outcome == Outcome::Open).map(|x| x.id).collect();
            let mut deals: HashMap<Id, (i64, usize, i64)> = HashMap::new();
            for o in w.opportunities.values() {
                let e = deals.entry(o.customer).or_default();
                if open_stage.contains(&o.stage) {
                    e.0 += o.amount.0;
                    e.1 += 1;
                } else if won_stage.contains(&o.stage) {
                    e.2 += o.amount.0;
                }
            }
            w.customers
                .values()
                .filter(|c| in_scope(w, scope.as_ref(), c.owner))
                .map(|c| {
                    let (open, open_count, won) = deals.get(&c.id).copied().unwrap_or_default();
                    let contacts: Vec<String> = c.contacts.iter().map(|x| format!("{} {} {}", x.name, x.phone, x.email)).collect();
                    Row {
                        id: c.id,
                        name: c.name.clone(),
                        industry: c.industry.clone(),
                        region: c.region.clone(),
                        segment: c.segment,
                        owner: w.person_name(c.owner, lang),
                        key: c.key_account,
                        status: customer_status_label(c.status, lang).to_string(),
                        open,
                        open_count,
                        won,
                        created: c.created,
                        search: format!("{} {} {} {}", c.name, c.industry, c.region, contacts.join(" ")).to_lowercase(),
                        name_rank: 0,
                        owner_rank: 0,
                    }
                })
                .collect::<Vec<_>>()
        });
        order.with(|order| {
            for r in &mut rows {
                (r.name_rank, r.owner_rank) = (order.rank(&r.name), order.rank(&r.owner));
            }
        });
        rows
    });
    let filtered = Memo::new(move |_| {
        let q = query.get().trim().to_lowercase();
        let (seg, key, (col, asc)) = (segment_f.get(), key_only.get(), sort.get());
        let owners: Option<std::collections::HashSet<Id>> = unit_f.get().map(|u| {
            s.ws.with(|w| {
                let units = scope_units(w, u);
                w.people.values().filter(|p| units.contains(&p.unit)).map(|p| p.id).collect()
            })
        });
        let owner_of: HashMap<Id, Option<Id>> = s.ws.with(|w| w.customers.values().map(|c| (c.id, c.owner)).collect());
        // Only the rows kept are copied.
        let mut v: Vec<Row> = rows.with(|all| {
            all.iter()
                .filter(|r| q.is_empty() || r.search.contains(&q))
                .filter(|r| seg.is_none_or(|x| r.segment == x))
                .filter(|r| !key || r.key)
                .filter(|r| owners.as_ref().is_none_or(|o| owner_of.get(&r.id).copied().flatten().is_some_and(|p| o.contains(&p))))
                .cloned()
                .collect()
        });
        v.arrange_by(|a, b| {
            let o = match col {
                Sort::Name => a.name_rank.cmp(&b.name_rank),
                Sort::Owner => a.owner_rank.cmp(&b.owner_rank),
                Sort::Segment => a.segment.cmp(&b.segment),
                Sort::Open => a.open.cmp(&b.open),
                Sort::Won => a.won.cmp(&b.won),
                Sort::Created => a.created.cmp(&b.created),
            };
            if asc {
                o.then(a.name_rank.cmp(&b.name_rank))
            } else {
                o.reverse().then(a.name_rank.cmp(&b.name_rank))
            }
        });
        v
    });
    view! {
        <section class="page">
            <h2 class="page-title">{move || s.t(T::NavCustomers)}</h2>
            <div class="card">
                <div class="filters" role="search">
                    <input type="search" data-testid="customer-search" placeholder=move || s.t(T::SearchCustomers) aria-label=move || s.t(T::SearchCustomers)
                        prop:value=move || query.get() on:input=on_search
                        on:compositionend=on_composed/>
                    <UnitSelect value=unit_f on_change=Callback::new(move |u| refilter(&|| set_unit.run(u))) testid="customer-unit" none=T::AllUnits attr:aria-label=move || s.t(T::Unit)/>
                    <select data-testid="customer-segment" aria-label=move || s.t(T::Segment) on:change=move |ev| { let v = event_target_value(&ev).parse::<usize>().ok().and_then(|i| Segment::ALL.get(i).copied()); refilter(&|| set_segment.run(v)) }>
                        <option value="" prop:selected=move || segment_f.get().is_none()>{move || s.t(T::AllSegments)}</option>
                        {move || Segment::ALL.iter().enumerate().map(|(i, x)| view! { <option value=i.to_string() prop:selected=segment_f.get() == Some(*x)>{segment_label(*x, s.lang.get())}</option> }).collect_view()}
                    </select>
                    <label class="check"><input type="checkbox" data-testid="key-only" prop:checked=key_only on:change=move |ev| { let v = event_target_checked(&ev); refilter(&|| set_key_only.run(v)) }/>
                        <span>{move || s.t(T::KeyAccountsOnly)}</span></label>
                    <div class="spacer"></div>
                    <span class="muted" data-testid="customer-count">{move || format!("{} / {}", filtered.with(|f| f.len()), rows.with(|a| a.len()))}</span>
                    <button class="btn" data-testid="import-customers" on:click=move |_| importing.set(true)>{move || s.t(T::ImportCsv)}</button>
                    <button class="btn" data-testid="export-customers" on:click=move |_| export_customers(s, filtered.with_untracked(|f| f.iter().map(|r| r.id).collect()))>{move || s.t(T::ExportCsv)}</button>
                    <button class="btn primary" data-testid="add-customer" on:click=move |_| dialog.set(Some(None))>{move || s.t(T::AddCustomer)}</button>
                </div>
                <div class="table-scroll">
                <table class="table" data-testid="customers-table">
                    <thead><tr>
                        {sort_head(sort, on_sort, Sort::Name, T::CustomerName, false)}
                        <th>{move || s.t(T::Industry)}</th>
                        <th>{move || s.t(T::Region)}</th>
                        {sort_head(sort, on_sort, Sort::Segment, T::Segment, false)}
                        {sort_head(sort, on_sort, Sort::Owner, T::Owner, false)}
                        <th>{move || s.t(T::Status)}</th>
                        {sort_head(sort, on_sort, Sort::Open, T::OpenPipeline, true)}
                        {sort_head(sort, on_sort, Sort::Won, T::WonAmount, true)}
                        {sort_head(sort, on_sort, Sort::Created, T::Created, true)}
                    </tr></thead>
                    <tbody>
                        {move || {
                            let lang = s.lang.get();
                            filtered.with(|f| pager::slice(f, page.get())).into_iter().map(|r| {
                                let id = r.id;
                                view! {
                                    <tr data-testid="customer-row" data-id=id.to_string() class="clickable" tabindex="0" on:click=move |_| dialog.set(Some(Some(id)))
                                        on:keydown=move |ev| if pressed(&ev) { dialog.set(Some(Some(id))) }>
                                        <td class="strong">{r.name.clone()} {r.key.then(|| view! { <span class="badge key">{T::KeyAccount.get(lang)}</span> })}</td>
                                        <td>{r.industry.clone()}</td>
                                        <td>{r.region.clone()}</td>
                                        <td>{segment_label(r.segment, lang)}</td>
                                        <td>{r.owner.clone()}</td>
                                        <td>{r.status.clone()}</td>
                                        <td class="num">{money(r.open)} <span class="muted small">{format!(" ({})", r.open_count)}</span></td>
                                        <td class="num">{money(r.won)}</td>
                                        <td class="num">{r.created.to_string()}</td>
                                    </tr>
                                }
                            }).collect_view()
                        }}
                    </tbody>
                </table>
                </div>
                <Pager total=Signal::derive(move || filtered.with(|f| f.len())) page=page on_change=set_page testid="customer-pager"/>
            </div>
            {move || dialog.get().map(|c| {
                let close = Callback::new(move |_| dialog.set(None));
                let open_deal = Callback::new(move |id| deal.set(Some(id)));
                view! { <CustomerForm customer=c on_close=close on_open_deal=open_deal/> }
            })}
            {move || deal.get().map(|d| view! { <OpportunityForm opportunity=Some(d) on_close=Callback::new(move |_| deal.set(None))/> })}
            <Show when=move || importing.get()>
                <CsvImport target=Target::Customers on_close=Callback::new(move |_| importing.set(false))/>
            </Show>
        </section>
    }
}
