//! A counter: the smallest Leptos app that paints something and reacts.
use leptos::prelude::*;

fn main() {
    mount_to_body(|| {
        let count = RwSignal::new(0);
        view! {
            <main>
                <h1>"Counter"</h1>
                <button data-testid="count" on:click=move |_| count.update(|n| *n += 1)>{move || count.get()}</button>
            </main>
        }
    })
}
