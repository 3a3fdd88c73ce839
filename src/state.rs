//! The app's one store: the workspace in a signal, plus the UI state around
//! it. Every change to the document goes through `dispatch` (an `Edit`
//! applied by core), `undo` / `redo`, or `replace` (import, reset), and each
//! of those is written to storage at once, before the page repaints: an
//! edit the UI shows is durable. Other tabs' edits arrive through
//! `take_in`.

use crate::browser;
use crate::components::crm::{DealEdits, DealLine};
use crate::i18n::T;
use crate::storage;
use crate::url;
use leptos::prelude::*;
use sales_tiers_core::edit::{EditError, History};
use sales_tiers_core::engine::index::Index;
use sales_tiers_core::engine::org::IdMap;
use sales_tiers_core::store::cells::CellKey;
use sales_tiers_core::store::{Quarantined, SaveError};
use sales_tiers_core::{apply, Edit, Id, Lang, Workspace};
use std::time::Duration;

/// Compaction starts once this many edits wait in the journal.
const COMPACT_AFTER: usize = 48;

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
    /// What it is about, when a newer notice on the same subject makes it
    /// wrong (where a moved deal is shown): the newer replaces it.
    pub topic: Option<&'static str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveState {
    /// Every edit is in storage.
    Saved,
    /// A write failed (a full store): edits are in memory only.
    Failed,
    /// Storage could not be opened: nothing is written until the user
    /// decides (download, start anew), so nothing unread is overwritten.
    Blocked,
}

