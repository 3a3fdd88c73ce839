//! Signed and locked files in the app: this browser's signing key for "who
//! am I", signing every file written, the passphrase that locks a file on
//! the way out and unlocks one on the way in, and what a file's signature
//! says to the user. The cryptography is core's (`io::seal`, `io::lock`);
//! random bytes come from the browser's CSPRNG only.

use crate::browser;
use crate::components::common::Modal;
use crate::i18n::T;
use crate::state::{use_app, AppState, NoticeKind};
use crate::storage;
use leptos::prelude::*;
use sales_tiers_core::io::lock::{self, Content, Cost, LockError, MIN_PASSPHRASE_CHARS};
use sales_tiers_core::io::seal::{self, KeyFile, KeyPair, Signed, Trust};
use sales_tiers_core::model::{KeyOrigin, Sender};
use sales_tiers_core::{Edit, Lang, Workspace};
use std::sync::Arc;

/// A message in both languages.
pub type Both = (String, String);

fn both(key: T) -> Both {
    (key.get(Lang::Zh).to_string(), key.get(Lang::En).to_string())
}

/// What a passphrase is asked for, and what to do with it.
pub struct Ask {
    pub title: T,
    pub button: T,
    /// Ask twice (a new passphrase) or once (to open).
    pub confirm: bool,
    /// Called with the passphrase; an error keeps the dialog open and shows it.
    pub then: WithPassphrase,
}

/// What is done with a passphrase: an error in both languages, or done.
pub type WithPassphrase = Box<dyn Fn(&str) -> Result<(), Both> + Send + Sync>;

/// This browser's signing key for "who am I", if it has one.
pub fn my_key(s: AppState) -> Option<KeyFile> {
    s.who().and_then(storage::signing_key)
}

/// Is this key revoked in the workspace?
fn revoked_here(s: AppState, kf: &KeyFile) -> bool {
    s.ws.with_untracked(|w| seal::revoked(w, &kf.public))
}

/// Records `key` as `person`'s own (this browser's) in the workspace
/// (no-op when it is known); not a step of undo: see
/// [`AppState::dispatch_lasting`].
fn record_own(s: AppState, person: Sender, key: sales_tiers_core::model::PublicKey) -> bool {
    s.dispatch_lasting(Edit::RecordKey { person, key, origin: KeyOrigin::Own, by: s.sender() })
}

/// Makes a key pair for "who am I", keeps it in this browser and records
/// its public half in the workspace as theirs.
pub fn create_key(s: AppState) -> Result<KeyFile, Both> {
    let me = s.sender().ok_or_else(|| both(T::MyKeyNeedsMe))?;
    let seed = browser::random_bytes::<32>().ok_or_else(|| both(T::NoRandom))?;
    let kf = KeyFile::new(&KeyPair::from_seed(seed), me.clone(), browser::now());
    storage::set_signing_key(&kf).map_err(|e| (T::KeyStoreFailed.fill(Lang::Zh, &[&e]), T::KeyStoreFailed.fill(Lang::En, &[&e])))?;
    record_own(s, me, kf.public);
    let fp = kf.public.fingerprint();
    s.notify(
        NoticeKind::Success,
        T::KeyCreated.fill(Lang::Zh, &[&kf.person.name.get(Lang::Zh), &fp]),
        T::KeyCreated.fill(Lang::En, &[&kf.person.name.get(Lang::En), &fp]),
    );
    Ok(kf)
}

/// Stores a key restored from a backup (for the person it names) and
/// records it in the workspace when that person is in it.
pub fn restore_key(s: AppState, kf: KeyFile) -> Result<(), Both> {
    if let Some(old) = storage::signing_key(kf.person.id).filter(|old| old.public != kf.public) {
        let lang = s.lang.get_untracked();
        let ask = T::RestoreReplaces.fill(lang, &[&old.person.name.get(lang), &old.public.fingerprint()]);
        if !web_sys::window().and_then(|w| w.confirm_with_message(&ask).ok()).unwrap_or(false) {
            return Ok(());
        }
    }
    storage::set_signing_key(&kf).map_err(|e| (T::KeyStoreFailed.fill(Lang::Zh, &[&e]), T::KeyStoreFailed.fill(Lang::En, &[&e])))?;
    if s.ws.with_untracked(|w| w.people.contains_key(&kf.person.id)) {
        record_own(s, kf.person.clone(), kf.public);
        // A restored key says who this browser's user is, when not said yet.
        if s.who().is_none() {
            s.set_me(Some(kf.person.id));
        }
    }
    s.me.update(|_| {});
    let fp = kf.public.fingerprint();
    s.notify(
        NoticeKind::Success,
        T::KeyRestored.fill(Lang::Zh, &[&kf.person.name.get(Lang::Zh), &fp]),
        T::KeyRestored.fill(Lang::En, &[&kf.person.name.get(Lang::En), &fp]),
    );
    Ok(())
}

