// Sales Tiers offline: after the first visit the app opens with no network.
//
// - The page (any address: the app routes in the browser) answers from the
//   cache at once, and is fetched again behind it for the next start: a
//   start never waits for the host's round trip (nor for a network that is
//   off). Before the first copy is stored, or for an address that names a
//   file, the network answers.
// - The build's files (hashed names: a new build has new names) are served
//   from the cache first and stored as they are fetched; on install, the
//   files the current page names are stored, so the very first visit is
//   enough. Files no page names any more are dropped when a newer page is
//   stored. The manifest and icons (fixed names) are fetched again each
//   time the page is stored.
// - A new build changes this file (the build step writes the build's id
//   below). The browser looks for it at each start and installs the new
//   worker, which stores the new page and files and takes over; the page
//   still running the old build is told (the app offers a reload) and
//   nothing is reloaded for the user. A change to the page alone (no new
//   files) is picked up by the fetch behind a start, at the next start.
// - The page it serves carries the copy of the last screen the app kept
//   for the address, if any (withCopy; index.html decides whether to show
//   it).
// - Nothing else is touched: the workspace lives in localStorage, not here.
const BUILD = "dev";
const CACHE = "sales-tiers-app";
const COPIES = "sales-tiers-snapshot";
// Each cache opened once per worker: opening is a round trip, and a start
// asks for the page and three files at once.
const opened = {};
const STORE_AFTER_MS = 3000;
const open = (name) => (opened[name] ??= caches.open(name));
const FIXED = ["/manifest.webmanifest", "/icons/icon.svg", "/icons/icon-192.png", "/icons/icon-512.png", "/icons/maskable-512.png"];

/** The build files a page names (script, wasm, css: /name-<hash>.ext); not this worker's own script. */
function assetsOf(html) {
  const out = new Set();
  for (const m of html.matchAll(/["'](\/[^"'?#]+\.(?:js|wasm|css))["']/g)) if (m[1] !== "/sw.js") out.add(m[1]);
  return [...out];
}

/**
 * Stores the page and the files it names; drops files it no longer names.
 * The files first: a page is stored only once every file it names is (a
 * start answered from the cache must find them, with or without network).
 */
async function storePage(response) {
  const cache = await open(CACHE);
  const html = await response.clone().text();
  const assets = assetsOf(html);
  const kept = await Promise.all(
    assets.map(async (a) => {
      if (await cache.match(a)) return true;
      const r = await fetch(a, { cache: "no-store" });
      if (isFile(r)) await cache.put(a, r);
      return isFile(r);
    }),
  );
  if (!kept.every(Boolean)) return;
  await cache.put("/", response);
  await Promise.all(
    FIXED.map(async (f) => {
      const r = await fetch(f, { cache: "no-store" }).catch(() => undefined);
      if (r && isFile(r)) await cache.put(f, r);
    }),
  );
  for (const req of await cache.keys()) {
    const path = new URL(req.url).pathname;
    if (path !== "/" && !assets.includes(path) && !FIXED.includes(path)) await cache.delete(req);
  }
}

/**
 * Whether a response is the build file asked for: a host that answers
 * every unknown path with the page (the SPA fallback) gives a missing
 * file as a 200 of HTML, which must never be kept as the file.
 */
const isFile = (r) => r.ok && !/^text\/html/.test(r.headers.get("content-type") || "");

/** Escapes text for an attribute's value. */
const attr = (t) => t.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/**
 * The copy of the last screen the app kept for this address (index.html
 * keeps them in the "sales-tiers-snapshot" cache) as a template for the
 * page, with the stored state it was taken of (only the page can read
 * localStorage, so the page decides whether to show it). No copy: an empty
 * template, so that the page does not look again.
 */
async function copyFor(url) {
  const none = `<template id="last-screen"></template>`;
  try {
    const copy = await (await open(COPIES)).match(url.pathname + url.search);
    if (!copy) return none;
    const [state, lang, title] = ["x-state", "x-lang", "x-title"].map((h) => attr(copy.headers.get(h) || ""));
    return `<template id="last-screen" data-state="${state}" data-lang="${lang}" data-title="${title}">${await copy.text()}</template>`;
  } catch {
    return none;
  }
}

/**
 * The page with `copy` (a promise of copyFor's template) right after the
 * body tag. The head goes out at once, so the page fetches the build's
 * files while the copy is read; the page unchanged if anything fails.
 */
async function withCopy(response, copy) {
  try {
    const page = await response.clone().text();
    // The body tag itself (after the head: its scripts may name it).
    const at = page.indexOf("<body>", page.indexOf("</head>")) + "<body>".length;
    if (at < "<body>".length) return response;
    const utf8 = new TextEncoder();
    const body = new ReadableStream({
      async start(out) {
        out.enqueue(utf8.encode(page.slice(0, at)));
        out.enqueue(utf8.encode(await copy));
        out.enqueue(utf8.encode(page.slice(at)));
        out.close();
      },
    });
    const headers = new Headers(response.headers);
    headers.delete("content-length");
    headers.delete("content-encoding");
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  } catch {
    return response;
  }
}

/** Waits `ms`. */
const after = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * The page for a navigation, with the copy of its last screen: the stored
 * page at once, fetched again behind it (STORE_AFTER_MS later: storing
 * fetches the fixed files again and writes the cache, not while the page
 * asks for its files). Nothing stored yet, or an address that names a file
 * (an icon opened in a tab): the network, then the stored page if that
 * fails.
 */
async function navigate(event, req, url, copy) {
  const cache = await open(CACHE);
  const route = !/\.[^/]*$/.test(url.pathname);
  const stored = route ? await cache.match("/") : undefined;
  const refresh = (fetched) =>
    event.waitUntil(
      after(STORE_AFTER_MS)
        .then(() => fetched ?? fetch("/", { cache: "no-store" }))
        .then((r) => (r.ok ? storePage(r) : undefined))
        .catch(() => undefined),
    );
  if (stored) {
    refresh();
    return withCopy(stored, copy);
  }
  try {
    const r = await fetch(req);
    if (r.ok && route) refresh(r.clone());
    return r.ok ? withCopy(r, copy) : r;
  } catch {
    const page = await cache.match("/");
    return page ? withCopy(page, copy) : Response.error();
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    fetch("/", { cache: "no-store" })
      .then((r) => (r.ok ? storePage(r) : undefined))
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  if (req.mode === "navigate") {
    // Read while the page is looked up.
    const copy = copyFor(url);
    event.respondWith(navigate(event, req, url, copy));
    return;
  }
  if ((/\.(?:js|wasm|css)$/.test(url.pathname) && url.pathname !== "/sw.js") || FIXED.includes(url.pathname)) {
    event.respondWith(
      open(CACHE).then((c) => c.match(url.pathname)).then(
        (hit) =>
          hit ||
          fetch(req).then(async (r) => {
            if (isFile(r)) await (await open(CACHE)).put(url.pathname, r.clone());
            return r;
          }),
      ),
    );
  }
});
