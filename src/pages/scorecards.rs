//! Scorecards: every person's tier scorecard for a period with its rating,
//! the calibration view per unit, the template editor per tier (weights
//! must sum to 100 %), manual KPI entries with who entered them, rating
//! bands and the custom KPI library.

use crate::components::cell::{refusal, Refusal};
use crate::components::common::{id_options, table_head, Col, Modal, NameList};
use crate::components::filters::{id_select, PeriodPicker, PersonSelect};
use crate::components::form::{TextField, SHORT_MAX};
use crate::components::perf::{current_period, rating_badge, score_text, CardView};
use crate::components::plan_bar::PlanBar;
use crate::components::reveal::reveal;
use crate::components::rows::Rows;
use crate::i18n::T;
use crate::state::use_app;
use crate::url;
use leptos::prelude::*;
use sales_tiers_core::engine::org::{scope_units, subtree_with_depth};
use sales_tiers_core::engine::perf::{kpi_name, scorecards, Card, PeriodData};
use sales_tiers_core::engine::scorecard::{calibrate, points};
use sales_tiers_core::io::input::{goal_input, parse_percent, percent_input, scorecard_lines};
use sales_tiers_core::model::*;
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{Edit, Id, Lang};

/// A line of the scores table: what it shows, in the language.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    id: Id,
    name: String,
    tier: String,
    unit: String,
    score: String,
    band: (String, &'static str),
}