/// Signs a file's text with my key; the first file sent makes the key
/// when "who am I" is chosen. Unsigned when there is no one to sign as.
fn sign(s: AppState, text: String) -> String {
    let key = match my_key(s) {
        // A key revoked here signs nothing more: a new one replaces it.
        Some(k) if !revoked_here(s, &k) => {
            // Undo may have taken its record out: it is put back.
            if s.ws.with_untracked(|w| !w.keys.contains_key(&sales_tiers_core::model::KnownKey::id_for(&k.public)))
                && s.ws.with_untracked(|w| w.people.contains_key(&k.person.id))
            {
                record_own(s, k.person.clone(), k.public);
            }
            Some(k)
        }
        _ if s.who().is_some() => match create_key(s) {
            Ok(k) => Some(k),
            Err((zh, en)) => {
                s.notify(NoticeKind::Error, zh, en);
                None
            }
        },
        _ => None,
    };
    let Some((pair, who)) = key.and_then(|k| k.pair().ok().map(|p| (p, k.person))) else { return text };
    match seal::sign(&text, &pair, Some(who), browser::now()) {
        Ok(signed) => signed,
        Err(_) => text,
    }
}

/// Locks `text` with `passphrase`, with a fresh salt and nonce.
fn lock_text(text: &str, content: Content, passphrase: &str) -> Result<String, Both> {
    let salt = browser::random_bytes().ok_or_else(|| both(T::NoRandom))?;
    let nonce = browser::random_bytes().ok_or_else(|| both(T::NoRandom))?;
    lock::lock(text.as_bytes(), content, passphrase, Cost::DEFAULT, salt, nonce).map_err(|e| (e.message(Lang::Zh), e.message(Lang::En)))
}

/// Writes a file for download: signed with my key, and locked with a
/// passphrase when "encrypt" is on. `after` runs once the file is written.
pub fn deliver(s: AppState, name: String, text: String, after: impl Fn() + Send + Sync + 'static) {
    let text = sign(s, text);
    if !s.encrypt.get_untracked() {
        browser::download(&name, "application/json", &text);
        after();
        return;
    }
    s.ask.set(Some(Arc::new(Ask {
        title: T::LockTitle,
        button: T::LockButton,
        confirm: true,
        then: Box::new(move |pass| {
            let locked = lock_text(&text, Content::Workspace, pass)?;
            browser::download(&name, "application/json", &locked);
            after();
            Ok(())
        }),
    })));
}

/// Continues with a file's text: as it is, or, when it is locked, once its
/// passphrase has opened it. A key backup is not a workspace: said so.
pub fn open_text(s: AppState, text: String, then: impl Fn(String) + Send + Sync + 'static, fail: impl Fn(Both) + Send + Sync + 'static) {
    match lock::header(&text) {
        Err(LockError::NotLocked) => then(text),
        Err(e) => fail((e.message(Lang::Zh), e.message(Lang::En))),
        Ok((h, _)) if h.content == Content::Key => fail(both(T::KeyBackupNotWorkspace)),
        Ok(_) => s.ask.set(Some(Arc::new(Ask {
            title: T::UnlockTitle,
            button: T::UnlockButton,
            confirm: false,
            then: Box::new(move |pass| {
                let (_, plain) = lock::unlock(&text, pass).map_err(|e| (e.message(Lang::Zh), e.message(Lang::En)))?;
                let plain = String::from_utf8(plain.to_vec()).map_err(|_| both(T::ReadFailed))?;
                then(plain);
                Ok(())
            }),
        }))),
    }
}

/// Writes my key's backup, locked with a passphrase asked twice.
pub fn back_up_key(s: AppState, kf: KeyFile) {
    s.ask.set(Some(Arc::new(Ask {
        title: T::KeyBackupTitle,
        button: T::LockButton,
        confirm: true,
        then: Box::new(move |pass| {
            let locked = lock_text(&kf.to_json(), Content::Key, pass)?;
            let name =
                sales_tiers_core::io::branch_file_name("sales-tiers-key", kf.person.name.get(Lang::En), browser::now().date_naive(), false);
            browser::download(&name, "application/json", &locked);
            s.notify_fill(NoticeKind::Success, T::KeyBackedUp, &[&name]);
            Ok(())
        }),
    })));
}

