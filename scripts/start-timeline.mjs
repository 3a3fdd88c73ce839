// Where the start's time goes, in the browser (no assertions; prints
// figures): opens a workspace file once, then reloads N times (default 5)
// and reports, per phase, the median time from navigation: the wasm
// fetched (resource timing), compiled and started (the app's first span
// begins), each of the app's spans (User Timing from `browser::timed` /
// `browser::span`, start and end), the copy of the last screen put in the
// page (index.html's salesTiersSnapshot), the org tree put in the DOM by
// the app and the frame after it, and the first screen's largest
// contentful paint (the copy's, when one is shown; else the app's).
// With MINIMAL=URL, also the minimal counter's first-screen paint and the
// ratio (see the end).
// With SW=block, the app's offline worker is not let in (what it costs a
// repeat visit: compare with and without).
// With COPY=off, no copy of the last screen is shown (it is dropped before
// each reload): the start as it was without it.
// Usage: [MINIMAL=URL] [SW=block] [COPY=off] node scripts/start-timeline.mjs BASE_URL WORKSPACE_FILE
import { benchArgs, launch, median, openWorkspace } from "./bench-common.mjs";

const { base, file } = benchArgs("start-timeline.mjs");
const browser = await launch();
const context = await browser.newContext({
  locale: "en-US",
  viewport: { width: 1440, height: 900 },
  serviceWorkers: process.env.SW === "block" ? "block" : "allow",
});
// The copy of the last screen and the app's org tree in the DOM (a
// mutation observer's time: before their frame is painted), the frame
// after the tree (its requestAnimationFrame time), and every largest-
// contentful-paint entry's render time (the frame's own clock, no polling
// delay; `__lcp` is the last).
const observe = () => {
  window.__lcps = [];
  new MutationObserver((_, obs) => {
    if (window.__copyIn === undefined && document.getElementById("snapshot")) window.__copyIn = performance.now();
    if (document.querySelector("[data-testid=tree-row]")) {
      obs.disconnect();
      window.__treeIn = performance.now();
      requestAnimationFrame((t) => (window.__treeFrame = t));
    }
  }).observe(document, { childList: true, subtree: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__lcps.push((window.__lcp = e.renderTime || e.loadTime));
  }).observe({ type: "largest-contentful-paint", buffered: true });
};
await context.addInitScript(observe);
// Shown: the app's tree is in, and the first screen has been painted: the
// first largest paint reported at or after the copy or the tree came in,
// whichever came first (entries come a little after their frame; the
// first entry is the "Opening your workspace" splash of index.html).
const FIRST_SCREEN = () => {
  const from = Math.min(window.__copyIn ?? Infinity, window.__treeIn ?? Infinity);
  return window.__treeIn === undefined ? undefined : window.__lcps.find((t) => t >= from);
};
const SHOWN = `(${FIRST_SCREEN})() !== undefined && window.__treeFrame !== undefined`;
const page = await context.newPage();
await openWorkspace(page, base, file);
const noCopy = process.env.COPY === "off";
// The first start of "/" keeps its screen (as the app does once a screen
// has settled): every reload below is a repeat start of the same screen.
await page.goto(base + "/");
await page.getByTestId("tree-row").first().waitFor();
await page.evaluate(() => window.salesTiersSnapshot?.save());
const dropCopies = () => page.evaluate(() => caches.delete("sales-tiers-snapshot"));
const n = Number(process.env.N || 5);
const rows = {};
const note = (name, v) => (rows[name] ??= []).push(v);
for (let i = 0; i < n; i++) {
  if (noCopy) await dropCopies();
  await page.goto(base + "/");
  await page.getByTestId("tree-row").first().waitFor();
  await page.waitForFunction(SHOWN);
  const shown = await page.evaluate(`({ copy: window.__copyIn, tree: window.__treeIn, frame: window.__treeFrame, lcp: (${FIRST_SCREEN})() })`);
  const t = await page.evaluate(() => ({
    wasm: performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"))?.responseEnd ?? NaN,
    js: performance.getEntriesByType("resource").find((e) => e.name.endsWith(".js"))?.responseEnd ?? NaN,
    spans: performance
      .getEntriesByType("measure")
      .filter((e) => e.name.startsWith("sales-tiers:"))
      .map((e) => [e.name.slice("sales-tiers:".length), e.startTime, e.startTime + e.duration]),
  }));
  note("js fetched", t.js);
  note("wasm fetched", t.wasm);
  for (const [name, s, e] of t.spans) {
    note(`${name} begins`, s);
    note(`${name} ends`, e);
  }
  if (shown.copy !== undefined) note("copy of the last screen in", shown.copy);
  note("org tree in the DOM", shown.tree);
  note("frame after the org tree", shown.frame);
  note("first screen painted (LCP)", shown.lcp);
}
// With MINIMAL=URL (the minimal counter from scripts/minimal-app.sh,
// served), the same first-screen paint of that app, reloads alternating
// with ours, and the ratio of the medians (the start-up goal's measure).
if (process.env.MINIMAL) {
  // Its own window (a second tab of ours would be in the background,
  // where the browser throttles timers and skips frames).
  const miniContext = await browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 900 } });
  await miniContext.addInitScript(observe);
  const mini = await miniContext.newPage();
  await mini.goto(process.env.MINIMAL + "/");
  const lcp = async (p, shown, first) => {
    if (p === page && noCopy) await dropCopies();
    await p.reload();
    await p.waitForFunction(shown);
    const t = await p.evaluate(first);
    // Let the page finish what it does after its first screen, so the
    // other app's reload does not share the CPU with it.
    await p.waitForTimeout(500);
    return t;
  };
  const ours = [], theirs = [];
  for (let i = 0; i < n; i++) {
    ours.push(await lcp(page, SHOWN, `(${FIRST_SCREEN})()`));
    theirs.push(await lcp(mini, () => window.__lcp !== undefined && document.querySelector("[data-testid=count]"), () => window.__lcp));
  }
  note("alternating: ours (LCP)", median(ours));
  note("alternating: minimal (LCP)", median(theirs));
  console.log(`ratio of first-screen paints (medians, alternating): ${(median(ours) / median(theirs)).toFixed(2)}x`);
}
const order = Object.entries(rows).sort((a, b) => median(a[1]) - median(b[1]));
for (const [name, list] of order) {
  console.log(`${name.padEnd(24)} ${median(list).toFixed(0).padStart(6)} ms  (${list.map((x) => x.toFixed(0)).join(", ")})`);
}
await browser.close();
