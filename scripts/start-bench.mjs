// The start alone, in the browser (no assertions; prints figures): opens a
// workspace file once, then reloads N times (default 7) and reports, per
// reload, load → first paint of the org tree, the app's own spans (User
// Timing from `browser::timed` / `browser::span`: read-store, which covers
// the tasks that read the stored chunks, open-store, start) and the main
// thread's long tasks from navigation to that paint (the longest, and the
// sum of their time past 50 ms).
// Usage: node scripts/start-bench.mjs BASE_URL WORKSPACE_FILE
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
await browser.close();
