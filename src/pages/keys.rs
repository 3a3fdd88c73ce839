//! Signing keys on the Data page: my key (create, fingerprint, public key,
//! back up, restore) and the keys this workspace knows (record one pasted,
//! revoke). Files are signed and checked in `crate::sealing`.

use crate::browser;
use crate::components::filters::id_select;
use crate::i18n::T;
use crate::sealing;
use crate::state::{use_app, NoticeKind};
use leptos::prelude::*;
use sales_tiers_core::model::{KeyOrigin, KnownKey, PublicKey, Sender};
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{Edit, Id, Lang};
use wasm_bindgen::JsCast;

fn origin_label(o: KeyOrigin) -> T {
    match o {
        KeyOrigin::Own => T::OriginOwn,
        KeyOrigin::FirstFile => T::OriginFirstFile,
        KeyOrigin::Pasted => T::OriginPasted,
    }
}

#[component]
pub fn KeysCard() -> impl IntoView {
    let s = use_app();
    // Bumped when this browser's key changes (it lives outside the document).
    let key_rev = RwSignal::new(0u32);
    let mine = Memo::new(move |_| {
        key_rev.track();
        s.me.track();
        // Making or restoring a key records it in the workspace too.
        s.ws.with(|w| w.keys.len());
        sealing::my_key(s)
    });
    let create = move |_| {
        match sealing::create_key(s) {
            // The button is gone: the focus goes to the next step, backing the key up.
            Ok(_) => crate::focus::to("[data-testid=back-up-key]"),
            Err((zh, en)) => s.notify(NoticeKind::Error, zh, en),
        }
        key_rev.update(|r| *r += 1);
    };
    let on_restore = move |ev: leptos::ev::Event| {
        let Some((input, file)) = browser::pick_file(&ev) else { return };
        input.set_value("");
        leptos::task::spawn_local(async move {
            let result = match browser::read_file(file).await {
                Ok(text) => sealing::restore_key_text(s, text),
                Err(e) => Err(e),
            };
            if let Err((zh, en)) = result {
                s.notify(NoticeKind::Error, zh, en);
            }
            key_rev.update(|r| *r += 1);
        });
    };
    // A restore finishes inside the passphrase dialog: look again when it closes.
    Effect::new(move |_| {
        if s.ask.with(|a| a.is_none()) {
            key_rev.update(|r| *r += 1);
        }
    });
    let my_section = move || {
        let lang = s.lang.get();
        let Some(me) = s.me.get().and_then(|_| s.sender()) else {
            return view! { <p class="muted" data-testid="my-key-needs-me">{s.t(T::MyKeyNeedsMe)}</p> }.into_any();
        };
        match mine.get() {
            None => view! {
                <p class="muted" data-testid="my-key-none">{s.tf(T::MyKeyNone, &[&me.name.get(lang)])}</p>
                <button class="btn" data-testid="create-key" on:click=create>{s.t(T::CreateMyKey)}</button>
            }
            .into_any(),
            Some(kf) => {
                let revoked = s.ws.with(|w| sales_tiers_core::io::seal::revoked(w, &kf.public));
                let fp = kf.public.fingerprint();
                let public = kf.public.to_text();
                let backup = kf.clone();
                view! {
                    {revoked.then(|| view! {
                        <p class="result warn" data-testid="my-key-revoked">{s.t(T::MyKeyRevoked)}</p>
                        <button class="btn" data-testid="create-new-key" on:click=create>{s.t(T::CreateNewKey)}</button>
                    })}
                    <dl class="facts">
                        <dt>{s.t(T::Fingerprint)}</dt>
                        <dd><span class="fingerprint mono" data-testid="my-fingerprint">{fp}</span></dd>
                    </dl>
                    <p class="muted small">{s.t(T::FingerprintHelp)}</p>
                    <label class="block">
                        <span class="muted small">{s.t(T::PublicKeyLabel)}</span>
                        <input type="text" class="mono" readonly data-testid="my-public-key" prop:value=public
                            on:focus=|ev| { if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { i.select(); } }/>
                    </label>
                    <button class="btn small" data-testid="back-up-key" on:click=move |_| sealing::back_up_key(s, backup.clone())>{s.t(T::BackUpKey)}</button>
                }
                .into_any()
            }
        }
    };
    view! {
        <article class="card wide" data-testid="keys-card">
            <h3>{move || s.t(T::KeysTitle)}</h3>
            <p class="muted">{move || s.t(T::KeysBody)}</p>
            <div class="exchange-row">
                <h4>{move || s.t(T::MyKey)}</h4>
                {my_section}
                <label class="btn small ghost restore-key">
                    {move || s.t(T::RestoreKey)}
                    <input type="file" accept=".json,application/json" class="visually-hidden" data-testid="restore-key" on:change=on_restore/>
                </label>
            </div>
            <KnownKeys/>
            <RecordKey/>
        </article>
    }
}

