//! Data & settings: export, import (picker and drag-and-drop), backups,
//! quarantine, workspace settings, storage use.

use crate::app::{reload_demo, start_empty};
use crate::browser;
use crate::components::common::Modal;
use crate::i18n::{human_bytes, lang_name, month_name, people_count, T};
use crate::pages::exchange;
use crate::state::{use_app, AppState, NoticeKind};
use crate::storage;
use leptos::prelude::*;
use sales_tiers_core::edit::SettingsPatch;
use sales_tiers_core::model::{ExchangeAction, SCHEMA_VERSION};
use sales_tiers_core::{io, Edit, Lang, Workspace};
use wasm_bindgen::JsCast;

const CURRENCIES: [&str; 8] = ["CNY", "USD", "EUR", "HKD", "JPY", "GBP", "SGD", "TWD"];

/// Outcome of the last import, shown in the import card: (ok, zh, en).
type ImportResult = Option<(bool, String, String)>;

/// A file read and checked, waiting for Open or Cancel.
pub struct Opening {
    ws: std::sync::Arc<Workspace>,
    info: io::ReadInfo,
}

fn import_text(s: AppState, ui: exchange::ExchangeUi, text: String, result: RwSignal<ImportResult>) {
    let fail = move |(zh, en): crate::sealing::Both| result.set(Some((false, zh, en)));
    crate::sealing::open_text(s, text, move |text| import_plain(s, ui, &text, result), fail);
}

fn import_plain(s: AppState, ui: exchange::ExchangeUi, text: &str, result: RwSignal<ImportResult>) {
    match io::read(text) {
        // A file of this very workspace (a branch of it, or this branch's
        // newer issue) merges after a review instead of replacing it.
        Ok((ws, _)) if s.ws.with_untracked(|w| sales_tiers_core::engine::exchange::opens_as_merge(w, &ws)) => {
            result.set(None);
            exchange::review_plain(s, ui, text);
        }
        // Nothing changes before the user has seen what the file is and who signed it.
        Ok((ws, info)) => {
            result.set(None);
            ui.opening.set(Some(std::sync::Arc::new(Opening { ws: std::sync::Arc::new(ws), info })));
        }
        Err(e) => result.set(Some((
            false,
            format!("{}{}", T::ImportFailed.get(Lang::Zh), e.message(Lang::Zh)),
            format!("{} {}", T::ImportFailed.get(Lang::En), e.message(Lang::En)),
        ))),
    }
}

/// Replaces the workspace with an opened file (after the backup) and logs
/// a branch opened. Err: nothing was opened (the message, zh and en).
fn open_now(
    s: AppState,
    mut ws: Workspace,
    info: io::ReadInfo,
    trusting: bool,
    result: RwSignal<ImportResult>,
) -> Result<(), crate::sealing::Both> {
    if trusting {
        crate::sealing::record_first_use(&mut ws, info.signed.as_ref(), s.sender())?;
    }
    let branch = ws.branch.clone();
    if let Err((zh, en)) = s.replace(ws) {
        // Said in the dialog, where the user pressed Open (the card below may
        // be out of view), and kept on the card once the dialog is closed.
        result.set(Some((false, zh.clone(), en.clone())));
        return Err((zh, en));
    }
    let key = if branch.is_some() { T::BranchOpened } else { T::Imported };
    result.set(Some((true, key.get(Lang::Zh).into(), key.get(Lang::En).into())));
    s.notify_key(NoticeKind::Success, key);
    // A branch file is for its unit's manager: who opens it is taken to be
    // them (said, and changeable), so their edits and the file they send
    // back carry their name.
    if let (Some(b), None) = (&branch, s.who()) {
        let manager = s.ws.with_untracked(|w| {
            w.units.get(&b.root).and_then(|u| u.manager).and_then(|m| w.people.get(&m)).map(|p| (p.id, p.name.clone()))
        });
        if let Some((id, name)) = manager {
            s.set_me(Some(id));
            s.notify(
                NoticeKind::Info,
                T::OpenedAs.fill(Lang::Zh, &[&name.get(Lang::Zh)]),
                T::OpenedAs.fill(Lang::En, &[&name.get(Lang::En)]),
            );
        }
    }
    if let Some(b) = branch {
        let now = crate::browser::now();
        let file = s.ws.with_untracked(|w| {
            let mut e = sales_tiers_core::engine::exchange::sent_entry(
                w,
                ExchangeAction::Opened,
                crate::browser::new_id(),
                now,
                s.sender(),
                info.checksum.clone().unwrap_or_default(),
            );
            e.sender = b.issued_by.clone();
            e.file_at = b.issued_at;
            e
        });
        s.log_exchange(file);
    }
    Ok(())
}

