// Storage figures in Chromium against a served release build (no
// assertions; prints figures): long main-thread tasks (PerformanceObserver
// "longtask", ≥ 50 ms) at cold start and after single edits, and what is
// stored.
// Usage: node scripts/storage-bench.mjs BASE_URL [WORKSPACE_FILE]
//   without a file: the demo (first visit); with one: it is imported first.
import { chromium } from "@playwright/test";

const [base = "http://127.0.0.1:8080", file] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const context = await browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 900 } });
// Every page records its long tasks from the start.
await context.addInitScript(() => {
  window.__long = [];
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) window.__long.push({ start: e.startTime, ms: e.duration });
  }).observe({ type: "longtask", buffered: true });
});
const page = await context.newPage();
const label = file ? file.split("/").pop() : "demo";
await page.goto(base + "/");
await page.getByTestId("tree-row").first().waitFor();
if (file) {
  await page.goto(base + "/data");
  await page.getByTestId("import-file").setInputFiles(file);
  await page.getByTestId("open-confirm").click();
  await page.getByTestId("import-result").waitFor({ timeout: 120_000 });
  console.log(`${label}: import: ${(await page.getByTestId("import-result").innerText()).trim()}`);
}
await page.getByTestId("save-state").and(page.locator(".saved")).waitFor({ timeout: 60_000 });
const stored = () =>
  page.evaluate(() => {
    let n = 0, keys = 0;
    for (let i = 0; i < localStorage.length; i++) { const k = localStorage.key(i); n += (k.length + localStorage.getItem(k).length) * 2; keys++; }
    return { mb: n / 1048576, keys };
  });
const s0 = await stored();
console.log(`${label}: localStorage ${s0.mb.toFixed(2)} MB in ${s0.keys} keys`);

const fmt = (tasks) => (tasks.length ? `${tasks.length} long task(s), longest ${Math.max(...tasks.map((t) => t.ms)).toFixed(0)} ms, total ${tasks.reduce((a, t) => a + t.ms, 0).toFixed(0)} ms` : "no long task");

// Cold start: reload, wait for the tree, then 2 s more for anything scheduled after it.
const colds = [];
for (let i = 0; i < 3; i++) {
  await page.goto(base + "/");
  await page.getByTestId("tree-row").first().waitFor({ timeout: 60_000 });
  const painted = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))));
  await page.waitForTimeout(2000);
  const tasks = await page.evaluate(() => window.__long);
  colds.push({ painted, tasks });
}
for (const c of colds) console.log(`${label}: cold start → tree painted ${c.painted.toFixed(0)} ms; ${fmt(c.tasks)}`);

// One edit at a time: rename the first region through its ⋯ panel; long
// tasks from the click until 1.5 s later (an autosave debounce included).
const edits = [];
for (let i = 0; i < 5; i++) {
  const row = page.getByTestId("tree-row").nth(1);
  await row.getByTestId("row-actions").click();
  await row.getByTestId("act-rename").click();
  const input = page.getByTestId("panel-name-en");
  await input.fill(`Renamed ${i}`);
  const t0 = await page.evaluate(() => { window.__long = []; return performance.now(); });
  await page.getByTestId("panel-ok").click();
  await page.waitForTimeout(1500);
  const tasks = await page.evaluate(() => window.__long);
  const painted = await page.evaluate(() => performance.now());
  edits.push({ tasks, ms: painted - t0 });
}
for (const [i, e] of edits.entries()) console.log(`${label}: edit ${i + 1} (rename a region) → ${fmt(e.tasks)}`);
const s1 = await stored();
console.log(`${label}: after 5 edits: localStorage ${s1.mb.toFixed(2)} MB in ${s1.keys} keys`);
await browser.close();
