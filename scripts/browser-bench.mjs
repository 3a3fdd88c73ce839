// In-browser timings against a served release build (no assertions; prints figures).
// Usage: node scripts/browser-bench.mjs BASE_URL WORKSPACE_FILE
//   1. import the workspace file (e.g. 1,000 people from `sales-tiers demo --people 1000 --no-activities`)
//   2. reload: time from navigation start until the org tree is painted
//   3. move a region under another and back, 10 times: click → DOM updated → next paint
//   Edits report the wall time to the repaint and, from a Chromium trace, the
//   main thread's work in it (busy) and the script part of that work.
import { RENAMES, benchArgs, launch, median, openWorkspace, teamMove, traceWork } from "./bench-common.mjs";

const { base, file } = benchArgs("browser-bench.mjs");
const browser = await launch();
const page = await (await browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 900 } })).newPage();
const bytes = (await import("node:fs")).statSync(file).size;
const opened = await openWorkspace(page, base, file);
console.log("import:", (await page.getByTestId("import-result").innerText()).trim());
console.log(
  `import of ${(bytes / 1048576).toFixed(1)} MB: file chosen → "Open this file?" painted ${opened.read.toFixed(0)} ms ` +
    `(${(bytes / 1048576 / (opened.read / 1000)).toFixed(0)} MB/s); Open → workspace stored and painted ${opened.open.toFixed(0)} ms`,
);
const stored = await page.evaluate(() => {
  let n = 0;
  for (let i = 0; i < localStorage.length; i++) { const k = localStorage.key(i); n += (k.length + localStorage.getItem(k).length) * 2; }
  return n;
});
console.log(`localStorage used: ${(stored / 1048576).toFixed(2)} MB (UTF-16, both slots and backup)`);

const loads = [];
// The start's own spans (User Timing, `browser::timed` in the app).
const spans = { "open-store": [], start: [] };
for (let i = 0; i < 5; i++) {
  await page.goto(base + "/");
  await page.getByTestId("tree-row").first().waitFor();
  loads.push(await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now())))));
  for (const [name, list] of Object.entries(spans)) {
    list.push(await page.evaluate((n) => performance.getEntriesByName(`sales-tiers:${n}`)[0]?.duration ?? NaN, name));
  }
}
// Every row of the tree built (they come over a few tasks): the teams
// moved below are then the same in every run.
let rows = await page.getByTestId("tree-row").count();
for (let before = -1; before !== rows; ) {
  await page.waitForTimeout(300);
  [before, rows] = [rows, await page.getByTestId("tree-row").count()];
}
console.log(`load to first paint of the tree (${rows} units): median ${median(loads).toFixed(0)} ms of ${loads.map((x) => x.toFixed(0)).join(", ")}`);
console.log(
  `  of which: open the store (read, unpack, rebuild) median ${median(spans["open-store"]).toFixed(0)} ms; ` +
    `the whole start (store, state, first page built) median ${median(spans.start).toFixed(0)} ms`,
);

// Move the first team to another region and back (see teamMove).
const move = await teamMove(page);
const times = [];
for (let i = 0; i < 10; i++) {
  await move.prepare(i);
  times.push(await traceWork(page, move.act));
  await move.closed();
}
console.log(`move a team (click → repaint), ${rows} units: ${work(times)}`);

// Renames (see RENAMES): OK or Save → repaint.
for (const edit of Object.values(RENAMES)) {
  await page.goto(base + edit.path);
  await page.getByTestId(edit.ready).first().waitFor();
  const renames = [];
  for (let i = 0; i < 6; i++) {
    await edit.prepare(page, i);
    renames.push(await traceWork(page, edit.act));
    await edit.closed(page);
  }
  const shown = await page.getByTestId(edit.ready).count();
  console.log(`${edit.label}, ${shown} rows shown: ${work(renames)}`);
}

// Targets matrix: change one team's Q2 cell, time until the totals repaint.
await page.goto(base + "/targets");
await page.getByTestId("target-row").first().waitFor();
const matrixRows = await page.getByTestId("target-row").count();
const teamRow = page.getByTestId("target-row").nth(2);
const cellTimes = [];
for (let i = 0; i < 10; i++) {
  const q2 = teamRow.locator('[data-testid=cell][data-period="q2"]');
  await q2.fill(String(1000000 + i * 1000));
  cellTimes.push(await traceWork(page, () => {
    const input = document.querySelectorAll("[data-testid=target-row]")[2].querySelector('[data-period="q2"]');
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }));
}
console.log(`targets matrix (${matrixRows} rows): edit one cell → totals repainted, ${work(cellTimes)}`);

