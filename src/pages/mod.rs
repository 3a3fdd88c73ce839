//! One module per area of the app.

pub mod data;
pub mod overview;
