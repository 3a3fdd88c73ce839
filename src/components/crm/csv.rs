//! CSV for customers and opportunities: exports of what a page lists, and
//! the import dialog (map columns, preview, per-row problems, one undoable step).

use crate::browser;
use crate::components::common::Modal;
use crate::i18n::{either, T};
use crate::state::{use_app, AppState, NoticeKind};
use crate::storage;
use leptos::prelude::*;
use sales_tiers_core::io::csv::{self as csvio, Field, ImportPlan, Table, Target};
use sales_tiers_core::{Id, Lang};

fn download_csv(name: &str, bytes: Vec<u8>) {
    browser::download_bytes(name, "text/csv;charset=utf-8", &bytes);
}

pub fn export_customers(s: AppState, ids: Vec<Id>) {
    let lang = s.lang.get_untracked();
    let bytes = s.ws.with_untracked(|w| csvio::export_customers(w, ids.iter().filter_map(|i| w.customers.get(i)), lang));
    download_csv(&format!("customers-{}.csv", s.today()), bytes);
}

pub fn export_opportunities(s: AppState, ids: Vec<Id>) {
    let lang = s.lang.get_untracked();
    let bytes = s.ws.with_untracked(|w| csvio::export_opportunities(w, ids.iter().filter_map(|i| w.opportunities.get(i)), lang));
    download_csv(&format!("opportunities-{}.csv", s.today()), bytes);
}

/// UTF-8 as is; anything else is GBK, decoded by the browser (the wasm
/// carries no GBK tables of its own).
fn parse_file(bytes: &[u8]) -> Result<Table, csvio::CsvError> {
    if csvio::is_utf8(bytes) {
        return csvio::parse(bytes);
    }
    let decoded = web_sys::TextDecoder::new_with_label("gb18030").and_then(|d| d.decode_with_u8_array(bytes));
    match decoded {
        Ok(text) => csvio::parse_text(&text, csvio::Encoding::Gbk),
        Err(_) => csvio::parse(bytes),
    }
}

fn field_label(f: Option<Field>, lang: Lang) -> String {
    match f {
        Some(f) => f.name(lang).to_string(),
        None => T::IgnoreColumn.get(lang).to_string(),
    }
}

