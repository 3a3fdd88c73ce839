//! Small browser helpers: time, random ids, downloads, language.

use sales_tiers_core::{Id, Lang};
use wasm_bindgen::JsCast;

pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// Runs `f` as a named span of the page's User Timing
/// (`performance.measure("sales-tiers:<name>")`): the start's steps show in
/// the browser's performance panel, and the in-browser benches read them.
pub fn timed<R>(name: &str, f: impl FnOnce() -> R) -> R {
    let start = perf_now();
    let r = f();
    span(name, start);
    r
}

/// The page's clock in milliseconds (`performance.now()`), 0 without one.
pub fn perf_now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Records a User Timing span named `sales-tiers:<name>` from `start`
/// (a [`perf_now`] reading) to now; it may cover several tasks. Only the
/// last span of a name is kept in the page (one per edit would pile up
/// over a day); traces see every one.
pub fn span(name: &str, start: f64) {
    let Some(p) = web_sys::window().and_then(|w| w.performance()) else { return };
    let name = format!("sales-tiers:{name}");
    p.clear_measures_with_measure_name(&name);
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"start".into(), &start.into());
    let _ = js_sys::Reflect::set(&options, &"end".into(), &p.now().into());
    let measure = js_sys::Reflect::get(&p, &"measure".into()).ok().and_then(|m| m.dyn_into::<js_sys::Function>().ok());
    if let Some(m) = measure {
        let _ = m.call2(&p, &name.into(), &options);
    }
}

/// A fresh v4 id from the browser's CSPRNG.
pub fn new_id() -> Id {
    let mut bytes = [0u8; 16];
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    match crypto {
        Some(c) if c.get_random_values_with_u8_array(&mut bytes).is_ok() => {}
        _ => {
            for b in bytes.iter_mut() {
                *b = (js_sys::Math::random() * 256.0) as u8;
            }
        }
    }
    Id::from_random_bytes(bytes)
}

/// `N` bytes from the browser's CSPRNG; None when it is not available (no
/// fallback: keys, salts and nonces are never made from a weaker source).
pub fn random_bytes<const N: usize>() -> Option<[u8; N]> {
    let mut bytes = [0u8; N];
    let crypto = web_sys::window().and_then(|w| w.crypto().ok())?;
    crypto.get_random_values_with_u8_array(&mut bytes).ok()?;
    Some(bytes)
}

/// The file chosen in a file input's change event, with the input (to
/// clear it, so the same file can be picked again).
pub fn pick_file(ev: &web_sys::Event) -> Option<(web_sys::HtmlInputElement, web_sys::File)> {
    let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())?;
    let file = input.files().and_then(|f| f.get(0))?;
    Some((input, file))
}

/// The browser's preferred language.
pub fn browser_lang() -> Lang {
    web_sys::window().and_then(|w| w.navigator().language()).map(|t| Lang::from_tag(&t)).unwrap_or(Lang::En)
}

/// The page's language and title (the tab, the window list, bookmarks)
/// follow the chosen language.
pub fn set_document_lang(lang: Lang) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(el) = doc.document_element() {
        let _ = el.set_attribute("lang", lang.tag());
    }
    doc.set_title(lang.pick("销售分级管理 · Sales Tiers", "Sales Tiers · 销售分级管理"));
}

/// Keeps what the browser scrolls into view (a control reached with Tab,
/// a link's target) clear of the sticky top bar and the notices under it:
/// the page's `scroll-padding-top` follows their height.
pub fn keep_clear_of_top_stack() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let (Some(html), Ok(Some(stack))) = (doc.document_element(), doc.query_selector(".top-stack")) else { return };
    let Ok(stack) = stack.dyn_into::<web_sys::HtmlElement>() else { return };
    let height = stack.offset_height();
    let _ = html.set_attribute("style", &format!("--top-inset: {}px", height + 12));
}

/// Whether the element `selector` finds holds the keyboard focus or has
/// the pointer over it.
pub fn is_held(selector: &str) -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return false };
    doc.query_selector(selector).ok().flatten().is_some_and(|el| el.matches(":focus-within, :hover").unwrap_or(false))
}

/// Offers `text` as a file download.
pub fn download(file_name: &str, mime: &str, text: &str) {
    download_bytes(file_name, mime, text.as_bytes());
}

