//! One module per area of the app.

pub mod chart;
pub mod data;
pub mod grades;
pub mod overview;
pub mod people;
pub mod tiers;