/// Reads a key backup: asks its passphrase, then keeps the key here.
pub fn restore_key_text(s: AppState, text: String) -> Result<(), Both> {
    match lock::header(&text) {
        Ok((h, _)) if h.content == Content::Key => {}
        Ok(_) | Err(LockError::NotLocked) => return Err(both(T::NotAKeyBackup)),
        Err(e) => return Err((e.message(Lang::Zh), e.message(Lang::En))),
    }
    s.ask.set(Some(Arc::new(Ask {
        title: T::KeyRestoreTitle,
        button: T::UnlockButton,
        confirm: false,
        then: Box::new(move |pass| {
            let (_, plain) = lock::unlock(&text, pass).map_err(|e| (e.message(Lang::Zh), e.message(Lang::En)))?;
            let kf = std::str::from_utf8(&plain).ok().and_then(|t| KeyFile::parse(t).ok()).ok_or_else(|| both(T::NotAKeyBackup))?;
            restore_key(s, kf)
        }),
    })));
    Ok(())
}

/// The passphrase dialog, in the shell: shown while something asks.
#[component]
pub fn PassphraseDialog() -> impl IntoView {
    let s = use_app();
    move || s.ask.get().map(|ask| view! { <AskDialog ask/> })
}

#[component]
fn AskDialog(ask: Arc<Ask>) -> impl IntoView {
    let s = use_app();
    let pass = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let error: RwSignal<Option<Both>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let close = Callback::new(move |_| s.ask.set(None));
    let confirm = ask.confirm;
    let (title, button) = (ask.title, ask.button);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let p = pass.get_untracked();
        if p.is_empty() {
            return error.set(Some(both(T::PassphraseEmpty)));
        }
        if confirm && p.chars().count() < MIN_PASSPHRASE_CHARS {
            let e = LockError::TooShortPassphrase;
            return error.set(Some((e.message(Lang::Zh), e.message(Lang::En))));
        }
        if confirm && p != again.get_untracked() {
            return error.set(Some(both(T::PassphraseMismatch)));
        }
        error.set(None);
        busy.set(true);
        let ask = ask.clone();
        // The key derivation takes a moment: let "Working…" paint first.
        set_timeout(
            move || {
                let result = (ask.then)(&p);
                busy.set(false);
                match result {
                    Ok(()) => {
                        if s.ask.with_untracked(|a| a.as_ref().is_some_and(|a| Arc::ptr_eq(a, &ask))) {
                            s.ask.set(None);
                        }
                    }
                    Err(e) => error.set(Some(e)),
                }
            },
            std::time::Duration::from_millis(30),
        );
    };
    view! {
        <Modal title=Signal::derive(move || s.t(title).to_string()) on_close=close>
            <form class="form passphrase" data-testid="passphrase-form" on:submit=submit>
                <label>
                    <span>{move || s.t(T::PassphraseLabel)}</span>
                    <input type="password" data-testid="passphrase" maxlength="1000"
                        autocomplete=if confirm { "new-password" } else { "current-password" }
                        prop:value=move || pass.get() on:input=move |ev| pass.set(event_target_value(&ev))/>
                </label>
                {confirm.then(|| view! {
                    <label>
                        <span>{move || s.t(T::PassphraseAgain)}</span>
                        <input type="password" data-testid="passphrase-again" maxlength="1000" autocomplete="new-password"
                            prop:value=move || again.get() on:input=move |ev| again.set(event_target_value(&ev))/>
                    </label>
                    <p class="muted small">{move || s.t(T::PassphraseHelp)}</p>
                })}
                {move || error.get().map(|(zh, en)| view! {
                    <p class="result err" role="alert" data-testid="passphrase-error">{if s.lang.get() == Lang::Zh { zh } else { en }}</p>
                })}
                <div class="modal-actions">
                    <button type="submit" class="btn primary" data-testid="passphrase-ok" prop:disabled=move || busy.get()>
                        {move || s.t(if busy.get() { T::Working } else { button })}
                    </button>
                    <button type="button" class="btn ghost" data-testid="passphrase-cancel" on:click=move |_| close.run(())>{move || s.t(T::Cancel)}</button>
                </div>
            </form>
        </Modal>
    }
}