/// Reads a picked or dropped file as text (UTF-8).
pub async fn read_file(file: web_sys::File) -> Result<String, (String, String)> {
    // The bytes copied into the wasm and checked as UTF-8 there: `File.text()`
    // would decode them into a JS string only for wasm-bindgen to encode it
    // back (two passes over a 20 MB file).
    // A byte-order mark is dropped, as `text()` drops it. Bytes that are not
    // UTF-8 (a file saved again as GBK) are refused: replaced by U+FFFD they
    // would turn every Chinese name of a file without a checksum into "�".
    // An image, a workbook or an archive is told as such, not as text in
    // another encoding.
    use crate::i18n::T;
    let both = |t: T| (t.get(Lang::Zh).to_string(), t.get(Lang::En).to_string());
    let mut bytes = read_bytes(file)
        .await
        .map_err(|e| (format!("{}{e}", T::ReadFailed.get(Lang::Zh)), format!("{} {e}", T::ReadFailed.get(Lang::En))))?;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if sales_tiers_core::io::looks_binary(&bytes) {
        return Err(both(T::NotTextFile));
    }
    String::from_utf8(bytes).map_err(|_| both(T::NotUtf8))
}

/// Offers raw bytes (e.g. a CSV with its BOM) as a file download.
pub fn download_bytes(file_name: &str, mime: &str, bytes: &[u8]) {
    let arr = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&arr);
    let props = web_sys::BlobPropertyBag::new();
    props.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &props) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let doc = web_sys::window().and_then(|w| w.document());
    if let Some(a) = doc.and_then(|d| d.create_element("a").ok()).and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok()) {
        a.set_href(&url);
        a.set_download(file_name);
        a.click();
    }
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(5),
    );
}

/// Reads a picked file as bytes (CSV files may be GBK, not UTF-8).
pub async fn read_bytes(file: web_sys::File) -> Result<Vec<u8>, String> {
    let buf = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await.map_err(|e| format!("{e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

/// Runs `f` when the browser is idle (requestIdleCallback, at most a
/// second later), or after a short timeout where that is missing: small
/// background steps that never hold up input or painting.
pub fn when_idle(f: impl FnOnce() + 'static) {
    let cb = wasm_bindgen::closure::Closure::once_into_js(f);
    let Some(w) = web_sys::window() else { return };
    let ric = js_sys::Reflect::get(&w, &wasm_bindgen::JsValue::from_str("requestIdleCallback"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match ric {
        Some(ric) => {
            let options = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&options, &"timeout".into(), &wasm_bindgen::JsValue::from_f64(1000.0));
            let _ = ric.call2(&w, &cb, &options);
        }
        None => {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), 50);
        }
    }
}

/// The page's path ("/targets"), without the query.
pub fn path() -> String {
    web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default()
}

/// Asks for permission to show notifications; `done` is told whether they
/// are allowed (false where the browser has no notifications).
pub fn ask_notifications(done: leptos::prelude::Callback<bool>) {
    use leptos::prelude::Callable;
    use wasm_bindgen::closure::Closure;
    if web_sys::Notification::permission() == web_sys::NotificationPermission::Granted {
        done.run(true);
        return;
    }
    let Ok(promise) = web_sys::Notification::request_permission() else {
        done.run(false);
        return;
    };
    let ok = Closure::once(move |v: wasm_bindgen::JsValue| done.run(v.as_string().as_deref() == Some("granted")));
    let no = Closure::once(move |_: wasm_bindgen::JsValue| done.run(false));
    let _ = promise.then2(&ok, &no);
    ok.forget();
    no.forget();
}

/// Shows a notification when they are allowed; nothing otherwise.
pub fn notify(title: &str, body: &str) {
    if web_sys::Notification::permission() != web_sys::NotificationPermission::Granted {
        return;
    }
    let opts = web_sys::NotificationOptions::new();
    opts.set_body(body);
    opts.set_tag("sales-tiers-tasks");
    let _ = web_sys::Notification::new_with_options(title, &opts);
}

/// Runs `f` once the next frame is painted: a timeout set in a frame's
/// callback runs after that frame, so what a change draws is on screen
/// before `f`'s work starts.
pub fn after_next_paint(f: impl FnOnce() + 'static) {
    leptos::prelude::request_animation_frame(move || leptos::prelude::set_timeout(f, std::time::Duration::ZERO));
}

/// Removes the splash index.html shows while the app loads and the store
/// is read (once the app has mounted, in the same task). The copy of the
/// last screen it may show instead stays over the app for two frames
/// more: what the app's pages work out after their first paint
/// (`reveal::after_paint`: a stale-deals count, the payout cost) is in
/// the copy already, and would blink empty. Clicks pass through the copy
/// to the app beneath. The page is told the app is up
/// (`salesTiersSnapshot.started`: the browser's own scroll restoration is
/// back on for the entries to come).
pub fn remove_splash() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(el) = doc.get_element_by_id("splash") {
        el.remove();
    }
    if let Some(copy) = doc.get_element_by_id("snapshot") {
        let _ = copy.class_list().add_1("over");
        after_next_paint(move || leptos::prelude::request_animation_frame(move || copy.remove()));
    }
    let _ = snapshot_call("started", &js_sys::Array::new());
}

/// Calls index.html's `salesTiersSnapshot[method](args…)` (the copy of the
/// last screen); None where it is missing.
fn snapshot_call(method: &str, args: &js_sys::Array) -> Option<wasm_bindgen::JsValue> {
    let window = web_sys::window()?;
    let api = js_sys::Reflect::get(&window, &"salesTiersSnapshot".into()).ok()?;
    let f = js_sys::Reflect::get(&api, &method.into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    f.apply(&api, args).ok()
}

/// Keeps a copy of the screen as it is now, for the next start to show
/// while the app loads (`salesTiersSnapshot.save`, which also drops copies
/// of any other stored state). Nothing where it is missing.
pub fn keep_screen() {
    let _ = snapshot_call("save", &js_sys::Array::new());
}

/// Runs `f` once index.html has put up the copy of the last screen, or
/// found none, or after `ms` (`salesTiersSnapshot.until`); at once where
/// that is missing.
pub fn after_copy(ms: u32, f: impl FnOnce() + 'static) {
    match snapshot_call("until", &js_sys::Array::of1(&ms.into())).and_then(|p| p.dyn_into::<js_sys::Promise>().ok()) {
        Some(p) => wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(p).await;
            f();
        }),
        None => f(),
    }
}

