//! Shell: start-up (load, quarantine, first-run demo), context, router,
//! header, sidebar, banners, keyboard shortcuts and cross-tab sync.

use crate::browser;
use crate::components::banners::{Banners, Notices};
use crate::components::filters::id_select;
use crate::components::paged::paged;
use crate::i18n::{lang_short, T};
use crate::pages::{
    budget::BudgetPage, capacity::CapacityPage, chart::ChartPage, customers::CustomersPage, data::DataPage, forecast::ForecastPage,
    grades::GradesPage, overview::OverviewPage, payouts::PayoutsPage, people::PeoplePage, pipeline::PipelinePage, scenarios::ScenariosPage,
    scorecards::ScorecardsPage, targets::TargetsPage, tiers::TiersPage,
};
use crate::state::{use_app, AppState, SaveState};
use crate::storage;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;
use sales_tiers_core::demo::{generate, starter, workspace_title, DemoOptions};
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{Id, Lang};
use wasm_bindgen::JsCast;

/// Opens the stored workspace, or the demo on a first run. A store that
/// cannot be read, or holds data none of which opens, is *not* a first
/// run: the app starts from an empty workspace in memory and writes
/// nothing until the user has downloaded what is stored and chosen to
/// start anew (the banner says so).
fn start() -> AppState {
    let lang = storage::ui_lang().unwrap_or_else(browser::browser_lang);
    browser::set_document_lang(lang);
    let now = browser::now();
    enum Start {
        Open,
        Migrate,
        FirstRun,
        Blocked,
    }
    // The document moves into the state, never cloned (a clone of a
    // 1,000-person workspace is tens of milliseconds of every start).
    let (start, stored, quarantined) = match browser::timed("open-store", || storage::open(now)) {
        Ok(o) => {
            let s = match o.workspace {
                Some(_) if o.migrated => Start::Migrate,
                Some(_) => Start::Open,
                None if o.unreadable => Start::Blocked,
                None => Start::FirstRun,
            };
            (s, o.workspace, o.quarantined)
        }
        Err(_) => (Start::Blocked, None, Vec::new()),
    };
    let ws = match (stored, &start) {
        (Some(ws), _) => ws,
        (None, Start::FirstRun) => generate(&DemoOptions { lang, ..DemoOptions::new(now) }),
        (None, _) => starter(browser::new_id(), lang, now, browser::new_id),
    };
    let state = AppState::new(ws, lang);
    state.quarantined.set(quarantined);
    match start {
        Start::FirstRun | Start::Migrate => state.write_all(),
        Start::Blocked => state.save_state.set(SaveState::Blocked),
        Start::Open => {
            // Edits left in the journal by earlier visits (or a bucket
            // written back by two tabs at once): fold them in soon.
            if storage::compaction_due() {
                state.compact_soon();
            }
        }
    }
    state
}

fn install_global_listeners(state: AppState) {
    // Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y, except while typing in a field
    // (where the browser's own text undo applies; a dropdown has none, so
    // there they undo the last edit, as anywhere else).
    let kd = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA"))
            .unwrap_or(false);
        // Alt+L: log an activity, from anywhere.
        if ev.alt_key() && !ev.ctrl_key() && ev.code() == "KeyL" {
            ev.prevent_default();
            state.work.set(Some(crate::components::work::WorkDialog::Log { customer: None, deal: None }));
            return;
        }
        if typing || !(ev.ctrl_key() || ev.meta_key()) {
            return;
        }
        match ev.key().to_lowercase().as_str() {
            "z" if ev.shift_key() => {
                ev.prevent_default();
                state.redo();
            }
            "z" => {
                ev.prevent_default();
                state.undo();
            }
            "y" => {
                ev.prevent_default();
                state.redo();
            }
            _ => {}
        }
    });
    // Another tab wrote a chunk (an edit, or a compacted bucket): take it
    // in. One removed or spoiled (or the whole store cleared, no key): the
    // store must still hold what this tab holds.
    let st = window_event_listener_untyped("storage", move |ev| {
        let Some(se) = ev.dyn_ref::<web_sys::StorageEvent>() else { return };
        match se.key() {
            Some(key) if sales_tiers_core::store::log::is_chunk_key(&key) => state.on_external_change(Some(&key), se.new_value().is_none()),
            Some(_) => {}
            None => state.on_external_change(None, true),
        }
    });
    // Every edit is written when it is made; only a failed write (a full
    // store) leaves something in memory alone: then leaving asks first.
    let bu = window_event_listener_untyped("beforeunload", move |ev| {
        if state.has_unsaved() {
            ev.prevent_default();
            if let Some(e) = ev.dyn_ref::<web_sys::BeforeUnloadEvent>() {
                e.set_return_value("unsaved");
            }
        }
    });
    // A new build took over (index.html): offer a reload. The flag covers
    // a takeover before this listener existed.
    let up = window_event_listener_untyped("sales-tiers-update", move |_| state.update_ready.set(true));
    if js_sys::Reflect::get(&window(), &wasm_bindgen::JsValue::from_str("salesTiersUpdate")).is_ok_and(|v| v.is_truthy()) {
        state.update_ready.set(true);
    }
    // A narrower window may wrap the top bar: what Tab scrolls to stays clear of it.
    let rs = window_event_listener_untyped("resize", |_| browser::keep_clear_of_top_stack());
    // The app lives as long as the page; keep the listeners.
    std::mem::forget((kd, st, bu, up, rs));
    keep_screen_for_next_start(state);
}

