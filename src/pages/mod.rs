//! One module per area of the app.

pub mod budget;
pub mod capacity;
pub mod chart;
pub mod data;
pub mod grades;
pub mod overview;
pub mod people;
pub mod scenarios;
pub mod targets;
pub mod tiers;