/// Is the page hidden (another tab in front, the window minimised, the
/// page being left)?
pub fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| js_sys::Reflect::get(&d, &"visibilityState".into()).ok())
        .and_then(|v| v.as_string())
        .is_some_and(|v| v == "hidden")
}

/// Names in the reader's alphabetical order, as ranks: Chinese by pinyin
/// (王 before 张, where code points put 张 first), case and accents as a
/// dictionary has them, numbers by value ("Team 2" before "Team 10"). One
/// sort by the browser's `Intl.Collator`; compare ranks, not strings.
/// Names the collator calls equal ("Team 01", "Team 1") go by code point,
/// so the order is one and the same however it was reached.
#[derive(Clone, Debug, PartialEq)]
pub struct NameOrder {
    ranks: rustc_hash::FxHashMap<String, u32>,
    /// The distinct names in order, kept for [`NameOrder::memo`]'s next run.
    sorted: Vec<String>,
    lang: Lang,
}

/// The reader's collator (numbers by value), made once per language.
fn collator(lang: Lang) -> js_sys::Intl::Collator {
    thread_local! {
        static MADE: std::cell::RefCell<Vec<(Lang, js_sys::Intl::Collator)>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    MADE.with_borrow_mut(|made| {
        if let Some((_, c)) = made.iter().find(|(l, _)| *l == lang) {
            return c.clone();
        }
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"numeric".into(), &true.into());
        let c = js_sys::Intl::Collator::new(&js_sys::Array::of1(&lang.tag().into()), &options);
        made.push((lang, c.clone()));
        c
    })
}

/// `compare` (a collator's) on two names, as an ordering.
fn collated(compare: &js_sys::Function, a: &wasm_bindgen::JsValue, b: &wasm_bindgen::JsValue) -> std::cmp::Ordering {
    let r = compare.call2(&wasm_bindgen::JsValue::NULL, a, b).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    r.partial_cmp(&0.0).unwrap_or(std::cmp::Ordering::Equal)
}

