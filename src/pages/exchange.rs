//! Exchange between managers on the Data page: who am I, send a branch,
//! send it back, merge a file after a review, and the exchange log. The
//! rules (what is in a branch, conflicts, refusals) are core's
//! (`engine::exchange`); this shows them.

use crate::browser;
use crate::components::common::Modal;
use crate::components::filters::{id_select, UnitSelect};
use crate::i18n::T;
use crate::state::{use_app, AppState, NoticeKind};
use leptos::prelude::*;
use sales_tiers_core::engine::exchange::{self, Op, Review};
use sales_tiers_core::model::{ExchangeAction, ExchangeEntry, Side};
use sales_tiers_core::sort::{Arrange, Gather};
use sales_tiers_core::{io, Id, Lang, Workspace};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A file read and reviewed, waiting for Apply or Cancel: the review in
/// both languages (labels and values are written in one).
pub struct Pending {
    theirs: Arc<Workspace>,
    /// The file's signature, checked when it was read.
    signed: Option<sales_tiers_core::io::seal::Signed>,
    zh: Review,
    en: Review,
}

impl Pending {
    fn review(&self, lang: Lang) -> &Review {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// The review waiting on the Data page, shared by its cards.
#[derive(Clone, Copy)]
pub struct ExchangeUi {
    pub pending: RwSignal<Option<Arc<Pending>>>,
    /// The last outcome of reading a file: (ok, zh, en).
    pub result: RwSignal<Option<(bool, String, String)>>,
    /// A file to open (replacing the workspace), waiting for Open or Cancel.
    pub opening: RwSignal<Option<Arc<crate::pages::data::Opening>>>,
}

impl Default for ExchangeUi {
    fn default() -> ExchangeUi {
        ExchangeUi { pending: RwSignal::new(None), result: RwSignal::new(None), opening: RwSignal::new(None) }
    }
}

/// Downloads a branch file, logs it and says so; or says why it could not be made.
fn write_branch(s: AppState, made: Result<(Workspace, String), exchange::ExchangeError>, action: ExchangeAction) {
    if s.refuse_export_if_blocked() {
        return;
    }
    let now = browser::now();
    match made {
        Ok((b, workspace)) => {
            let lang = s.lang.get_untracked();
            let root = b.branch.as_ref().map(|x| x.root);
            let unit_name = root.and_then(|r| b.units.get(&r)).map(|u| u.name.get(lang).to_string()).unwrap_or_default();
            let name = io::branch_file_name(&workspace, &unit_name, now.date_naive(), action == ExchangeAction::SentBack);
            let entry = exchange::sent_entry(&b, action, browser::new_id(), now, s.sender(), String::new());
            let text = io::write(&b, now, false);
            let shown = name.clone();
            crate::sealing::deliver(s, name, text, move || {
                s.log_exchange(entry.clone());
                s.notify_fill(NoticeKind::Success, T::SentBranch, &[&shown]);
            });
        }
        Err(e) => s.notify(NoticeKind::Error, e.message(Lang::Zh), e.message(Lang::En)),
    }
}

/// Writes `unit`'s branch as a file to download and logs it as sent.
pub fn send_branch(s: AppState, unit: Id) {
    let made =
        s.ws.with_untracked(|w| exchange::extract(w, unit, browser::now(), s.sender()).map(|b| (b, w.settings.workspace_name.clone())));
    write_branch(s, made, ExchangeAction::Sent);
}

/// Writes this branch workspace back for the manager above and logs it.
/// The file says who sent it: "who am I" must be chosen.
fn send_back(s: AppState) {
    if s.sender().is_none() {
        s.notify_key(NoticeKind::Error, T::NeedMeToSend);
        return;
    }
    let made = s.ws.with_untracked(|w| {
        exchange::send_back(w, browser::now(), s.sender()).map(|b| {
            let workspace = w.branch.as_ref().map(|x| x.workspace_name.clone()).unwrap_or_default();
            (b, workspace)
        })
    });
    write_branch(s, made, ExchangeAction::SentBack);
}

/// Reviews a file (unlocked first when it is locked) against the workspace.
pub fn review_text(s: AppState, ui: ExchangeUi, text: String) {
    crate::sealing::open_text(s, text, move |t| review_plain(s, ui, &t), move |(zh, en)| ui.result.set(Some((false, zh, en))));
}

/// Reviews a file's text against the workspace: the review dialog opens,
/// or the reason it cannot be merged is shown.
pub fn review_plain(s: AppState, ui: ExchangeUi, text: &str) {
    let fail = |zh: String, en: String| ui.result.set(Some((false, zh, en)));
    let (theirs, info) = match io::read(text) {
        Ok(x) => x,
        Err(e) => {
            return fail(
                format!("{}{}", T::MergeFailed.get(Lang::Zh), e.message(Lang::Zh)),
                format!("{} {}", T::MergeFailed.get(Lang::En), e.message(Lang::En)),
            )
        }
    };
    let at = info.exported_at.unwrap_or_else(browser::now);
    let sum = info.checksum.clone().unwrap_or_default();
    let reviews = s.ws.with_untracked(|w| {
        let zh = exchange::review(w, &theirs, &sum, at, Lang::Zh)?;
        let en = exchange::review(w, &theirs, &sum, at, Lang::En)?;
        Ok::<_, exchange::ExchangeError>((zh, en))
    });
    match reviews {
        Ok((zh, en)) => {
            ui.result.set(None);
            ui.pending.set(Some(Arc::new(Pending { theirs: Arc::new(theirs), signed: info.signed, zh, en })));
        }
        Err(e) => fail(
            format!("{}{}", T::ReviewInvalid.get(Lang::Zh), e.message(Lang::Zh)),
            format!("{} {}", T::ReviewInvalid.get(Lang::En), e.message(Lang::En)),
        ),
    }
}

/// Who am I · send a branch · send back · merge a file.
#[component]
pub fn ExchangeCard() -> impl IntoView {
    let s = use_app();
    let ui = expect_context::<ExchangeUi>();
    let unit = RwSignal::new(None::<Id>);
    let branch = Memo::new(move |_| s.ws.with(|w| w.branch.clone()));
    let unsent = Memo::new(move |_| s.ws.with(exchange::unsent));
    // Rebuilt when the list changes, not on every edit.
    let people = Memo::new(move |_| {
        let lang = s.lang.get();
        s.ws.with(|w| {
            let mut v: Vec<_> = w
                .people
                .values()
                .filter(|p| p.status != sales_tiers_core::model::Status::Left)
                .map(|p| {
                    let tier = w.tiers.get(&p.tier).map(|t| (t.order, t.name.get(lang).to_string())).unwrap_or((u32::MAX, String::new()));
                    let unit = w.units.get(&p.unit).map(|u| u.name.get(lang).to_string()).unwrap_or_default();
                    (tier.0, p.name.get(lang).to_string(), p.id, format!("{} · {} · {}", p.name.get(lang), tier.1, unit))
                })
                .collect();
            let order = crate::browser::NameOrder::of(v.iter().map(|x| x.1.as_str()), lang);
            v.arrange_by_cached_key(|(tier, name, id, _)| (*tier, order.rank(name), *id));
            v.into_iter().map(|(_, _, id, l)| (id, l)).collect::<Vec<_>>()
        })
    });
    let on_merge_pick = move |ev: leptos::ev::Event| {
        let Some((input, file)) = browser::pick_file(&ev) else { return };
        input.set_value("");
        leptos::task::spawn_local(async move {
            match browser::read_file(file).await {
                Ok(text) => review_text(s, ui, text),
                Err((zh, en)) => ui.result.set(Some((
                    false,
                    format!("{}{zh}", T::MergeFailed.get(Lang::Zh)),
                    format!("{} {en}", T::MergeFailed.get(Lang::En)),
                ))),
            }
        });
    };
    view! {
        <article class="card wide" data-testid="exchange-card">
            <h3>{move || s.t(T::ExchangeTitle)}</h3>
            <p class="muted">{move || s.t(T::ExchangeBody)}</p>
            <div class="form">
                <label class="who-pick">
                    <span>{move || s.t(T::WhoAmI)}</span>
                    // Its thousand options as one piece of HTML (see KeySelect): built
                    // as views they were ~13 ms of opening this page at 1,000 people.
                    {id_select(people.into(), s.me.into(), Callback::new(move |p| s.set_me(p)), "who-am-i", Some(T::WhoAmINone), false, None)}
                </label>
                <p class="muted small">{move || s.t(T::WhoAmIHelp)}</p>
                <crate::pages::data::EncryptOption/>
            </div>
            {move || branch.get().is_some().then(|| {
                let c = unsent.get();
                let what = if c.total() == 0 { s.t(T::NothingUnsent).to_string() } else { exchange::counts_words(&c, s.lang.get()) };
                view! {
                    <div class="exchange-row">
                        <h4>{move || s.t(T::SendBack)}</h4>
                        <p class="muted" data-testid="unsent">{s.tf(T::SendBackBody, &[&what])}</p>
                        <button class="btn primary" data-testid="send-back" on:click=move |_| send_back(s)>{move || s.t(T::SendBack)}</button>
                    </div>
                }
            })}
            <div class="exchange-row">
                <h4>{move || s.t(T::SendBranchTitle)}</h4>
                <p class="muted">{move || s.t(T::SendBranchBody)}</p>
                <div class="inline-form">
                    <UnitSelect value=unit on_change=Callback::new(move |u| unit.set(u)) testid="branch-unit" label=Some(T::Unit)/>
                    <button class="btn" data-testid="send-branch" prop:disabled=move || unit.get().is_none()
                        on:click=move |_| if let Some(u) = unit.get_untracked() { send_branch(s, u) }>{move || s.t(T::SendBranchButton)}</button>
                </div>
            </div>
            <div class="exchange-row">
                <h4>{move || s.t(T::MergeTitle)}</h4>
                <p class="muted">{move || s.t(T::MergeBody)}</p>
                <label class="btn">
                    {move || s.t(T::MergeButton)}
                    <input type="file" accept=".json,application/json" class="visually-hidden" data-testid="merge-file" on:change=on_merge_pick/>
                </label>
                {move || ui.result.get().map(|(ok, zh, en)| view! {
                    <p class=if ok { "result ok" } else { "result err" } role="alert" data-testid="exchange-result">
                        {if s.lang.get() == Lang::Zh { zh } else { en }}
                    </p>
                })}
            </div>
        </article>
        {move || ui.pending.get().map(|p| view! { <ReviewDialog pending=p/> })}
    }
}

fn op_label(op: Op) -> T {
    match op {
        Op::Added => T::OpAdded,
        Op::Changed => T::OpChanged,
        Op::Deleted => T::OpDeleted,
    }
}

/// Changes shown per unit group before "and N more".
const SHOWN_PER_GROUP: usize = 50;

/// The review: who and when, counts, changes by unit, conflicts with a
/// choice each, refused changes; Apply or Cancel.
#[component]
fn ReviewDialog(pending: Arc<Pending>) -> impl IntoView {
    let s = use_app();
    let ui = expect_context::<ExchangeUi>();
    let choices: RwSignal<BTreeMap<Id, Side>> = RwSignal::new(BTreeMap::new());
    let error: RwSignal<Option<(String, String)>> = RwSignal::new(None);
    let trusting = RwSignal::new(false);
    let confirmed = RwSignal::new(false);
    let p = pending.clone();
    // A file that does not prove its sender is the branch's manager (or
    // above) merges only on an explicit "anyway".
    let held = Memo::new(move |_| {
        let must = s.ws.with(|w| sales_tiers_core::io::seal::must_confirm(w, &p.theirs, p.signed.as_ref(), trusting.get()));
        must && !confirmed.get()
    });
    let close = Callback::new(move |_| ui.pending.set(None));
    let p = pending.clone();
    let head = move || {
        let lang = s.lang.get();
        let r = p.review(lang);
        let what = match &r.branch {
            Some((_, name)) => s.tf(T::ReviewBranch, &[&name.get(lang)]),
            None => s.t(T::ReviewWhole).to_string(),
        };
        let who = r.sender.as_ref().map(|x| x.name.get(lang).to_string()).unwrap_or_else(|| s.t(T::NotSaid).to_string());
        let when = r.file_at.format("%Y-%m-%d %H:%M UTC").to_string();
        let before = r.merged_before.map(|t| s.tf(T::ReviewMergedBefore, &[&t.format("%Y-%m-%d %H:%M")]));
        let empty = r.is_empty();
        let suspect = s.ws.with(|w| sales_tiers_core::io::seal::unsigned_from_a_signer(w, &p.theirs, p.signed.as_ref()).is_some());
        view! {
            <p data-testid="review-head">{s.tf(T::ReviewFrom, &[&what, &who, &when])}</p>
            {before.map(|b| view! { <p class="muted" data-testid="review-before">{b}</p> })}
            {empty.then(|| if suspect {
                // Unsigned in a signer's name: nothing is new by its revisions, but its content may have been changed.
                view! { <p class="result warn" data-testid="review-nothing-new">{s.t(T::ReviewNothingNewSuspect)}</p> }
            } else {
                view! { <p class="result ok" data-testid="review-nothing-new">{s.t(T::ReviewNothingNew)}</p> }
            })}
        }
    };
    let p = pending.clone();
    let counts = move || {
        let lang = s.lang.get();
        let r = p.review(lang);
        (!r.counts.is_empty()).then(|| {
            let rows = r
                .counts
                .iter()
                .map(|(k, c)| {
                    view! {
                        <tr data-kind=format!("{k:?}")>
                            <td>{exchange::kind_plural(*k, lang)}</td>
                            <td class="num">{c.added}</td><td class="num">{c.changed}</td><td class="num">{c.deleted}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <h4>{s.t(T::ReviewCounts)}</h4>
                <table class="table compact" data-testid="review-counts">
                    <thead><tr><th scope="col">{s.t(T::RecordKind)}</th><th scope="col" class="num">{s.t(T::OpAdded)}</th><th scope="col" class="num">{s.t(T::OpChanged)}</th><th scope="col" class="num">{s.t(T::OpDeleted)}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
        })
    };
    let p = pending.clone();
    let changes = move || {
        let lang = s.lang.get();
        let r = p.review(lang);
        if r.changes.is_empty() {
            return None;
        }
        // Grouped by unit, in the review's order (by unit, then kind).
        let mut groups: Vec<(Option<Id>, Vec<&exchange::Change>)> = Vec::new();
        for c in &r.changes {
            match groups.last_mut() {
                Some((u, v)) if *u == c.unit => v.push(c),
                _ => groups.push((c.unit, vec![c])),
            }
        }
        let name = |u: Option<Id>| {
            u.and_then(|u| {
                p.theirs
                    .units
                    .get(&u)
                    .map(|x| x.name.get(lang).to_string())
                    .or_else(|| s.ws.with_untracked(|w| w.units.get(&u).map(|x| x.name.get(lang).to_string())))
            })
            .unwrap_or_else(|| s.t(T::OtherGroup).to_string())
        };
        let view = groups
            .into_iter()
            .map(|(u, list)| {
                let more = list.len().saturating_sub(SHOWN_PER_GROUP);
                let items = list
                    .into_iter()
                    .take(SHOWN_PER_GROUP)
                    .map(|c| {
                        let fields = c
                            .fields
                            .iter()
                            .map(|f| crate::i18n::labelled(lang, &f.field, format!("{} → {}", f.old, f.new)))
                            .chain(c.facts.iter().map(|f| crate::i18n::labelled(lang, &f.field, &f.value)))
                            .collect::<Vec<_>>()
                            .join(T::ListSep.get(lang));
                        view! {
                            <li data-testid="review-change" data-id=c.id.to_string()>
                                <span class=format!("op op-{:?}", c.op).to_lowercase()>{s.t(op_label(c.op))}</span>" "
                                <strong>{c.label.clone()}</strong>
                                <span class="muted">" · "{exchange::kind_plural(c.kind, lang)}</span>
                                {(!fields.is_empty()).then(|| view! { <div class="fields">{fields}</div> })}
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <details open class="review-group">
                        <summary>{name(u)}</summary>
                        <ul class="plain review-list">{items}</ul>
                        {(more > 0).then(|| view! { <p class="muted">{s.tf(T::AndMore, &[&more])}</p> })}
                    </details>
                }
            })
            .collect_view();
        Some(view! { <h4>{s.t(T::ReviewChanges)}</h4>{view} })
    };
    let p = pending.clone();
    let conflicts = move || {
        let lang = s.lang.get();
        let r = p.review(lang);
        if r.conflicts.is_empty() {
            return None;
        }
        let ids: Vec<Id> = r.conflicts.iter().map(|c| c.id).collect();
        let ids2 = ids.clone();
        let rows = r
            .conflicts
            .iter()
            .map(|c| {
                let id = c.id;
                let default = c.default;
                let side = move || choices.with(|m| m.get(&id).copied().unwrap_or(default));
                let mine = if c.mine_deleted {
                    s.t(T::DeletedValue).to_string()
                } else if c.fields.is_empty() {
                    s.t(T::EditedValue).to_string()
                } else {
                    c.fields.iter().map(|f| crate::i18n::labelled(lang, &f.field, &f.old)).collect::<Vec<_>>().join(T::ListSep.get(lang))
                };
                let theirs = if c.theirs_deleted {
                    s.t(T::DeletedValue).to_string()
                } else if c.fields.is_empty() {
                    s.t(T::EditedValue).to_string()
                } else {
                    c.fields.iter().map(|f| crate::i18n::labelled(lang, &f.field, &f.new)).collect::<Vec<_>>().join(T::ListSep.get(lang))
                };
                let group = format!("conflict-{id}");
                view! {
                    <tr data-testid="review-conflict" data-id=id.to_string()>
                        <th scope="row">{c.label.clone()}<div class="muted small">{exchange::kind_plural(c.kind, lang)}</div></th>
                        <td>
                            <label class="choice">
                                <input type="radio" name=group.clone() data-testid="choose-mine" prop:checked=move || side() == Side::Mine
                                    on:change=move |_| choices.update(|m| { m.insert(id, Side::Mine); })/>
                                <span><strong>{s.t(T::MineSide)}</strong>" "<span data-testid="mine-value">{mine}</span></span>
                            </label>
                        </td>
                        <td>
                            <label class="choice">
                                <input type="radio" name=group data-testid="choose-theirs" prop:checked=move || side() == Side::Theirs
                                    on:change=move |_| choices.update(|m| { m.insert(id, Side::Theirs); })/>
                                <span><strong>{s.t(T::TheirsSide)}</strong>" "<span data-testid="theirs-value">{theirs}</span></span>
                            </label>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <h4>{s.t(T::ReviewConflicts)}</h4>
            <div class="modal-actions">
                <button class="btn small" data-testid="all-mine" on:click=move |_| choices.set(ids.iter().map(|i| (*i, Side::Mine)).gather_map())>{s.t(T::AllMine)}</button>
                <button class="btn small" data-testid="all-theirs" on:click=move |_| choices.set(ids2.iter().map(|i| (*i, Side::Theirs)).gather_map())>{s.t(T::AllTheirs)}</button>
            </div>
            <table class="table compact" data-testid="review-conflicts"><tbody>{rows}</tbody></table>
        })
    };
    let p = pending.clone();
    let refused = move || {
        let lang = s.lang.get();
        let r = p.review(lang);
        (!r.refused.is_empty()).then(|| {
            let items = r
                .refused
                .iter()
                .map(|x| {
                    view! {
                        <li data-testid="review-refused" data-id=x.id.to_string()>
                            <strong>{x.label.clone()}</strong>{x.kind.map(|k| format!(" · {}", exchange::kind_plural(k, lang)))}
                            <div class="muted">{x.why.message(lang)}</div>
                        </li>
                    }
                })
                .collect_view();
            view! { <h4>{s.t(T::ReviewRefused)}</h4><ul class="plain review-list refused">{items}</ul> }
        })
    };
    let p = pending.clone();
    let empty = p.zh.is_empty();
    let p = pending.clone();
    let apply = move |_| {
        let now = browser::now();
        let lang = s.lang.get_untracked();
        let review = p.review(lang);
        let chosen = choices.get_untracked();
        // Another tab may have changed the workspace while the review was
        // open: the review is made again, and must still say the same.
        let fresh = s.ws.with_untracked(|w| exchange::review(w, &p.theirs, &review.checksum, review.file_at, lang));
        let review = match fresh {
            Ok(r) if r.same_decisions(review) => r,
            Ok(_) | Err(_) => {
                let e = exchange::ExchangeError::Stale;
                error.set(Some((e.message(Lang::Zh), e.message(Lang::En))));
                return;
            }
        };
        let review = &review;
        if held.get_untracked() {
            return;
        }
        let merged = s.ws.with_untracked(|w| exchange::apply(w, &p.theirs, review, &chosen, now, s.sender(), browser::new_id()));
        // The key recorded on first use goes in with the merge: one undo step.
        let merged = merged.map_err(|e| (e.message(Lang::Zh), e.message(Lang::En))).and_then(|mut next| {
            if trusting.get_untracked() {
                crate::sealing::record_first_use(&mut next, p.signed.as_ref(), s.sender())?;
            }
            Ok(next)
        });
        match merged {
            Ok(next) => {
                let what = review.branch.as_ref().map(|(_, n)| n.get(lang).to_string()).unwrap_or_else(|| s.t(T::ReviewWhole).to_string());
                // The same figures the log keeps for this merge.
                let counts = next.exchange.values().max_by_key(|e| e.updated_at).map(|e| e.counts).unwrap_or_default();
                if s.merge_in(next) {
                    let zh = T::MergedNotice.fill(
                        Lang::Zh,
                        &[
                            &review.branch.as_ref().map(|(_, n)| n.get(Lang::Zh).to_string()).unwrap_or_else(|| what.clone()),
                            &exchange::counts_words(&counts, Lang::Zh),
                        ],
                    );
                    let en = T::MergedNotice.fill(
                        Lang::En,
                        &[
                            &review.branch.as_ref().map(|(_, n)| n.get(Lang::En).to_string()).unwrap_or(what),
                            &exchange::counts_words(&counts, Lang::En),
                        ],
                    );
                    s.notify(NoticeKind::Success, zh, en);
                    ui.pending.set(None);
                }
            }
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <Modal title=Signal::derive(move || s.t(T::ReviewTitle).to_string()) on_close=close>
            <div class="review" data-testid="review">
                {head}
                {if empty {
                    view! { <crate::sealing::SealView signed=pending.signed.clone() theirs=pending.theirs.clone() trusting record_now=true/> }.into_any()
                } else {
                    view! { <crate::sealing::SealView signed=pending.signed.clone() theirs=pending.theirs.clone() trusting confirmed/> }.into_any()
                }}
                {counts}
                {conflicts}
                {refused}
                {changes}
                {move || error.get().map(|(zh, en)| view! { <p class="result err" role="alert" data-testid="review-error">{if s.lang.get() == Lang::Zh { zh } else { en }}</p> })}
                <div class="modal-actions">
                    {(!empty).then(|| view! { <button class="btn primary" data-testid="apply-merge" prop:disabled=move || held.get() on:click=apply>{move || s.t(T::ApplyMerge)}</button> })}
                    <button class="btn ghost" data-testid="cancel-merge" on:click=move |_| close.run(())>{move || s.t(T::Cancel)}</button>
                </div>
            </div>
        </Modal>
    }
}

fn action_label(a: ExchangeAction) -> T {
    match a {
        ExchangeAction::Sent => T::LogSent,
        ExchangeAction::SentBack => T::LogSentBack,
        ExchangeAction::Opened => T::LogOpened,
        ExchangeAction::Merged => T::LogMerged,
    }
}

/// The workspace's log of files sent, opened and merged, newest first.
#[component]
pub fn ExchangeLogCard() -> impl IntoView {
    let s = use_app();
    let entries = Memo::new(move |_| {
        s.ws.with(|w| {
            let mut v: Vec<ExchangeEntry> = w.exchange.values().cloned().collect();
            v.arrange_by(|a, b| b.updated_at.cmp(&a.updated_at).then(b.id.cmp(&a.id)));
            v
        })
    });
    view! {
        <article class="card wide" data-testid="exchange-log">
            <h3>{move || s.t(T::ExchangeLog)}</h3>
            {move || {
                let lang = s.lang.get();
                let list = entries.get();
                if list.is_empty() {
                    return view! { <p class="muted">{s.t(T::LogEmpty)}</p> }.into_any();
                }
                let rows = list.into_iter().map(|e| {
                    let who = [e.by.as_ref(), e.sender.as_ref()].into_iter().flatten().map(|p| p.name.get(lang).to_string()).collect::<Vec<_>>().join(" / ");
                    let conflicts = e.conflicts.iter().map(|c| format!("{} → {}", c.label, s.t(match c.chosen { Side::Mine => T::MineSide, Side::Theirs => T::TheirsSide }))).collect::<Vec<_>>().join("; ");
                    view! {
                        <tr data-testid="log-row" data-action=format!("{:?}", e.action).to_lowercase()>
                            <td>{e.updated_at.format("%Y-%m-%d %H:%M").to_string()}</td>
                            <td>{s.t(action_label(e.action))}</td>
                            <td>{e.branch_name.get(lang).to_string()}</td>
                            <td>{who}</td>
                            <td class="num">{if e.action == ExchangeAction::Sent { e.counts.added.to_string() } else { exchange::counts_text(&e.counts) }}</td>
                            <td>{if conflicts.is_empty() { "—".to_string() } else { conflicts }}</td>
                            <td class="num">{e.refused}</td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <div class="table-wrap">
                        <table class="table compact">
                            <thead><tr>
                                <th scope="col">{s.t(T::ColWhen)}</th><th scope="col">{s.t(T::ColAction)}</th><th scope="col">{s.t(T::ColBranch)}</th>
                                <th scope="col">{s.t(T::ColWho)}</th><th scope="col" class="num">{s.t(T::ColRecords)}</th>
                                <th scope="col">{s.t(T::ColConflicts)}</th><th scope="col" class="num">{s.t(T::ColRefused)}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </article>
    }
}

/// Across every page of a branch workspace: which branch, from whom, and
/// what it is given from above (read-only here).
#[component]
pub fn BranchBanner() -> impl IntoView {
    let s = use_app();
    let info = Memo::new(move |_| {
        let lang = s.lang.get();
        let year = s.year.get();
        s.ws.with(|w| {
            let b = w.branch.as_ref()?;
            let root = w.units.get(&b.root)?;
            let (target, budget) = exchange::given(w, year)?;
            Some((
                root.name.get(lang).to_string(),
                sales_tiers_core::demo::workspace_title(&b.workspace_name, lang),
                b.issued_by.as_ref().map(|x| x.name.get(lang).to_string()).unwrap_or_else(|| T::NotSaid.get(lang).to_string()),
                b.issued_at.format("%Y-%m-%d").to_string(),
                year,
                target.to_string(),
                budget.to_string(),
                b.parent_name.get(lang).to_string(),
            ))
        })
    });
    move || {
        info.get().map(|(unit, ws, from, at, year, target, budget, parent)| {
            view! {
                <div class="banner branch" data-testid="branch-banner">
                    <strong>{s.tf(T::BranchBanner, &[&unit, &ws, &from, &at])}</strong>
                    <span data-testid="given-target">{s.tf(T::TargetGiven, &[&year, &target])}</span>
                    <span data-testid="given-budget">{s.tf(T::BudgetGiven, &[&year, &budget])}</span>
                    {(!parent.is_empty()).then(|| view! { <span data-testid="given-by">{s.tf(T::GivenBy, &[&parent])}</span> })}
                    <span class="muted">{s.t(T::BranchReadOnly)}</span>
                </div>
            }
        })
    }
}
