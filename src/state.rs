//! The app's one store: the workspace in a signal, plus the UI state around
//! it. Every change to the document goes through `dispatch` (an `Edit`
//! applied by core), `undo` / `redo`, or `replace` (import, reset), and each
//! of those schedules a save.

use crate::browser;
use crate::i18n::T;
use crate::storage;
use crate::url;
use leptos::prelude::*;
use leptos_router::hooks::query_signal;
use sales_tiers_core::edit::{EditError, History};
use sales_tiers_core::engine::merge::merge;
use sales_tiers_core::store::{Quarantined, SaveError};
use sales_tiers_core::{apply, Edit, Id, Lang, Workspace};
use std::time::Duration;

/// Autosave waits this long after the last edit (well under the 1 s bound).
const SAVE_DEBOUNCE: Duration = Duration::from_millis(300);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Success,
    Error,
}

/// A message shown at the top of the page, kept in both languages so a
/// language switch re-renders it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub id: u64,
    pub kind: NoticeKind,
    pub zh: String,
    pub en: String,
    /// The page it is about (its path): shown there only.
    pub path: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveState {
    Saved,
    Pending,
    Failed,
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub ws: RwSignal<Workspace>,
    pub history: RwSignal<History>,
    pub lang: RwSignal<Lang>,
    pub notices: RwSignal<Vec<Notice>>,
    pub save_state: RwSignal<SaveState>,
    pub save_error: RwSignal<Option<SaveError>>,
    pub quarantined: RwSignal<Vec<Quarantined>>,
    /// Bumped whenever storage contents change (for the Data page's lists).
    pub storage_rev: RwSignal<u64>,
    /// What a screen reader is told about a field just edited (a refused
    /// value and why), read out by the live region under the banners.
    pub live: RwSignal<String>,
    /// "View as": the manager whose branch every page is scoped to. Kept
    /// in the URL (`as`); change it with [`AppState::set_view_as`].
    pub view_as: Memo<Option<Id>>,
    /// Planning pages edit this scenario (None = the plan itself).
    pub scenario: RwSignal<Option<Id>>,
    /// Fiscal year the pages show. Kept in the URL (`year`) once chosen;
    /// change it with [`AppState::set_year`].
    pub year: Memo<i32>,
    /// The year the URL names, when it names a valid one.
    year_in_url: Memo<Option<i32>>,
    set_as: SignalSetter<Option<String>>,
    set_year_param: SignalSetter<Option<String>>,
    save_gen: StoredValue<u64>,
    next_notice: StoredValue<u64>,
}

impl AppState {
    /// The store, with "view as" and the year read from the URL: call it
    /// inside the `<Router>`.
    pub fn new(ws: Workspace, lang: Lang) -> AppState {
        let this_year = sales_tiers_core::calendar::fiscal_year_of(browser::now().date_naive(), ws.settings.fiscal_year_start_month);
        let ws = RwSignal::new(ws);
        let (as_raw, set_as) = query_signal::<String>(url::AS);
        // Only a manager the view-as picker offers; anything else is "everyone".
        let view_as = Memo::new(move |_| {
            let id = as_raw.with(|r| r.as_deref().and_then(Id::parse))?;
            ws.with(|w| (w.people.contains_key(&id) && w.managed_unit(id).is_some()).then_some(id))
        });
        let (year_raw, set_year_param) = query_signal::<String>(url::YEAR);
        let year_in_url = Memo::new(move |_| year_raw.with(|r| r.as_deref().and_then(url::read_year)));
        AppState {
            ws,
            history: RwSignal::new(History::default()),
            lang: RwSignal::new(lang),
            notices: RwSignal::new(Vec::new()),
            save_state: RwSignal::new(SaveState::Saved),
            save_error: RwSignal::new(None),
            quarantined: RwSignal::new(Vec::new()),
            storage_rev: RwSignal::new(0),
            live: RwSignal::new(String::new()),
            view_as,
            scenario: RwSignal::new(None),
            year: Memo::new(move |_| year_in_url.get().unwrap_or(this_year)),
            year_in_url,
            set_as,
            set_year_param,
            save_gen: StoredValue::new(0),
            next_notice: StoredValue::new(0),
        }
    }

