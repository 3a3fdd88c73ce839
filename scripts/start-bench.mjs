// The start alone, in the browser (no assertions; prints figures): opens a
// workspace file once, then reloads N times (default 7) and reports, per
// reload, load → first paint of the org tree, the app's own spans (User
// Timing from `browser::timed` / `browser::span`: read-store, which covers
// the tasks that read the stored chunks, open-store, start) and the main
// thread's long tasks from navigation to that paint (the longest, and the
// sum of their time past 50 ms).
// With MINIMAL=URL (the minimal counter served), also the ratio of the
// app's start to that app's, warm and cold.
// Usage: [MINIMAL=URL] node scripts/start-bench.mjs BASE_URL WORKSPACE_FILE
import { benchArgs, launch, median, openWorkspace } from "./bench-common.mjs";

const { base, file } = benchArgs("start-bench.mjs");
const browser = await launch();
const context = await browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 900 } });
await context.addInitScript(() => {
  window.__longtasks = [];
  new PerformanceObserver((list) => window.__longtasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: "longtask" });
});
const page = await context.newPage();
await openWorkspace(page, base, file);
const n = Number(process.env.N || 7);
const rows = { paint: [], "read-store": [], "open-store": [], start: [], "longest task": [], "blocking": [] };
for (let i = 0; i < n; i++) {
  await page.goto(base + "/");
  await page.getByTestId("tree-row").first().waitFor();
  rows.paint.push(await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now())))));
  for (const name of ["read-store", "open-store", "start"]) {
    rows[name].push(await page.evaluate((x) => performance.getEntriesByName(`sales-tiers:${x}`)[0]?.duration ?? NaN, name));
  }
  const tasks = await page.evaluate(() => window.__longtasks);
  rows["longest task"].push(Math.max(0, ...tasks));
  rows.blocking.push(tasks.reduce((s, d) => s + Math.max(0, d - 50), 0));
}
for (const [name, list] of Object.entries(rows)) {
  console.log(`${name.padEnd(12)} median ${median(list).toFixed(0).padStart(5)} ms of ${list.map((x) => x.toFixed(0)).join(", ")}`);
}

// The start-up goal's ratio: against the minimal Leptos counter
// (scripts/minimal-app.sh builds it; serve target/minimal-dist and pass its
// URL as MINIMAL), reloads alternating, warm (HTTP cache) and cold (cache
// off: every byte fetched and the wasm compiled again).
if (process.env.MINIMAL) {
  const mini = await (await browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 900 } })).newPage();
  const painted = (p, url, selector) => async () => {
    await p.goto(url);
    await p.locator(selector).first().waitFor();
    return p.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))));
  };
  const ours = painted(page, base + "/", "[data-testid=tree-row]");
  const theirs = painted(mini, process.env.MINIMAL + "/", "[data-testid=count]");
  for (const cold of [false, true]) {
    for (const p of [page, mini]) await (await p.context().newCDPSession(p)).send("Network.setCacheDisabled", { cacheDisabled: cold });
    const a = [], b = [];
    for (let i = 0; i < n; i++) {
      a.push(await ours());
      b.push(await theirs());
    }
    const [ma, mb] = [median(a), median(b)];
    console.log(
      `${cold ? "cold" : "warm"} start, load → first content painted: app ${ma.toFixed(0)} ms (${a.map((x) => x.toFixed(0)).join(", ")}), ` +
        `minimal counter ${mb.toFixed(0)} ms (${b.map((x) => x.toFixed(0)).join(", ")}): ratio ${(ma / mb).toFixed(2)}×`,
    );
  }
}
await browser.close();