/// "Open this file?": what it is, who signed it, Open or Cancel.
#[component]
fn OpenDialog(opening: std::sync::Arc<Opening>, result: RwSignal<ImportResult>) -> impl IntoView {
    let s = use_app();
    let ui = expect_context::<exchange::ExchangeUi>();
    let trusting = RwSignal::new(false);
    let error: RwSignal<Option<crate::sealing::Both>> = RwSignal::new(None);
    let close = Callback::new(move |_| ui.opening.set(None));
    let o = opening.clone();
    // What it is ("East China, a branch of …" or the workspace's name), then
    // who wrote it when, and its size.
    let what = move || {
        let lang = s.lang.get();
        let w = &o.ws;
        let size = s.tf(T::OpenSize, &[&w.people_count(), &w.units.len()]);
        match &w.branch {
            Some(b) => {
                let unit = w.units.get(&b.root).map(|u| u.name.get(lang).to_string()).unwrap_or_default();
                let by = b.sender().map(|x| x.name.get(lang).to_string()).unwrap_or_else(|| s.t(T::NotSaid).to_string());
                let at = b.returned_at.unwrap_or(b.issued_at).format("%Y-%m-%d %H:%M UTC");
                (
                    s.tf(T::OpenBranchOf, &[&unit, &sales_tiers_core::demo::workspace_title(&b.workspace_name, lang)]),
                    format!("{} · {size}", s.tf(T::OpenFrom, &[&by, &at])),
                )
            }
            None => {
                let at = o.info.exported_at.map(|t| format!("{} · ", t.format("%Y-%m-%d %H:%M UTC"))).unwrap_or_default();
                (sales_tiers_core::demo::workspace_title(&w.settings.workspace_name, lang), format!("{at}{size}"))
            }
        }
    };
    let what2 = what.clone();
    let o = opening.clone();
    let open = move |_| {
        let ws = (*o.ws).clone();
        match open_now(s, ws, o.info.clone(), trusting.get_untracked(), result) {
            Ok(()) => ui.opening.set(None),
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <Modal title=Signal::derive(move || s.t(T::OpenTitle).to_string()) on_close=close>
            <div class="review" data-testid="open-dialog">
                <p class="strong" data-testid="open-what">{move || what().0}</p>
                <p class="muted" data-testid="open-from">{move || what2().1}</p>
                <crate::sealing::SealView signed=opening.info.signed.clone() theirs=opening.ws.clone() trusting/>
                <p class="muted">{move || s.t(T::OpenReplaces)}</p>
                {move || error.get().map(|(zh, en)| view! { <p class="result err" role="alert">{if s.lang.get() == Lang::Zh { zh } else { en }}</p> })}
                <div class="modal-actions">
                    <button class="btn primary" data-testid="open-confirm" on:click=open>{move || s.t(T::OpenConfirm)}</button>
                    <button class="btn ghost" data-testid="open-cancel" on:click=move |_| close.run(())>{move || s.t(T::Cancel)}</button>
                </div>
            </div>
        </Modal>
    }
}

fn import_file(s: AppState, ui: exchange::ExchangeUi, file: web_sys::File, result: RwSignal<ImportResult>) {
    // A new file's outcome replaces the last one's, even when it has none
    // (a locked file whose passphrase prompt is cancelled); so does the
    // last one's success notice at the top of the page.
    result.set(None);
    s.notices.update(|v| v.retain(|n| n.kind != NoticeKind::Success));
    if file.size() > sales_tiers_core::limits::MAX_FILE_BYTES as f64 {
        let e = io::ImportError::TooLarge { bytes: file.size() as usize, max: sales_tiers_core::limits::MAX_FILE_BYTES };
        result.set(Some((false, e.message(Lang::Zh), e.message(Lang::En))));
        return;
    }
    leptos::task::spawn_local(async move {
        match browser::read_file(file).await {
            Ok(text) => import_text(s, ui, text, result),
            Err((zh, en)) => result.set(Some((
                false,
                format!("{}{zh}", T::ImportFailed.get(Lang::Zh)),
                format!("{} {en}", T::ImportFailed.get(Lang::En)),
            ))),
        }
    });
}

#[component]
pub fn DataPage() -> impl IntoView {
    let s = use_app();
    provide_context(exchange::ExchangeUi::default());
    view! {
        <section class="page">
            <h2 class="page-title">{move || s.t(T::DataTitle)}</h2>
            <div class="grid2">
                <exchange::ExchangeCard/>
                <exchange::ExchangeLogCard/>
                <crate::pages::keys::KeysCard/>
                <ExportCard/>
                <ImportCard/>
                <SettingsCard/>
                <BackupsCard/>
                <WorkspaceCard/>
                <QuarantineCard/>
            </div>
        </section>
    }
}

#[component]
fn ExportCard() -> impl IntoView {
    let s = use_app();
    // Compact by default (smaller, opens fastest); indented on request.
    let readable = RwSignal::new(false);
    view! {
        <article class="card">
            <h3>{move || s.t(T::ExportTitle)}</h3>
            <p class="muted">{move || s.t(T::ExportBody)}</p>
            <EncryptOption/>
            <label class="check" title=move || s.t(T::ExportReadableHelp)>
                <input type="checkbox" data-testid="export-readable" prop:checked=move || readable.get() on:change=move |ev| readable.set(event_target_checked(&ev))/>
                <span>{move || s.t(T::ExportReadable)}</span>
            </label>
            // Seen when ticked, as the encryption hint is (a title alone is for the mouse).
            {move || readable.get().then(|| view! { <p class="muted small" data-testid="export-readable-help">{s.t(T::ExportReadableHelp)}</p> })}
            <button class="btn primary" data-testid="export" on:click=move |_| crate::components::banners::export_workspace(readable.get_untracked())>{move || s.t(T::ExportButton)}</button>
        </article>
    }
}

/// "Encrypt the files I write with a passphrase": one choice for exports and sent branches.
#[component]
pub fn EncryptOption() -> impl IntoView {
    let s = use_app();
    view! {
        <label class="check" title=move || s.t(T::EncryptHelp)>
            <input type="checkbox" data-testid="encrypt" prop:checked=move || s.encrypt.get() on:change=move |ev| s.encrypt.set(event_target_checked(&ev))/>
            <span>{move || s.t(T::EncryptFiles)}</span>
        </label>
        {move || s.encrypt.get().then(|| view! { <p class="muted small">{s.t(T::EncryptHelp)}</p> })}
    }
}

#[component]
fn ImportCard() -> impl IntoView {
    let s = use_app();
    let ui = expect_context::<exchange::ExchangeUi>();
    let result: RwSignal<ImportResult> = RwSignal::new(None);
    let dragging = RwSignal::new(false);
    let on_pick = move |ev: leptos::ev::Event| {
        let Some((input, file)) = browser::pick_file(&ev) else { return };
        import_file(s, ui, file, result);
        // Let the same file be picked again after a fix.
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
            import_file(s, ui, file, result);
        }
    };
    view! {
        <article class="card">
            <h3>{move || s.t(T::ImportTitle)}</h3>
            <p class="muted">{move || s.t(T::ImportBody)}</p>
            <div class="dropzone" class:over=move || dragging.get() data-testid="dropzone"
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop>
                <label class="btn">
                    {move || s.t(T::ChooseFile)}
                    <input type="file" accept=".json,application/json" class="visually-hidden" data-testid="import-file" on:change=on_pick/>
                </label>
                <span class="muted">{move || s.t(T::DropHere)}</span>
            </div>
            {move || result.get().map(|(ok, zh, en)| view! {
                <p class=if ok { "result ok" } else { "result err" } role="alert" data-testid="import-result">
                    {if s.lang.get() == Lang::Zh { zh } else { en }}
                </p>
            })}
        </article>
        {move || ui.opening.get().map(|o| view! { <OpenDialog opening=o result/> })}
    }
}

