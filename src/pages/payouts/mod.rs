//! Payouts: the director's summary (payout cost per unit against the
//! personnel budget), every person's statement with each line's formula,
//! the deals and the scorecard behind it (printable, CSV), incentive plans
//! with a live what-if before saving, bonus pools and SPIFs.

mod plans;
mod pools;
mod spifs;
mod statement;
mod summary;

use crate::components::filters::PeriodPicker;
use crate::components::perf::current_period;
use crate::components::plan_bar::PlanBar;
use crate::i18n::T;
use crate::state::use_app;
use crate::url;
use leptos::prelude::*;
use sales_tiers_core::engine::perf::Payouts;
use sales_tiers_core::model::*;
use sales_tiers_core::Lang;

/// Payouts shared between the page's parts; equal only to itself, so a
/// recompute always repaints and nothing compares the big maps.
pub(super) type Shared = crate::state::Shared<Payouts>;

pub(super) fn frequency_label(f: Frequency, lang: Lang) -> &'static str {
    match f {
        Frequency::Month => T::Monthly.get(lang),
        Frequency::Quarter => T::Quarterly.get(lang),
        Frequency::Year => T::Yearly.get(lang),
    }
}

#[component]
pub fn PayoutsPage() -> impl IntoView {
    let s = use_app();
    let current = current_period(&s);
    let (period, set_period) = url::period_state(move || current);
    // The year's and the current quarter's are shared (with the home page, with Scorecards).
    let pay = Memo::new(move |_| s.payouts_of(period.get()));
    view! {
        <section class="page payouts-page">
            <h2 class="page-title no-print">{move || s.t(T::NavPayouts)}</h2>
            <p class="muted no-print">{move || s.t(T::PayoutsIntro)}</p>
            <div class="no-print">
                <PlanBar no_scenario=true>
                    <PeriodPicker period=period on_change=set_period testid="pay-period"/>
                </PlanBar>
            </div>
            <summary::Summary pay=pay period=period/>
            <statement::StatementCard pay=pay period=period/>
            <plans::Plans pay=pay/>
            <div class="grid2 no-print">
                <pools::Pools period=period/>
                <spifs::Spifs/>
            </div>
        </section>
    }
}
