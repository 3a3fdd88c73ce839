//! Reusable view pieces.

pub mod banners;
