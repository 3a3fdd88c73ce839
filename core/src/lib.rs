//! Sales Tiers core: the workspace document, its one edit path, validation,
//! the file format and the demo generator. Pure Rust: no browser, no UI.
//! Everything with a rule in it lives here and is tested natively.

pub mod calendar;
pub mod demo;
pub mod edit;
pub mod engine;
pub mod i18n;
pub mod io;
pub mod limits;
pub mod model;
pub mod num;
pub mod sort;
pub mod store;

pub use edit::{apply, Edit, EditError, History, Patch};
pub use i18n::Lang;
pub use model::{Id, Workspace};