#[component]
fn SettingsCard() -> impl IntoView {
    let s = use_app();
    let settings = Memo::new(move |_| s.ws.with(|w| w.settings.clone()));
    let update = move |p: SettingsPatch| s.dispatch(Edit::UpdateSettings(p));
    // A branch's settings are the whole workspace's: shown, not changed here.
    let branch = Memo::new(move |_| s.ws.with(|w| w.branch.is_some()));
    view! {
        <article class="card">
            <h3>{move || s.t(T::SettingsTitle)}</h3>
            {move || branch.get().then(|| view! { <p class="muted" data-testid="settings-read-only">{s.t(T::BranchReadOnly)}</p> })}
            <div class="form">
                <label>
                    <span>{move || s.t(T::WorkspaceName)}</span>
                    <input type="text" data-testid="ws-name" prop:disabled=move || branch.get() maxlength="120" prop:value=move || settings.get().workspace_name
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if !update(SettingsPatch { workspace_name: Some(v), ..Default::default() }) {
                                if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                    i.set_value(&settings.get_untracked().workspace_name);
                                }
                            }
                        }/>
                </label>
                <label>
                    <span>{move || s.t(T::Currency)}</span>
                    <select data-testid="currency" prop:disabled=move || branch.get() prop:value=move || settings.get().currency
                        on:change=move |ev| { update(SettingsPatch { currency: Some(event_target_value(&ev)), ..Default::default() }); }>
                        {move || {
                            let cur = settings.get().currency;
                            let mut list: Vec<String> = CURRENCIES.iter().map(|c| c.to_string()).collect();
                            if !list.contains(&cur) { list.push(cur.clone()); }
                            list.into_iter().map(|c| view! { <option value=c.clone() prop:selected=c == cur>{c.clone()}</option> }).collect_view()
                        }}
                    </select>
                </label>
                <label>
                    <span>{move || s.t(T::FiscalStart)}</span>
                    <select data-testid="fy-start" prop:disabled=move || branch.get() prop:value=move || settings.get().fiscal_year_start_month.to_string()
                        on:change=move |ev| {
                            if let Ok(m) = event_target_value(&ev).parse::<u8>() {
                                update(SettingsPatch { fiscal_year_start_month: Some(m), ..Default::default() });
                            }
                        }>
                        {move || {
                            let lang = s.lang.get();
                            let cur = settings.get().fiscal_year_start_month;
                            (1u8..=12).map(|m| view! { <option value=m.to_string() prop:selected=m == cur>{month_name(m, lang)}</option> }).collect_view()
                        }}
                    </select>
                </label>
                <label>
                    <span>{move || s.t(T::DocLanguage)}</span>
                    <select data-testid="doc-lang" prop:disabled=move || branch.get() prop:value=move || settings.get().language.tag().to_string()
                        on:change=move |ev| { update(SettingsPatch { language: Some(Lang::from_tag(&event_target_value(&ev))), ..Default::default() }); }>
                        <option value="zh-CN" prop:selected=move || settings.get().language == Lang::Zh>{lang_name(Lang::Zh)}</option>
                        <option value="en" prop:selected=move || settings.get().language == Lang::En>{lang_name(Lang::En)}</option>
                    </select>
                </label>
            </div>
        </article>
    }
}