impl NameOrder {
    pub fn of<'a>(names: impl IntoIterator<Item = &'a str>, lang: Lang) -> NameOrder {
        let list = js_sys::Array::new();
        // Fx, not SipHash: the names are the reader's own, and hashing
        // 1,200 of them twice was a tenth of a rename at 1,000 people.
        let mut seen = rustc_hash::FxHashSet::default();
        for n in names {
            if seen.insert(n) {
                list.push(&wasm_bindgen::JsValue::from_str(n));
            }
        }
        let compare = collator(lang).compare();
        // The browser's own sort (the collator called from it, not from
        // the wasm), then runs of equal names by code point.
        if let Ok(sort) = js_sys::Reflect::get(&list, &"sort".into()).and_then(|f| f.dyn_into::<js_sys::Function>()) {
            let _ = sort.call1(&list, &compare);
        }
        let values: Vec<wasm_bindgen::JsValue> = list.iter().collect();
        let mut sorted: Vec<String> = values.iter().filter_map(|v| v.as_string()).collect();
        let mut i = 0;
        while i < sorted.len() {
            let mut j = i + 1;
            while j < values.len() && collated(&compare, &values[j - 1], &values[j]).is_eq() {
                j += 1;
            }
            if j - i > 1 {
                let mut run: Vec<String> = sorted.drain(i..j).collect();
                sales_tiers_core::sort::Arrange::arrange(&mut run);
                sorted.splice(i..i, run);
            }
            i = j;
        }
        NameOrder::ranked(sorted, lang)
    }

    fn ranked(sorted: Vec<String>, lang: Lang) -> NameOrder {
        let ranks = sorted.iter().zip(0u32..).map(|(s, i)| (s.clone(), i)).collect();
        NameOrder { ranks, sorted, lang }
    }

    /// A name order that sorts again only when `names` (reader's language
    /// and the names, cheap to list) gives something else: a list re-reads
    /// on every document change, and most changes rename nothing (a team
    /// moved, a deal won): the browser's sort is then not run at all. When
    /// a few names changed (a rename, a person added), they are put in
    /// their places in the last order instead of sorting every name again.
    pub fn memo(names: impl Fn() -> (Lang, Vec<String>) + Send + Sync + 'static) -> leptos::prelude::Memo<NameOrder> {
        use leptos::prelude::*;
        let listed = Memo::new(move |_| names());
        Memo::new_owning(move |prev: Option<NameOrder>| {
            listed.with(|(lang, names)| {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                if let Some(NameOrder { mut sorted, lang: was, .. }) = prev.filter(|p| p.lang == *lang) {
                    let compare = collator(was).compare();
                    let cmp = |a: &str, b: &str| collated(&compare, &a.into(), &b.into()).then_with(|| a.cmp(b));
                    if sales_tiers_core::sort::resort_few(&mut sorted, &names, 32, cmp) {
                        return (NameOrder::ranked(sorted, was), true);
                    }
                }
                (NameOrder::of(names, *lang), true)
            })
        })
    }

    /// Where `name` sorts (a name not given to [`NameOrder::of`] goes last).
    pub fn rank(&self, name: &str) -> u32 {
        self.ranks.get(name).copied().unwrap_or(u32::MAX)
    }
}

/// Scrolls `el` just into view, whichever way is nearest.
pub fn scroll_nearest(el: &web_sys::Element) {
    scroll_into_view(el, web_sys::ScrollLogicalPosition::Nearest);
}

/// Scrolls `el` into view: as little as needed up or down, and sideways
/// to `inline`.
pub fn scroll_into_view(el: &web_sys::Element, inline: web_sys::ScrollLogicalPosition) {
    let opts = web_sys::ScrollIntoViewOptions::new();
    opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
    opts.set_inline(inline);
    el.scroll_into_view_with_scroll_into_view_options(&opts);
}

/// Focuses the first element `selector` finds, once one is drawn (looked
/// for `tries` times, 30 ms apart, see [`when_drawn`]).
pub fn focus_when_drawn(selector: String, tries: u32) {
    when_drawn(selector, tries, 0, |el| {
        crate::focus::focus_element(el);
    });
}

/// Does `act` on the first element `selector` finds, once one is drawn
/// (looked for `tries` times, 30 ms apart after the first, `ms` from now).
pub fn when_drawn(selector: String, tries: u32, ms: u64, act: fn(&web_sys::Element)) {
    leptos::prelude::set_timeout(
        move || {
            let el = web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector(&selector).ok().flatten());
            match el {
                Some(el) => act(&el),
                None if tries > 1 => when_drawn(selector, tries - 1, 30, act),
                None => {}
            }
        },
        std::time::Duration::from_millis(ms),
    );
}
