//! Daily work: my tasks (overdue, today, this week, later), my team's
//! tasks, stale deals with one-click "log activity" / "new task", and the
//! activity log with filters and a CSV export. Every rule (due, stale,
//! counts) is core's `engine::work`.

use crate::components::crm::in_scope;
use crate::components::filters::{PeriodSelect, PersonSelect, UnitSelect};
use crate::components::format::money;
use crate::components::pager::{self, Pager};
use crate::components::work::{done_box, kind_name, priority_name, WorkDialog};
use crate::i18n::T;
use crate::state::{use_app, AppState};
use crate::url;
use leptos::prelude::*;
use sales_tiers_core::calendar::{period_bounds, Period};
use sales_tiers_core::edit::SettingsPatch;
use sales_tiers_core::engine::work::{self, Due};
use sales_tiers_core::model::*;
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{Edit, Id, Lang, Workspace};

/// A task as a list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskLine {
    pub id: Id,
    pub title: String,
    pub about: String,
    pub deal: Option<Id>,
    pub customer: Option<Id>,
    pub assignee: String,
    pub due: chrono::NaiveDate,
    pub when: Due,
    pub priority: Priority,
    /// The language it was written in (rows are redrawn when it changes).
    pub lang: Lang,
}

pub fn task_line(w: &Workspace, t: &Task, today: chrono::NaiveDate, lang: Lang) -> TaskLine {
    let deal = t.opportunity.and_then(|d| w.opportunities.get(&d));
    let customer = t.customer.or(deal.map(|o| o.customer)).and_then(|c| w.customers.get(&c));
    let about = crate::components::work::about(w, customer.map(|c| c.id), deal.map(|o| o.id));
    TaskLine {
        id: t.id,
        title: t.title.clone(),
        about,
        deal: deal.map(|o| o.id),
        customer: customer.map(|c| c.id),
        assignee: w.person_name(Some(t.assignee), lang),
        due: t.due,
        when: work::due(t, today),
        priority: t.priority,
        lang,
    }
}

/// Tasks as rows: done box, title, what about, who, due, priority.
#[component]
pub fn TaskTable(#[prop(into)] rows: Signal<Vec<TaskLine>>, testid: &'static str, #[prop(optional)] assignee: bool) -> impl IntoView {
    let s = use_app();
    view! {
        <div class="table-scroll">
        <table class="table compact wrap" data-testid=testid>
            <thead><tr>
                <th><span class="visually-hidden">{move || s.t(T::TaskDone)}</span></th>
                <th>{move || s.t(T::TaskTitle)}</th>
                <th>{move || s.t(T::Customer)}</th>
                {assignee.then(|| view! { <th>{move || s.t(T::Assignee)}</th> })}
                <th>{move || s.t(T::DueDate)}</th>
                <th>{move || s.t(T::Priority)}</th>
                <th><span class="visually-hidden">{move || s.t(T::LogActivity)}</span></th>
            </tr></thead>
            <tbody>
                <For each=move || rows.get() key=|r| (r.id, r.when, r.lang) children=move |r| {
                    let lang = r.lang;
                    let (deal, customer) = (r.deal, r.customer);
                    let late = r.when == Due::Overdue;
                    view! {
                        <tr data-testid="task-row" data-title=r.title.clone() class:late=late>
                            <td>{done_box(s, r.id, r.when == Due::Done, format!("{} · {}", T::TaskDone.get(lang), r.title))}</td>
                            <td class="strong">{r.title.clone()}</td>
                            <td>{r.about.clone()}</td>
                            {assignee.then(|| view! { <td class="who">{r.assignee.clone()}</td> })}
                            <td class="day">{r.due.to_string()}{late.then(|| view! { " " <span class="badge bad" data-testid="task-overdue">{T::Overdue.get(lang)}</span> })}</td>
                            <td>{priority_name(r.priority, lang)}</td>
                            <td>{customer.map(|_| view! {
                                <button type="button" class="btn tiny" data-testid="task-log" on:click=move |_| s.work.set(Some(WorkDialog::Log { customer, deal }))>{T::LogActivity.get(lang)}</button>
                            })}</td>
                        </tr>
                    }
                }/>
            </tbody>
        </table>
        </div>
        <Show when=move || rows.with(|r| r.is_empty())>
            <p class="muted small">{move || s.t(T::NoTasks)}</p>
        </Show>
    }
}

