//! Pure functions over the document, in layers; each module uses only
//! those above it in this list (no import cycles). Below them all, and
//! below the model itself, are `crate::calendar` (fiscal periods, keys,
//! labels) and `crate::num` (exact arithmetic, the one rounding rule, how
//! numbers are written).
//!
//! ```text
//! org · pick                tree walks, members, the one roll-up walk;
//!                           records picked by typing their name
//! index                     the org by position, deals and activities by
//!                           day: built once per document change, shared
//! chart                     the org chart's tidy layout
//! validate · merge          document rules; record-by-record merge
//! plan                      targets (cascade, rollup), budget, capacity
//! crm                       pipeline, forecast categories, actuals, funnel
//! track · work              plan against actual: standings, on-track, coverage;
//!                           daily work: activity counts, stale deals, tasks, timelines
//! scorecard · incentive     KPI curves and scores; pay mechanics, pool splits
//! perf                      a period's scorecards and payout statements
//! grading                   manager grades and promotion candidates
//! home                      each tier's home page, from the figures above
//! exchange                  branch files: what is in a branch, merge review
//! ```

pub mod chart;
pub mod crm;
pub mod exchange;
pub mod grading;
pub mod home;
pub mod incentive;
pub mod index;
pub mod merge;
pub mod org;
pub mod perf;
pub mod pick;
pub mod plan;
pub mod scorecard;
pub mod track;
pub mod validate;
pub mod work;