#[component]
fn BackupsCard() -> impl IntoView {
    let s = use_app();
    let previous = Memo::new(move |_| {
        s.storage_rev.track();
        storage::previous_summary().map(|r| r.map(|b| (b.name, b.people, b.last_changed)))
    });
    let restore = move |_| {
        if let Some(Ok(ws)) = storage::load_previous() {
            match s.replace(ws) {
                Ok(()) => s.notify_key(NoticeKind::Success, T::Restored),
                Err((zh, en)) => s.notify(NoticeKind::Error, zh, en),
            }
        }
    };
    view! {
        <article class="card">
            <h3>{move || s.t(T::BackupsTitle)}</h3>
            {move || match previous.get() {
                None => view! { <p class="muted" data-testid="no-backup">{s.t(T::NoBackup)}</p> }.into_any(),
                Some(Ok((name, people, changed))) => view! {
                    <div class="backup-row" data-testid="backup">
                        <div>
                            <div class="strong" data-testid="backup-name">{
                                let lang = s.lang.get();
                                crate::i18n::labelled(lang, s.t(T::PreviousWorkspace), sales_tiers_core::demo::workspace_title(&name, lang))
                            }</div>
                            <div class="muted">{people_count(people, s.lang.get())} " · " {changed.format("%Y-%m-%d %H:%M UTC").to_string()}</div>
                        </div>
                        <button class="btn" data-testid="restore-previous" on:click=restore>{s.t(T::Restore)}</button>
                    </div>
                }.into_any(),
                Some(Err(e)) => view! { <p class="result err">{s.t(T::BackupUnreadable)} " " {e.message(s.lang.get())}</p> }.into_any(),
            }}
            <div class="row-actions">
                <button class="btn small ghost" data-testid="data-start-empty" on:click=move |_| start_empty(s)>{move || s.t(T::StartEmpty)}</button>
                <button class="btn small ghost" data-testid="data-reload-demo" on:click=move |_| reload_demo(s)>{move || s.t(T::ReloadDemo)}</button>
            </div>
        </article>
    }
}