/// The person this page is for: who am I, else the viewed manager.
pub fn focus_person(s: AppState) -> Option<Id> {
    s.me.get().filter(|p| s.ws.with(|w| w.people.contains_key(p))).or(s.view_as.get())
}

#[component]
pub fn WorkPage() -> impl IntoView {
    let s = use_app();
    let show_done = RwSignal::new(false);
    let mine = Memo::new(move |_| {
        let lang = s.lang.get();
        let today = s.today();
        let me = focus_person(s)?;
        let done = show_done.get();
        Some(s.ws.with(|w| {
            let mut v: Vec<TaskLine> =
                w.tasks.values().filter(|t| t.assignee == me && (done || t.done.is_none())).map(|t| task_line(w, t, today, lang)).collect();
            v.arrange_by(|a, b| {
                (a.when, a.due, std::cmp::Reverse(a.priority), &a.title).cmp(&(b.when, b.due, std::cmp::Reverse(b.priority), &b.title))
            });
            v
        }))
    });
    let bucket =
        move |d: Due| Signal::derive(move || mine.get().unwrap_or_default().into_iter().filter(|t| t.when == d).collect::<Vec<_>>());
    let team = Memo::new(move |_| {
        let lang = s.lang.get();
        let today = s.today();
        let scope = s.scope();
        let me = focus_person(s);
        s.ws.with(|w| {
            let mut v: Vec<TaskLine> = w
                .tasks
                .values()
                .filter(|t| t.done.is_none() && Some(t.assignee) != me && in_scope(w, scope.as_ref(), Some(t.assignee)))
                .map(|t| task_line(w, t, today, lang))
                .collect();
            v.arrange_by(|a, b| (a.when, a.due, &a.assignee).cmp(&(b.when, b.due, &b.assignee)));
            v
        })
    });
    let team_page = RwSignal::new(1usize);
    let team_shown = Signal::derive(move || team.with(|v| pager::slice(v, team_page.get())));
    view! {
        <section class="page" data-testid="work-page">
            <h2 class="page-title">{move || s.t(T::NavWork)}</h2>
            <div class="card">
                <div class="card-head">
                    <h3>{move || {
                        let who = focus_person(s).map(|p| s.ws.with(|w| w.person_name(Some(p), s.lang.get())));
                        match who { Some(n) => s.tf(T::TasksOf, &[&n]), None => s.t(T::MyTasks).to_string() }
                    }}</h3>
                    <div class="spacer"></div>
                    <label class="check small"><input type="checkbox" data-testid="show-done" prop:checked=move || show_done.get() on:change=move |ev| show_done.set(event_target_checked(&ev))/>
                        <span>{move || s.t(T::DoneTasks)}</span></label>
                    <button class="btn" data-testid="new-task" on:click=move |_| s.work.set(Some(WorkDialog::Task { customer: None, deal: None }))>{move || s.t(T::NewTask)}</button>
                </div>
                <Show when=move || mine.with(|m| m.is_some()) fallback=move || view! { <p class="muted" data-testid="no-me">{move || s.t(T::PickWhoAmI)}</p> }>
                    <div class="task-buckets" data-testid="my-tasks">
                        {[(Due::Overdue, T::DueOverdue, "due-overdue"), (Due::Today, T::DueToday, "due-today"), (Due::ThisWeek, T::DueThisWeek, "due-week"), (Due::Later, T::DueLater, "due-later"), (Due::Done, T::DoneTasks, "due-done")]
                            .into_iter()
                            .map(|(d, label, id)| {
                                let rows = bucket(d);
                                view! {
                                    <Show when=move || !rows.with(|r| r.is_empty()) || d == Due::Today>
                                        <h4 class:warn-text=d == Due::Overdue>{move || s.t(label)} " · " {move || rows.with(|r| r.len())}</h4>
                                        <TaskTable rows=rows testid=id/>
                                    </Show>
                                }
                            })
                            .collect_view()}
                    </div>
                </Show>
                <Notifications/>
            </div>
            <div class="card">
                <h3>{move || s.t(T::TeamTasks)} " · " {move || team.with(|v| v.len())}</h3>
                <TaskTable rows=team_shown testid="team-tasks" assignee=true/>
                <Pager total=Signal::derive(move || team.with(|v| v.len())) page=team_page on_change=Callback::new(move |p| team_page.set(p)) testid="team-pager"/>
            </div>
            <StaleDeals/>
            <ActivityLog/>
        </section>
    }
}