#[component]
pub fn ScorecardsPage() -> impl IntoView {
    let s = use_app();
    let current = current_period(&s);
    let (period, set_period) = url::period_state(move || current);
    let tier_filter: RwSignal<Option<Id>> = RwSignal::new(None);
    let open: RwSignal<Option<Id>> = RwSignal::new(None);
    let cards = Memo::new(move |_| {
        let (year, p, today) = (s.year.get(), period.get(), s.today());
        // The year's and the current quarter's come with the shared payouts.
        if let Some(pay) = s.shared_payouts(p) {
            return pay.cards().clone();
        }
        s.with_index(|w, ix| {
            let d = PeriodData::new(w, ix, year, p, today);
            scorecards(w, &d, None)
        })
    });
    let rows = Memo::new(move |_| {
        let lang = s.lang.get();
        let scope = s.scope();
        let tf = tier_filter.get();
        cards.with(|c| {
            s.ws.with(|w| {
                // Highest score first, then by name.
                let mut v: Vec<(String, &Person, &Card)> = w
                    .people
                    .values()
                    .filter(|p| {
                        p.status != Status::Left && scope.as_ref().is_none_or(|u| u.contains(&p.unit)) && tf.is_none_or(|t| t == p.tier)
                    })
                    .filter_map(|p| Some((p.name.get(lang).to_string(), p, c.get(&p.id)?)))
                    .collect();
                v.arrange_by(|a, b| b.2.score_bp.cmp(&a.2.score_bp).then_with(|| a.0.cmp(&b.0)));
                v.into_iter()
                    .map(|(name, p, card)| Row {
                        id: p.id,
                        name,
                        tier: w.tiers.get(&p.tier).map(|t| t.name.get(lang).to_string()).unwrap_or_default(),
                        unit: w.units.get(&p.unit).map(|u| u.name.get(lang).to_string()).unwrap_or_default(),
                        score: score_text(card.score_bp),
                        band: rating_badge(w, card.rating, lang),
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    // The place at the top of the screen: rows there are set first.
    let body: NodeRef<leptos::html::Tbody> = NodeRef::new();
    let places = Rows::nearest_first(
        rows,
        |v, i: &usize| v.get(*i),
        body,
        move || {
            let n = rows.with_untracked(|v| v.len());
            move |i: &usize| (*i < n).then_some(*i)
        },
    );
    // A screenful of rows with the page, the rest in the next tasks.
    let shown = reveal(move || rows.with_untracked(|v| v.len()));
    let tiers = move || s.ws.with(|w| w.tiers_in_order().iter().map(|t| (t.id, t.name.get(s.lang.get()).to_string())).collect::<Vec<_>>());

    view! {
        <section class="page">
            <h2 class="page-title">{move || s.t(T::NavScorecards)}</h2>
            <p class="muted">{move || s.t(T::ScorecardsIntro)}</p>
            <PlanBar no_scenario=true>
                <PeriodPicker period=period on_change=set_period testid="score-period"/>
                <label><span class="muted small">{move || s.t(T::Tier)}</span>
                    <select data-testid="score-tier" on:change=move |ev| tier_filter.set(Id::parse(&event_target_value(&ev)))>
                        <option value="">{move || s.t(T::AllTiers)}</option>
                        {move || id_options(tiers(), tier_filter.get_untracked())}
                    </select>
                </label>
            </PlanBar>
            <div class="grid2">
                <div class="card">
                    <h3>{move || s.t(T::PeopleScores)}</h3>
                    <div class="table-scroll tall">
                        <table class="table long scores" data-testid="score-table">
                            {table_head([Col::Text(T::Name), Col::Text(T::Tier), Col::Text(T::Unit), Col::Num(T::Score), Col::Text(T::Rating)])}
                            <tbody node_ref=body>
                                // Keyed by place: a period switch re-sorts every row, and
                                // rebuilding 1,000 rows costs several times what setting the
                                // texts of the rows in place does. Each place reads its row
                                // from its own signal, set only when that row changed (those
                                // on screen at once, the others after the first paint).
                                <For each=move || 0..shown.get().min(rows.with(|v| v.len())) key=|i| *i let:i>
                                    {
                                        let row = places.signal(i);
                                        let text = move |f: fn(&Row) -> String| move || row.with(|r| r.as_ref().map(f).unwrap_or_default());
                                        let band = move || row.with(|r| r.as_ref().map(|r| r.band.clone()));
                                        view! {
                                            <tr data-testid="score-row" data-id=text(|r| r.id.to_string()) data-name=text(|r| r.name.clone()) class="clickable"
                                                on:click=move |_| open.set(places.now(&i).map(|r| r.id))>
                                                <td><button class="link">{text(|r| r.name.clone())}</button></td>
                                                <td>{text(|r| r.tier.clone())}</td><td>{text(|r| r.unit.clone())}</td>
                                                <td class="num" data-testid="score">{text(|r| r.score.clone())}</td>
                                                <td><span class=move || band().map(|b| b.1) data-testid="rating">{move || band().map(|b| b.0)}</span></td>
                                            </tr>
                                        }
                                    }
                                </For>
                            </tbody>
                        </table>
                    </div>
                </div>
                <Calibration cards=cards/>
            </div>
            <TemplateEditor period=period/>
            <div class="grid2">
                <ManualEntries period=period/>
                <div class="card">
                    <h3>{move || s.t(T::RatingBands)}</h3>
                    <BandsEditor/>
                    <h3>{move || s.t(T::CustomKpis)}</h3>
                    <NameList
                        items=Signal::derive(move || s.ws.with(|w| w.kpis.values().map(|k| (k.id, k.name.clone(), None)).collect::<Vec<_>>()))
                        on_rename=Callback::new(move |(id, name)| s.dispatch(Edit::RenameKpi { id, name }))
                        on_remove=Callback::new(move |id| s.dispatch(Edit::RemoveKpi { id }))
                        on_add=Callback::new(move |name| s.dispatch(Edit::AddKpi { id: crate::browser::new_id(), name }))
                        add_label=T::AddKpi/>
                </div>
            </div>
            {move || open.get().map(|id| {
                let card = cards.with(|c| c.get(&id).cloned());
                let title = Signal::derive(move || s.ws.with(|w| w.person_name(Some(id), s.lang.get())));
                view! {
                    <Modal title=title on_close=Callback::new(move |_| open.set(None))>
                        {move || {
                            let lang = s.lang.get();
                            card.clone().map(|c| {
                                let (band, cls) = s.ws.with(|w| rating_badge(w, c.rating, lang));
                                view! {
                                    <p class="kpi-line"><strong>{s.t(T::Score)}{s.lang.get().colon()}{score_text(c.score_bp)}</strong>" "<span class=cls>{band}</span></p>
                                    <CardView card=c/>
                                }
                            })
                        }}
                    </Modal>
                }
            })}
        </section>
    }
}

/// Distribution of ratings in a unit against the guideline; guidance only.
#[component]
fn Calibration(cards: Memo<sales_tiers_core::engine::org::IdMap<Card>>) -> impl IntoView {
    let s = use_app();
    let unit: RwSignal<Option<Id>> = RwSignal::new(None);
    let units = move || {
        let lang = s.lang.get();
        let top = s.top_unit();
        s.ws.with(|w| {
            let rows = top.map(|t| subtree_with_depth(w, t)).unwrap_or_default();
            rows.into_iter()
                .map(|(u, depth)| (u, format!("{}{}", "\u{3000}".repeat(depth), w.units[&u].name.get(lang))))
                .collect::<Vec<_>>()
        })
    };
    let view_data = move || {
        let target = unit.get().or_else(|| s.top_unit())?;
        cards.with(|c| {
            s.ws.with(|w| {
                let inside = scope_units(w, target);
                let ratings: Vec<usize> = w
                    .people
                    .values()
                    .filter(|p| p.status != Status::Left && inside.contains(&p.unit))
                    .filter_map(|p| c.get(&p.id)?.rating)
                    .collect();
                let guide: Vec<u32> = w.performance.bands.iter().map(|b| b.guideline_bp).collect();
                let names: Vec<String> = w.performance.bands.iter().map(|b| b.name.get(s.lang.get()).to_string()).collect();
                Some((calibrate(&ratings, &guide), names))
            })
        })
    };
    view! {
        <div class="card" data-testid="calibration">
            <h3>{move || s.t(T::Calibration)}</h3>
            <label class="inline"><span class="muted small">{move || s.t(T::Unit)}</span>
                {id_select(Signal::derive(units), Signal::derive(move || unit.get().or_else(|| s.top_unit())), Callback::new(move |u| unit.set(u)), "calibration-unit", None, true, None)}
            </label>
            {move || view_data().map(|(cal, names)| {
                let lang = s.lang.get();
                view! {
                    <p class="muted small">{T::PeopleRated.fill(lang, &[&cal.people])}</p>
                    {cal.small_group.then(|| view! { <p class="result warn" data-testid="small-group">{T::SmallGroup.get(lang)}</p> })}
                    <table class="table calibration">
                        {table_head([Col::Text(T::Rating), Col::Num(T::People), Col::Text(T::ShareVsGuideline)])}
                        <tbody>
                            {cal.bands.iter().zip(names).map(|(b, name)| {
                                let share = b.share_bp as f64 / 100.0;
                                let guide = b.guideline_bp as f64 / 100.0;
                                let off = b.off_guideline;
                                view! {
                                    <tr data-testid="band-row" data-band=name.clone()>
                                        <td><strong>{name.clone()}</strong></td>
                                        <td class="num" data-testid="band-count">{b.count}</td>
                                        <td>
                                            <div class="cal-bar" title=format!("{}% / {}%", points(b.share_bp), points(b.guideline_bp))>
                                                <div class="cal-fill" style=format!("width:{share:.1}%")></div>
                                                <div class="cal-guide" style=format!("left:{guide:.1}%")></div>
                                            </div>
                                            <span class=if off { "small warn-text" } else { "small muted" }>{format!("{}% · {} {}%", points(b.share_bp), T::Guideline.get(lang), points(b.guideline_bp))}</span>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <p class="muted small">{T::CalibrationNote.get(lang)}</p>
                }
            })}
        </div>
    }
}

fn curve_kind(c: &Curve) -> &'static str {
    match c {
        Curve::Linear { .. } => "linear",
        Curve::Threshold { .. } => "threshold",
        Curve::Banded { .. } => "banded",
    }
}

fn curve_label(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "threshold" => T::CurveThreshold.get(lang),
        "banded" => T::CurveBanded.get(lang),
        _ => T::CurveLinear.get(lang),
    }
}

/// The KPIs a scorecard line can pick: built-ins, then the custom library.
fn kpi_choices(w: &Workspace, lang: Lang) -> Vec<(String, KpiKind, String)> {
    KpiKind::BUILT_IN
        .iter()
        .copied()
        .chain(w.kpis.keys().map(|k| KpiKind::Custom(*k)))
        .map(|k| (k.key(), k, kpi_name(w, k, lang)))
        .collect()
}

/// A tier's scorecard: KPIs, weights (sum shown, must be 100 %), curves, goals.
#[component]
fn TemplateEditor(period: Memo<sales_tiers_core::calendar::Period>) -> impl IntoView {
    let s = use_app();
    // The tier chosen; one that is not (or no longer) in the workspace gives the bottom tier.
    let chosen: RwSignal<Option<Id>> = RwSignal::new(None);
    let tier = Memo::new(move |_| {
        let c = chosen.get();
        s.ws.with(|w| c.filter(|t| w.tiers.contains_key(t)).or_else(|| w.tiers_in_order().last().map(|t| t.id)))
    });
    // The draft starts again from the stored template when the tier or what is stored changes.
    let source = Memo::new(move |_| {
        let t = tier.get();
        (t, t.and_then(|t| s.ws.with(|w| w.scorecard_of(t).map(|c| c.lines.clone()))).unwrap_or_default())
    });
    view! {
        <div class="card" data-testid="template-editor">
            <h3>{move || s.t(T::ScorecardTemplate)}</h3>
            <div class="panel-form">
                <label><span class="muted small">{move || s.t(T::Tier)}</span>
                    {id_select(
                        Signal::derive(move || s.ws.with(|w| w.tiers_in_order().iter().map(|t| (t.id, t.name.get(s.lang.get()).to_string())).collect())),
                        tier.into(),
                        Callback::new(move |t| chosen.set(t)),
                        "card-tier",
                        None,
                        true,
                        None,
                    )}
                </label>
            </div>
            {move || {
                let (t, lines) = source.get();
                view! { <TemplateDraft tier=t lines=lines period=period/> }
            }}
        </div>
    }
}

/// The lines of one tier's template being edited, with the weights' sum,
/// the first line that does not read and the ratings the draft would give.
#[component]
fn TemplateDraft(tier: Option<Id>, lines: Vec<KpiLine>, period: Memo<sales_tiers_core::calendar::Period>) -> impl IntoView {
    let s = use_app();
    // (kpi, weight text, curve, goal text)
    type Line = (KpiKind, String, Curve, String);
    let as_rows = move |lines: &[KpiLine]| -> Vec<Line> {
        lines.iter().map(|l| (l.kpi, percent_input(l.weight_bp), l.curve.clone(), goal_input(l.kpi, l.goal))).collect()
    };
    let rows: RwSignal<Vec<Line>> = RwSignal::new(as_rows(&lines));
    // Bumped when lines come or go or a line's KPI or curve changes: the table
    // is drawn again then, not on each keystroke (the focus stays put).
    let shape = RwSignal::new(0u64);
    let reshape = move |f: &dyn Fn(&mut Vec<Line>)| {
        rows.update(|r| f(r));
        shape.update(|g| *g += 1);
    };
    let sum = move || rows.with(|r| r.iter().map(|x| parse_percent(&x.1).unwrap_or(0)).sum::<u32>());
    // The draft's lines, or the first line that does not read and why.
    let draft = Memo::new(move |_| rows.with(|r| scorecard_lines(r)));
    let preview = Memo::new(move |_| {
        // Ratings of this tier with the draft weights, before saving.
        let t = tier?;
        let lines: Vec<KpiLine> = draft.get().ok()?;
        let (year, p, today) = (s.year.get(), period.get(), s.today());
        s.with_index(|w, ix| {
            let d = PeriodData::new(w, ix, year, p, today);
            let cards = scorecards(w, &d, Some((t, &lines)));
            let mut counts = vec![0usize; w.performance.bands.len()];
            for (id, c) in &cards {
                if w.people.get(id).is_some_and(|p| p.tier == t) {
                    if let Some(r) = c.rating {
                        counts[r] += 1;
                    }
                }
            }
            Some(counts)
        })
    });
    let error: RwSignal<Option<Refusal>> = RwSignal::new(None);
    let save = move |_| {
        let (Some(t), Ok(lines)) = (tier, draft.get_untracked()) else { return };
        if let Err(e) = s.try_dispatch(Edit::SetScorecard { tier: t, lines }) {
            error.set(Some(refusal(|l| e.message(l))));
        }
    };
    let initial = lines.clone();
    view! {
        <div class="table-scroll">
        <table class="table">
            {table_head([Col::Text(T::Kpi), Col::Num(T::WeightPct), Col::Text(T::Curve), Col::Text(T::CurveParams), Col::Text(T::Goal), Col::Blank])}
            <tbody>
                {move || {
                    let lang = s.lang.get();
                    let choices = s.ws.with(|w| kpi_choices(w, lang));
                    shape.track();
                    rows.get_untracked().into_iter().enumerate().map(|(i, (kpi, weight, curve, goal))| {
                        let kind = curve_kind(&curve);
                        let params = match &curve {
                            Curve::Linear { cap_bp } => T::CurveCap.fill(lang, &[&points(*cap_bp)]),
                            Curve::Threshold { floor_bp, cap_bp } => T::CurveFloorCap.fill(lang, &[&points(*floor_bp), &points(*cap_bp)]),
                            Curve::Banded { bands } => bands.iter().map(|(a, sc)| format!("≥{}%→{}", points(*a), points(*sc))).collect::<Vec<_>>().join(" "),
                        };
                        let ch = choices.clone();
                        view! {
                            <tr data-testid="kpi-line">
                                <td><select data-testid="kpi-kind" aria-label=T::Kpi.get(lang) on:change=move |ev| {
                                    let key = event_target_value(&ev);
                                    if let Some((_, k, _)) = ch.iter().find(|c| c.0 == key) { let k = *k; reshape(&|r| { r[i].0 = k; r[i].3 = goal_input(k, k.default_goal()); }); }
                                }>
                                    {choices.iter().map(|(key, k, name)| view! { <option value=key.clone() prop:selected=*k == kpi>{name.clone()}</option> }).collect_view()}
                                </select></td>
                                <td class="num"><input type="text" inputmode="decimal" class="short" data-testid="kpi-weight" aria-label=T::WeightPct.get(lang) prop:value=weight
                                    on:input=move |ev| { let v = event_target_value(&ev); rows.update(|r| r[i].1 = v); }/></td>
                                <td><select data-testid="kpi-curve" aria-label=T::Curve.get(lang) on:change=move |ev| {
                                    let c = match event_target_value(&ev).as_str() {
                                        "threshold" => Curve::default_threshold(),
                                        "banded" => Curve::default_banded(),
                                        _ => Curve::default(),
                                    };
                                    reshape(&|r| r[i].2 = c.clone());
                                }>
                                    {["linear", "threshold", "banded"].into_iter().map(|k| view! { <option value=k prop:selected=k == kind>{curve_label(k, lang)}</option> }).collect_view()}
                                </select></td>
                                <td class="small">{params}</td>
                                <td>{kpi.has_goal().then(|| view! {
                                    <input type="text" inputmode="decimal" class="short" data-testid="kpi-goal" title=T::GoalHint.get(lang) aria-label=T::Goal.get(lang) prop:value=goal.clone() on:input=move |ev| { let v = event_target_value(&ev); rows.update(|r| r[i].3 = v); }/>
                                })}</td>
                                <td><button class="btn small ghost" data-testid="remove-kpi-line" aria-label=T::Remove.get(lang) on:click=move |_| reshape(&|r| { if i < r.len() { r.remove(i); } })>"×"</button></td>
                            </tr>
                        }
                    }).collect_view()
                }}
            </tbody>
        </table>
        </div>
        <div class="form-actions">
            <button class="btn small" data-testid="add-kpi-line" on:click=move |_| reshape(&|r| r.push((KpiKind::WinRate, "0".into(), Curve::default(), goal_input(KpiKind::WinRate, KpiKind::WinRate.default_goal()))))>{move || s.t(T::AddKpiLine)}</button>
            <span data-testid="weights-sum" class=move || if sum() == 10_000 { "badge ok" } else { "badge bad" }>
                {move || format!("{} {}%", s.t(T::WeightSum), points(sum()))}
            </span>
            <span class="muted small" data-testid="draft-ratings">{move || {
                let lang = s.lang.get();
                preview.get().map(|counts| s.ws.with(|w| {
                    let parts: Vec<String> = w.performance.bands.iter().zip(counts).map(|(b, c)| format!("{} {c}", b.name.get(lang))).collect();
                    format!("{}{}", T::DraftRatings.get(lang), parts.join(" · "))
                }))
            }}</span>
            {move || draft.get().err().map(|(i, e)| {
                let lang = s.lang.get();
                view! { <span class="result err" role="alert" data-testid="line-problem">{crate::i18n::labelled(lang, T::CsvLine.fill(lang, &[&(i + 1)]), e.message(lang))}</span> }
            })}
            {move || error.get().map(|(zh, en)| view! { <span class="result err" role="alert" data-testid="scorecard-error">{if s.lang.get() == Lang::Zh { zh } else { en }}</span> })}
            <div class="spacer"></div>
            <button class="btn" on:click=move |_| { let lines = as_rows(&initial); error.set(None); reshape(&|r| *r = lines.clone()); }>{move || s.t(T::Cancel)}</button>
            <button class="btn primary" data-testid="save-scorecard" disabled=move || sum() != 10_000 || draft.with(|l| l.is_err()) on:click=save>{move || s.t(T::Save)}</button>
        </div>
    }
}

/// Manual KPI figures per person and period, kept with who entered them.
#[component]
fn ManualEntries(period: Memo<sales_tiers_core::calendar::Period>) -> impl IntoView {
    let s = use_app();
    let person: RwSignal<Option<Id>> = RwSignal::new(None);
    let kpi: RwSignal<KpiKind> = RwSignal::new(KpiKind::Strategic);
    let actual = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(false);
    let manual = move || {
        let lang = s.lang.get();
        s.ws.with(|w| kpi_choices(w, lang).into_iter().filter(|(_, k, _)| k.is_manual()).collect::<Vec<_>>())
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(p) = person.get_untracked() else { return };
        let k = kpi.get_untracked();
        // Only reading the numbers here; what they may be is core's rule (check_entry).
        let figures = if k == KpiKind::Strategic {
            parse_percent(&actual.get_untracked()).ok().map(|a| (a as i64, 10_000))
        } else {
            actual.get_untracked().trim().parse::<i64>().ok().zip(target.get_untracked().trim().parse::<i64>().ok())
        };
        let (year, pr) = (s.year.get_untracked(), period.get_untracked());
        let by = s.who();
        let saved = figures.is_some_and(|figures| {
            s.dispatch(Edit::SetKpiEntry { person: p, kpi: k, year, period: pr, figures: Some(figures), note: note.get_untracked(), by })
        });
        error.set(!saved);
        if saved {
            actual.set(String::new());
            target.set(String::new());
            note.set(String::new());
        }
    };
    let entries = move || {
        let lang = s.lang.get();
        let (year, p) = (s.year.get(), period.get());
        let scope = s.scope();
        s.ws.with(|w| {
            let mut v: Vec<_> = w
                .kpi_entries
                .values()
                .filter(|e| e.year == year && e.period == p)
                .filter(|e| w.people.get(&e.person).is_some_and(|x| scope.as_ref().is_none_or(|u| u.contains(&x.unit))))
                .map(|e| {
                    let value = if e.kpi == KpiKind::Strategic {
                        format!("{}%", points(e.actual as u32))
                    } else {
                        format!("{} / {}", e.actual, e.target)
                    };
                    let by =
                        e.by.map(|b| w.person_name(Some(b), lang))
                            .filter(|n| !n.is_empty())
                            .unwrap_or_else(|| T::Unknown.get(lang).to_string());
                    (
                        e.person,
                        e.kpi,
                        w.person_name(Some(e.person), lang),
                        kpi_name(w, e.kpi, lang),
                        value,
                        by,
                        e.note.clone(),
                        e.updated_at.format("%Y-%m-%d").to_string(),
                    )
                })
                .collect();
            v.arrange_by(|a, b| a.2.cmp(&b.2));
            v
        })
    };
    view! {
        <div class="card" data-testid="manual-entries">
            <h3>{move || s.t(T::ManualKpis)}</h3>
            <form class="form-grid" on:submit=save>
                <label><span>{move || s.t(T::Person)}</span>
                    <PersonSelect value=person on_change=Callback::new(move |p| person.set(p)) testid="entry-person"/></label>
                <label><span>{move || s.t(T::Kpi)}</span>
                    <select data-testid="entry-kpi" on:change=move |ev| { let key = event_target_value(&ev); if let Some((_, k, _)) = manual().into_iter().find(|c| c.0 == key) { kpi.set(k); } }>
                        {move || manual().into_iter().map(|(key, k, name)| view! { <option value=key prop:selected=k == kpi.get_untracked()>{name}</option> }).collect_view()}
                    </select></label>
                <label><span>{move || if kpi.get() == KpiKind::Strategic { s.t(T::CompletionPct) } else { s.t(T::Actual) }}</span>
                    <input type="text" inputmode="decimal" data-testid="entry-actual" prop:value=move || actual.get() on:input=move |ev| actual.set(event_target_value(&ev))/></label>
                <Show when=move || kpi.get() != KpiKind::Strategic>
                    <TextField label=T::Target value=target testid="entry-target" inputmode="numeric"/>
                </Show>
                <TextField label=T::Note value=note maxlength=SHORT_MAX wide=true/>
                <div class="form-actions wide">
                    <Show when=move || error.get()><span class="result err" data-testid="entry-error">{move || s.t(T::BadKpiEntry)}</span></Show>
                    <div class="spacer"></div>
                    <button type="submit" class="btn primary" data-testid="save-entry">{move || s.t(T::Save)}</button>
                </div>
            </form>
            <table class="table compact">
                {table_head([Col::Text(T::Person), Col::Text(T::Kpi), Col::Num(T::Value), Col::Text(T::EnteredByCol), Col::Blank])}
                <tbody>
                    {move || entries().into_iter().map(|(pid, k, name, kname, value, by, note, day)| {
                        let (year, p) = (s.year.get_untracked(), period.get_untracked());
                        view! {
                            <tr data-testid="entry-row">
                                <td>{name}</td><td>{kname}</td><td class="num">{value}</td>
                                <td class="small">{by}" · "{day}{(!note.is_empty()).then(|| format!(" · {note}"))}</td>
                                <td><button class="btn small ghost" on:click=move |_| { s.dispatch(Edit::SetKpiEntry { person: pid, kpi: k, year, period: p, figures: None, note: String::new(), by: None }); }>{move || s.t(T::Remove)}</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Rating bands: name, lowest score and the calibration guideline share.
#[component]
fn BandsEditor() -> impl IntoView {
    let s = use_app();
    let rows: RwSignal<Vec<(String, String, String)>> = RwSignal::new(Vec::new());
    let load = move || {
        let lang = s.lang.get_untracked();
        rows.set(s.ws.with_untracked(|w| {
            w.performance
                .bands
                .iter()
                .map(|b| (b.name.get(lang).to_string(), percent_input(b.min_bp), percent_input(b.guideline_bp)))
                .collect()
        }));
    };
    load();
    let shape = Memo::new(move |_| rows.with(|r| r.len()));
    let error = RwSignal::new(false);
    let save = move |_| {
        let mut bands = Vec::new();
        for (name, min, guide) in rows.get_untracked() {
            match (parse_percent(&min).ok(), parse_percent(&guide).ok()) {
                (Some(min_bp), Some(guideline_bp)) if !name.trim().is_empty() => {
                    bands.push(Band { name: Text::both(name.trim()), min_bp, guideline_bp })
                }
                _ => {
                    error.set(true);
                    return;
                }
            }
        }
        error.set(!s.dispatch(Edit::SetBands { bands }));
    };
    view! {
        <table class="table compact" data-testid="bands">
            {table_head([Col::Text(T::Rating), Col::Num(T::MinScore), Col::Num(T::GuidelinePct)])}
            <tbody>
                {move || { shape.get(); rows.get_untracked() }.into_iter().enumerate().map(|(i, (name, min, guide))| {
                    // Named by column and band number (the band's name is one of its fields).
                    let named = move |col: T| T::FieldOf.fill(s.lang.get_untracked(), &[&s.t(col), &(i + 1)]);
                    view! {
                    <tr>
                        <td><input type="text" class="short" maxlength="20" aria-label=named(T::Rating) prop:value=name on:input=move |ev| { let v = event_target_value(&ev); rows.update(|r| r[i].0 = v); }/></td>
                        <td class="num"><input type="text" inputmode="decimal" class="short" data-testid="band-min" aria-label=named(T::MinScore) prop:value=min on:input=move |ev| { let v = event_target_value(&ev); rows.update(|r| r[i].1 = v); }/></td>
                        <td class="num"><input type="text" inputmode="decimal" class="short" aria-label=named(T::GuidelinePct) prop:value=guide on:input=move |ev| { let v = event_target_value(&ev); rows.update(|r| r[i].2 = v); }/></td>
                    </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <div class="form-actions">
            <Show when=move || error.get()><span class="result err">{move || s.t(T::BadBands)}</span></Show>
            <div class="spacer"></div>
            <button class="btn small" on:click=move |_| load()>{move || s.t(T::Cancel)}</button>
            <button class="btn small primary" data-testid="save-bands" on:click=save>{move || s.t(T::Save)}</button>
        </div>
    }
}