/// The keys this workspace knows, with how and when each was recorded.
#[component]
fn KnownKeys() -> impl IntoView {
    let s = use_app();
    let keys = Memo::new(move |_| {
        s.ws.with(|w| {
            let mut v: Vec<KnownKey> = w.keys.values().cloned().collect();
            v.arrange_by_key(|k| (k.revoked_at.is_some(), k.recorded_at));
            v
        })
    });
    let revoke = move |id: Id| {
        let ok = web_sys::window().and_then(|w| w.confirm_with_message(s.t(T::ConfirmRevoke)).ok()).unwrap_or(false);
        if ok {
            s.dispatch(Edit::RevokeKey { id, at: browser::now() });
        }
    };
    view! {
        <div class="exchange-row">
            <h4>{move || s.t(T::KnownKeys)}</h4>
            {move || {
                let list = keys.get();
                if list.is_empty() {
                    return view! { <p class="muted" data-testid="known-keys-none">{s.t(T::KnownKeysNone)}</p> }.into_any();
                }
                let lang = s.lang.get();
                let rows = list
                    .into_iter()
                    .map(|k| {
                        let name = s.ws.with_untracked(|w| w.people.get(&k.person).map(|p| p.name.get(lang).to_string())).unwrap_or_else(|| k.name.get(lang).to_string());
                        let status = match k.revoked_at {
                            Some(t) => s.tf(T::KeyRevokedFrom, &[&t.format("%Y-%m-%d")]),
                            None => s.t(T::KeyActive).to_string(),
                        };
                        let id = k.id;
                        let revoked = k.revoked_at.is_some();
                        view! {
                            <tr data-testid="known-key" data-revoked=revoked.to_string()>
                                <td>{name}</td>
                                <td class="mono nowrap">{k.key.fingerprint()}</td>
                                <td>{s.t(origin_label(k.origin))}</td>
                                <td class="nowrap">{k.recorded_at.format("%Y-%m-%d").to_string()}</td>
                                <td>{status}</td>
                                <td>{(!revoked).then(|| view! { <button class="btn small ghost" data-testid="revoke-key" on:click=move |_| revoke(id)>{s.t(T::Revoke)}</button> })}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="table-wrap">
                        <table class="table compact" data-testid="known-keys">
                            <thead><tr>
                                <th scope="col">{s.t(T::KeyPersonCol)}</th>
                                <th scope="col">{s.t(T::Fingerprint)}</th>
                                <th scope="col">{s.t(T::KeyOriginCol)}</th>
                                <th scope="col">{s.t(T::KeyRecordedCol)}</th>
                                <th scope="col">{s.t(T::KeyStatusCol)}</th>
                                <th scope="col"><span class="visually-hidden">{s.t(T::Revoke)}</span></th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </div>
    }
}

/// Record a key someone sent: whose, and the key pasted.
#[component]
fn RecordKey() -> impl IntoView {
    let s = use_app();
    let person = RwSignal::new(None::<Id>);
    let text = RwSignal::new(String::new());
    let error: RwSignal<Option<T>> = RwSignal::new(None);
    let parsed = Memo::new(move |_| PublicKey::parse(&text.get()));
    // Rebuilt when the list changes, not on every edit.
    let people = Memo::new(move |_| {
        let lang = s.lang.get();
        s.ws.with(|w| {
            let mut v: Vec<(String, Id)> = w.people.values().map(|p| (p.name.get(lang).to_string(), p.id)).collect();
            // In the language's order (pinyin for Chinese names), as the other pickers.
            let order = browser::NameOrder::of(v.iter().map(|x| x.0.as_str()), lang);
            v.arrange_by_cached_key(|(name, id)| (order.rank(name), *id));
            v.into_iter().map(|(n, id)| (id, n)).collect::<Vec<_>>()
        })
    });
    let record = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(key) = parsed.get_untracked() else { return error.set(Some(T::NotAPublicKey)) };
        let Some(p) = person.get_untracked() else { return };
        let Some(who) = s.ws.with_untracked(|w| w.people.get(&p).map(|x| Sender { id: x.id, name: x.name.clone() })) else { return };
        error.set(None);
        if s.dispatch(Edit::RecordKey { person: who.clone(), key, origin: KeyOrigin::Pasted, by: s.sender() }) {
            let fp = key.fingerprint();
            s.notify(
                NoticeKind::Success,
                T::KeyRecorded.fill(Lang::Zh, &[&who.name.get(Lang::Zh), &fp]),
                T::KeyRecorded.fill(Lang::En, &[&who.name.get(Lang::En), &fp]),
            );
            text.set(String::new());
        }
    };
    view! {
        <form class="exchange-row" data-testid="record-key" on:submit=record>
            <h4>{move || s.t(T::RecordKeyTitle)}</h4>
            <p class="muted small">{move || s.t(T::RecordKeyHelp)}</p>
            <div class="inline-form">
                {id_select(people.into(), person.into(), Callback::new(move |p| person.set(p)), "record-key-person", None, false, Some(T::KeyPersonCol))}
                <input type="text" class="mono grow" data-testid="record-key-text" placeholder="ed25519:…" maxlength="200"
                    aria-label=move || s.t(T::PublicKeyLabel)
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
                <button type="submit" class="btn" data-testid="record-key-button" prop:disabled=move || person.get().is_none() || text.get().trim().is_empty()>
                    {move || s.t(T::RecordKeyButton)}
                </button>
            </div>
            {move || parsed.get().map(|k| view! { <p class="muted small" data-testid="record-key-fingerprint">{s.t(T::Fingerprint)}{s.lang.get().colon()} <span class="mono">{k.fingerprint()}</span></p> })}
            {move || error.get().map(|e| view! { <p class="result err" role="alert">{s.t(e)}</p> })}
        </form>
    }
}