/// Open deals left alone, in the view-as scope.
#[component]
pub fn StaleDeals() -> impl IntoView {
    let s = use_app();
    let rows = Memo::new(move |_| {
        let lang = s.lang.get();
        let scope = s.scope();
        let today = s.today();
        s.ws.with(|w| {
            work::stale_deals(w, today)
                .into_iter()
                .filter(|x| in_scope(w, scope.as_ref(), Some(x.owner)))
                .filter_map(|x| {
                    let o = w.opportunities.get(&x.deal)?;
                    let unit =
                        w.people.get(&x.owner).and_then(|p| w.units.get(&p.unit)).map(|u| u.name.get(lang).to_string()).unwrap_or_default();
                    let customer = w.customers.get(&o.customer).map(|c| c.name.clone()).unwrap_or_default();
                    Some((x, o.name.clone(), customer, w.person_name(Some(x.owner), lang), unit, o.amount.0, o.customer))
                })
                .collect::<Vec<_>>()
        })
    });
    let page = RwSignal::new(1usize);
    let shown = Signal::derive(move || rows.with(|v| pager::slice(v, page.get())));
    let days = Memo::new(move |_| s.ws.with(|w| w.settings.stale_days));
    view! {
        <div class="card" data-testid="stale-card">
            <div class="card-head">
                <h3>{move || s.t(T::StaleDeals)} " · " <span data-testid="stale-count">{move || rows.with(|v| v.len())}</span></h3>
                <div class="spacer"></div>
                <label class="small"><span>{move || s.t(T::StaleDaysSetting)}</span>
                    <input type="number" min="0" max="3650" class="narrow" data-testid="stale-days" prop:value=move || days.get().to_string()
                        on:change=move |ev| {
                            let ok = match sales_tiers_core::io::input::parse_stale_days(&event_target_value(&ev)) {
                                Ok(d) => s.dispatch(Edit::UpdateSettings(SettingsPatch { stale_days: Some(d), ..Default::default() })),
                                Err(e) => { bad_days(s, e); false }
                            };
                            // A refused value goes back to the setting in force.
                            if !ok {
                                if let Some(i) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok()) {
                                    i.set_value(&s.ws.with_untracked(|w| w.settings.stale_days).to_string());
                                }
                            }
                        }/></label>
            </div>
            <p class="muted small">{move || s.tf(T::StaleExplain, &[&days.get()])}</p>
            <div class="table-scroll">
            <table class="table compact" data-testid="stale-table">
                <thead><tr>
                    <th>{move || s.t(T::Opportunity)}</th><th>{move || s.t(T::Customer)}</th><th>{move || s.t(T::Owner)}</th><th>{move || s.t(T::Unit)}</th>
                    <th class="num">{move || s.t(T::Amount)}</th><th>{move || s.t(T::LastActivity)}</th><th class="num">{move || s.t(T::IdleDays)}</th><th></th>
                </tr></thead>
                <tbody>
                    {move || {
                        let lang = s.lang.get();
                        shown.get().into_iter().map(|(x, name, customer, owner, unit, amount, cid)| {
                            let deal = Some(x.deal);
                            let label = name.clone();
                            view! {
                                <tr data-testid="stale-row" data-name=label>
                                    <td class="strong">{name}</td><td>{customer}</td><td>{owner}</td><td>{unit}</td>
                                    <td class="num">{money(amount)}</td>
                                    <td>{x.last.map(|d| d.to_string()).unwrap_or_else(|| T::Never.get(lang).to_string())}</td>
                                    <td class="num">{x.idle_days}{x.past_close.then(|| view! { " " <span class="badge bad">{T::PastDue.get(lang)}</span> })}</td>
                                    <td class="actions">
                                        <button type="button" class="btn tiny" data-testid="stale-log" on:click=move |_| s.work.set(Some(WorkDialog::Log { customer: Some(cid), deal }))>{T::LogActivity.get(lang)}</button>
                                        <button type="button" class="btn tiny" data-testid="stale-task" on:click=move |_| s.work.set(Some(WorkDialog::Task { customer: Some(cid), deal }))>{T::NewTask.get(lang)}</button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
            </table>
            </div>
            <Show when=move || rows.with(|v| v.is_empty())><p class="muted small">{move || s.t(T::NoStaleDeals)}</p></Show>
            <Pager total=Signal::derive(move || rows.with(|v| v.len())) page=page on_change=Callback::new(move |p| page.set(p)) testid="stale-pager"/>
        </div>
    }
}

/// Says why a typed number of stale days was refused.
pub fn bad_days(s: AppState, e: sales_tiers_core::io::input::InputError) {
    let say = |l: Lang| crate::i18n::labelled(l, T::StaleDaysSetting.get(l), e.message(l));
    s.notify(crate::state::NoticeKind::Error, say(Lang::Zh), say(Lang::En));
}

/// The activity log: filter by person, unit subtree, type and period; newest first.
#[component]
fn ActivityLog() -> impl IntoView {
    let s = use_app();
    let person = RwSignal::new(None::<Id>);
    let (unit, set_unit) = url::unit_state();
    let kind = RwSignal::new(None::<ActivityKind>);
    let period = RwSignal::new(Some(Period::Year));
    let page = RwSignal::new(1usize);
    let importing = RwSignal::new(false);
    let rows = Memo::new(move |_| {
        let scope = match unit.get() {
            Some(u) => Some(s.ws.with(|w| sales_tiers_core::engine::org::scope_units(w, u))),
            None => s.scope(),
        };
        let (p, k) = (person.get(), kind.get());
        let bounds = period.get().map(|x| s.ws.with(|w| period_bounds(s.year.get(), w.settings.fiscal_year_start_month, x)));
        s.ws.with(|w| {
            // Newest first; of one day, the one logged last first.
            let mut v: Vec<(chrono::NaiveDate, chrono::DateTime<chrono::Utc>, Id)> = w
                .activities
                .values()
                .filter(|a| p.is_none_or(|p| a.by == p) && k.is_none_or(|k| a.kind == k))
                .filter(|a| bounds.is_none_or(|(from, to)| a.on >= from && a.on < to))
                .filter(|a| in_scope(w, scope.as_ref(), Some(a.by)))
                .map(|a| (a.on, a.updated_at, a.id))
                .collect();
            v.arrange_by(|a, b| b.cmp(a));
            v.into_iter().map(|x| x.2).collect::<Vec<_>>()
        })
    });
    let export = move |_| {
        let lang = s.lang.get_untracked();
        let bytes = s.ws.with_untracked(|w| {
            sales_tiers_core::io::csv::export_activities(w, rows.get_untracked().iter().filter_map(|i| w.activities.get(i)), lang)
        });
        crate::browser::download_bytes(&format!("activities-{}.csv", s.today()), "text/csv;charset=utf-8", &bytes);
    };
    view! {
        <div class="card" data-testid="activity-log">
            <div class="card-head"><h3>{move || s.t(T::Activities)}</h3></div>
            <div class="filters" role="search">
                <label class="bare-label"><span class="visually-hidden">{move || s.t(T::Owner)}</span>
                    <PersonSelect value=person on_change=Callback::new(move |p| { person.set(p); page.set(1) }) testid="act-person" none=T::AllPeople/></label>
                <label class="bare-label"><span class="visually-hidden">{move || s.t(T::Unit)}</span>
                    <UnitSelect value=unit on_change=Callback::new(move |u| { set_unit.run(u); page.set(1) }) testid="act-unit" none=T::AllUnits/></label>
                <select data-testid="act-type" aria-label=move || s.t(T::ActivityType) on:change=move |ev| { kind.set(ActivityKind::parse(&event_target_value(&ev))); page.set(1) }>
                    <option value="">{move || s.t(T::AllTypes)}</option>
                    {move || { let lang = s.lang.get(); ActivityKind::ALL.iter().map(|k| view! { <option value=k.key()>{kind_name(*k, lang)}</option> }).collect_view() }}
                </select>
                <PeriodSelect value=period on_change=Callback::new(move |p| { period.set(p); page.set(1) }) testid="act-period" any=T::AnyDate attr:aria-label=move || s.t(T::Period)/>
                <div class="spacer"></div>
                <span class="muted" data-testid="act-count">{move || s.tf(T::ActivityCount, &[&rows.with(|r| r.len())])}</span>
                <button class="btn" data-testid="import-activities" on:click=move |_| importing.set(true)>{move || s.t(T::ImportCsv)}</button>
                <button class="btn" data-testid="export-activities" on:click=export>{move || s.t(T::ExportActivities)}</button>
            </div>
            <div class="table-scroll">
            <table class="table compact wrap" data-testid="act-table">
                <thead><tr>
                    <th>{move || s.t(T::Date)}</th><th>{move || s.t(T::ActivityType)}</th><th>{move || s.t(T::Customer)}</th><th>{move || s.t(T::Opportunity)}</th>
                    <th>{move || s.t(T::Owner)}</th><th>{move || s.t(T::ActivityOutcome)}</th><th>{move || s.t(T::NextStepField)}</th>
                </tr></thead>
                <tbody>
                    {move || {
                        let lang = s.lang.get();
                        let ids = rows.with(|v| pager::slice(v, page.get()));
                        s.ws.with(|w| ids.iter().filter_map(|i| w.activities.get(i)).map(|a| view! {
                            <tr data-testid="act-row">
                                <td class="num">{a.on.to_string()}</td>
                                <td>{kind_name(a.kind, lang)}</td>
                                <td>{w.customers.get(&a.customer).map(|c| c.name.clone())}</td>
                                <td>{a.opportunity.and_then(|d| w.opportunities.get(&d)).map(|o| o.name.clone())}</td>
                                <td>{w.person_name(Some(a.by), lang)}</td>
                                <td>{a.outcome.clone()}</td>
                                <td>{a.next_step.clone()}</td>
                            </tr>
                        }).collect_view())
                    }}
                </tbody>
            </table>
            </div>
            <Pager total=Signal::derive(move || rows.with(|v| v.len())) page=page on_change=Callback::new(move |p| page.set(p)) testid="act-pager"/>
            <Show when=move || importing.get()>
                <crate::components::crm::CsvImport target=sales_tiers_core::io::csv::Target::Activities on_close=Callback::new(move |_| importing.set(false))/>
            </Show>
        </div>
    }
}

/// Opt-in browser notifications of due tasks while the app is open.
#[component]
fn Notifications() -> impl IntoView {
    let s = use_app();
    let on = RwSignal::new(crate::storage::notify_tasks());
    let ask = move |ev: leptos::ev::Event| {
        let want = event_target_checked(&ev);
        if !want {
            on.set(false);
            crate::storage::set_notify_tasks(false);
            return;
        }
        crate::browser::ask_notifications(Callback::new(move |granted: bool| {
            on.set(granted);
            crate::storage::set_notify_tasks(granted);
            if granted {
                remind(s);
            } else {
                s.notify_key(crate::state::NoticeKind::Error, T::NotifyDenied);
            }
        }));
    };
    view! {
        <label class="check small"><input type="checkbox" data-testid="notify-tasks" prop:checked=move || on.get() on:change=ask/>
            <span>{move || s.t(T::NotifyTasks)}</span></label>
    }
}

/// Raises one notification for the tasks of who am I due today or overdue.
pub fn remind(s: AppState) {
    let Some(me) = s.who() else { return };
    let today = s.today();
    let n = s.ws.with_untracked(|w| {
        w.tasks.values().filter(|t| t.assignee == me && matches!(work::due(t, today), Due::Overdue | Due::Today)).count()
    });
    if n > 0 {
        let lang = s.lang.get_untracked();
        crate::browser::notify(T::TasksDueTitle.get(lang), &T::TasksDueBody.fill(lang, &[&n]));
    }
}
