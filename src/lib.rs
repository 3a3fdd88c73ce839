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
    // The stored chunks are read a few per task while the splash of
    // index.html shows; then, in one task, the store opens on what was read,
    // the state is built and the first page painted.
    // A copy of the last screen being put up by index.html goes up first:
    // the store's reading, in long tasks, would hold it back until the app
    // itself was ready. At most COPY_WAIT_MS (the copy is usually up, or
    // known to be missing, before the wasm is).
    browser::after_copy(COPY_WAIT_MS, || {
        storage::read_ahead(|| {
            browser::timed("start", || leptos::mount::mount_to_body(app::App));
            browser::remove_splash();
        })
    });
}

/// How long the start waits at most for the copy of the last screen.
const COPY_WAIT_MS: u32 = 100;