/// A derived value shared through a memo: compared by identity (a memo of
/// the document recomputes it only when the document changed, and then it
/// is new), so no deep comparison runs on every change.
pub struct Shared<T>(pub std::sync::Arc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> Shared<T> {
    pub fn new(v: T) -> Shared<T> {
        Shared(std::sync::Arc::new(v))
    }
}

#[derive(Clone, Copy)]
pub struct AppState {
    /// The document. Read it anywhere; change it only through AppState's
    /// methods (edits, undo, merges, replace): they tell the index, the
    /// deal lines and the shared figures what changed (`wrote`,
    /// `changed_whole`), which read it untracked.
    pub ws: RwSignal<Workspace>,
    pub history: RwSignal<History>,
    pub lang: RwSignal<Lang>,
    pub notices: RwSignal<Vec<Notice>>,
    pub save_state: RwSignal<SaveState>,
    pub save_error: RwSignal<Option<SaveError>>,
    pub quarantined: RwSignal<Vec<Quarantined>>,
    /// A new build of the app has been installed while this page runs the
    /// old one (index.html's service worker glue says so): offer a reload.
    pub update_ready: RwSignal<bool>,
    /// Bumped whenever storage contents change (for the Data page's lists).
    pub storage_rev: RwSignal<u64>,
    /// What a screen reader is told about a field just edited (a refused
    /// value and why), read out by the live region under the banners.
    pub live: RwSignal<String>,
    /// "View as": the manager whose branch every page is scoped to. Kept
    /// in the URL (`as`); change it with [`AppState::set_view_as`].
    pub view_as: Memo<Option<Id>>,
    /// "Who am I": the person this browser's user is (per workspace, kept
    /// in this browser, not in the document). Edits record them as "by".
    pub me: RwSignal<Option<Id>>,
    /// "Encrypt the files I write with a passphrase" (this session).
    pub encrypt: RwSignal<bool>,
    /// A passphrase asked for (locking a file on the way out, unlocking
    /// one on the way in, a key backup): the dialog in the shell shows it.
    pub ask: RwSignal<Option<std::sync::Arc<crate::sealing::Ask>>>,
    /// The dialog of daily work that is open (log an activity, a new task).
    pub work: RwSignal<Option<crate::components::work::WorkDialog>>,
    /// Planning pages edit this scenario (None = the plan itself).
    pub scenario: RwSignal<Option<Id>>,
    /// Fiscal year the pages show. Kept in the URL (`year`) once chosen;
    /// change it with [`AppState::set_year`].
    pub year: Memo<i32>,
    /// The shown year's standings (target, forecast, on track for every
    /// person and unit): computed once per document change, when a page
    /// first reads it, and shared by the home page and the Forecast page.
    pub year_standings: Memo<std::sync::Arc<sales_tiers_core::engine::org::IdMap<sales_tiers_core::engine::track::Standing>>>,
    /// The document's index (org by position, deals and activities by
    /// day): built once per change to a section it reads (see `index_rev`)
    /// and read by every engine.
    pub index: Memo<Shared<Index>>,
    /// Bumped by every change that writes a section the index reads
    /// (`index::changed_by`): the index is rebuilt only then, not for a
    /// target, a plan or a rename of a tier.
    index_rev: RwSignal<u64>,
    /// The widest change since the index was built (see [`IndexChange`]).
    index_change: StoredValue<IndexChange>,
    /// Bumped by every change to the document except a relabel (see
    /// `Patch::labels_only`): the shared figures below are computed again
    /// only then. Every change of `ws` goes through `wrote` or
    /// `changed_whole`, which bump it.
    figures_rev: RwSignal<u64>,
    /// The undo history was cleared by changes taken in from another tab,
    /// and nothing was done here since: Ctrl+Z says why it undoes nothing.
    history_synced_away: StoredValue<bool>,
    /// Everyone's grade assessment: shared by the Grades, People and home pages.
    pub assessments: Memo<Shared<std::collections::BTreeMap<Id, sales_tiers_core::engine::grading::Assessment>>>,
    /// The shown year's payouts (the home pages' cost and pay, the Payouts
    /// page's year view).
    pub year_payouts: Memo<Shared<sales_tiers_core::engine::perf::Payouts>>,
    /// The current quarter's payouts in the shown year (with their
    /// scorecards): the period Payouts and Scorecards open on, computed once
    /// per document change and shared by both.
    pub quarter_payouts: Memo<Shared<sales_tiers_core::engine::perf::Payouts>>,
    /// Every deal in the view-as scope as the Pipeline lists it: built when
    /// the page first reads it after a change to a section the index reads
    /// (see `index_rev`), and kept between visits.
    pub deals: Memo<Shared<IdMap<DealLine>>>,
    /// What changed for `deals` since it was last built (see [`DealEdits`]).
    deal_edits: StoredValue<DealEdits>,
    /// The year the URL names, when it names a valid one.
    year_in_url: Memo<Option<i32>>,
    set_as: Callback<Option<String>>,
    set_year_param: Callback<Option<String>>,
    compacting: StoredValue<bool>,
    /// A reopen is scheduled (another tab is replacing the workspace).
    reopening: StoredValue<bool>,
    next_notice: StoredValue<u64>,
    /// Keys of chunks gone or spoiled, waiting for one write-back (see
    /// `keep_whole`); None: read every bucket.
    keys_gone: StoredValue<Option<Vec<String>>>,
    /// A write-back failed (a full store): it is tried again before the
    /// page says "Saved".
    write_back_due: StoredValue<bool>,
}

impl AppState {
    /// The store, with "view as" and the year read from the URL: call it
    /// inside the `<Router>`.
    pub fn new(ws: Workspace, lang: Lang) -> AppState {
        let this_year = sales_tiers_core::calendar::fiscal_year_of(browser::now().date_naive(), ws.settings.fiscal_year_start_month);
        let me = RwSignal::new(storage::me(&ws));
        let ws = RwSignal::new(ws);
        let (as_raw, set_as) = url::query_value(url::AS, false);
        // Only a manager the view-as picker offers; anything else is "everyone".
        let view_as = Memo::new(move |_| {
            let id = as_raw.with(|r| r.as_deref().and_then(Id::parse))?;
            ws.with(|w| (w.people.contains_key(&id) && w.managed_unit(id).is_some()).then_some(id))
        });
        let (year_raw, set_year_param) = url::query_value(url::YEAR, false);
        let year_in_url = Memo::new(move |_| year_raw.with(|r| r.as_deref().and_then(url::read_year)));
        let index_rev = RwSignal::new(0u64);
        let deal_edits = StoredValue::new(DealEdits::All);
        let deals_key = StoredValue::new(None);
        // Since the index was last built, only names changed: it is kept
        // (the same one: what reads it is not run again). Only the org
        // (units, people) changed: its deals, contacts and customers are kept.
        let index_change = StoredValue::new(IndexChange::All);
        let index = Memo::new(move |prev: Option<&Shared<Index>>| {
            index_rev.track();
            let change = index_change.get_value();
            index_change.set_value(IndexChange::Labels);
            match prev {
                Some(p) if change == IndexChange::Labels => p.clone(),
                Some(p) if change == IndexChange::Org => Shared::new(ws.with_untracked(|w| p.with_org_of(w))),
                _ => Shared::new(ws.with_untracked(Index::new)),
            }
        });
        let figures_rev = RwSignal::new(0u64);
        let figures = Figures { rev: figures_rev, index, ws };
        let today = || browser::now().date_naive();
        let lang = RwSignal::new(lang);
        AppState {
            ws,
            history: RwSignal::new(History::default()),
            lang,
            notices: RwSignal::new(Vec::new()),
            save_state: RwSignal::new(SaveState::Saved),
            save_error: RwSignal::new(None),
            quarantined: RwSignal::new(Vec::new()),
            update_ready: RwSignal::new(false),
            storage_rev: RwSignal::new(0),
            live: RwSignal::new(String::new()),
            view_as,
            me,
            encrypt: RwSignal::new(false),
            ask: RwSignal::new(None),
            work: RwSignal::new(None),
            scenario: RwSignal::new(None),
            year: Memo::new(move |_| year_in_url.get().unwrap_or(this_year)),
            year_standings: Memo::new(move |_| {
                let year = year_in_url.get().unwrap_or(this_year);
                std::sync::Arc::new(figures.of(|w, ix| sales_tiers_core::engine::home::year_standings(w, ix, year, today())))
            }),
            index,
            index_rev,
            index_change,
            figures_rev,
            history_synced_away: StoredValue::new(false),
            assessments: Memo::new(move |_| Shared::new(figures.of(|w, ix| sales_tiers_core::engine::grading::assess_all(w, ix, today())))),
            year_payouts: Memo::new(move |_| {
                let year = year_in_url.get().unwrap_or(this_year);
                let p = sales_tiers_core::calendar::Period::Year;
                Shared::new(figures.of(|w, ix| sales_tiers_core::engine::perf::payouts(w, ix, &w.incentive_plans, year, p, today())))
            }),
            quarter_payouts: Memo::new(move |_| {
                let year = year_in_url.get().unwrap_or(this_year);
                Shared::new(figures.of(|w, ix| {
                    let p = sales_tiers_core::calendar::current_quarter(today(), w.settings.fiscal_year_start_month).1;
                    sales_tiers_core::engine::perf::payouts(w, ix, &w.incentive_plans, year, p, today())
                }))
            }),
            // The lines read only sections the index reads (deals, stages,
            // customers, people, units): rebuilt when those change, as the
            // index is, not for a target or a budget edited meanwhile.
            // Owns the previous lines: after edits to deals alone (a stage
            // change, an amount) it rebuilds those lines, not all of them.
            deals: Memo::new_owning(move |prev: Option<Shared<IdMap<DealLine>>>| {
                index_rev.track();
                let (viewer, lang) = (view_as.get(), lang.get());
                let edits = deal_edits.try_update_value(std::mem::take).unwrap_or(DealEdits::All);
                // The scope's top unit is part of the key: an edit that moved
                // it (the viewer's own unit) changes whose deals are in view.
                let root = ws.with_untracked(|w| viewer.and_then(|p| scope_root_of(w, p)));
                let key = (viewer, lang, root);
                let lines = ws.with_untracked(|w| {
                    let scope = scope_of(w, viewer);
                    match (prev, edits.deals(w)) {
                        (Some(prev), Some(ids)) if deals_key.get_value() == Some(key) => {
                            let mut lines = std::sync::Arc::try_unwrap(prev.0).unwrap_or_else(|shared| (*shared).clone());
                            crate::components::crm::update_deal_lines(&mut lines, w, scope.as_ref(), lang, &ids);
                            lines
                        }
                        _ => crate::components::crm::deal_lines(w, scope.as_ref(), lang),
                    }
                });
                deals_key.set_value(Some(key));
                (Shared::new(lines), true)
            }),
            deal_edits,
            year_in_url,
            set_as,
            set_year_param,
            compacting: StoredValue::new(false),
            reopening: StoredValue::new(false),
            next_notice: StoredValue::new(0),
            keys_gone: StoredValue::new(Some(Vec::new())),
            write_back_due: StoredValue::new(false),
        }
    }

    /// The person this browser's user is, while they are in the workspace:
    /// what edits, calls and the exchange log record as "by".
    pub fn who(&self) -> Option<Id> {
        let me = self.me.get_untracked()?;
        self.ws.with_untracked(|w| w.people.contains_key(&me).then_some(me))
    }

    /// Says who this browser's user is (kept in this browser only).
    pub fn set_me(&self, person: Option<Id>) {
        let ws = self.ws.with_untracked(|w| w.meta.id);
        storage::set_me(ws, person);
        self.me.set(person);
    }

    /// "Who am I" as a file or the log names them.
    pub fn sender(&self) -> Option<sales_tiers_core::model::Sender> {
        let me = self.who()?;
        self.ws.with_untracked(|w| w.people.get(&me).map(|p| sales_tiers_core::model::Sender { id: p.id, name: p.name.clone() }))
    }

    /// Backs the current workspace up before it is replaced or merged into;
    /// false (and says why) when the backup cannot be written.
    fn back_up(&self) -> bool {
        match self.backup() {
            Ok(()) => true,
            Err((zh, en)) => {
                self.notify(NoticeKind::Error, zh, en);
                false
            }
        }
    }

    /// Keeps the current workspace as the previous one; says why not.
    fn backup(&self) -> Result<(), crate::sealing::Both> {
        self.ws.with_untracked(|w| storage::backup_previous(w, browser::now())).map_err(|e| match e {
            // Says itself that it is the backup, with the sizes.
            SaveError::NoRoomForBackup { .. } => (e.message(Lang::Zh), e.message(Lang::En)),
            e => (
                format!("{}{}", T::BackupFailed.get(Lang::Zh), e.message(Lang::Zh)),
                format!("{} {}", T::BackupFailed.get(Lang::En), e.message(Lang::En)),
            ),
        })
    }

    /// Merges a reviewed document in: backs the current one up first, then
    /// puts in only what differs, as one undo step, written at once.
    pub fn merge_in(&self, next: Workspace) -> bool {
        if self.refuse_if_blocked() {
            return false;
        }
        if !self.back_up() {
            return false;
        }
        let mut patch = None;
        self.ws.update(|w| {
            let p = sales_tiers_core::edit::replace(w, next);
            let cells = p.cells(w);
            self.persist(w, &cells);
            self.wrote(&cells, p.labels_only(w));
            patch = Some(p);
        });
        if let Some(p) = patch {
            self.history_synced_away.set_value(false);
            self.history.update(|h| h.record(p));
        }
        self.storage_rev.update(|r| *r += 1);
        true
    }

    /// Records a file sent in the exchange log (not an undo step).
    pub fn log_exchange(&self, entry: sales_tiers_core::model::ExchangeEntry) {
        // A page whose store did not open writes nothing (see `try_dispatch`).
        if self.blocked() {
            return;
        }
        self.ws.update(|w| {
            let p = sales_tiers_core::edit::log_exchange(w, entry);
            let cells = p.cells(w);
            self.persist(w, &cells);
            self.wrote(&cells, false);
        });
    }

    /// Views the app as `person` (None: everyone), as a new history entry.
    pub fn set_view_as(&self, person: Option<Id>) {
        self.set_as.run(person.map(|p| p.to_string()));
    }

    /// Shows fiscal year `year`, as a new history entry.
    pub fn set_year(&self, year: i32) {
        self.set_year_param.run(Some(year.to_string()));
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
        // The choice is stored: what the Data page counts as stored changed.
        self.storage_rev.update(|r| *r += 1);
        browser::set_document_lang(lang);
    }

    pub fn notify(&self, kind: NoticeKind, zh: impl Into<String>, en: impl Into<String>) {
        self.notify_about(None, kind, zh, en)
    }

    /// A notice that replaces any earlier one on the same `topic`.
    pub fn notify_about(&self, topic: Option<&'static str>, kind: NoticeKind, zh: impl Into<String>, en: impl Into<String>) {
        let id = self.next_notice.get_value() + 1;
        self.next_notice.set_value(id);
        let n = Notice { id, kind, zh: zh.into(), en: en.into(), path: browser::path(), topic };
        self.notices.update(|v| {
            // The same words again, or news on the same subject, replace the
            // notice showing them.
            v.retain(|x| (x.kind, &x.en) != (n.kind, &n.en) && (topic.is_none() || x.topic != topic));
            v.push(n);
            // Keep the last few; old ones are noise.
            let len = v.len();
            if len > 4 {
                v.drain(0..len - 4);
            }
        });
        // A notice is about something that just happened: it goes by itself
        // (errors stay longer). What needs action has its own banner.
        let secs = if kind == NoticeKind::Error { 12 } else { 6 };
        expire_notice(self.notices, id, Duration::from_secs(secs));
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

    /// The stored data did not open: this page writes nothing, and what it
    /// shows is a placeholder.
    pub fn blocked(&self) -> bool {
        self.save_state.get_untracked() == SaveState::Blocked
    }

    /// With the store blocked nothing is written, so nothing is taken:
    /// an edit would be lost on reload. True (and says so) then.
    pub fn refuse_if_blocked(&self) -> bool {
        self.say_if_blocked(T::BlockedNoEdits)
    }

    /// With the store blocked the page shows a placeholder, not the stored
    /// data: no file is made of it. True (and says so) then.
    pub fn refuse_export_if_blocked(&self) -> bool {
        self.say_if_blocked(T::BlockedNoExport)
    }

    fn say_if_blocked(&self, why: T) -> bool {
        let blocked = self.blocked();
        if blocked {
            self.notify_key(NoticeKind::Error, why);
        }
        blocked
    }

    /// Applies one edit through core and writes what it changed. Returns
    /// false (and shows why) when refused.
    pub fn dispatch(&self, edit: Edit) -> bool {
        self.said(self.try_dispatch(edit))
    }

    /// Applies an edit that is not a step of undo: this browser's own
    /// signing key recorded in the workspace (undone, the workspace would
    /// forget the key the browser still signs with), as the exchange log
    /// is kept. Refusals are shown as [`AppState::dispatch`] shows them.
    pub fn dispatch_lasting(&self, edit: Edit) -> bool {
        self.said(self.apply_edit(edit, false))
    }

    /// Shows a refused edit (replacing the last refusal); an edit that
    /// goes through takes the refusal away.
    fn said(&self, outcome: Result<bool, EditError>) -> bool {
        const REFUSED: Option<&str> = Some("edit-refused");
        match outcome {
            Ok(applied) => {
                if self.notices.with_untracked(|v| v.iter().any(|x| x.topic == REFUSED)) {
                    self.notices.update(|v| v.retain(|x| x.topic != REFUSED));
                }
                applied
            }
            Err(e) => {
                self.notify_about(
                    REFUSED,
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
        self.apply_edit(edit, true)
    }

    /// Applies one edit through core and writes what it changed; an
    /// `undoable` one becomes a step of the history.
    fn apply_edit(&self, edit: Edit, undoable: bool) -> Result<bool, EditError> {
        if self.refuse_if_blocked() {
            return Ok(false);
        }
        let now = browser::now();
        let mut outcome = None;
        self.ws.maybe_update(|w| {
            let r = browser::timed("edit", || apply(w, &edit, now));
            let changed = matches!(&r, Ok(p) if !p.is_empty());
            if let Ok(p) = &r {
                // Written before the page repaints: what the UI shows is stored.
                let cells = p.cells(w);
                browser::timed("save", || self.persist(w, &cells));
                // An edit that changed nothing changes no figure either.
                if changed {
                    self.wrote(&cells, p.labels_only(w));
                }
            }
            outcome = Some(r);
            changed
        });
        match outcome {
            Some(Ok(patch)) => {
                if !patch.is_empty() {
                    // A valid edit: a message about an earlier refused value is out of date.
                    crate::components::cell::clear_active();
                    if undoable {
                        self.history_synced_away.set_value(false);
                        self.history.update(|h| h.record(patch));
                    }
                }
                Ok(true)
            }
            Some(Err(e)) => Err(e),
            None => Ok(false),
        }
    }

    pub fn undo(&self) {
        self.step(true);
    }

    pub fn redo(&self) {
        self.step(false);
    }

    /// Runs one undo or redo step against the document and writes what it
    /// changed.
    fn step(&self, undo: bool) {
        let history = self.history;
        self.ws.maybe_update(|w| {
            let mut cells = None;
            history.update(|h| {
                let done = if undo { h.undo(w) } else { h.redo(w) };
                if done {
                    // The step's patch is the newest on the other stack; it names what changed.
                    let patch = if undo { h.last_undone() } else { h.last_done() };
                    cells = patch.map(|p| (p.cells(w), p.labels_only(w)));
                }
            });
            match cells {
                Some((c, relabel)) => {
                    self.persist(w, &c);
                    self.wrote(&c, relabel);
                    true
                }
                None => false,
            }
        });
        if undo && !history.with_untracked(|h| h.can_undo()) && self.history_synced_away.get_value() {
            // Once: the history stays empty until the next edit.
            self.history_synced_away.set_value(false);
            self.notify_key(NoticeKind::Info, T::UndoClearedBySync);
        }
    }

    /// Replaces the whole workspace (import, reset, restore) after backing
    /// the current one up. Refuses, changing nothing, if the backup fails
    /// or the new workspace does not fit in the browser's storage (it is
    /// written, complete, before it is shown: never half-loaded).
    pub fn replace(&self, next: Workspace) -> Result<(), crate::sealing::Both> {
        let blocked = self.blocked();
        // Over a store that did not open, what is in memory is a placeholder:
        // kept as the backup, it would push out the real one. The stored
        // data goes to quarantine instead (below).
        // The backup there was before is put back if the replace is refused:
        // a refused open changes nothing, the backup included.
        let earlier = if blocked { None } else { storage::stored_backup() };
        let put_back = || {
            if let Some(b) = &earlier {
                storage::put_back_backup(b);
            }
        };
        if !blocked {
            if let Err(e) = self.backup() {
                put_back();
                return Err(e);
            }
        }
        // A new epoch: complete before it replaces the stored document, and
        // before it is shown. A write that fails (it does not fit, or reads
        // back wrong) leaves the stored document as it was: so is the page.
        // Over a store that did not open, what is there goes to quarantine first.
        let result = storage::write_all(&next, blocked);
        if let Err(e) = result {
            put_back();
            self.storage_rev.update(|r| *r += 1);
            return Err(match e {
                SaveError::DoesNotFit { .. } => (e.message(Lang::Zh), e.message(Lang::En)),
                e => (
                    format!("{}{}", T::NotStoredNotReplaced.get(Lang::Zh), e.message(Lang::Zh)),
                    format!("{} {}", T::NotStoredNotReplaced.get(Lang::En), e.message(Lang::En)),
                ),
            });
        }
        let me = storage::me(&next);
        self.ws.set(next);
        self.changed_whole();
        self.me.set(me);
        self.history.update(|h| h.clear());
        self.saved(result);
        Ok(())
    }

    /// Writes the whole document as the stored one (first run, the move
    /// from the previous storage layout).
    pub fn write_all(&self) {
        let result = self.ws.with_untracked(|w| storage::write_all(w, false));
        self.saved(result);
    }

    /// The document changed in `cells` (`relabel`: only names and such of
    /// people and units, see `Patch::labels_only`): the index is rebuilt if
    /// it reads any, the shared figures unless it was a relabel.
    fn wrote(&self, cells: &[CellKey], relabel: bool) {
        use sales_tiers_core::engine::index::{changed_by, org_only};
        if changed_by(cells) {
            self.deal_edits.update_value(|d| d.note(cells, relabel));
            let change = if relabel {
                IndexChange::Labels
            } else if org_only(cells) {
                IndexChange::Org
            } else {
                IndexChange::All
            };
            self.index_change.update_value(|c| *c = (*c).max(change));
            self.index_rev.update(|r| *r += 1);
        }
        if !relabel {
            self.figures_rev.update(|r| *r += 1);
        }
    }

    /// The whole document was replaced: everything derived from it is
    /// built again.
    fn changed_whole(&self) {
        self.deal_edits.set_value(DealEdits::All);
        self.index_change.set_value(IndexChange::All);
        self.index_rev.update(|r| *r += 1);
        self.figures_rev.update(|r| *r += 1);
    }

    /// Writes the cells an edit changed (and any left from a failed write).
    fn persist(&self, w: &Workspace, cells: &[CellKey]) {
        if self.blocked() {
            return;
        }
        // A write-back that failed first: until it is down, nothing is "Saved".
        if self.write_back_due.get_value() && !self.write_back(w, None) {
            storage::commit(w, cells).ok();
            return;
        }
        let result = storage::commit(w, cells);
        self.saved(result);
        if storage::journal_len() >= COMPACT_AFTER {
            self.compact_soon();
        }
    }

    fn saved(&self, result: Result<usize, SaveError>) {
        match result {
            Ok(_) => {
                if self.save_state.get_untracked() != SaveState::Saved {
                    self.save_state.set(SaveState::Saved);
                }
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

    /// Tries again to write what is only in memory (after space was freed).
    pub fn retry_save(&self) {
        self.ws.with_untracked(|w| self.persist(w, &[]));
    }

    pub fn has_unsaved(&self) -> bool {
        self.save_state.get_untracked() != SaveState::Saved || storage::has_pending() || self.write_back_due.get_value()
    }

    /// Folds the journal into the document's buckets in small steps, one
    /// per idle moment, under a Web Lock so only one tab does it.
    pub fn compact_soon(&self) {
        if self.compacting.get_value() {
            return;
        }
        self.compacting.set_value(true);
        let this = *self;
        storage::with_lock_if_free("sales-tiers:compact", move |done| {
            fn step(this: AppState, done: Box<dyn FnOnce()>) {
                browser::when_idle(move || match storage::compact_step() {
                    Ok(true) => step(this, done),
                    Ok(false) | Err(_) => {
                        this.compacting.set_value(false);
                        this.storage_rev.update(|r| *r += 1);
                        done();
                    }
                });
            }
            step(this, done);
        });
        // Another tab holds the lock: it compacts; try again after a while.
        let this = *self;
        set_timeout(move || this.compacting.set_value(false), Duration::from_secs(30));
    }

    /// Another tab wrote or removed a chunk (`key`, from the `storage`
    /// event; None: the store was cleared): take its cells in. A conflict —
    /// one of this tab's changes lost to a change made at the same time
    /// elsewhere — is said; a workspace replaced in the other tab is
    /// reopened. A chunk gone or spoiled is written again from this tab's
    /// copy where the store no longer holds it. A page whose store did not
    /// open tries again: another tab may have written back what was missing.
    pub fn on_external_change(&self, key: Option<&str>, removed: bool) {
        if self.blocked() {
            // Only a bucket written can make the store whole again (an
            // edit's journal entry, or a removal, cannot): an open is not
            // tried for every edit another tab makes.
            if !removed && key.is_some_and(|k| !sales_tiers_core::store::log::is_journal_key(k)) {
                self.reopen_soon();
            }
            return;
        }
        let Some(key) = key.filter(|_| !removed) else {
            self.keep_whole(key);
            return;
        };
        // A cell being typed into keeps its text through the redraw.
        let keep = crate::components::cell::keep_typed();
        let mut taken = None;
        self.ws.maybe_update(|w| {
            let r = storage::take_in(w, key);
            let changed = matches!(&r, Ok(t) if !t.changed.is_empty());
            if let (Ok(t), true) = (&r, changed) {
                self.wrote(&t.changed, false);
            }
            taken = Some(r);
            changed
        });
        match taken {
            Some(Ok(t)) if t.replaced => self.reopen_soon(),
            Some(Ok(t)) if t.unread => self.keep_whole(Some(key)),
            Some(Ok(t)) if !t.changed.is_empty() => {
                // Undo would put back states another tab has since replaced.
                self.history.update(|h| h.clear());
                self.history_synced_away.set_value(true);
                if t.conflicts.is_empty() {
                    self.notify_key(NoticeKind::Info, T::SyncedFromOtherTab);
                } else {
                    // The records named in each language (the notice stays
                    // up while the language may be switched).
                    let names = |lang: Lang| {
                        self.ws.with_untracked(|w| {
                            let ids = t.conflicts.iter().filter_map(|c| c.id);
                            let names = sales_tiers_core::engine::validate::Names::lookup(w, ids.clone());
                            ids.map(|id| names.name(id, lang)).collect::<Vec<_>>().join(T::ListComma.get(lang))
                        })
                    };
                    self.notify(
                        NoticeKind::Error,
                        T::ConflictFromOtherTab.fill(Lang::Zh, &[&names(Lang::Zh)]),
                        T::ConflictFromOtherTab.fill(Lang::En, &[&names(Lang::En)]),
                    );
                }
                self.storage_rev.update(|r| *r += 1);
            }
            _ => {}
        }
        keep();
    }

    /// Writes back from memory what the store lost of this document (see
    /// `Session::keep_whole`). The keys of a burst of events (another
    /// tab's compaction removes dozens) are read once, a moment later; tabs
    /// take turns (a Web Lock), each reading the store as the one before
    /// left it: the first writes back, the others find it whole. Versions
    /// written by two tabs at once are folded by a compaction.
    fn keep_whole(&self, key: Option<&str>) {
        let first = self.keys_gone.with_value(|k| k.as_ref().is_some_and(Vec::is_empty));
        self.keys_gone.update_value(|k| match (k.as_mut(), key) {
            (Some(keys), Some(key)) => keys.push(key.to_string()),
            // The store cleared: everything is read.
            (_, None) | (None, _) => *k = None,
        });
        if !first {
            return;
        }
        let this = *self;
        set_timeout(
            move || {
                storage::with_lock("sales-tiers:keep-whole", move |done| {
                    let keys = this.keys_gone.try_update_value(|k| k.replace(Vec::new())).flatten();
                    this.ws.with_untracked(|w| this.write_back(w, keys.as_deref()));
                    done();
                })
            },
            Duration::from_millis(200),
        );
    }

    /// The write-back itself (`keys` None: every bucket). One that fails
    /// says so, as an edit's would, and is tried again with the next edit
    /// or Retry: until it is down, the page is not "Saved".
    fn write_back(&self, w: &Workspace, keys: Option<&[String]>) -> bool {
        let keys = if self.write_back_due.get_value() { None } else { keys };
        match storage::keep_whole(w, keys) {
            Ok(k) => {
                self.write_back_due.set_value(false);
                if k.replaced {
                    self.reopen_soon();
                }
                if k.wrote() {
                    self.notify_key(NoticeKind::Info, T::StoreWrittenBack);
                    // Edits still waiting for room keep the page unsaved.
                    if !storage::has_pending() {
                        self.saved(Ok(0));
                    }
                    self.compact_soon();
                }
                true
            }
            Err(e) => {
                self.write_back_due.set_value(true);
                self.saved(Err(e));
                false
            }
        }
    }

    /// Opens the store again once the other tab's new workspace has had a
    /// moment to land: its 64 buckets arrive as as many storage events, and
    /// a reopen while some are missing opens the old workspace (the next
    /// bucket schedules another). One reopen for a burst, not one per bucket.
    fn reopen_soon(&self) {
        if self.reopening.get_value() {
            return;
        }
        self.reopening.set_value(true);
        let this = *self;
        set_timeout(
            move || {
                this.reopening.set_value(false);
                this.reopen();
            },
            std::time::Duration::from_millis(150),
        );
    }

    /// Opens the store again (another tab replaced the workspace).
    pub fn reopen(&self) {
        if let Ok(opened) = storage::open(browser::now()) {
            if let Some(ws) = opened.workspace {
                if self.blocked() {
                    // What did not open does now (another tab wrote it back).
                    self.me.set(storage::me(&ws));
                    self.save_state.set(SaveState::Saved);
                    self.notify_key(NoticeKind::Info, T::StoreOpensAgain);
                }
                // Said as what it is: the whole workspace, not some changes.
                let name = |lang| sales_tiers_core::demo::workspace_title(&ws.settings.workspace_name, lang);
                let (zh, en) =
                    (T::ReplacedInOtherTab.fill(Lang::Zh, &[&name(Lang::Zh)]), T::ReplacedInOtherTab.fill(Lang::En, &[&name(Lang::En)]));
                self.ws.set(ws);
                self.changed_whole();
                self.history.update(|h| h.clear());
                self.history_synced_away.set_value(true);
                self.notify(NoticeKind::Info, zh, en);
            }
            self.storage_rev.update(|r| *r += 1);
        }
    }
}

impl AppState {
    /// Units visible under "view as" (None = everything). The scope is the
    /// viewed manager's unit and everything below it.
    pub fn scope(&self) -> Option<std::collections::HashSet<Id>> {
        let person = self.view_as.get();
        self.ws.with(|w| scope_of(w, person))
    }

    /// The unit "view as" starts from: the one the viewed manager runs (or
    /// belongs to). None = the whole organisation.
    pub fn scope_root(&self) -> Option<Id> {
        let person = self.view_as.get()?;
        self.ws.with(|w| scope_root_of(w, person))
    }

    /// The unit pages list from: the one "view as" starts at, or the
    /// organisation's root. None for an empty workspace.
    pub fn top_unit(&self) -> Option<Id> {
        self.scope_root().or_else(|| self.ws.with(|w| w.root().map(|r| r.id)))
    }

    /// Today's date, for tenure and grading.
    /// Reads the document with its index (both tracked).
    pub fn with_index<R>(&self, f: impl FnOnce(&Workspace, &Index) -> R) -> R {
        self.index.with(|ix| self.ws.with(|w| f(w, ix)))
    }

    pub fn today(&self) -> chrono::NaiveDate {
        browser::now().date_naive()
    }

    /// The payouts of `period` in the shown year (with their scorecards)
    /// when they are computed once per document change and shared: the
    /// year's and the current quarter's. None for another period.
    pub fn shared_payouts(&self, period: sales_tiers_core::calendar::Period) -> Option<Shared<sales_tiers_core::engine::perf::Payouts>> {
        let quarter =
            || sales_tiers_core::calendar::current_quarter(self.today(), self.ws.with_untracked(|w| w.settings.fiscal_year_start_month)).1;
        let memo = if period == sales_tiers_core::calendar::Period::Year {
            self.year_payouts
        } else if period == quarter() {
            self.quarter_payouts
        } else {
            return None;
        };
        // A memo computed on another day may hold another quarter: then not shared.
        let pay = memo.get();
        ((pay.year, pay.period) == (self.year.get(), period)).then_some(pay)
    }

    /// The payouts of `period` in the shown year: the shared ones when
    /// there are (see [`AppState::shared_payouts`]), else worked out now.
    pub fn payouts_of(&self, period: sales_tiers_core::calendar::Period) -> Shared<sales_tiers_core::engine::perf::Payouts> {
        self.shared_payouts(period).unwrap_or_else(|| {
            let (year, today) = (self.year.get(), self.today());
            Shared::new(self.with_index(|w, ix| sales_tiers_core::engine::perf::payouts(w, ix, &w.incentive_plans, year, period, today)))
        })
    }
}

/// Takes notice `id` away after `after`, unless it is being read then (the
/// keyboard focus on its × or the pointer over it): then 2 s after that.
fn expire_notice(notices: RwSignal<Vec<Notice>>, id: u64, after: Duration) {
    set_timeout(
        move || {
            if browser::page_hidden() {
                // Nobody has read it in a tab out of sight (news from another
                // tab comes while the reader is there): its time starts again.
                expire_notice(notices, id, after);
            } else if browser::is_held(&format!("[data-notice=\"{id}\"]")) {
                expire_notice(notices, id, Duration::from_secs(2));
            } else {
                notices.try_update(|v| v.retain(|x| x.id != id));
            }
        },
        after,
    );
}

/// See [`AppState::scope_root`].
fn scope_root_of(w: &Workspace, person: Id) -> Option<Id> {
    w.managed_unit(person).map(|u| u.id).or_else(|| w.people.get(&person).map(|p| p.unit))
}

/// See [`AppState::scope`]: the units seen when viewing as `person`.
fn scope_of(w: &Workspace, person: Option<Id>) -> Option<std::collections::HashSet<Id>> {
    scope_root_of(w, person?).map(|unit| sales_tiers_core::engine::org::scope_units(w, unit))
}

/// How much of the document changed since the index was last built, least
/// first: only names (the index is kept), the org (its deals are kept),
/// anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum IndexChange {
    Labels,
    Org,
    All,
}

/// The document and index as the shared figures read them: the document
/// untracked, `rev` tracked (bumped by every change but a relabel).
#[derive(Clone, Copy)]
struct Figures {
    rev: RwSignal<u64>,
    index: Memo<Shared<Index>>,
    ws: RwSignal<Workspace>,
}

impl Figures {
    fn of<R>(self, f: impl FnOnce(&Workspace, &Index) -> R) -> R {
        self.rev.track();
        self.index.with(|ix| self.ws.with_untracked(|w| f(w, ix)))
    }
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}
