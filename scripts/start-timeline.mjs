// Where the start's time goes, in the browser (no assertions; prints
// figures): opens a workspace file once, then reloads N times (default 5)
// and reports, per phase, the median time from navigation: the wasm
// fetched (resource timing), compiled and started (the app's first span
// begins), each of the app's spans (User Timing from `browser::timed` /
// `browser::span`, start and end), the copy of the last screen put in the
// page (index.html's salesTiersSnapshot), the org tree put in the DOM by
// the app, and the first screen's largest contentful paint where the
// browser reports one (see below).
// Every reload is a repeat start of a screen the app has kept.
//
// With MINIMAL=URL, also the start-up goal's measure: reloads of ours and
// of the minimal counter alternating, each traced, and the time the first
// screen with content was drawn (the compositor's first DrawFrame after
// the content came into the DOM: the copy or the app's tree for ours, the
// counter for the minimal app), medians and their ratio. (The copy's
// paint never shows as a largest-contentful-paint entry: the browser
// reports a paint at its next frame, and by then the app has replaced
// the copy. DrawFrame is within a few ms of what that entry reports:
// about 2-5 ms before it for both apps' own content.)
// With SW=block, the app's offline worker is not let in (then the copy
// comes from index.html's own read of the cache, later).
// With COPY=off, no copy of the last screen is shown (all are dropped
// before each reload): the start as it was without it.
// Usage: [MINIMAL=URL] [SW=block] [COPY=off] [N=5] node scripts/start-timeline.mjs BASE_URL WORKSPACE_FILE
import { benchArgs, launch, median, openWorkspace } from "./bench-common.mjs";

const { base, file } = benchArgs("start-timeline.mjs");
const browser = await launch();
const context = await browser.newContext({
  locale: "en-US",
  viewport: { width: 1440, height: 900 },
  serviceWorkers: process.env.SW === "block" ? "block" : "allow",
});
// When the copy, the app's tree and the minimal counter came into the DOM
// (a mutation observer's time: before their frame), with a User Timing
// mark at the first of them ("content-in", for the traces); every
// largest-contentful-paint entry's render time.
const observe = () => {
  window.__lcps = [];
  const seen = { copyIn: "#snapshot", treeIn: "[data-testid=tree-row]", countIn: "[data-testid=count]" };
  new MutationObserver((_, obs) => {
    for (const [k, sel] of Object.entries(seen)) {
      if (window["__" + k] !== undefined || !document.querySelector(sel)) continue;
      window["__" + k] = performance.now();
      if (!window.__contentIn) performance.mark((window.__contentIn = "content-in"));
      performance.mark(k);
      // A frame after it has been put together.
      requestAnimationFrame(() => setTimeout(() => (window["__" + k + "Frame"] = true)));
    }
    if (window.__treeIn !== undefined || window.__countIn !== undefined) obs.disconnect();
  }).observe(document, { childList: true, subtree: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__lcps.push(e.renderTime || e.loadTime);
  }).observe({ type: "largest-contentful-paint", buffered: true });
};
await context.addInitScript(observe);
// The first screen painted, as its largest contentful paint: the first
// entry at or after the copy or the app's tree came in (the copy's is
// there only when the browser reported it before the app replaced the
// copy; the first entry may be the splash's). Undefined if none.
const FIRST_PAINT = () => {
  const from = Math.min(window.__copyIn ?? Infinity, window.__treeIn ?? Infinity);
  return window.__lcps.find((t) => t >= from);
};
const SHOWN = () => window.__treeInFrame === true;
const page = await context.newPage();
await openWorkspace(page, base, file);
const noCopy = process.env.COPY === "off";
// A repeat start of a screen the app has kept (it keeps a screen once it
// has settled, 1.5 s unchanged): each start waits for that before the
// next reload (builds without the copy: nothing to wait for).
const kept = async (p) => {
  await p.waitForFunction(() => !window.salesTiersSnapshot || window.salesTiersSnapshot.saves > 0);
  await p.evaluate(() => window.salesTiersSnapshot?.last);
};
// Entries, not the cache: the worker keeps the cache open.
const dropCopies = () =>
  page.evaluate(async () => {
    const c = await caches.open("sales-tiers-snapshot");
    for (const r of await c.keys()) await c.delete(r);
  });