    /// Views the app as `person` (None: everyone), as a new history entry.
    pub fn set_view_as(&self, person: Option<Id>) {
        self.set_as.set(person.map(|p| p.to_string()));
    }

    /// Shows fiscal year `year`, as a new history entry.
    pub fn set_year(&self, year: i32) {
        self.set_year_param.set(Some(year.to_string()));
    }

    /// The query every page keeps when following a link: "?as=…&year=…",
    /// or "" when neither is set.
    pub fn global_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(p) = self.view_as.get() {
            parts.push(format!("{}={p}", url::AS));
        }
        if let Some(y) = self.year_in_url.get() {
            parts.push(format!("{}={y}", url::YEAR));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// Reactive translation.
    pub fn t(&self, key: T) -> &'static str {
        key.get(self.lang.get())
    }

    /// Reactive translation of a text with arguments.
    pub fn tf(&self, key: T, args: &[&dyn std::fmt::Display]) -> String {
        key.fill(self.lang.get(), args)
    }

    pub fn set_lang(&self, lang: Lang) {
        self.lang.set(lang);
        storage::set_ui_lang(lang);
        browser::set_document_lang(lang);
    }

    pub fn notify(&self, kind: NoticeKind, zh: impl Into<String>, en: impl Into<String>) {
        let id = self.next_notice.get_value() + 1;
        self.next_notice.set_value(id);
        let n = Notice { id, kind, zh: zh.into(), en: en.into(), path: browser::path() };
        self.notices.update(|v| {
            v.push(n);
            // Keep the last few; old ones are noise.
            let len = v.len();
            if len > 4 {
                v.drain(0..len - 4);
            }
        });
        // A notice is about something that just happened: it goes by itself
        // (errors stay longer). What needs action has its own banner.
        let notices = self.notices;
        let secs = if kind == NoticeKind::Error { 12 } else { 6 };
        set_timeout(move || notices.update(|v| v.retain(|x| x.id != id)), Duration::from_secs(secs));
    }

    pub fn notify_key(&self, kind: NoticeKind, key: T) {
        self.notify(kind, key.get(Lang::Zh), key.get(Lang::En));
    }

    /// A notice from a text with arguments, kept in both languages.
    pub fn notify_fill(&self, kind: NoticeKind, key: T, args: &[&dyn std::fmt::Display]) {
        self.notify(kind, key.fill(Lang::Zh, args), key.fill(Lang::En, args));
    }

    pub fn dismiss(&self, id: u64) {
        self.notices.update(|v| v.retain(|x| x.id != id));
    }

    /// Applies one edit through core. Returns false (and shows why) when refused.
    pub fn dispatch(&self, edit: Edit) -> bool {
        match self.try_dispatch(edit) {
            Ok(applied) => applied,
            Err(e) => {
                self.notify(
                    NoticeKind::Error,
                    format!("{}{}", T::EditRefused.get(Lang::Zh), e.message(Lang::Zh)),
                    format!("{} {}", T::EditRefused.get(Lang::En), e.message(Lang::En)),
                );
                false
            }
        }
    }

    /// Applies one edit through core; a refusal is returned for the caller
    /// to show where the edit was made (beside a cell), not as a banner.
    pub fn try_dispatch(&self, edit: Edit) -> Result<bool, EditError> {
        let now = browser::now();
        let mut outcome = None;
        self.ws.maybe_update(|w| {
            let r = apply(w, &edit, now);
            let changed = matches!(&r, Ok(p) if !p.is_empty());
            outcome = Some(r);
            changed
        });
        match outcome {
            Some(Ok(patch)) => {
                if !patch.is_empty() {
                    // A valid edit: a message about an earlier refused value is out of date.
                    crate::components::cell::clear_active();
                    self.history.update(|h| h.record(patch));
                    self.schedule_save();
                }
                Ok(true)
            }
            Some(Err(e)) => Err(e),
            None => Ok(false),
        }
    }

    pub fn undo(&self) {
        self.step(History::undo);
    }

    pub fn redo(&self) {
        self.step(History::redo);
    }

    /// Runs one undo or redo step against the document; saves if it did anything.
    fn step(&self, op: fn(&mut History, &mut Workspace) -> bool) {
        let mut done = false;
        let history = self.history;
        self.ws.maybe_update(|w| {
            history.update(|h| done = op(h, w));
            done
        });
        if done {
            self.schedule_save();
        }
    }

