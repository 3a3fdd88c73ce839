// In-browser timings of daily work at scale (no assertions; prints figures).
// Usage: node scripts/work-bench.mjs BASE_URL WORKSPACE_FILE
//   1. open the workspace (e.g. 200 people with a year of activities from
//      `sales-tiers demo --people 200`: 1,000 people with a year of them, ~88,000,
//      do not fit a browser's storage and such a file is refused)
//   2. the home page: sidebar click → the director's home painted (chart and
//      ranked units), five times
//   3. log an activity from the top bar: Save → the dialog closed and the
//      notice painted, five times
//   4. Daily work: sidebar click → stale deals painted, three times
import { benchArgs, launch, median } from "./bench-common.mjs";

const { base, file } = benchArgs("work-bench.mjs");
const browser = await launch();
const page = await (await browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 900 } })).newPage();
await page.goto(base + "/data");
await page.getByTestId("import-file").setInputFiles(file);
await page.getByTestId("open-confirm").click();
await page.getByTestId("import-result").waitFor({ timeout: 120_000 });
console.log("import:", (await page.getByTestId("import-result").innerText()).trim());
console.log("save state:", (await page.getByTestId("save-state").innerText()).trim());

/** Time from `act` until `ready` is visible, painted (two animation frames). */
async function timed(act, ready) {
  const t0 = Date.now();
  await act();
  await page.locator(ready).first().waitFor({ timeout: 60_000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return Date.now() - t0;
}

const home = [];
for (let i = 0; i < 5; i++) {
  await page.locator("nav.sidebar a[href^='/data']").click();
  await page.getByTestId("ws-name").waitFor();
  home.push(await timed(() => page.locator("nav.sidebar a[href='/'], nav.sidebar a[href^='/?']").click(), "[data-testid=rank-bar]"));
}
console.log(`home page (sidebar click → director's home painted): median ${median(home)} ms of ${home.join(", ")}`);

const logs = [];
for (let i = 0; i < 5; i++) {
  await page.getByTestId("log-activity").click();
  await page.getByTestId("work-customer").selectOption({ index: 1 + i });
  await page.getByTestId("act-outcome").fill(`bench ${i}`);
  const t0 = Date.now();
  await page.getByTestId("act-save").click();
  await page.getByTestId("activity-form").waitFor({ state: "detached" });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  logs.push(Date.now() - t0);
}
console.log(`log an activity (Save → dialog closed, home repainted): median ${median(logs)} ms of ${logs.join(", ")}`);

const work = [];
for (let i = 0; i < 3; i++) {
  await page.locator("nav.sidebar a[href='/'], nav.sidebar a[href^='/?']").click();
  await page.getByTestId("home").waitFor();
  work.push(await timed(() => page.locator("nav.sidebar a[href^='/work']").click(), "[data-testid=stale-row]"));
}
console.log(`Daily work (sidebar click → stale deals painted): median ${median(work)} ms of ${work.join(", ")}`);
await browser.close();