/// Pick a file, map its columns, preview, read the per-row problems, then
/// import the good rows as one undoable step (or cancel: nothing written).
#[component]
pub fn CsvImport(target: Target, on_close: Callback<()>) -> impl IntoView {
    let s = use_app();
    let table: RwSignal<Option<Table>> = RwSignal::new(None);
    let mapping: RwSignal<Vec<Option<Field>>> = RwSignal::new(Vec::new());
    let error: RwSignal<Option<(String, String)>> = RwSignal::new(None);
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        leptos::task::spawn_local(async move {
            match browser::read_bytes(file).await {
                Ok(bytes) => match parse_file(&bytes) {
                    Ok(t) => {
                        mapping.set(csvio::auto_map(&t.headers, target));
                        table.set(Some(t));
                        error.set(None);
                    }
                    Err(e) => error.set(Some((e.message(Lang::Zh), e.message(Lang::En)))),
                },
                Err(e) => error.set(Some((e.clone(), e))),
            }
        });
    };
    let plan: Memo<Option<ImportPlan>> = Memo::new(move |_| {
        let lang = s.lang.get();
        let today = s.today();
        let m = mapping.get();
        table.with(|t| t.as_ref().map(|t| s.ws.with(|w| csvio::plan(w, t, &m, target, today, lang, browser::new_id))))
    });
    let missing = move || {
        let lang = s.lang.get();
        mapping.with(|m| csvio::missing_required(m, target)).into_iter().map(|f| f.name(lang).to_string()).collect::<Vec<_>>()
    };
    let import = move |_| {
        let Some(p) = plan.get_untracked() else { return };
        if p.good == 0 {
            return;
        }
        // Adds records rather than replacing any, but keep a copy anyway.
        let _ = s.ws.with_untracked(|w| storage::backup_previous(w, browser::now()));
        if s.dispatch(p.edit) {
            let n = p.good;
            s.notify_fill(NoticeKind::Success, T::ImportedRows, &[&n]);
            crate::focus::close_after_edit(on_close);
        }
    };
    let title = Signal::derive(move || match target {
        Target::Customers => s.t(T::ImportCustomers).to_string(),
        Target::Opportunities => s.t(T::ImportOpportunities).to_string(),
        Target::Activities => s.t(T::ImportActivities).to_string(),
    });
    view! {
        <Modal title=title on_close=on_close>
            <div class="csv-import" data-testid="csv-import">
                <p class="muted small">{move || s.t(T::CsvHelp)}</p>
                <input type="file" accept=".csv,text/csv" data-testid="csv-file" on:change=on_file/>
                {move || error.get().map(|(zh, en)| view! { <p class="error" data-testid="csv-error">{either(s.lang.get(), (&zh, &en)).to_string()}</p> })}
                {move || table.with(|t| t.as_ref().map(|t| {
                    let lang = s.lang.get();
                    let headers = t.headers.clone();
                    let preview: Vec<Vec<String>> = t.rows.iter().take(5).map(|r| r.1.clone()).collect();
                    let enc = match t.encoding { csvio::Encoding::Utf8 => "UTF-8", csvio::Encoding::Gbk => "GBK" };
                    let info = T::CsvInfo.fill(lang, &[&t.rows.len(), &enc, &(t.delimiter as char)]);
                    view! {
                        <p class="small" data-testid="csv-info">{info}</p>
                        <div class="table-scroll">
                            <table class="table compact" data-testid="csv-preview">
                                <thead>
                                    <tr>{headers.iter().enumerate().map(|(i, h)| {
                                        let cur = mapping.with_untracked(|m| m.get(i).copied().flatten());
                                        view! {
                                            <th>
                                                <div class="muted small">{h.clone()}</div>
                                                <select data-testid="csv-map" on:change=move |ev| {
                                                    let v = event_target_value(&ev);
                                                    let f = v.parse::<usize>().ok().and_then(|k| Field::of(target).get(k).copied());
                                                    mapping.update(|m| if let Some(x) = m.get_mut(i) { *x = f });
                                                }>
                                                    <option value="" prop:selected=cur.is_none()>{field_label(None, lang)}</option>
                                                    {Field::of(target).iter().enumerate().map(|(k, f)| view! { <option value=k.to_string() prop:selected=cur == Some(*f)>{field_label(Some(*f), lang)}</option> }).collect_view()}
                                                </select>
                                            </th>
                                        }
                                    }).collect_view()}</tr>
                                </thead>
                                <tbody>
                                    {preview.into_iter().map(|r| view! { <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                }))}
                {move || {
                    let miss = missing();
                    (!miss.is_empty() && table.with(|t| t.is_some())).then(|| view! { <p class="error" data-testid="csv-missing">{format!("{} {}", s.t(T::RequiredColumns), miss.join(s.t(T::ListComma)))}</p> })
                }}
                {move || plan.get().map(|p| {
                    let lang = s.lang.get();
                    let summary = T::CsvSummary.fill(lang, &[&p.good, &p.bad.len()]);
                    let created = (!p.new_customers.is_empty()).then(|| {
                        let names = p.new_customers.iter().take(5).cloned().collect::<Vec<_>>().join(T::ListComma.get(lang));
                        T::CsvNewCustomers.fill(lang, &[&p.new_customers.len(), &names])
                    });
                    view! {
                        <p class="strong" data-testid="csv-summary">{summary}</p>
                        {created.map(|c| view! { <p class="small muted">{c}</p> })}
                        <ul class="plain bad-rows">
                            {p.bad.iter().take(200).map(|b| {
                                let line = T::CsvLine.fill(lang, &[&b.line]);
                                view! { <li data-testid="csv-bad-row"><span class="badge warn">{line}</span>" "{b.problem.message(lang)}</li> }
                            }).collect_view()}
                        </ul>
                    }
                })}
                <div class="modal-actions">
                    <div class="spacer"></div>
                    <button class="btn" data-testid="csv-cancel" on:click=move |_| on_close.run(())>{move || s.t(T::Cancel)}</button>
                    <button class="btn primary" data-testid="csv-import-go" disabled=move || plan.with(|p| p.as_ref().is_none_or(|p| p.good == 0)) || !missing().is_empty() on:click=import>
                        {move || { let n = plan.with(|p| p.as_ref().map(|p| p.good).unwrap_or(0)); s.tf(T::ImportRows, &[&n]) }}
                    </button>
                </div>
            </div>
        </Modal>
    }
}