// Forecast: load to first paint of the rollup, then a period switch → repaint.
const fLoads = [];
for (let i = 0; i < 3; i++) {
  await page.goto(base + "/forecast");
  await page.getByTestId("forecast-row").first().waitFor();
  fLoads.push(await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now())))));
}
console.log(`forecast page: load to first paint median ${median(fLoads).toFixed(0)} ms of ${fLoads.map((x) => x.toFixed(0)).join(", ")}`);
console.log(`forecast: switch period → rollup, funnel and KPIs repainted, ${work(await switchPeriods("forecast-period"))}`);

// Kanban: move a card one stage right with the keyboard → repaint (then back).
await page.goto(base + "/pipeline");
await page.getByTestId("view-kanban").click();
await page.getByTestId("kanban-card").first().waitFor();
const deals = (await page.getByTestId("opp-count").innerText()).trim();
const moveTimes = [];
for (let i = 0; i < 6; i++) {
  await page.evaluate(() => (document.querySelector("[data-testid=kanban-col]:nth-child(2) [data-testid=kanban-card]") || document.querySelector("[data-testid=kanban-card]")).focus());
  moveTimes.push(await traceWork(page, (arg) => {
    document.activeElement.dispatchEvent(new KeyboardEvent("keydown", { key: arg ? "ArrowRight" : "ArrowLeft", bubbles: true }));
  }, i % 2 === 0));
}
console.log(`kanban (${deals}): move a card a stage → repaint, ${work(moveTimes)}`);

// The table: a deal's stage picked in its row (the select keeps the focus,
// the rows their places) → repaint, then picked back.
await page.getByTestId("view-table").click();
await page.getByTestId("opp-row").first().waitFor();
const stageSelect = page.getByTestId("opp-row").nth(3).getByTestId("row-stage");
await stageSelect.focus();
const stageFrom = await stageSelect.inputValue();
const stageTo = (await stageSelect.locator("option").evaluateAll((os) => os.map((o) => o.value))).find((v) => v && v !== stageFrom);
const rowStageTimes = [];
for (let i = 0; i < 6; i++) {
  rowStageTimes.push(await traceWork(page, (arg) => {
    const el = document.activeElement;
    el.value = arg;
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }, i % 2 === 0 ? stageTo : stageFrom));
}
console.log(`pipeline table: pick a deal's stage in its row → repaint, ${work(rowStageTimes)}`);

// Payouts: page load, then the what-if — change a rate in the rep plan's
// editor → total cost and per-person changes repainted (nothing saved).
const pLoads = [];
for (let i = 0; i < 3; i++) {
  await page.goto(base + "/payouts");
  await page.getByTestId("summary-row").first().waitFor();
  pLoads.push(await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now())))));
}
console.log(`payouts page (scorecards + statements of a quarter): load to first paint median ${median(pLoads).toFixed(0)} ms of ${pLoads.map((x) => x.toFixed(0)).join(", ")}`);
await page.locator("[data-testid=plan-row][data-name='Rep commission plan']").getByTestId("edit-plan").click();
await page.getByTestId("whatif-total").waitFor();
const whatIf = [];
for (const rate of ["5", "6", "4.5", "7", "4", "8"]) {
  whatIf.push(await page.evaluate((rate) => new Promise((resolve) => {
    const input = document.querySelectorAll("[data-testid=tier-rate]")[0];
    const before = document.querySelector("[data-testid=whatif-total]").textContent;
    const t0 = performance.now();
    input.value = rate;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    requestAnimationFrame(() => requestAnimationFrame(() => {
      const after = document.querySelector("[data-testid=whatif-total]").textContent;
      resolve([performance.now() - t0, before !== after]);
    }));
  }), rate));
}
const changed = whatIf.filter((x) => x[1]).length;
console.log(`payouts what-if (${await page.getByTestId("summary-row").count()} summary rows): change a rate → totals repainted, median ${median(whatIf.map((x) => x[0])).toFixed(1)} ms of ${whatIf.map((x) => x[0].toFixed(0)).join(", ")} (${changed}/6 changed the total)`);
await page.getByTestId("cancel-plan").click();
await page.goto(base + "/scorecards");
await page.getByTestId("score-row").first().waitFor();
const sLoad = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))));
console.log(`scorecards page: load to first paint ${sLoad.toFixed(0)} ms`);
const scoreTimes = await switchPeriods("score-period");
console.log(`scorecards (${await page.getByTestId("score-row").count()} rows): switch period → scores repainted, ${work(scoreTimes)}`);

