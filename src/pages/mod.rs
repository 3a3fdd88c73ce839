//! One module per area of the app.

pub mod budget;
pub mod capacity;
pub mod chart;
pub mod customers;
pub mod data;
pub mod exchange;
pub mod forecast;
pub mod grades;
pub mod home;
pub mod keys;
pub mod overview;
pub mod payouts;
pub mod people;
pub mod pipeline;
pub mod scenarios;
pub mod scorecards;
pub mod targets;
pub mod tiers;
pub mod work;