#[component]
fn WorkspaceCard() -> impl IntoView {
    let s = use_app();
    // The whole origin's use: other apps on this address share the quota.
    let used = Memo::new(move |_| {
        s.storage_rev.track();
        storage::usage()
    });
    // What the browser gives the site (learned from a refused write when there was one).
    let limit = Memo::new(move |_| {
        s.storage_rev.track();
        storage::limit_estimate().max(1)
    });
    let free = move |_| {
        let ok = web_sys::window().and_then(|w| w.confirm_with_message(s.t(T::ConfirmFreeSpace)).ok()).unwrap_or(false);
        if ok {
            match storage::free_space() {
                Ok(n) => {
                    s.notify_fill(NoticeKind::Success, T::SpaceFreed, &[&human_bytes(n)]);
                    // Written again what a full store had kept in memory only.
                    s.retry_save();
                }
                Err(e) => s.notify(NoticeKind::Error, e.message(Lang::Zh), e.message(Lang::En)),
            }
            s.storage_rev.update(|r| *r += 1);
        }
    };
    view! {
        <article class="card">
            <h3>{move || s.t(T::WorkspaceTitle)}</h3>
            <dl class="facts">
                <dt>{move || s.t(T::SchemaVersion)}</dt><dd>{SCHEMA_VERSION}</dd>
                <dt>{move || s.t(T::Created)}</dt><dd>{move || s.ws.with(|w| w.meta.created_at.format("%Y-%m-%d").to_string())}</dd>
                <dt>{move || s.t(T::StorageUsed)}</dt><dd data-testid="storage-used">{move || format!("{} / ~{}", human_bytes(used.get().total()), human_bytes(limit.get()))}</dd>
            </dl>
            <div class="meter" role="meter" aria-valuemin="0" aria-valuemax=move || limit.get().to_string() aria-valuenow=move || used.get().total().to_string()
                aria-label=move || s.t(T::StorageUsed)>
                <div class="meter-fill" style=move || format!("width: {:.1}%", (used.get().total() as f64 / limit.get() as f64 * 100.0).min(100.0))></div>
            </div>
            <dl class="facts small" data-testid="storage-breakdown">
                <dt>{move || s.t(T::StorageDocument)}</dt><dd>{move || human_bytes(used.get().document + used.get().journal)}</dd>
                <dt>{move || s.t(T::StorageBackups)}</dt><dd>{move || human_bytes(used.get().backup + used.get().quarantine)}</dd>
                <dt>{move || s.t(T::StorageOthers)}</dt><dd data-testid="storage-foreign">{move || human_bytes(used.get().foreign + used.get().other)}</dd>
            </dl>
            <Show when=move || { used.get().freeable() > 0 }>
                <button class="btn small" data-testid="free-space" on:click=free>{move || s.tf(T::FreeSpace, &[&human_bytes(used.get().freeable())])}</button>
            </Show>
            <p class="muted small">{move || s.t(T::StorageLimit)}</p>
        </article>
    }
}

