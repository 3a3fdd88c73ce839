//! Reusable view pieces.

pub mod banners;
pub mod common;
pub mod crm;
pub mod perf;
pub mod person_form;
pub mod plan_bar;
