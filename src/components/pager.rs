//! Paging for long lists (customers, deals, people): a page at a time, the
//! count of what the filters keep, and the page kept in the URL.

use crate::i18n::T;
use crate::state::use_app;
use leptos::prelude::*;

/// Rows on a page.
pub const PAGE_SIZE: usize = 50;

/// The page actually shown: `page` (from 1) brought within the pages `total` rows fill.
pub fn clamp(page: usize, total: usize) -> usize {
    page.clamp(1, total.div_ceil(PAGE_SIZE).max(1))
}

/// The rows of page `page` of `items`.
pub fn slice<T: Clone>(items: &[T], page: usize) -> Vec<T> {
    let start = (clamp(page, items.len()) - 1) * PAGE_SIZE;
    items.iter().skip(start).take(PAGE_SIZE).cloned().collect()
}

/// "1–50 of 312" with previous / next page buttons (hidden when it all fits).
#[component]
pub fn Pager(
    #[prop(into)] total: Signal<usize>,
    #[prop(into)] page: Signal<usize>,
    on_change: Callback<usize>,
    testid: &'static str,
) -> impl IntoView {
    let s = use_app();
    let current = move || clamp(page.get(), total.get());
    let pages = move || total.get().div_ceil(PAGE_SIZE).max(1);
    let range = move || {
        let n = total.get();
        let first = if n == 0 { 0 } else { (current() - 1) * PAGE_SIZE + 1 };
        let last = (current() * PAGE_SIZE).min(n);
        s.tf(T::RowsShown, &[&first, &last, &n])
    };
    view! {
        <nav class="pager" data-testid=testid aria-label=move || s.t(T::Pages)>
            <span class="muted small" data-testid="pager-count" aria-live="polite">{range}</span>
            <Show when=move || { pages() > 1 }>
                <button class="btn small ghost" data-testid="pager-prev" disabled=move || { current() <= 1 } on:click=move |_| on_change.run(current() - 1)>
                    {move || s.t(T::PreviousPage)}
                </button>
                <span class="muted small" data-testid="pager-page">{move || s.tf(T::PageOf, &[&current(), &pages()])}</span>
                <button class="btn small ghost" data-testid="pager-next" disabled=move || { current() >= pages() } on:click=move |_| on_change.run(current() + 1)>
                    {move || s.t(T::NextPage)}
                </button>
            </Show>
        </nav>
    }
}