#[component]
fn QuarantineCard() -> impl IntoView {
    let s = use_app();
    // Where the focus goes once what had it is discarded: the card's heading.
    let heading = NodeRef::<leptos::html::H3>::new();
    let refocus = move || {
        if let Some(h) = heading.get_untracked() {
            let _ = h.focus();
        }
    };
    let keys = Memo::new(move |_| {
        s.storage_rev.track();
        storage::quarantine_keys()
    });
    // Every entry as it was stored (unpacked), in one file: {key: text}.
    let download_all = move |_| {
        let all: serde_json::Map<String, serde_json::Value> = keys
            .get_untracked()
            .into_iter()
            .filter_map(|(k, _)| {
                let raw = storage::read_raw(&k)?;
                Some((k, serde_json::Value::String(sales_tiers_core::store::stored_text(&raw).unwrap_or(raw))))
            })
            .collect();
        let text = serde_json::to_string_pretty(&all).unwrap_or_default();
        browser::download("sales-tiers-quarantine-all.json", "application/json", &text);
    };
    let discard_all = move |_| {
        let list = keys.get_untracked();
        let ask = s.tf(T::ConfirmDiscardAll, &[&list.len()]);
        if web_sys::window().and_then(|w| w.confirm_with_message(&ask).ok()).unwrap_or(false) {
            for (k, _) in &list {
                storage::discard_quarantined(k);
            }
            s.storage_rev.update(|r| *r += 1);
            refocus();
        }
    };
    view! {
        <article class="card">
            <h3 tabindex="-1" node_ref=heading>{move || s.t(T::QuarantineList)}</h3>
            {move || {
                let lang = s.lang.get();
                let list = keys.get();
                if list.is_empty() {
                    return view! { <p class="muted">{s.t(T::QuarantineNone)}</p> }.into_any();
                }
                // A whole store set aside is a hundred chunks or more: then a
                // summary with one download and one discard, the entries on request.
                let (count, total) = (list.len(), list.iter().map(|(_, b)| b).sum::<usize>());
                let many = count > QUARANTINE_LISTED;
                let rows = view! {
                    <ul class="plain" data-testid="quarantine-list">
                        {list.into_iter().map(|(key, bytes)| {
                            let k1 = key.clone();
                            let k2 = key.clone();
                            let label = key.trim_start_matches(sales_tiers_core::store::QUARANTINE_PREFIX).to_string();
                            // Each button says which copy it is for.
                            let (download_name, discard_name) =
                                (crate::i18n::labelled(lang, T::DownloadRaw.get(lang), &label), crate::i18n::labelled(lang, T::Discard.get(lang), &label));
                            view! {
                                <li class="backup-row">
                                    <div><div class="mono">{label}</div><div class="muted">{human_bytes(bytes)}</div></div>
                                    <button class="btn small" aria-label=download_name on:click=move |_| {
                                        if let Some(raw) = storage::read_raw(&k1) {
                                            let text = sales_tiers_core::store::stored_text(&raw).unwrap_or(raw);
                                            browser::download("sales-tiers-quarantine.txt", "text/plain", &text);
                                        }
                                    }>{s.t(T::DownloadRaw)}</button>
                                    <button class="btn small ghost" aria-label=discard_name on:click=move |_| {
                                        let ok = web_sys::window().and_then(|w| w.confirm_with_message(s.t(T::ConfirmDiscard)).ok()).unwrap_or(false);
                                        if ok {
                                            storage::discard_quarantined(&k2);
                                            s.storage_rev.update(|r| *r += 1);
                                            refocus();
                                        }
                                    }>{s.t(T::Discard)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                };
                if !many {
                    return rows.into_any();
                }
                view! {
                    <div class="backup-row" data-testid="quarantine-summary">
                        <div class="strong">{s.tf(T::QuarantineCount, &[&count, &human_bytes(total)])}</div>
                        <button class="btn small" data-testid="quarantine-download-all" on:click=download_all>{s.t(T::DownloadAll)}</button>
                        <button class="btn small ghost" data-testid="quarantine-discard-all" on:click=discard_all>{s.t(T::DiscardAll)}</button>
                    </div>
                    <details data-testid="quarantine-each">
                        <summary>{s.t(T::QuarantineEach)}</summary>
                        {rows}
                    </details>
                }.into_any()
            }}
        </article>
    }
}

/// Quarantine entries listed one by one; more are summed up first.
const QUARANTINE_LISTED: usize = 5;