/// How long the screen must stay unchanged before a copy is kept.
const SETTLED: std::time::Duration = std::time::Duration::from_millis(1500);

/// Keeps a copy of the screen for the next start, which shows it while the
/// app loads (index.html): a moment after the last change of the document,
/// its storage, the address or the language, in an idle moment, or when
/// the tab is hidden before that moment came. Never while an edit is only
/// in memory (a full store), nor while a setting stored by another tab is
/// not yet followed here: the next start would show what it does not.
fn keep_screen_for_next_start(state: AppState) {
    let location = use_location();
    // Changes are numbered; the copy kept is of the screen after change
    // `kept` (None: none yet). The wait for the screen to settle after the
    // last change, while it lasts.
    let change = StoredValue::new(0u32);
    let kept: StoredValue<Option<u32>> = StoredValue::new(None);
    let waiting: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    // Keeps the screen as it is after change `n`, unless it cannot be kept
    // now (then hiding the tab tries again).
    let keep = move |n: u32| {
        // Another tab may have changed a setting that this tab still shows
        // the old way (the language, "I am"): a start would not show this.
        let agree = state.ws.with_untracked(|w| {
            storage::ui_lang().is_none_or(|l| l == state.lang.get_untracked()) && storage::me(w) == state.me.get_untracked()
        });
        if agree && !state.has_unsaved() {
            kept.set_value(Some(n));
            browser::keep_screen();
        }
    };
    Effect::new(move |_| {
        state.ws.track();
        state.storage_rev.track();
        state.lang.track();
        location.pathname.track();
        location.search.track();
        let n = change.get_value().wrapping_add(1);
        change.set_value(n);
        if let Some(h) = waiting.get_value() {
            h.clear();
        }
        // Kept once the screen has not changed for SETTLED, in an idle
        // moment, unless the tab was hidden first (below) or it changed again.
        let settled = move || {
            browser::when_idle(move || {
                if change.get_value() == n && kept.get_value() != Some(n) {
                    keep(n);
                }
            })
        };
        waiting.set_value(set_timeout_with_handle(settled, SETTLED).ok());
    });
    // Hiding the tab (also the first step of a reload or of closing it)
    // keeps the screen only if it changed since the last copy: a capture
    // is 5-25 ms of the main thread, which a reload waits for.
    let vis = window_event_listener_untyped("visibilitychange", move |_| {
        let n = change.get_value();
        if browser::page_hidden() && kept.get_value() != Some(n) {
            keep(n);
        }
    });
    std::mem::forget(vis);
}

#[component]
pub fn App() -> impl IntoView {
    // Before the router's own listeners: a page left is paused first.
    crate::components::paged::install();
    view! {
        <Router>
            <Shell/>
        </Router>
    }
}

