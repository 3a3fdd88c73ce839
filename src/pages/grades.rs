//! Manager grades and promotion: skills, each tier's ladder of grades with
//! explicit rules, every manager's grade with the reasons, promotion
//! candidates and recording a promotion.

use crate::browser;
use crate::components::common::{table_head, Col, NameList};
use crate::components::reveal::{content_key, reveal};
use crate::i18n::T;
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::engine::grading::{default_ladder, edit_value, explain, factor_name, parse_value, Assessment, Candidate};
use sales_tiers_core::model::{Factor, Rule, Text};
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{Edit, Id, Lang};

fn factor_key(f: Factor) -> &'static str {
    match f {
        Factor::TeamSize => "team_size",
        Factor::TargetManaged => "target_managed",
        Factor::Attainment => "attainment",
        Factor::SkillsAvg => "skills_avg",
        Factor::TenureMonths => "tenure_months",
        Factor::Score => "score",
    }
}

fn factor_of(key: &str) -> Factor {
    Factor::ALL.into_iter().find(|f| factor_key(*f) == key).unwrap_or(Factor::TeamSize)
}

#[component]
pub fn GradesPage() -> impl IntoView {
    let s = use_app();
    let assessments = Memo::new(move |_| {
        let scope = s.scope();
        let all = s.assessments.get();
        s.ws.with(|w| {
            all.values()
                .filter(|a| scope.as_ref().is_none_or(|sc| w.people.get(&a.person).is_some_and(|p| sc.contains(&p.unit))))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="page">
            <h2 class="page-title">{move || s.t(T::NavGrades)}</h2>
            <p class="muted">{move || s.t(T::GradesIntro)}</p>
            <Candidates assessments=assessments/>
            <Ladders/>
            <Managers assessments=assessments/>
            <Skills/>
        </section>
    }
}

fn grade_name(w: &sales_tiers_core::Workspace, g: Option<Id>, lang: Lang) -> String {
    g.and_then(|g| w.grades.get(&g)).map(|g| g.name.get(lang).to_string()).unwrap_or_else(|| "—".into())
}

#[component]
fn Candidates(assessments: Memo<Vec<Assessment>>) -> impl IntoView {
    let s = use_app();
    let note = RwSignal::new(String::new());
    view! {
        <article class="card" data-testid="candidates">
            <h3>{move || s.t(T::PromotionCandidates)}</h3>
            {move || {
                let lang = s.lang.get();
                let list: Vec<Assessment> = assessments.get().into_iter().filter(|a| a.candidate.is_some()).collect();
                if list.is_empty() {
                    return view! { <p class="muted">{T::NoCandidates.get(lang)}</p> }.into_any();
                }
                view! {
                    <div class="table-scroll">
                    <table class="table">
                        {table_head([Col::Text(T::Name), Col::Text(T::Unit), Col::Text(T::RecordedGrade), Col::Text(T::Reason), Col::Blank])}
                        <tbody>
                            {list.into_iter().map(|a| {
                                let (name, unit, recorded, reason, grade) = s.ws.with(|w| {
                                    let p = &w.people[&a.person];
                                    let reason = match &a.candidate {
                                        Some(Candidate::NextGrade { grade }) => T::MeetsGrade.fill(lang, &[&grade_name(w, Some(*grade), lang)]),
                                        Some(Candidate::NextTier { tier }) => {
                                            let t = w.tiers.get(tier).map(|t| t.name.get(lang).to_string()).unwrap_or_default();
                                            T::MeetsNextTier.fill(lang, &[&t])
                                        }
                                        None => String::new(),
                                    };
                                    let grade = match a.candidate { Some(Candidate::NextGrade { grade }) => Some(grade), _ => None };
                                    (p.name.get(lang).to_string(), w.units.get(&p.unit).map(|u| u.name.get(lang).to_string()).unwrap_or_default(), grade_name(w, a.recorded, lang), reason, grade)
                                });
                                let person = a.person;
                                let dn = name.clone();
                                view! {
                                    <tr data-testid="candidate" data-id=person.to_string() data-name=dn>
                                        <td class="strong">{name}</td><td>{unit}</td><td>{recorded}</td><td>{reason}</td>
                                        <td>{grade.map(|g| view! {
                                            <button class="btn small primary" data-testid="record-promotion" on:click=move |_| {
                                                let n = note.get_untracked();
                                                if s.dispatch(Edit::RecordPromotion { person, grade: g, note: n }) { note.set(String::new()); }
                                            }>{T::RecordPromotion.get(lang)}</button>
                                        })}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                    <label class="inline-field"><span class="muted">{T::PromotionNote.get(lang)}</span>
                        <input type="text" data-testid="promotion-note" maxlength="300" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/></label>
                }.into_any()
            }}
        </article>
    }
}

#[component]
fn Ladders() -> impl IntoView {
    let s = use_app();
    let editing: RwSignal<Option<Id>> = RwSignal::new(None);
    view! {
        <article class="card" data-testid="ladders">
            <h3>{move || s.t(T::GradeRules)}</h3>
            {move || {
                let lang = s.lang.get();
                let tiers: Vec<(Id, u32, String, Vec<sales_tiers_core::model::Grade>)> = s.ws.with(|w| {
                    w.tiers_in_order().into_iter().map(|t| (t.id, t.order, t.name.get(lang).to_string(), w.grades_of(t.id).into_iter().cloned().collect())).collect()
                });
                tiers.into_iter().map(|(tier, order, tname, grades)| {
                    let add_defaults = move |_| {
                        let edits = default_ladder(order).into_iter().map(|(name, rules)| Edit::AddGrade { id: browser::new_id(), tier, name, rules }).collect();
                        s.dispatch(Edit::Batch { edits });
                    };
                    let add_grade = move |_| {
                        let id = browser::new_id();
                        if s.dispatch(Edit::AddGrade { id, tier, name: T::NewGrade.text(), rules: vec![] }) { editing.set(Some(id)); }
                    };
                    view! {
                        <div class="ladder" data-testid="ladder" data-tier=tname.clone()>
                            <div class="ladder-head">
                                <strong>{tname.clone()}</strong>
                                <div class="spacer"></div>
                                {grades.is_empty().then(|| view! { <button class="btn small" on:click=add_defaults>{T::AddDefaultLadder.get(lang)}</button> })}
                                <button class="btn small ghost" on:click=add_grade>{T::AddGrade.get(lang)}</button>
                            </div>
                            {if grades.is_empty() {
                                view! { <p class="muted small">{T::NoGrades.get(lang)}</p> }.into_any()
                            } else {
                                grades.into_iter().map(|g| {
                                    let gid = g.id;
                                    if editing.get() == Some(gid) {
                                        view! { <GradeEditor grade=g on_done=Callback::new(move |_| editing.set(None))/> }.into_any()
                                    } else {
                                        let rules = if g.rules.is_empty() {
                                            T::NoRules.get(lang).to_string()
                                        } else {
                                            g.rules.iter().map(|r| {
                                                let win = if r.factor.windowed() && r.periods > 0 { T::OverPeriods.fill(lang, &[&r.periods]) } else { String::new() };
                                                format!("{} ≥ {}{win}", factor_name(r.factor, lang), sales_tiers_core::engine::grading::rule_value(r.factor, r.min, lang))
                                            }).collect::<Vec<_>>().join(T::ListSep.get(lang))
                                        };
                                        view! {
                                            <div class="grade-line" data-testid="grade" data-name=g.name.get(lang).to_string()>
                                                <span class="grade-name">{g.name.get(lang).to_string()}</span>
                                                <span class="grade-rules" data-testid="grade-rules">{rules}</span>
                                                <button class="btn small" data-testid="grade-edit" on:click=move |_| editing.set(Some(gid))>{T::Edit.get(lang)}</button>
                                            </div>
                                        }.into_any()
                                    }
                                }).collect_view().into_any()
                            }}
                        </div>
                    }
                }).collect_view()
            }}
        </article>
    }
}

/// Edits one grade: its names and rules.
#[component]
fn GradeEditor(grade: sales_tiers_core::model::Grade, on_done: Callback<()>) -> impl IntoView {
    let s = use_app();
    let id = grade.id;
    let zh = RwSignal::new(grade.name.zh.clone());
    let en = RwSignal::new(grade.name.en.clone());
    // (factor, threshold text, periods) per rule row.
    let rows: RwSignal<Vec<(Factor, String, u32)>> =
        RwSignal::new(grade.rules.iter().map(|r| (r.factor, edit_value(r.factor, r.min), r.periods)).collect());
    let error = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut rules = Vec::new();
        for (f, text, periods) in rows.get_untracked() {
            match parse_value(f, &text) {
                Some(min) => rules.push(Rule { factor: f, min, periods: if f.windowed() { periods.max(1) } else { 0 } }),
                None => {
                    error.set(true);
                    return;
                }
            }
        }
        if s.dispatch(Edit::UpdateGrade { id, name: Text::new(zh.get_untracked().trim(), en.get_untracked().trim()), rules }) {
            on_done.run(());
        }
    };
    view! {
        <form class="grade-editor" data-testid="grade-editor" on:submit=save>
            <div class="panel-form">
                <input type="text" maxlength="120" data-testid="grade-name-zh" aria-label=move || s.t(T::NameZh) prop:value=move || zh.get() on:input=move |ev| zh.set(event_target_value(&ev))/>
                <input type="text" maxlength="120" data-testid="grade-name-en" aria-label=move || s.t(T::NameEn) prop:value=move || en.get() on:input=move |ev| en.set(event_target_value(&ev))/>
            </div>
            {move || {
                let lang = s.lang.get();
                rows.get().into_iter().enumerate().map(|(i, (f, text, periods))| view! {
                    <div class="panel-form rule-row" data-testid="rule-row">
                        <select data-testid="rule-factor" on:change=move |ev| { let nf = factor_of(&event_target_value(&ev)); rows.update(|r| r[i].0 = nf); }>
                            {Factor::ALL.into_iter().map(|x| view! { <option value=factor_key(x) prop:selected=x == f>{factor_name(x, lang)}</option> }).collect_view()}
                        </select>
                        <span>"≥"</span>
                        <input type="text" inputmode="decimal" class="short" data-testid="rule-min" prop:value=text.clone() on:input=move |ev| { let v = event_target_value(&ev); rows.update(|r| r[i].1 = v); error.set(false); }/>
                        {f.windowed().then(|| view! {
                            <span class="muted">{T::Periods.get(lang)}</span>
                            <input type="number" min="1" max="24" class="short" prop:value=periods.max(1).to_string()
                                on:input=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(1); rows.update(|r| r[i].2 = v); }/>
                        })}
                        <button type="button" class="btn small ghost" aria-label=T::Remove.get(lang) on:click=move |_| rows.update(|r| { r.remove(i); })>"×"</button>
                    </div>
                }).collect_view()
            }}
            <Show when=move || error.get()><p class="result err">{move || s.t(T::BadThreshold)}</p></Show>
            <div class="form-actions">
                <button type="button" class="btn small" data-testid="rule-add" on:click=move |_| rows.update(|r| r.push((Factor::TeamSize, "1".into(), 0)))>{move || s.t(T::AddRule)}</button>
                <button type="button" class="btn small danger" on:click=move |_| { if s.dispatch(Edit::RemoveGrade { id }) { on_done.run(()); } }>{move || s.t(T::RemoveGrade)}</button>
                <div class="spacer"></div>
                <button type="button" class="btn small ghost" on:click=move |_| on_done.run(())>{move || s.t(T::Cancel)}</button>
                <button type="submit" class="btn small primary" data-testid="grade-save">{move || s.t(T::Save)}</button>
            </div>
        </form>
    }
}

#[component]
fn Managers(assessments: Memo<Vec<Assessment>>) -> impl IntoView {
    let s = use_app();
    let open: RwSignal<Option<Id>> = RwSignal::new(None);
    // A row hears of the explanation only when it opens or closes there
    // (every row reading `open` woke them all, 1,000 at 1,000 people).
    let open_at = StoredValue::new(Selector::new(move || open.get()));
    let shown = reveal(move || assessments.with_untracked(|v| v.len()));
    view! {
        <article class="card" data-testid="assessments">
            <h3>{move || s.t(T::ManagerGrades)}</h3>
            <div class="table-scroll">
            <table class="table assessments">
                {table_head([Col::Text(T::Name), Col::Text(T::TierCol), Col::Text(T::Unit), Col::Text(T::Grade), Col::Text(T::RecordedGrade), Col::Text(T::NextStep), Col::Blank])}
                <tbody>
                    // Keyed by what a row shows; a screenful with the page, the rest in the next tasks.
                    <For each=move || {
                        let (lang, n) = (s.lang.get(), shown.get());
                        let mut list = assessments.get();
                        s.ws.with(|w| {
                            list.arrange_by_cached_key(|a| (w.tiers.get(&a.tier).map(|t| t.order), w.people.get(&a.person).map(|p| p.name.zh.clone())));
                            list.into_iter().take(n).filter_map(|a| {
                                let p = w.people.get(&a.person)?;
                                let shows = (
                                    p.name.get(lang).to_string(),
                                    w.tiers.get(&p.tier).map(|t| t.name.get(lang).to_string()).unwrap_or_default(),
                                    w.units.get(&p.unit).map(|u| u.name.get(lang).to_string()).unwrap_or_default(),
                                    grade_name(w, a.grade, lang),
                                    grade_name(w, a.recorded, lang),
                                );
                                Some((content_key(&(&a, &shows, lang)), a, shows, lang))
                            }).collect::<Vec<_>>()
                        })
                    } key=|x| x.0 children=move |(_, a, (name, tier, unit, grade, recorded), lang)| {
                            let person = a.person;
                            // The explanation opens in place: the button keeps the focus.
                            let is_open = move || open_at.with_value(|o| o.selected(&Some(person)));
                            let next = a.next().map(|g| {
                                let missing: Vec<String> = g.checks.iter().filter(|c| c.met == Some(false)).map(|c| explain(c, lang)).collect();
                                if missing.is_empty() { g.name.get(lang).to_string() } else { crate::i18n::labelled(lang, g.name.get(lang), missing.join(T::ListSep.get(lang))) }
                            }).unwrap_or_else(|| T::TopGrade.get(lang).to_string());
                            let ladder = a.ladder.clone();
                            let detail = move || is_open().then(|| view! {
                                <tr class="explain-row"><td colspan="7">
                                    <div class="explain" data-testid="explanation">
                                        {ladder.iter().map(|g| view! {
                                            <div class="explain-grade" class:met=g.met>
                                                <strong>{if g.met { "✓ " } else { "✗ " }} {g.name.get(lang).to_string()}</strong>
                                                <ul>
                                                    {if g.checks.is_empty() { view! { <li class="muted">{T::NoRules.get(lang)}</li> }.into_any() } else {
                                                        g.checks.iter().map(|c| view! { <li class=match c.met { Some(true) => "ok", Some(false) => "miss", None => "nodata" }>{explain(c, lang)}</li> }).collect_view().into_any()
                                                    }}
                                                </ul>
                                            </div>
                                        }).collect_view()}
                                    </div>
                                </td></tr>
                            });
                            let dn = name.clone();
                            view! {
                                <tr data-testid="assessment" data-name=dn.clone()>
                                    <td class="strong">{name}</td><td>{tier}</td><td>{unit}</td>
                                    <td data-testid="computed-grade"><span class="badge grade">{grade}</span>{a.candidate.is_some().then(|| view! { <span class="badge candidate">{T::Candidate.get(lang)}</span> })}</td>
                                    <td>{recorded}</td>
                                    <td class="small" data-testid="next-step">{next}</td>
                                    <td><button class="btn small ghost" data-testid="explain" aria-label=T::WhyFor.fill(lang, &[&dn]) aria-expanded=move || is_open().to_string()
                                        on:click=move |_| open.update(|o| *o = if *o == Some(person) { None } else { Some(person) })>{T::Why.get(lang)}</button></td>
                                </tr>
                                {detail}
                            }
                        }
                    />
                </tbody>
            </table>
            </div>
        </article>
    }
}

#[component]
fn Skills() -> impl IntoView {
    let s = use_app();
    let items =
        Signal::derive(move || s.ws.with(|w| w.skills_in_order().into_iter().map(|k| (k.id, k.name.clone(), None)).collect::<Vec<_>>()));
    view! {
        <article class="card">
            <h3>{move || s.t(T::SkillsTitle)}</h3>
            <p class="muted small">{move || s.t(T::SkillsIntro)}</p>
            <NameList
                items=items
                on_rename=Callback::new(move |(id, name)| s.dispatch(Edit::RenameSkill { id, name }))
                on_remove=Callback::new(move |id| s.dispatch(Edit::RemoveSkill { id }))
                on_add=Callback::new(move |name| s.dispatch(Edit::AddSkill { id: browser::new_id(), name }))
                add_label=T::AddSkill/>
        </article>
    }
}
