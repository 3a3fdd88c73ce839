//! Notices, the save-failure banner and the quarantine banner.

use crate::browser;
use crate::i18n::{human_bytes, T};
use crate::state::{use_app, NoticeKind, SaveState};
use leptos::prelude::*;
use sales_tiers_core::{io, Lang};

/// Offers the whole workspace as a file (also the way out of a full storage).
/// Compact unless `readable` (indented, for reading or diffing): both open
/// again without being re-serialised (the checksum is taken over the text
/// with its indentation left out).
pub fn export_workspace(readable: bool) {
    let s = use_app();
    if s.refuse_export_if_blocked() {
        return;
    }
    let now = browser::now();
    let text = s.ws.with_untracked(|w| io::write(w, now, readable));
    // Signed like every file written; locked when the user chose so.
    crate::sealing::deliver(s, io::file_name(now.date_naive()), text, || {});
}

#[component]
pub fn Banners() -> impl IntoView {
    let s = use_app();
    // The copies of one chunk set aside with the same bytes are one banner:
    // (their places in the list, the first of them).
    let quarantine_items = move || {
        s.quarantined
            .with(|q| sales_tiers_core::store::same_copies(q).into_iter().map(|at| (at.clone(), q[at[0]].clone())).collect::<Vec<_>>())
    };
    view! {
        <section class="banners" aria-live="polite" aria-label=move || s.t(T::Notifications)>
            <Show when=move || s.update_ready.get()>
                <div class="banner info toast" role="status" data-testid="update-banner">
                    <span>{move || s.t(T::UpdateReady)}</span>
                    <button class="btn small" data-testid="update-reload" on:click=move |_| { let _ = window().location().reload(); }>
                        {move || s.t(T::UpdateReload)}
                    </button>
                    // Dismissed: the keyboard goes on from where it was, not from the top.
                    <button class="btn small ghost" data-testid="update-dismiss" on:click=move |_| {
                        s.update_ready.set(false);
                        crate::focus::back_from_banner();
                    }>{move || s.t(T::Dismiss)}</button>
                </div>
            </Show>
            <Show when=move || s.save_state.get() == SaveState::Blocked>
                <div class="banner error" role="alert" data-testid="storage-blocked">
                    // Nothing set aside (the missing part was removed, not damaged): nothing to download.
                    <span>{move || {
                        s.storage_rev.track();
                        s.t(if crate::storage::quarantine_keys().is_empty() { T::StorageBlockedMissing } else { T::StorageBlocked })
                    }}</span>
                </div>
            </Show>
            <For each=quarantine_items key=|(at, q)| (at.clone(), q.from.clone(), q.bytes) let:item>
                {
                    let (at, q) = item;
                    let copies = at.len();
                    let raw = q.raw.clone();
                    let from = q.from.clone();
                    let not_copied = q.key.is_none();
                    let error = q.error.clone();
                    view! {
                        <div class="banner warn" role="alert" data-testid="quarantine-banner">
                            <div class="banner-text">
                                <strong>{move || s.t(T::QuarantineTitle)}</strong>
                                // Nothing was opened when the store is blocked: no "last good copy".
                                <span>{move || s.t(if s.save_state.get() == SaveState::Blocked { T::QuarantineKept } else { T::QuarantineBody })}
                                    // In the language shown, switched or not.
                                    " " {move || error.message(s.lang.get())}
                                    " (" {human_bytes(q.bytes)} {move || (copies > 1).then(|| s.tf(T::IdenticalCopies, &[&copies]))} ")"
                                    {move || not_copied.then(|| s.t(T::NotCopied))}
                                </span>
                            </div>
                            <button class="btn small" data-testid="download-raw" on:click=move |_| {
                                let name = format!("sales-tiers-quarantine-{}.txt", from.trim_start_matches(sales_tiers_core::store::PREFIX).replace(':', "-"));
                                // The readable envelope if the compact copy still unpacks, else the raw bytes.
                                let text = sales_tiers_core::store::stored_text(&raw).unwrap_or_else(|_| raw.clone());
                                browser::download(&name, "text/plain", &text);
                            }>{move || s.t(T::DownloadRaw)}</button>
                            <button class="btn small ghost" on:click=move |_| s.quarantined.update(|v| { for &i in at.iter().rev() { if i < v.len() { v.remove(i); } } })>
                                {move || s.t(T::Dismiss)}
                            </button>
                        </div>
                    }
                }
            </For>
        </section>
        // Read out what a field refused (it is also shown beside the field).
        <div class="visually-hidden" aria-live="assertive" data-testid="field-live">{move || s.live.get()}</div>
    }
}

/// What just happened (a notice goes by itself) and a save that failed:
/// kept in view under the top bar while the page scrolls, so an edit
/// replaced or refused far down a long page is never explained off screen.
#[component]
pub fn Notices() -> impl IntoView {
    let s = use_app();
    // Notices belong to the page they are about: another page does not show them.
    let here = leptos_router::hooks::use_location().pathname;
    let notices = move || {
        let path = here.get();
        s.notices.get().into_iter().filter(|n| n.path == path).collect::<Vec<_>>()
    };
    // Once the notices (or the language, which the top bar's height may
    // follow) have changed and been laid out.
    Effect::new(move |_| {
        s.notices.track();
        s.save_error.track();
        s.lang.track();
        request_animation_frame(browser::keep_clear_of_top_stack);
    });
    view! {
        <section class="notices" aria-live="polite" aria-label=move || s.t(T::Notifications) data-testid="notices">
            {move || s.save_error.get().map(|e| view! {
                <div class="banner error" role="alert" data-testid="save-error">
                    <span>{e.message(s.lang.get())}</span>
                    <button class="btn small" on:click=move |_| export_workspace(false)>{s.t(T::ExportNow)}</button>
                    <button class="btn small" data-testid="retry-save" on:click=move |_| s.retry_save()>{s.t(T::RetrySave)}</button>
                </div>
            })}
            <For each=notices key=|n| n.id let:n>
                {
                    let class = match n.kind {
                        NoticeKind::Info => "banner info",
                        NoticeKind::Success => "banner success",
                        NoticeKind::Error => "banner error",
                    };
                    let id = n.id;
                    let (zh, en) = (n.zh.clone(), n.en.clone());
                    view! {
                        <div class=class data-testid="notice" data-notice=id>
                            <span>{move || if s.lang.get() == Lang::Zh { zh.clone() } else { en.clone() }}</span>
                            <button class="btn small ghost" on:click=move |_| {
                                s.dismiss(id);
                                // The keyboard goes on from where it was, not from the top.
                                crate::focus::back_from_banner();
                            } aria-label=move || s.t(T::Dismiss)>"×"</button>
                        </div>
                    }
                }
            </For>
        </section>
    }
}