/// Everything inside the router: the store reads "view as" and the year
/// from the URL.
#[component]
fn Shell() -> impl IntoView {
    crate::url::keep_history_in_step();
    let state = start();
    provide_context(state);
    install_global_listeners(state);
    crate::focus::install();
    crate::components::cell::install();
    view! {
        <a class="skip-link" href="#main" data-testid="skip-link" on:click=skip_to_main>{move || state.t(T::SkipToContent)}</a>
        <div class="shell">
            <Sidebar/>
            <div class="main">
                // The top bar and what just happened stay in view together.
                <div class="top-stack">
                    <Header/>
                    <Notices/>
                </div>
                // Not over a branch file opened from a demo: its actions would replace the branch.
                <Show when=move || state.ws.with(|w| w.meta.demo && w.branch.is_none())>
                    <DemoBar/>
                </Show>
                <ScopeBar/>
                <Banners/>
                <crate::pages::exchange::BranchBanner/>
                <crate::sealing::PassphraseDialog/>
                <main class="content" id="main">
                    <Routes fallback=|| view! { <NotFoundPage/> }>
                        <Route path=path!("/") view=|| paged(OverviewPage)/>
                        <Route path=path!("/chart") view=|| paged(ChartPage)/>
                        <Route path=path!("/people") view=|| paged(PeoplePage)/>
                        <Route path=path!("/tiers") view=|| paged(TiersPage)/>
                        <Route path=path!("/grades") view=|| paged(GradesPage)/>
                        <Route path=path!("/targets") view=|| paged(TargetsPage)/>
                        <Route path=path!("/budget") view=|| paged(BudgetPage)/>
                        <Route path=path!("/capacity") view=|| paged(CapacityPage)/>
                        <Route path=path!("/scenarios") view=|| paged(ScenariosPage)/>
                        <Route path=path!("/customers") view=|| paged(CustomersPage)/>
                        <Route path=path!("/pipeline") view=|| paged(PipelinePage)/>
                        <Route path=path!("/forecast") view=|| paged(ForecastPage)/>
                        <Route path=path!("/scorecards") view=|| paged(ScorecardsPage)/>
                        <Route path=path!("/payouts") view=|| paged(PayoutsPage)/>
                        <Route path=path!("/work") view=|| paged(crate::pages::work::WorkPage)/>
                        <Route path=path!("/data") view=|| paged(DataPage)/>
                    </Routes>
                </main>
                // After the pages: opened from a deal's dialog, it sits above it.
                <crate::components::work::WorkDialogs/>
            </div>
        </div>
    }
}

/// The skip link: focus (and scroll) to the page's content, past the
/// sidebar and the top bar; the router is not asked to navigate.
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    crate::focus::focus_main();
}

/// An address no page answers: says so, with the path and a way home.
#[component]
fn NotFoundPage() -> impl IntoView {
    let s = use_app();
    let path = use_location().pathname;
    view! {
        <section class="page" data-testid="not-found">
            <h2 class="page-title">{move || s.t(T::NotFoundTitle)}</h2>
            <div class="card">
                <p data-testid="not-found-path">{move || s.tf(T::NotFoundBody, &[&path.get()])}</p>
                <p><a class="btn primary" data-testid="home-link" href=move || format!("/{}", s.global_query())>{move || s.t(T::BackHome)}</a></p>
            </div>
        </section>
    }
}

/// The areas of the app: path, icon, label.
const NAV: [(&str, &str, T); 16] = [
    ("/", "◫", T::NavOverview),
    ("/chart", "⊤", T::NavChart),
    ("/people", "☰", T::NavPeople),
    ("/tiers", "≡", T::NavTiers),
    ("/grades", "★", T::NavGrades),
    ("/targets", "◎", T::NavTargets),
    ("/budget", "¥", T::NavBudget),
    ("/capacity", "↗", T::NavCapacity),
    ("/scenarios", "⎇", T::NavScenarios),
    ("/customers", "◉", T::NavCustomers),
    ("/work", "✓", T::NavWork),
    ("/pipeline", "▤", T::NavPipeline),
    ("/forecast", "∑", T::NavForecast),
    ("/scorecards", "◈", T::NavScorecards),
    ("/payouts", "¤", T::NavPayouts),
    ("/data", "⇅", T::NavData),
];