// Keystrokes: one character typed into an input (its input event → the
// next paint), as a person types a search or a figure.
const keystrokes = [
  ["/targets", "[data-testid=target-row] [data-testid=cell][data-period=q2]", "a targets cell", "7"],
  ["/people", "[data-testid=people-search]", "the people search", "li"],
  ["/customers", "[data-testid=customer-search]", "the customer search", "co"],
  ["/pipeline", "[data-testid=opp-search]", "the pipeline search", "ma"],
];
for (const [path, selector, what, text] of keystrokes) {
  await page.goto(base + path);
  await page.locator(selector).first().waitFor();
  await page.waitForTimeout(500);
  await page.locator(selector).first().focus();
  const keys = [];
  for (let i = 0; i < 6; i++) {
    // Type the text, then take it back, one character at a time.
    const ch = text[i % text.length];
    keys.push(await traceWork(page, (arg) => {
      const input = document.activeElement;
      input.value = arg.back ? input.value.slice(0, -1) : input.value + arg.ch;
      input.dispatchEvent(new InputEvent("input", { bubbles: true, data: arg.back ? null : arg.ch, inputType: arg.back ? "deleteContentBackward" : "insertText" }));
    }, { ch, back: i >= text.length && i >= 3 }));
  }
  console.log(`keystroke in ${what}: ${work(keys)}`);
  if (path === "/targets") continue;
  // A search runs a frame after its keystroke: the time until the list
  // it filters has changed and is painted (untraced, six more keystrokes).
  const lists = [];
  for (let i = 0; i < 6; i++) {
    const ch = text[i % text.length];
    lists.push(await page.evaluate((arg) => new Promise((resolve) => {
      const input = document.activeElement;
      const t0 = performance.now();
      const seen = new MutationObserver(() => {
        seen.disconnect();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0)));
      });
      seen.observe(document.querySelector("main"), { childList: true, subtree: true, characterData: true });
      setTimeout(() => { seen.disconnect(); resolve(NaN); }, 3000);
      input.value = arg.back ? input.value.slice(0, -1) : input.value + arg.ch;
      input.dispatchEvent(new InputEvent("input", { bubbles: true, data: arg.back ? null : arg.ch, inputType: arg.back ? "deleteContentBackward" : "insertText" }));
    }), { ch, back: i >= text.length && i >= 3 }));
    await page.waitForTimeout(300);
  }
  console.log(`  ${what}: keystroke → the list filtered and painted, median ${median(lists).toFixed(1)} ms (${lists.map((x) => x.toFixed(0)).join(", ")})`);
}
await browser.close();

/** Traced switches of a page's period picker (by its test id) through six periods. */
async function switchPeriods(testid) {
  const times = [];
  for (const period of ["q1", "q2", "q3", "year", "m5", "q4"]) {
    times.push(await traceWork(page, (arg) => {
      const sel = document.querySelector(`[data-testid=${arg.testid}]`);
      sel.value = arg.period;
      sel.dispatchEvent(new Event("change", { bubbles: true }));
    }, { testid, period }));
  }
  return times;
}

/** Medians of traced edits: wall time to the repaint, main-thread work, script. */
function work(list) {
  const m = (k) => median(list.map((x) => x[k])).toFixed(1);
  const f = (k) => median(list.map((x) => x.first[k])).toFixed(1);
  return (
    `median ${m("total")} ms to the repaint (${list.map((x) => x.total.toFixed(0)).join(", ")}); main thread busy ${m("busy")} ms, of which script (engine + DOM updates) ${m("script")} ms; ` +
    `first frame painted at ${f("at")} ms, busy ${f("busy")} ms, script ${f("script")} ms until then (storage ${f("storage")}, engine + render ${f("work")})`
  );
}
