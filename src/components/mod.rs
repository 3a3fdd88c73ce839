//! Reusable view pieces.

pub mod banners;
pub mod cell;
pub mod common;
pub mod crm;
pub mod filters;
pub mod form;
pub mod format;
pub mod paged;
pub mod pager;
pub mod perf;
pub mod person_form;
pub mod plan_bar;
pub mod reveal;
pub mod rows;
pub mod tree;
pub mod work;