#[component]
fn Sidebar() -> impl IntoView {
    let s = use_app();
    let here = use_location().pathname;
    view! {
        <nav class="sidebar" aria-label=move || s.t(T::MainNav)>
            <div class="brand">
                <span class="brand-mark" aria-hidden="true">"ST"</span>
                <div>
                    <div class="brand-name">{move || s.t(T::AppName)}</div>
                    <div class="brand-tag">{move || s.t(T::AppTagline)}</div>
                </div>
            </div>
            {NAV.iter().map(|(path, icon, key)| {
                let path = *path;
                view! {
                    // Links keep "view as" and the year; the page's own state starts fresh.
                    <a href=move || format!("{path}{}", s.global_query()) aria-current=move || (here.get() == path).then_some("page")>
                        <span class="nav-icon" aria-hidden="true">{*icon}</span>
                        <span>{move || s.t(*key)}</span>
                    </a>
                }
            }).collect_view()}
        </nav>
    }
}

#[component]
fn Header() -> impl IntoView {
    let s = use_app();
    let can_undo = move || s.history.with(|h| h.can_undo());
    let can_redo = move || s.history.with(|h| h.can_redo());
    let status = move || match s.save_state.get() {
        SaveState::Saved => ("saved", s.t(T::Saved)),
        SaveState::Failed => ("failed", s.t(T::NotSaved)),
        SaveState::Blocked => ("failed", s.t(T::NotSaving)),
    };
    let title = Memo::new(move |_| s.ws.with(|w| workspace_title(&w.settings.workspace_name, s.lang.get())));
    view! {
        <header class="topbar">
            <div class="ws-title">
                <h1 data-testid="workspace-name" title=title>{title}</h1>
                <Show when=move || s.ws.with(|w| w.meta.demo)>
                    <span class="badge demo" data-testid="demo-badge">{move || s.t(T::DemoBadge)}</span>
                </Show>
            </div>
            <div class="toolbar">
                <button class="btn" data-testid="log-activity" title=move || s.t(T::LogActivityHint)
                    on:click=move |_| s.work.set(Some(crate::components::work::WorkDialog::Log { customer: None, deal: None }))>"✎ " {move || s.t(T::LogActivity)}</button>
                <ViewAs/>
                <span class=move || format!("save-state {}", status().0) data-testid="save-state">{move || status().1}</span>
                // Undo and Redo start disabled (the history is this visit's): so in the copy of the screen.
                <button class="btn ghost" data-testid="undo" data-copy="disabled" title=move || s.t(T::UndoHint)
                    disabled=move || !can_undo() on:click=move |_| { s.undo(); keep_focus_by("redo", can_undo) }>
                    "↶ " {move || s.t(T::Undo)}
                </button>
                <button class="btn ghost" data-testid="redo" data-copy="disabled" title=move || s.t(T::RedoHint)
                    disabled=move || !can_redo() on:click=move |_| { s.redo(); keep_focus_by("undo", can_redo) }>
                    "↷ " {move || s.t(T::Redo)}
                </button>
                <div class="lang-switch" role="group" aria-label=move || s.t(T::Language)>
                    <button class="btn seg" data-testid="lang-zh" aria-pressed=move || (s.lang.get() == Lang::Zh).to_string()
                        on:click=move |_| s.set_lang(Lang::Zh)>{lang_short(Lang::Zh)}</button>
                    <button class="btn seg" data-testid="lang-en" aria-pressed=move || (s.lang.get() == Lang::En).to_string()
                        on:click=move |_| s.set_lang(Lang::En)>{lang_short(Lang::En)}</button>
                </div>
            </div>
        </header>
    }
}

