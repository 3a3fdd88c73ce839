//! The home page of each tier, at the top of the first page: the
//! director's company view, a regional manager's region, a team lead's
//! team, a rep's own work. For who am I (or the viewed manager); everyone
//! else sees the director's. Every figure is core's (`engine::home` picks
//! them from the standings, actuals, payouts, grading and the work rules)
//! and links to the page that explains it. Charts are SVG with a table
//! beside them for screen readers and print.

use crate::components::format::{money, percent};
use crate::components::reveal::{after_paint, content_key, lagging};
use crate::components::work::WorkDialog;
use crate::i18n::T;
use crate::pages::work::{focus_person, task_line, TaskTable};
use crate::state::{use_app, AppState};
use leptos::prelude::*;
// Its `track` (the core has a `Track` of its own, imported below).
use leptos::prelude::Track as _;
use sales_tiers_core::calendar::calendar_month;
use sales_tiers_core::engine::home::{self, HomeKind, Month};
use sales_tiers_core::engine::org::scope_units;
use sales_tiers_core::engine::track::{Standing, Track};
use sales_tiers_core::model::*;
use sales_tiers_core::{Id, Lang, Workspace};

/// The shown year's standings as the home cards read them (see [`Home`]).
type Standings = ReadSignal<std::sync::Arc<sales_tiers_core::engine::org::IdMap<Standing>>>;

fn track_badge(t: Track, lang: Lang) -> (&'static str, &'static str) {
    match t {
        Track::Ahead => ("badge ok", lang.pick("进度正常", "on track")),
        Track::Behind => ("badge warn", lang.pick("略落后", "behind")),
        Track::OffTrack => ("badge bad", lang.pick("落后", "off track")),
        Track::NoTarget => ("badge muted", lang.pick("无目标", "no target")),
    }
}

/// A link to `path` for the manager `as_person` (the page's scope), this year.
fn link(s: AppState, path: &str, as_person: Option<Id>, extra: &str) -> String {
    let mut q = Vec::new();
    if let Some(p) = as_person {
        q.push(format!("as={p}"));
    }
    q.push(format!("year={}", s.year.get_untracked()));
    if !extra.is_empty() {
        q.push(extra.to_string());
    }
    format!("{path}?{}", q.join("&"))
}

#[component]
pub fn Home() -> impl IntoView {
    let s = use_app();
    let who = Memo::new(move |_| focus_person(s));
    let kind = Memo::new(move |_| s.ws.with(|w| home::home_of(w, who.get())));
    // Shared with the Forecast page: computed once per document change,
    // after the edit's own repaint (the cards follow a frame later).
    let standings = lagging(
        move || {
            s.ws.track();
            s.year.track();
        },
        move || s.year_standings.get(),
    );
    move || {
        let Some((k, about)) = kind.get() else { return ().into_any() };
        let title = match k {
            HomeKind::Director => T::HomeDirector,
            HomeKind::Region => T::HomeRegion,
            HomeKind::Team => T::HomeTeam,
            HomeKind::Rep => T::HomeRep,
        };
        let kind_key = match k {
            HomeKind::Director => "director",
            HomeKind::Region => "region",
            HomeKind::Team => "team",
            HomeKind::Rep => "rep",
        };
        let name = move || {
            let lang = s.lang.get();
            s.ws.with(|w| w.units.get(&about).map(|u| u.name.get(lang).to_string()).unwrap_or_else(|| w.person_name(Some(about), lang)))
        };
        view! {
            <section class="home" data-testid="home" data-kind=kind_key aria-labelledby="home-title">
                <div class="home-head">
                    <h2 id="home-title" class="page-title">{move || s.t(title)} " · " <span data-testid="home-about">{name}</span></h2>
                    <span class="muted small no-print">{move || s.t(T::HomeSeeAs)}</span>
                    <div class="spacer"></div>
                    <button class="btn small no-print" data-testid="print-home" on:click=move |_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>{move || s.t(T::Print)}</button>
                </div>
                {match k {
                    HomeKind::Director | HomeKind::Region => view! { <ManagerHome unit=about region=k == HomeKind::Region standings=standings/> }.into_any(),
                    HomeKind::Team => view! { <TeamHome unit=about standings=standings/> }.into_any(),
                    HomeKind::Rep => view! { <RepHome person=about standings=standings/> }.into_any(),
                }}
            </section>
        }
        .into_any()
    }
}

