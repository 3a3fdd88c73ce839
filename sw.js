// Sales Tiers offline: after the first visit the app opens with no network.
//
// - The page (any address: the app routes in the browser) is fetched from
//   the network first, so a new build is picked up at once; offline, the
//   last copy of "/" answers.
// - The build's files (hashed names: a new build has new names) are served
//   from the cache first and stored as they are fetched; on install, the
//   files the current page names are stored, so the very first visit is
//   enough. Files no page names any more are dropped when a newer page is
//   stored. The manifest and icons (fixed names) are fetched again each
//   time the page is stored.
// - A new build changes this file (the build step writes the build's id
//   below), so the browser installs the new worker, which stores the new
//   page and files and takes over; a page still running the old build is
//   told (the app offers a reload) and nothing is reloaded for the user.
// - Nothing else is touched: the workspace lives in localStorage, not here.
const BUILD = "dev";
const CACHE = "sales-tiers-app";
const FIXED = ["/manifest.webmanifest", "/icons/icon.svg", "/icons/icon-192.png", "/icons/icon-512.png", "/icons/maskable-512.png"];

/** The build files a page names (script, wasm, css: /name-<hash>.ext); not this worker's own script. */
function assetsOf(html) {
  const out = new Set();
  for (const m of html.matchAll(/["'](\/[^"'?#]+\.(?:js|wasm|css))["']/g)) if (m[1] !== "/sw.js") out.add(m[1]);
  return [...out];
}

/** Stores the page and the files it names; drops files it no longer names. */
async function storePage(response) {
  const cache = await caches.open(CACHE);
  const html = await response.clone().text();
  const assets = assetsOf(html);
  await cache.put("/", response);
  await Promise.all(
    assets.map(async (a) => {
      if (!(await cache.match(a))) {
        const r = await fetch(a, { cache: "no-store" });
        if (r.ok) await cache.put(a, r);
      }
    }),
  );
  await Promise.all(
    FIXED.map(async (f) => {
      const r = await fetch(f, { cache: "no-store" }).catch(() => undefined);
      if (r && r.ok) await cache.put(f, r);
    }),
  );
  for (const req of await cache.keys()) {
    const path = new URL(req.url).pathname;
    if (path !== "/" && !assets.includes(path) && !FIXED.includes(path)) await cache.delete(req);
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
    event.respondWith(
      fetch(req)
        .then((r) => {
          if (r.ok) event.waitUntil(storePage(r.clone()).catch(() => undefined));
          return r;
        })
        .catch(async () => (await caches.match("/")) || Response.error()),
    );
    return;
  }
  if ((/\.(?:js|wasm|css)$/.test(url.pathname) && url.pathname !== "/sw.js") || FIXED.includes(url.pathname)) {
    event.respondWith(
      caches.match(url.pathname).then(
        (hit) =>
          hit ||
          fetch(req).then(async (r) => {
            if (r.ok) await (await caches.open(CACHE)).put(url.pathname, r.clone());
            return r;
          }),
      ),
    );
  }
});
