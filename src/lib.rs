//! Sales Tiers web app: only UI and browser glue. Every rule lives in
//! `sales_tiers_core`.

pub mod app;
pub mod browser;
pub mod components;
pub mod focus;
pub mod i18n;
pub mod pages;
pub mod sealing;
pub mod state;
pub mod storage;
pub mod url;

/// Mounts the app on `<body>`.
pub fn run() {
    console_error_panic_hook::set_once();
    // The whole start: open the store, build the state, paint the first page.
    browser::timed("start", || leptos::mount::mount_to_body(app::App));
}