/// The month's short name of fiscal month `i`.
fn month_label(w: &Workspace, year: i32, i: usize, lang: Lang) -> String {
    let (_, m) = calendar_month(year, w.settings.fiscal_year_start_month, i);
    match lang {
        Lang::Zh => format!("{m}月"),
        Lang::En => {
            ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][(m as usize).clamp(1, 12) - 1].to_string()
        }
    }
}

/// Target and won month by month (bars) with the running totals (lines);
/// the same figures as a table on request, and always for screen readers.
#[component]
fn MonthsChart(owner: Id) -> impl IntoView {
    let s = use_app();
    let (table, set_table) = crate::url::view_flag("table");
    let data = Memo::new(move |_| {
        let (year, lang) = (s.year.get(), s.lang.get());
        s.with_index(|w, ix| {
            home::months(w, ix, owner, year).into_iter().map(|m| (month_label(w, year, m.index, lang), m)).collect::<Vec<_>>()
        })
    });
    let (w, h, left, bottom) = (720.0_f64, 220.0_f64, 8.0_f64, 22.0_f64);
    view! {
        <div class="card home-card wide" data-testid="months-card">
            <div class="card-head">
                <h3>{move || s.t(T::MonthlyAttainment)}</h3>
                <div class="spacer"></div>
                <button class="btn small no-print" data-testid="toggle-table" on:click=move |_| set_table.run(!table.get_untracked())>
                    {move || if table.get() { s.t(T::ShowChart) } else { s.t(T::ShowTable) }}</button>
            </div>
            <Show when=move || !table.get()>
                {move || {
                    let d = data.get();
                    let max = d.iter().map(|(_, m)| m.target.max(m.won)).max().unwrap_or(0).max(1) as f64;
                    let cum_max = d.iter().map(|(_, m)| m.cum_target.max(m.cum_won)).max().unwrap_or(0).max(1) as f64;
                    let slot = (w - left) / 12.0;
                    let y = |v: i64, top: f64| h - bottom - (v as f64 / top) * (h - bottom - 10.0);
                    let line = |f: fn(&Month) -> i64| d.iter().enumerate().map(|(i, (_, m))| format!("{:.1},{:.1}", left + slot * (i as f64 + 0.5), y(f(m), cum_max))).collect::<Vec<_>>().join(" ");
                    let lang = s.lang.get();
                    let last = d.last().map(|(_, m)| *m);
                    let summary = last.map(|m| crate::i18n::labelled(lang, T::Cumulative.get(lang), format!("{} / {}", money(m.cum_won), money(m.cum_target)))).unwrap_or_default();
                    view! {
                        <svg class="chart" viewBox=format!("0 0 {w} {h}") role="img" aria-label=format!("{} · {summary}", T::MonthlyAttainment.get(lang)) data-testid="months-chart">
                            {d.iter().enumerate().map(|(i, (label, m))| {
                                let x = left + slot * i as f64;
                                let bw = slot * 0.36;
                                view! {
                                    <g>
                                        <rect class="bar-target" x=format!("{:.1}", x + slot * 0.12) y=format!("{:.1}", y(m.target, max)) width=format!("{bw:.1}") height=format!("{:.1}", (h - bottom - y(m.target, max)).max(0.0))>
                                            <title>{format!("{label} · {}", crate::i18n::labelled(lang, T::Target.get(lang), money(m.target)))}</title></rect>
                                        <rect class="bar-won" x=format!("{:.1}", x + slot * 0.12 + bw) y=format!("{:.1}", y(m.won, max)) width=format!("{bw:.1}") height=format!("{:.1}", (h - bottom - y(m.won, max)).max(0.0))>
                                            <title>{format!("{label} · {}", crate::i18n::labelled(lang, T::Won.get(lang), money(m.won)))}</title></rect>
                                        <text class="axis" x=format!("{:.1}", x + slot / 2.0) y=format!("{:.1}", h - 6.0) text-anchor="middle">{label.clone()}</text>
                                    </g>
                                }
                            }).collect_view()}
                            <polyline class="line-target" points=line(|m| m.cum_target)/>
                            <polyline class="line-won" points=line(|m| m.cum_won)/>
                        </svg>
                        <p class="legend small">
                            <span class="key key-target"></span>{T::Target.get(lang)}
                            <span class="key key-won"></span>{T::Won.get(lang)}
                            <span class="key key-line-target"></span>{format!("{} · {}", T::Cumulative.get(lang), T::Target.get(lang))}
                            <span class="key key-line-won"></span>{format!("{} · {}", T::Cumulative.get(lang), T::Won.get(lang))}
                        </p>
                    }
                }}
            </Show>
            <div class:visually-hidden=move || !table.get()>
            <table class="table compact" data-testid="months-table">
                <thead><tr><th>{move || s.t(T::Month)}</th><th class="num">{move || s.t(T::Target)}</th><th class="num">{move || s.t(T::Won)}</th>
                    <th class="num">{move || format!("{} · {}", s.t(T::Cumulative), s.t(T::Target))}</th><th class="num">{move || format!("{} · {}", s.t(T::Cumulative), s.t(T::Won))}</th></tr></thead>
                <tbody>
                    {move || data.get().into_iter().map(|(label, m)| view! {
                        <tr data-testid="month-row"><td>{label}</td><td class="num">{money(m.target)}</td><td class="num">{money(m.won)}</td><td class="num">{money(m.cum_target)}</td><td class="num">{money(m.cum_won)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </div>
    }
}

/// Closed, commit, best case and pipeline against the target, as bars.
#[component]
fn ForecastCard(owner: Id, standings: Standings, #[prop(optional)] as_person: Option<Id>) -> impl IntoView {
    let s = use_app();
    // The owner's standing: the card is drawn again only when it changed.
    let mine = Memo::new(move |_| standings.with(|m| m.get(&owner).copied()));
    view! {
        <div class="card home-card" data-testid="forecast-card">
            <h3><a href=move || link(s, "/forecast", as_person, "period=year")>{move || s.t(T::ForecastVsTarget)}</a></h3>
            {move || {
                let lang = s.lang.get();
                let Some(st) = mine.get() else { return ().into_any() };
                let f = st.figures;
                use crate::components::crm::category_label;
                let rows = [
                    (T::Won.get(lang), "closed", f.closed),
                    (category_label(ForecastCategory::Commit, lang), "commit", f.commit),
                    (category_label(ForecastCategory::BestCase, lang), "best", f.best_case),
                    (category_label(ForecastCategory::Pipeline, lang), "pipeline", f.pipeline),
                ];
                let max = rows.iter().map(|r| r.2).max().unwrap_or(0).max(st.target).max(1) as f64;
                let tx = st.target as f64 / max * 100.0;
                view! {
                    <div class="hbars" role="list">
                        {rows.into_iter().map(|(label, cls, v)| {
                            view! {
                                <div class="hbar-row" role="listitem" data-testid=format!("fc-{cls}")>
                                    <span class="hbar-label">{label}</span>
                                    <svg class="hbar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                                        <rect class=format!("hb-{cls}") x="0" y="1" width=format!("{:.2}", v as f64 / max * 100.0) height="8"/>
                                        <line class="hb-target" x1=format!("{tx:.2}") x2=format!("{tx:.2}") y1="0" y2="10"/>
                                    </svg>
                                    <span class="num">{money(v)}</span>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                    <p class="small"><span class="muted">{T::Target.get(lang)}{lang.colon()}</span><span class="num strong" data-testid="fc-target">{money(st.target)}</span>
                        " · " <span class="muted">{T::Attainment.get(lang)}{lang.colon()}</span><span class="strong" data-testid="fc-attainment">{percent(st.attainment_bp())}</span>
                        " · " <span class="muted">{T::Coverage.get(lang)}{lang.colon()}</span><span data-testid="fc-coverage">{crate::components::format::coverage(st.coverage_pct)}</span></p>
                }.into_any()
            }}
        </div>
    }
}

/// One bar of [`Ranked`]: all it shows, so that its key changes when,
/// and only when, the bar must be drawn again. Its length is in points of
/// attainment (100 = the target), not a share of the longest bar: the
/// scale is the bars' box, one attribute per bar (see [`Ranked`]).
#[derive(Clone, Hash, PartialEq)]
struct RankBar {
    name: String,
    href: String,
    /// Attainment in basis points (0 when it has no target).
    attainment: i64,
    percent: String,
    badge: (&'static str, &'static str),
}

/// The units right below `unit`, ranked by attainment; each bar opens that
/// unit's forecast.
///
/// Keyed by what each bar shows: an edit elsewhere in the tree leaves the
/// bars it did not change as they are (rebuilt in place, every bar set all
/// its attributes again: ~2,400 attribute changes per team moved at 1,000
/// people). The bars share one scale, the best attainment or the target
/// whichever is more: a team moved changes it often, and then each bar's
/// box (`viewBox`) follows, where every bar was drawn again (53 at 1,000
/// people).
#[component]
fn Ranked(unit: Id, standings: Standings) -> impl IntoView {
    let s = use_app();
    let bars = Memo::new(move |_| {
        let lang = s.lang.get();
        // The document as the standings were worked out (they are set again
        // after every change to it, names included).
        let rows = standings.with(|st| {
            s.ws.with_untracked(|w| {
                home::ranked_children(w, unit, st)
                    .into_iter()
                    .map(|r| (r, w.units[&r.id].name.get(lang).to_string(), w.units[&r.id].manager))
                    .collect::<Vec<_>>()
            })
        });
        rows.into_iter()
            .map(|(r, name, manager)| {
                let a = r.standing.attainment_bp();
                RankBar {
                    name,
                    href: link(s, "/forecast", manager, "period=year"),
                    attainment: a.unwrap_or(0).max(0),
                    percent: percent(a),
                    badge: track_badge(r.standing.track, lang),
                }
            })
            .map(|b| (content_key(&b), b))
            .collect::<Vec<_>>()
    });
    // Points of attainment across a bar's box: the best, or the target.
    let view_box = Memo::new(move |_| {
        let most = bars.with(|v| v.iter().map(|(_, b)| b.attainment).max().unwrap_or(0)).max(10_000);
        format!("0 0 {:.2} 10", most as f64 / 100.0)
    });
    view! {
        <div class="card home-card" data-testid="ranked-card">
            <h3>{move || s.t(T::UnitsRanked)}</h3>
            <ol class="ranked">
                <For each=move || bars.get() key=|x| x.0 children=move |(_, b)| { let key = b.name.clone(); view! {
                    <li>
                        <a class="rank-link" data-testid="rank-bar" data-name=key href=b.href>
                            <span class="hbar-label">{b.name}</span>
                            <svg class="hbar" viewBox=move || view_box.get() preserveAspectRatio="none" aria-hidden="true">
                                <rect class="hb-closed" x="0" y="1" width=format!("{:.2}", b.attainment as f64 / 100.0) height="8"/>
                                <line class="hb-target" x1="100" x2="100" y1="0" y2="10"/>
                            </svg>
                            <span class="num strong">{b.percent}</span>
                        </a>
                        <span class=b.badge.0>{b.badge.1}</span>
                    </li>
                } }/>
            </ol>
        </div>
    }
}

#[component]
fn ManagerHome(unit: Id, region: bool, standings: Standings) -> impl IntoView {
    let s = use_app();
    let manager = s.ws.with_untracked(|w| w.units.get(&unit).and_then(|u| u.manager));
    // The director's payout cost against the personnel budget, for the year
    // so far: the whole year's payouts, worked out after an edit's repaint.
    let cost = after_paint(
        move || {
            s.ws.track();
            s.year.track();
        },
        move || {
            if region {
                return None;
            }
            let pay = s.year_payouts.get();
            s.ws.with(|w| sales_tiers_core::engine::perf::summary(w, &pay, unit).into_iter().next().map(|r| (r.cost, r.budget, r.share_bp)))
        },
    );
    let cost = move || cost.get().flatten();
    view! {
        <div class="home-grid">
            <MonthsChart owner=unit/>
            <ForecastCard owner=unit standings=standings as_person=manager.unwrap_or(unit)/>
            <Ranked unit=unit standings=standings/>
            {(!region).then(|| view! {
                <div class="card home-card" data-testid="cost-card">
                    <h3><a href=move || link(s, "/payouts", None, "period=year")>{move || s.t(T::PayoutVsBudget)}</a></h3>
                    {move || cost().map(|(c, b, share)| {
                        let lang = s.lang.get();
                        let pct = share.map(|x| (x as f64 / 100.0).clamp(0.0, 100.0)).unwrap_or(0.0);
                        view! {
                            <svg class="hbar big" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                                <rect class="hb-pipeline" x="0" y="1" width="100" height="8"/>
                                <rect class="hb-closed" x="0" y="1" width=format!("{pct:.2}") height="8"/>
                            </svg>
                            <p class="small"><span class="muted">{T::PayoutSoFar.get(lang)}{lang.colon()}</span><span class="num strong" data-testid="cost-paid">{money(c)}</span>
                                " · " <span class="muted">{T::PersonnelBudget.get(lang)}{lang.colon()}</span><span class="num">{money(b)}</span>
                                " · " <span class="strong">{percent(share)}</span></p>
                        }
                    })}
                </div>
            })}
            {region.then(|| view! { <LeadsCard unit=unit/> })}
            <StaleCount unit=unit manager=manager/>
        </div>
    }
}

/// How many open deals below `unit` are stale, linking to the list.
#[component]
fn StaleCount(unit: Id, manager: Option<Id>) -> impl IntoView {
    let s = use_app();
    // Every deal's last touch read: after an edit's repaint.
    let stale = after_paint(
        move || s.ws.track(),
        move || {
            let today = s.today();
            s.ws.with(|w| {
                let scope = scope_units(w, unit);
                sales_tiers_core::engine::work::stale_deals(w, today)
                    .into_iter()
                    .filter(|x| w.people.get(&x.owner).is_some_and(|p| scope.contains(&p.unit)))
                    .count()
            })
        },
    );
    view! {
        <div class="card home-card" data-testid="stale-summary">
            <h3><a href=move || link(s, "/work", manager, "")>{move || s.t(T::StaleDeals)}</a></h3>
            <p class="big-number" data-testid="stale-number">{move || stale.get()}</p>
        </div>
    }
}

/// Team leads of a region with the grade their rules give, candidates first.
#[component]
fn LeadsCard(unit: Id) -> impl IntoView {
    let s = use_app();
    view! {
        <div class="card home-card" data-testid="leads-card">
            <h3><a href=move || link(s, "/grades", None, "")>{move || s.t(T::LeadsGrades)}</a></h3>
            <table class="table compact"><tbody>
                {move || {
                    let lang = s.lang.get();
                    let all = s.assessments.get();
                    s.ws.with(|w| home::leads_grades(w, unit, &all).into_iter().map(|(p, grade, cand)| view! {
                        <tr data-testid="lead-row">
                            <td>{w.person_name(Some(p), lang)}</td>
                            <td>{grade.and_then(|g| w.grades.get(&g)).map(|g| g.name.get(lang).to_string())}</td>
                            <td>{cand.then(|| view! { <span class="badge ok">{T::PromotionCandidate.get(lang)}</span> })}</td>
                        </tr>
                    }).collect_view())
                }}
            </tbody></table>
        </div>
    }
}

#[component]
fn TeamHome(unit: Id, standings: Standings) -> impl IntoView {
    let s = use_app();
    let manager = s.ws.with_untracked(|w| w.units.get(&unit).and_then(|u| u.manager));
    let board = Memo::new(move |_| {
        let today = s.today();
        // As the standings were worked out (see `Ranked`).
        standings.with(|st| untrack(|| s.with_index(|w, ix| home::reps_board(w, ix, unit, st, today))))
    });
    let overdue = Signal::derive(move || {
        let (lang, today) = (s.lang.get(), s.today());
        let people: Vec<Id> = board.with(|b| b.iter().map(|r| r.person).collect());
        s.ws.with(|w| {
            w.tasks
                .values()
                .filter(|t| people.contains(&t.assignee) && t.overdue(today))
                .map(|t| task_line(w, t, today, lang))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <div class="home-grid">
            <div class="card home-card wide" data-testid="reps-board">
                <h3><a href=move || link(s, "/scorecards", manager, "")>{move || s.t(T::RepsBoard)}</a></h3>
                <table class="table compact">
                    <thead><tr><th>{move || s.t(T::Name)}</th><th class="num">{move || s.t(T::Attainment)}</th><th></th><th class="num">{move || s.t(T::Pipeline)}</th><th class="num">{move || s.t(T::ActivitiesThisWeek)}</th><th class="num">{move || s.t(T::DueOverdue)}</th></tr></thead>
                    <tbody>
                        {move || {
                            let lang = s.lang.get();
                            s.ws.with(|w| board.get().into_iter().map(|r| {
                                let (cls, label) = track_badge(r.standing.track, lang);
                                let name = w.person_name(Some(r.person), lang);
                                let key = name.clone();
                                view! {
                                    <tr data-testid="rep-row" data-name=key>
                                        <td>{name}</td>
                                        <td class="num">{percent(r.standing.attainment_bp())}</td>
                                        <td><span class=cls>{label}</span></td>
                                        <td class="num">{money(r.standing.figures.open_amount())}</td>
                                        <td class="num" data-testid="rep-week">{r.activities_week}</td>
                                        <td class="num" data-testid="rep-overdue">{r.overdue_tasks}</td>
                                    </tr>
                                }
                            }).collect_view())
                        }}
                    </tbody>
                </table>
            </div>
            <div class="card home-card" data-testid="off-track">
                <h3>{move || s.t(T::OffTrackReps)}</h3>
                <ul>
                    {move || {
                        let lang = s.lang.get();
                        s.ws.with(|w| board.get().into_iter().filter(|r| r.standing.track == Track::OffTrack).map(|r| view! { <li>{w.person_name(Some(r.person), lang)} " · " {percent(r.standing.attainment_bp())}</li> }).collect_view())
                    }}
                </ul>
            </div>
            <div class="card home-card wide" data-testid="team-overdue">
                <h3><a href=move || link(s, "/work", manager, "")>{move || s.t(T::TeamOverdue)}</a></h3>
                <TaskTable rows=overdue testid="team-overdue-table" assignee=true/>
            </div>
            <ForecastCard owner=unit standings=standings as_person=manager.unwrap_or(unit)/>
            <StaleCount unit=unit manager=manager/>
        </div>
    }
}

#[component]
fn RepHome(person: Id, standings: Standings) -> impl IntoView {
    let s = use_app();
    let payout = Memo::new(move |_| s.year_payouts.with(|pay| pay.people.get(&person).map(|x| x.total).unwrap_or(0)));
    // The rep's standing: drawn again only when it changed.
    let mine = Memo::new(move |_| standings.with(|m| m.get(&person).copied()));
    let tasks = Signal::derive(move || {
        let (lang, today) = (s.lang.get(), s.today());
        s.ws.with(|w| home::tasks_due(w, &[person], today).into_iter().map(|t| task_line(w, t, today, lang)).collect::<Vec<_>>())
    });
    view! {
        <div class="home-grid">
            <div class="card home-card" data-testid="my-attainment">
                <h3><a href=move || link(s, "/scorecards", None, "")>{move || s.t(T::MyAttainment)}</a></h3>
                {move || {
                    let lang = s.lang.get();
                    mine.get().map(|st| {
                        let (cls, label) = track_badge(st.track, lang);
                        view! {
                            <p class="big-number" data-testid="my-attainment-value">{percent(st.attainment_bp())}</p>
                            <p class="small">{money(st.figures.closed)} " / " {money(st.target)} " " <span class=cls>{label}</span></p>
                        }
                    })
                }}
                <p class="small"><span class="muted">{move || s.t(T::ExpectedPayout)}{move || s.lang.get().colon()}</span><a class="num strong" data-testid="my-payout" href=move || link(s, "/payouts", None, &format!("period=year&person={person}"))>{move || money(payout.get())}</a></p>
            </div>
            <div class="card home-card" data-testid="my-pipeline">
                <h3><a href=move || link(s, "/pipeline", None, "view=kanban")>{move || s.t(T::MyPipeline)}</a></h3>
                {move || {
                    let lang = s.lang.get();
                    s.ws.with(|w| {
                        let rows = home::pipeline_by_stage(w, person, s.year.get());
                        let max = rows.iter().map(|r| r.2).max().unwrap_or(0).max(1) as f64;
                        view! {
                            <div class="hbars">
                                {rows.into_iter().map(|(stage, n, sum)| view! {
                                    <div class="hbar-row" data-testid="stage-bar">
                                        <span class="hbar-label">{w.stages.get(&stage).map(|x| x.name.get(lang).to_string())} " · " {n}</span>
                                        <svg class="hbar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect class="hb-best" x="0" y="1" width=format!("{:.2}", sum as f64 / max * 100.0) height="8"/></svg>
                                        <span class="num">{money(sum)}</span>
                                    </div>
                                }).collect_view()}
                            </div>
                        }
                    })
                }}
            </div>
            <div class="card home-card wide" data-testid="my-tasks-today">
                <div class="card-head">
                    <h3><a href=move || link(s, "/work", None, "")>{move || s.t(T::MyTasksToday)}</a></h3>
                    <div class="spacer"></div>
                    <button class="btn small no-print" data-testid="home-log" on:click=move |_| s.work.set(Some(WorkDialog::Log { customer: None, deal: None }))>{move || s.t(T::LogActivity)}</button>
                </div>
                <TaskTable rows=tasks testid="home-tasks"/>
            </div>
            <div class="card home-card wide" data-testid="closing-month">
                <h3>{move || s.t(T::ClosingThisMonth)}</h3>
                {move || {
                    let today = s.today();
                    s.ws.with(|w| {
                        let deals = home::closing_this_month(w, &[person], today);
                        if deals.is_empty() {
                            return view! { <p class="muted small">{s.t(T::NothingClosing)}</p> }.into_any();
                        }
                        view! { <table class="table compact"><tbody>
                            {deals.into_iter().map(|o| view! {
                                <tr><td>{o.name.clone()}</td><td>{w.customers.get(&o.customer).map(|c| c.name.clone())}</td><td class="num">{o.close_date.to_string()}</td><td class="num">{money(o.amount.0)}</td></tr>
                            }).collect_view()}
                        </tbody></table> }.into_any()
                    })
                }}
            </div>
        </div>
    }
}
