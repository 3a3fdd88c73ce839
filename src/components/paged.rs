//! Pages left without waiting for their teardown. Leaving a big page (the
//! targets matrix at 1,000 people: ~1,700 fields, each with its listeners
//! and reactive attributes) dropped all of it inside the click that left,
//! before the next page could paint: ~40 ms of a sidebar click. A page
//! built with [`paged`] is held here instead; when a link or the browser's
//! back and forward buttons take the reader to another page, its effects
//! are paused first, then its DOM leaves with the route as before, its
//! owner is cleaned up at once (its `on_cleanup`s run, its signals go), and
//! what is left of it (its elements, listeners and effects, now inert) is
//! dropped once the new page is painted and the browser is idle.
//!
//! The pause is what makes the delay safe: an effect still alive but
//! reading a signal already disposed would panic if something it also
//! reads (the document, the language) changed in between. Pausing stops
//! every effect under the page from running again. A page left some other
//! way (a route change made by code) is not paused and is dropped at once.

use leptos::prelude::*;
use leptos::tachys::view::any_view::AnyViewState;
use leptos::tachys::view::{Mountable, Render};

struct Held {
    id: u64,
    /// The page's path when it was built: leaving means going elsewhere.
    path: String,
    owner: Owner,
    /// What builds the page, until its host is built.
    build: Option<Box<dyn FnOnce() -> AnyViewState>>,
    state: Option<AnyViewState>,
}

thread_local! {
    static HELD: std::cell::RefCell<Vec<Held>> = const { std::cell::RefCell::new(Vec::new()) };
    static NEXT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// `page` built under an owner of its own and held here (see the module):
/// use it as a route's view, `view=|| paged(PeoplePage)`.
pub fn paged<V: IntoView + 'static>(page: fn() -> V) -> impl IntoView {
    let id = NEXT.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    let owner = Owner::new();
    // Built with its host, where the router builds a route's view: the
    // router changes the address first (building it here, in the route's
    // view function, put the page before that, and the browser then had
    // the new page's style worked out twice).
    let build = Box::new(move || page().into_any().build());
    // The route's path (the address bar may not show it yet).
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    HELD.with_borrow_mut(|h| h.push(Held { id, path, owner, build: Some(build), state: None }));
    on_cleanup(move || retire(id));
    view! { <div class="page-host" use:mount_held=id></div> }
}

/// Builds the held page `id` under its owner and puts it into its host
/// element, as that is built.
fn mount_held(el: web_sys::Element, id: u64) {
    let Some((owner, build)) =
        HELD.with_borrow_mut(|h| h.iter_mut().find(|p| p.id == id).and_then(|p| Some((p.owner.clone(), p.build.take()?))))
    else {
        return;
    };
    // Not borrowed meanwhile: building a page may build others' hosts.
    let mut state = owner.with(build);
    state.mount(&el, None);
    HELD.with_borrow_mut(|h| match h.iter_mut().find(|p| p.id == id) {
        Some(p) => p.state = Some(state),
        None => drop(state),
    });
}

/// The route of page `id` is gone: a paused page's remains are dropped
/// after the next page is painted, when the browser is idle (not in the
/// steps that build the new page's long lists), any other's now.
fn retire(id: u64) {
    let Some(mut page) = HELD.with_borrow_mut(|h| h.iter().position(|p| p.id == id).map(|i| h.remove(i))) else { return };
    // Out of its host (gone with the route already): cheap, and without
    // it the page's nodes outlived it (nav.spec: ~30,000 more nodes alive
    // after each round of the sidebar at the demo).
    if let Some(state) = page.state.as_mut() {
        state.unmount();
    }
    if page.owner.paused() {
        crate::browser::after_next_paint(move || crate::browser::when_idle(move || drop(page)));
    } else {
        drop(page);
    }
}

/// The reader is about to go to `path`: pauses every held page built for
/// another path. The router changes the route within the same task; a
/// page still here after the next paint was not left after all (the
/// route did not change) and goes on. Call it before the router hears of
/// the navigation (see [`install`]).
pub fn leaving(path: &str) {
    let pausing: Vec<(u64, Owner)> = HELD.with_borrow(|h| h.iter().filter(|p| p.path != path).map(|p| (p.id, p.owner.clone())).collect());
    for (id, owner) in pausing {
        owner.pause();
        crate::browser::after_next_paint(move || {
            if let Some(owner) = HELD.with_borrow(|h| h.iter().find(|p| p.id == id).map(|p| p.owner.clone())) {
                owner.resume();
            }
        });
    }
}

/// Listens, on the window and before the router does (call it before the
/// router is built), for what makes the router change the page: a click
/// on a link it follows, and the back and forward buttons.
pub fn install() {
    use wasm_bindgen::{closure::Closure, JsCast};
    let Some(window) = web_sys::window() else { return };
    let click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(|ev: web_sys::MouseEvent| {
        if let Some(path) = followed_link(&ev) {
            leaving(&path);
        }
    });
    let popstate = Closure::<dyn Fn(web_sys::Event)>::new(|_: web_sys::Event| leaving(&crate::browser::path()));
    let _ = window.add_event_listener_with_callback("click", click.as_ref().unchecked_ref());
    let _ = window.add_event_listener_with_callback("popstate", popstate.as_ref().unchecked_ref());
    // For the page's lifetime, as the router's own listeners.
    click.forget();
    popstate.forget();
}

/// The path a click takes the router to, when it follows it: the checks
/// are the router's own (leptos_router's anchor click), run just before it.
fn followed_link(ev: &web_sys::MouseEvent) -> Option<String> {
    use wasm_bindgen::JsCast;
    if ev.default_prevented() || ev.button() != 0 || ev.meta_key() || ev.alt_key() || ev.ctrl_key() || ev.shift_key() {
        return None;
    }
    // The outermost link on the event's path, as the router picks.
    let composed = ev.composed_path();
    let a = (0..composed.length()).rev().find_map(|i| composed.get(i).dyn_into::<web_sys::HtmlAnchorElement>().ok())?;
    let rel = a.get_attribute("rel").unwrap_or_default();
    if !a.target().is_empty() || a.href().is_empty() || a.has_attribute("download") || rel.split([' ', '\t']).any(|p| p == "external") {
        return None;
    }
    let url = web_sys::Url::new(&a.href()).ok()?;
    let here = web_sys::window()?.location().origin().ok()?;
    (url.origin() == here).then(|| url.pathname())
}