await page.goto(base + "/");
await page.getByTestId("tree-row").first().waitFor();
await kept(page);
const n = Number(process.env.N || 5);
const rows = {};
const note = (name, v) => (rows[name] ??= []).push(v);
for (let i = 0; i < n; i++) {
  if (noCopy) await dropCopies();
  await page.goto(base + "/");
  await page.waitForFunction(SHOWN);
  await page.waitForTimeout(300);
  const shown = await page.evaluate(`({ copy: window.__copyIn, tree: window.__treeIn, lcp: (${FIRST_PAINT})() })`);
  const t = await page.evaluate(() => ({
    wasm: performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"))?.responseEnd ?? NaN,
    js: performance.getEntriesByType("resource").find((e) => e.name.endsWith(".js"))?.responseEnd ?? NaN,
    spans: performance
      .getEntriesByType("measure")
      .filter((e) => e.name.startsWith("sales-tiers:"))
      .map((e) => [e.name.slice("sales-tiers:".length), e.startTime, e.startTime + e.duration]),
  }));
  await kept(page);
  note("js fetched", t.js);
  note("wasm fetched", t.wasm);
  for (const [name, s, e] of t.spans) {
    note(`${name} begins`, s);
    note(`${name} ends`, e);
  }
  if (shown.copy !== undefined) note("copy of the last screen in", shown.copy);
  note("org tree in the DOM", shown.tree);
  if (shown.lcp !== undefined) note("first screen painted (LCP)", shown.lcp);
}

/**
 * Reloads `p` traced until `ready`; when each of `marks` (names of the
 * observer's User Timing marks) was drawn: the page's clock at the mark
 * plus the trace's time from the mark to the first DrawFrame after it.
 */
async function drawn(p, ready, marks) {
  if (p === page && noCopy) await dropCopies();
  await browser.startTracing(p, { categories: ["blink.user_timing", "disabled-by-default-devtools.timeline.frame"] });
  await p.reload();
  await p.waitForFunction(ready);
  // The frames after the content, then quiet (the other app's reload must
  // not share the CPU with this one's work after its first screen).
  await p.waitForTimeout(500);
  const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  const at = await p.evaluate((names) => Object.fromEntries(names.map((m) => [m, performance.getEntriesByName(m, "mark")[0]?.startTime])), marks);
  const out = {};
  for (const m of marks) {
    const mark = events.find((e) => e.name === m && (e.cat || "").includes("user_timing"));
    if (!mark || at[m] === undefined) continue;
    const draw = events.filter((e) => e.name === "DrawFrame" && e.pid === mark.pid && e.ts >= mark.ts).sort((a, b) => a.ts - b.ts)[0];
    if (draw) out[m] = at[m] + (draw.ts - mark.ts) / 1000;
  }
  if (p === page) await kept(p);
  return out;
}

if (process.env.MINIMAL) {
  // Its own window (a second tab of ours would be in the background,
  // where the browser throttles timers and skips frames).
  const miniContext = await browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 900 } });
  await miniContext.addInitScript(observe);
  const mini = await miniContext.newPage();
  await mini.goto(process.env.MINIMAL + "/");
  const ours = [], theirs = [];
  for (let i = 0; i < n; i++) {
    const o = await drawn(page, SHOWN, ["content-in", "copyIn", "treeIn"]);
    const m = await drawn(mini, () => window.__countInFrame === true, ["content-in"]);
    ours.push(o["content-in"]);
    theirs.push(m["content-in"]);
    if (o.copyIn !== undefined) note("alternating: ours, copy drawn", o.copyIn);
    note("alternating: ours, app's tree drawn", o.treeIn);
    note("alternating: ours, first screen drawn", o["content-in"]);
    note("alternating: minimal, first screen drawn", m["content-in"]);
  }
  console.log(`ratio of first screens drawn (medians, alternating, traced): ${(median(ours) / median(theirs)).toFixed(2)}x`);
}
const order = Object.entries(rows).sort((a, b) => median(a[1]) - median(b[1]));
for (const [name, list] of order) {
  console.log(`${name.padEnd(40)} ${median(list).toFixed(0).padStart(6)} ms  (${list.map((x) => x.toFixed(0)).join(", ")})`);
}
await browser.close();