/// "View as": pick a manager; every page shows only their branch.
#[component]
fn ViewAs() -> impl IntoView {
    let s = use_app();
    // The managers, cheap to list on every document change; sorted (unit
    // names in the reader's order) only when the list itself changes.
    let listed = Memo::new(move |_| {
        let lang = s.lang.get();
        s.ws.with(|w| {
            w.units
                .values()
                .filter_map(|u| {
                    let p = w.people.get(&u.manager?)?;
                    let order = w.tiers.get(&p.tier).map(|t| t.order).unwrap_or(u32::MAX);
                    Some((order, u.name.get(lang).to_string(), p.id, format!("{} · {}", p.name.get(lang), u.name.get(lang))))
                })
                .collect::<Vec<(u32, String, Id, String)>>()
        })
    });
    let managers = Memo::new(move |_| {
        listed.with(|v| {
            let order = crate::browser::NameOrder::of(v.iter().map(|x| x.1.as_str()), s.lang.get_untracked());
            let mut ranked: Vec<_> = v.iter().map(|(tier, unit, id, label)| ((*tier, order.rank(unit), *id), label.clone())).collect();
            ranked.arrange();
            ranked.into_iter().map(|((_, _, id), label)| (id, label)).collect::<Vec<_>>()
        })
    });
    view! {
        <label class="view-as">
            <span class="muted small">{move || s.t(T::ViewAs)}</span>
            {id_select(managers.into(), s.view_as.into(), Callback::new(move |p| s.set_view_as(p)), "view-as", Some(T::Everyone), false, None)}
        </label>
    }
}

#[component]
fn ScopeBar() -> impl IntoView {
    let s = use_app();
    let label = move || {
        let lang = s.lang.get();
        let p = s.view_as.get()?;
        s.ws.with(|w| {
            let person = w.people.get(&p)?;
            let unit = w.managed_unit(p).or_else(|| w.units.get(&person.unit))?;
            Some(T::ViewingAs.fill(lang, &[&person.name.get(lang), &unit.name.get(lang)]))
        })
    };
    view! {
        <Show when=move || label().is_some()>
            <section class="scope-bar" data-testid="scope-bar" aria-label=move || s.t(T::ViewAs)>
                <span>{label}</span>
                <button class="btn small" data-testid="clear-scope" on:click=move |_| s.set_view_as(None)>{move || s.t(T::ClearScope)}</button>
            </section>
        </Show>
    }
}

/// Replaces the workspace after confirmation; shared by the demo bar and the Data page.
pub fn confirm_and_replace(s: AppState, next: impl FnOnce() -> sales_tiers_core::Workspace) {
    let lang = s.lang.get_untracked();
    // One backup is kept: the question names the one this replaces.
    let ask = match (s.blocked(), crate::storage::previous_summary()) {
        (true, _) => s.t(T::ConfirmReplaceBlocked).to_string(),
        (false, Some(Ok(b))) => T::ConfirmReplaceOverBackup
            .fill(lang, &[&workspace_title(&b.name, lang), &b.people, &b.last_changed.format("%Y-%m-%d %H:%M UTC")]),
        (false, _) => s.t(T::ConfirmReplace).to_string(),
    };
    let ok = web_sys::window().and_then(|w| w.confirm_with_message(&ask).ok()).unwrap_or(false);
    if ok {
        if let Err((zh, en)) = s.replace(next()) {
            s.notify(crate::state::NoticeKind::Error, zh, en);
        }
    }
}

pub fn reload_demo(s: AppState) {
    confirm_and_replace(s, move || {
        let lang = s.lang.get_untracked();
        generate(&DemoOptions { lang, ..DemoOptions::new(browser::now()) })
    });
}

pub fn start_empty(s: AppState) {
    confirm_and_replace(s, move || starter(browser::new_id(), s.lang.get_untracked(), browser::now(), browser::new_id));
}

#[component]
fn DemoBar() -> impl IntoView {
    let s = use_app();
    view! {
        <section class="demo-bar" data-testid="demo-bar" aria-label=move || s.t(T::DemoBadge)>
            <span>{move || s.t(T::DemoExplain)}</span>
            <button class="btn small" data-testid="start-empty" on:click=move |_| start_empty(s)>{move || s.t(T::StartEmpty)}</button>
            <button class="btn small ghost" data-testid="reload-demo" on:click=move |_| reload_demo(s)>{move || s.t(T::ReloadDemo)}</button>
        </section>
    }
}

/// After a step undone or redone from its button: when it was the last
/// (`can` is now false), that button is disabled and the focus would fall
/// to the page, so it goes to the `other` button, which the step has just
/// enabled.
fn keep_focus_by(other: &str, can: impl Fn() -> bool) {
    if !untrack(can) {
        crate::browser::focus_when_drawn(format!("[data-testid={other}]:not([disabled])"), 5);
    }
}