/// How a file's signature is shown: the sentence, and for a key this
/// workspace does not know, the fingerprint to compare and "record it".
/// `trusting` is the user's "I compared it" choice; `confirmed`, when
/// given, is the "merge anyway" a file that does not prove its sender needs.
#[component]
pub fn SealView(
    signed: Option<Signed>,
    theirs: Arc<Workspace>,
    trusting: RwSignal<bool>,
    #[prop(optional)] confirmed: Option<RwSignal<bool>>,
    /// Nothing will be applied (a file with nothing new): recording the key
    /// is its own button instead of a choice applied with the file.
    #[prop(optional)]
    record_now: bool,
) -> impl IntoView {
    let s = use_app();
    let signed = Arc::new(signed);
    let sg = signed.clone();
    let theirs_seal = theirs.clone();
    let line = move || {
        let lang = s.lang.get();
        s.ws.with(|w| {
            let t = seal::trust(w, sg.as_ref().as_ref());
            // Unsigned in the name of someone whose key is known here: said as a danger.
            if let Some(claim) = seal::unsigned_from_a_signer(w, &theirs_seal, sg.as_ref().as_ref()) {
                let text = seal::unsigned_from_a_signer_text(claim.name.get(lang), lang);
                return view! { <p class="seal err" data-testid="seal" data-trust=t.name() data-suspect="true">{text}</p> };
            }
            let class = match t {
                Trust::Known(_) => "seal ok",
                Trust::Unknown | Trust::Unsigned => "seal warn",
                Trust::Revoked(_) => "seal err",
            };
            view! { <p class=class data-testid="seal" data-trust=t.name() data-suspect="false">{t.describe(w, sg.as_ref().as_ref(), lang)}</p> }
        })
    };
    let sg = signed.clone();
    // "Record this key": only for a key this workspace does not know, from
    // a signer the file names.
    let tofu = move || {
        let claim = sg.as_ref().as_ref().and_then(|x| x.signer.clone())?;
        let unknown = s.ws.with(|w| seal::trust(w, sg.as_ref().as_ref()) == Trust::Unknown);
        let signed = sg.clone();
        unknown.then(|| {
            let name = claim.name.clone();
            let choice = if record_now {
                let record = move |_| {
                    if let Some(edit) = s.ws.with_untracked(|w| seal::first_use(w, signed.as_ref().as_ref(), s.sender())) {
                        s.dispatch(edit);
                    }
                };
                view! { <button class="btn small" data-testid="record-key-now" on:click=record>{move || s.tf(T::RecordKeyNow, &[&name.get(s.lang.get())])}</button> }.into_any()
            } else {
                view! {
                    <label class="check">
                        <input type="checkbox" data-testid="trust-key" prop:checked=move || trusting.get() on:change=move |ev| trusting.set(event_target_checked(&ev))/>
                        <span>{move || s.tf(T::TrustKey, &[&name.get(s.lang.get())])}</span>
                    </label>
                }
                .into_any()
            };
            view! {
                {choice}
                <p class="muted small">{move || s.t(T::TrustKeyHelp)}</p>
            }
        })
    };
    let sg = signed.clone();
    let anyway = move || {
        let confirmed = confirmed?;
        let must = s.ws.with(|w| seal::must_confirm(w, &theirs, sg.as_ref().as_ref(), trusting.get()));
        must.then(|| {
            // A signer known (or being recorded) who is not the branch's manager, or no proof at all.
            let known = trusting.get() || s.ws.with(|w| matches!(seal::trust(w, sg.as_ref().as_ref()), Trust::Known(_)));
            view! {
                <p class="muted" data-testid="signer-unproved">{move || s.t(if known { T::SignerNotManager } else { T::SignerUnproved })}</p>
                <label class="check">
                    <input type="checkbox" data-testid="confirm-anyway" prop:checked=move || confirmed.get() on:change=move |ev| confirmed.set(event_target_checked(&ev))/>
                    <span>{move || s.t(T::ConfirmAnyway)}</span>
                </label>
            }
        })
    };
    view! {
        <div class="seal-box" data-testid="seal-box">
            <h4>{move || s.t(T::SealTitle)}</h4>
            {line}
            {tofu}
            {anyway}
        </div>
    }
}

/// Records a file's key on first use, into the document about to be
/// opened or merged in, when the user said they compared it.
pub fn record_first_use(ws: &mut Workspace, signed: Option<&Signed>, by: Option<Sender>) -> Result<(), Both> {
    let Some(edit) = seal::first_use(ws, signed, by) else { return Ok(()) };
    sales_tiers_core::apply(ws, &edit, browser::now()).map(|_| ()).map_err(|e| (e.message(Lang::Zh), e.message(Lang::En)))
}