    /// Replaces the whole workspace (import, reset, restore) after backing
    /// the current one up. Refuses, changing nothing, if the backup fails.
    pub fn replace(&self, next: Workspace) -> bool {
        let current = self.ws.get_untracked();
        if let Err(e) = storage::backup_previous(&current, browser::now()) {
            self.notify(
                NoticeKind::Error,
                format!("{} {}", T::BackupFailed.get(Lang::Zh), e.message(Lang::Zh)),
                format!("{} {}", T::BackupFailed.get(Lang::En), e.message(Lang::En)),
            );
            return false;
        }
        self.ws.set(next);
        self.history.update(|h| h.clear());
        self.save_now();
        true
    }

    pub fn schedule_save(&self) {
        self.save_state.set(SaveState::Pending);
        let gen = self.save_gen.get_value() + 1;
        self.save_gen.set_value(gen);
        let this = *self;
        set_timeout(
            move || {
                if this.save_gen.get_value() == gen {
                    this.save_now();
                }
            },
            SAVE_DEBOUNCE,
        );
    }

    /// Writes now. On failure the data stays in memory and a banner offers an export.
    pub fn save_now(&self) {
        self.save_gen.update_value(|g| *g += 1);
        let result = self.ws.with_untracked(|w| storage::save(w, browser::now()));
        match result {
            Ok(_) => {
                self.save_state.set(SaveState::Saved);
                if self.save_error.get_untracked().is_some() {
                    self.save_error.set(None);
                }
            }
            Err(e) => {
                self.save_state.set(SaveState::Failed);
                self.save_error.set(Some(e));
            }
        }
        self.storage_rev.update(|r| *r += 1);
    }

    pub fn has_unsaved(&self) -> bool {
        self.save_state.get_untracked() != SaveState::Saved
    }

    /// Another tab saved. Adopt its copy, merging in our unsaved edits if any.
    pub fn on_external_change(&self) {
        let Ok(loaded) = storage::load(browser::now()) else {
            return;
        };
        let Some(theirs) = loaded.workspace else {
            return;
        };
        let ours = self.ws.get_untracked();
        if ours == theirs {
            return;
        }
        if !self.has_unsaved() || ours.meta.id != theirs.meta.id {
            self.ws.set(theirs);
            self.history.update(|h| h.clear());
            self.notify_key(NoticeKind::Info, T::SyncedFromOtherTab);
        } else {
            match merge(&ours, &theirs) {
                Ok((merged, _)) => {
                    self.ws.set(merged);
                    self.history.update(|h| h.clear());
                    self.save_now();
                    self.notify_key(NoticeKind::Info, T::MergedFromOtherTab);
                }
                Err(_) => {
                    let _ = storage::backup_previous(&ours, browser::now());
                    self.ws.set(theirs);
                    self.history.update(|h| h.clear());
                    self.save_state.set(SaveState::Saved);
                    self.notify_key(NoticeKind::Error, T::ConflictFromOtherTab);
                }
            }
        }
        self.storage_rev.update(|r| *r += 1);
    }
}

impl AppState {
    /// Units visible under "view as" (None = everything). The scope is the
    /// viewed manager's unit and everything below it.
    pub fn scope(&self) -> Option<std::collections::HashSet<Id>> {
        let unit = self.scope_root()?;
        self.ws.with(|w| Some(sales_tiers_core::engine::org::scope_units(w, unit)))
    }

    /// The unit "view as" starts from: the one the viewed manager runs (or
    /// belongs to). None = the whole organisation.
    pub fn scope_root(&self) -> Option<Id> {
        let person = self.view_as.get()?;
        self.ws.with(|w| w.managed_unit(person).map(|u| u.id).or_else(|| w.people.get(&person).map(|p| p.unit)))
    }

    /// The unit pages list from: the one "view as" starts at, or the
    /// organisation's root. None for an empty workspace.
    pub fn top_unit(&self) -> Option<Id> {
        self.scope_root().or_else(|| self.ws.with(|w| w.root().map(|r| r.id)))
    }

    /// Today's date, for tenure and grading.
    pub fn today(&self) -> chrono::NaiveDate {
        browser::now().date_naive()
    }
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}
