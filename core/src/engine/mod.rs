//! Pure functions over the document.

pub mod crm;
pub mod grading;
pub mod incentive;
pub mod merge;
pub mod org;
pub mod perf;
pub mod plan;
pub mod scorecard;
pub mod validate;
