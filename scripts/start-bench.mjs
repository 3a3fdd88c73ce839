// The start alone, in the browser (no assertions; prints figures): opens a
// workspace file once, then reloads N times (default 7) and reports, per
// reload, load → first paint of the org tree and the app's own spans
// (User Timing from `browser::timed`: open-store, start).
// Usage: node scripts/start-bench.mjs BASE_URL WORKSPACE_FILE
import { benchArgs, launch, median, openWorkspace } from "./bench-common.mjs";

const { base, file } = benchArgs("start-bench.mjs");
const browser = await launch();
const page = await (await browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 900 } })).newPage();
await openWorkspace(page, base, file);
const n = Number(process.env.N || 7);
const rows = { paint: [], "open-store": [], start: [] };
for (let i = 0; i < n; i++) {
  await page.goto(base + "/");
  await page.getByTestId("tree-row").first().waitFor();
  rows.paint.push(await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now())))));
  for (const name of ["open-store", "start"]) {
    rows[name].push(await page.evaluate((x) => performance.getEntriesByName(`sales-tiers:${x}`)[0]?.duration ?? NaN, name));
  }
}
for (const [name, list] of Object.entries(rows)) {
  console.log(`${name.padEnd(10)} median ${median(list).toFixed(0).padStart(5)} ms of ${list.map((x) => x.toFixed(0)).join(", ")}`);
}
await browser.close();
