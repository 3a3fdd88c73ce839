// CPU profile of one sidebar navigation (no assertions; prints where the time goes).
// Usage: node scripts/profile.mjs BASE_URL WORKSPACE_FILE PATH [FROM_PATH]
// PATH `import` or `open`: the file import's read or its Open instead;
// `target-cell`: one committed edit of a targets cell; `kanban`: a card
// moved; `pipeline-stage`: a stage picked in a Pipeline table row;
// `move-team`: a team moved to another region; `forecast-period`,
// `scorecards-period`: that page's period switched; `rename-unit`, `rename-person`: a region
// renamed on the org page, a person
// renamed on People; `pipeline-search`, `customer-search`, `people-search`:
// a character typed into that page's search; `start`: a reload, to the org tree painted.
// For readable names, profile a build without wasm-opt (it drops the name
// section): sed 's/data-wasm-opt="z"/data-wasm-opt="0"/' on index.html, then
// `trunk build --release --dist /tmp/dist-prof` (and put index.html back).
// Prints the functions with the most self time, and the most total time,
// over the click → next paint window; writes the profile to
// target/nav.cpuprofile (open it in Chromium's DevTools, Performance panel).
// With TRACE=1, a trace instead: the browser's work by kind (style, layout,
// paint, GC), which a CPU profile shows only as "(program)"; the trace is
// written to target/nav.trace.json (Chromium's Performance panel loads it).
import { writeFileSync } from "node:fs";
import { RENAMES, launch, openWorkspace, teamMove } from "./bench-common.mjs";

const [base, file, path, from = "/data"] = process.argv.slice(2);
if (!path) {
  console.error("usage: node scripts/profile.mjs BASE_URL WORKSPACE_FILE PATH [FROM_PATH]");
  process.exit(2);
}
const TRACE_CATEGORIES = "devtools.timeline,v8,blink,disabled-by-default-devtools.timeline,disabled-by-default-devtools.timeline.stack";
const browser = await launch();
const page = await (await browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 900 } })).newPage();
const cdp = await page.context().newCDPSession(page);
await cdp.send("Profiler.enable");
await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
if (path === "import" || path === "open") {
  // The file import instead of a navigation: `import` profiles the file
  // chosen → "Open this file?" painted, `open` the Open click → result.
  await openWorkspace(page, base, file, {
    before: (step) => step === path && cdp.send("Profiler.start"),
    after: async (step, ms) => {
      if (step !== path) return;
      const { profile } = await cdp.send("Profiler.stop");
      writeFileSync("target/nav.cpuprofile", JSON.stringify(profile));
      console.log(`${path}: ${ms.toFixed(0)} ms (profiled run)`);
      report(profile);
    },
  });
  await browser.close();
  process.exit(0);
}
await openWorkspace(page, base, file);
if (path === "start") {
  // A reload of the stored workspace, to the org tree's first paint (as start-bench.mjs).
  await page.goto(base + "/");
  await page.getByTestId("tree-row").first().waitFor();
  await cdp.send("Profiler.start");
  await page.reload();
  await page.getByTestId("tree-row").first().waitFor();
  const ms = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))));
  const { profile } = await cdp.send("Profiler.stop");
  writeFileSync("target/nav.cpuprofile", JSON.stringify(profile));
  console.log(`start: org tree painted at ${ms.toFixed(0)} ms (profiled run)`);
  report(profile);
  await browser.close();
  process.exit(0);
}
/**
 * Profiles an edit instead of a navigation: `setup(round)` prepares it,
 * `act(round)` (evaluated in the page) does it; the third round is profiled
 * (or traced with TRACE=1) from the act to the second frame after it.
 */
async function profileEdit(label, setup, act) {
  // With ROUNDS=n, n rounds are profiled and their samples added up
  // (figures per round): one round's 100 µs samples are noisy.
  const rounds = process.env.TRACE ? 1 : Math.max(1, Number(process.env.ROUNDS || 1));
  const profiles = [];
  for (let round = 0; round < 2 + rounds; round++) {
    await setup(round);
    const trace = [];
    if (round === 2 && process.env.TRACE) {
      cdp.on("Tracing.dataCollected", (e) => trace.push(...e.value));
      await cdp.send("Tracing.start", { categories: TRACE_CATEGORIES, transferMode: "ReportEvents" });
    } else if (round >= 2) await cdp.send("Profiler.start");
    const ms = await page.evaluate(
      ([act, round]) =>
        new Promise((resolve) => {
          const t0 = performance.now();
          new Function("round", act)(round);
          requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
        }),
      [act.toString().replace(/^[^{]*\{/, "").replace(/\}\s*$/, ""), round],
    );
    if (round === 2 && process.env.TRACE) {
      const done = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
      await cdp.send("Tracing.end");
      await done;
      console.log(`${label}: ${ms.toFixed(0)} ms (traced run)`);
      reportTrace(trace);
    } else if (round >= 2) {
      const { profile } = await cdp.send("Profiler.stop");
      profiles.push(profile);
      console.log(`${label}: ${ms.toFixed(0)} ms (profiled run)`);
    }
  }
  if (profiles.length) {
    writeFileSync("target/nav.cpuprofile", JSON.stringify(profiles.at(-1)));
    report(profiles);
  }
  await browser.close();
  process.exit(0);
}
if (path === "move-team") {
  // A team moved to another region on the org page (see teamMove).
  await page.goto(base + "/");
  await page.getByTestId("tree-row").first().waitFor();
  await page.waitForTimeout(1500);
  const move = await teamMove(page);
  await profileEdit(
    "move a team",
    async (round) => {
      if (round > 0) await move.closed();
      await move.prepare(round);
    },
    move.act,
  );
}
if (RENAMES[path]) {
  // A rename (as browser-bench.mjs; see RENAMES).
  const edit = RENAMES[path];
  await page.goto(base + edit.path);
  await page.getByTestId(edit.ready).first().waitFor();
  await page.waitForTimeout(1500);
  await profileEdit(
    edit.label,
    async (round) => {
      if (round > 0) await edit.closed(page);
      await edit.prepare(page, round);
    },
    edit.act,
  );
}
if (path === "kanban") {
  // A card moved one stage with the keyboard (as browser-bench.mjs).
  await page.goto(base + "/pipeline");
  await page.getByTestId("view-kanban").click();
  await page.getByTestId("kanban-card").first().waitFor();
  await profileEdit(
    "kanban move",
    () => page.evaluate(() => (document.querySelector("[data-testid=kanban-col]:nth-child(2) [data-testid=kanban-card]") || document.querySelector("[data-testid=kanban-card]")).focus()),
    (round) => {
      document.activeElement.dispatchEvent(new KeyboardEvent("keydown", { key: round % 2 === 0 ? "ArrowRight" : "ArrowLeft", bubbles: true }));
    },
  );
}
if (path === "pipeline-stage") {
  // A deal's stage picked in its Pipeline table row (the select keeps the
  // focus, so the rows keep their places), then picked back.
  await page.goto(base + "/pipeline");
  await page.getByTestId("opp-row").first().waitFor();
  await page.waitForTimeout(1500);
  const select = page.getByTestId("opp-row").nth(3).getByTestId("row-stage");
  const stages = await select.locator("option").evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  const from = await select.inputValue();
  await page.evaluate(([a, b]) => (window.__stages = [a, b]), [stages.find((v) => v !== from), from]);
  await profileEdit(
    "pipeline row stage",
    () => select.focus(),
    (round) => {
      const el = document.activeElement;
      el.value = window.__stages[round % 2];
      el.dispatchEvent(new Event("change", { bubbles: true }));
    },
  );
}
if (path === "target-cell") {
  // One committed edit: a team's Q2 target typed, then its change event →
  // the totals repainted (as browser-bench.mjs).
  await page.goto(base + "/targets");
  const cell = page.getByTestId("target-row").nth(2).locator('[data-testid=cell][data-period="q2"]');
  await profileEdit(
    "target cell edit",
    (round) => cell.fill(String(1000000 + round * 1000)),
    () => {
      document.querySelectorAll("[data-testid=target-row]")[2].querySelector('[data-period="q2"]').dispatchEvent(new Event("change", { bubbles: true }));
    },
  );
}
// A page's period switched (as browser-bench.mjs): Forecast or Scorecards.
for (const [name, where, row, picker] of [
  ["forecast-period", "/forecast", "forecast-row", "forecast-period"],
  ["scorecards-period", "/scorecards", "score-row", "score-period"],
]) {
  if (path !== name) continue;
  await page.goto(base + where);
  await page.getByTestId(row).first().waitFor();
  await page.waitForTimeout(1000);
  await page.evaluate((picker) => (window.__picker = picker), picker);
  await profileEdit(
    `${name.split("-")[0]} period switch`,
    () => page.waitForTimeout(300),
    (round) => {
      const sel = document.querySelector(`[data-testid=${window.__picker}]`);
      sel.value = ["q1", "q3", "q2", "m4"][round % 4];
      sel.dispatchEvent(new Event("change", { bubbles: true }));
    },
  );
}
// A page's search, its row, and the search's test id.
const SEARCHES = {
  "pipeline-search": ["/pipeline", "opp-row", "opp-search"],
  "customer-search": ["/customers", "customer-row", "customer-search"],
  "people-search": ["/people", "person-row", "people-search"],
};
if (SEARCHES[path]) {
  // One character typed into the page's search (as browser-bench.mjs).
  const [at, row, search] = SEARCHES[path];
  await page.goto(base + at);
  await page.getByTestId(row).first().waitFor();
  await page.waitForTimeout(1000);
  await page.getByTestId(search).focus();
  await profileEdit(
    `${path.replace("-", " ")} keystroke`,
    () => page.waitForTimeout(300),
    (round) => {
      const input = document.activeElement;
      input.value = "ma".slice(0, round % 2 === 0 ? 1 : 2);
      input.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText" }));
    },
  );
}
const click = (path) =>
  page.evaluate(
    (path) =>
      new Promise((resolve) => {
        const link = [...document.querySelectorAll(".sidebar a")].find((a) => new URL(a.href).pathname === path);
        const t0 = performance.now();
        link.click();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
      }),
    path,
  );
await page.goto(base + from);
await page.locator(".sidebar a").first().waitFor();
// Warm: the page's code compiled and run once (a reload would compile it
// again), as when a user comes back to a page.
for (let round = 0; round < 2; round++) {
  await click(from);
  await page.waitForTimeout(1000);
  const trace = [];
  if (round === 1 && process.env.TRACE) {
    cdp.on("Tracing.dataCollected", (e) => trace.push(...e.value));
    await cdp.send("Tracing.start", { categories: TRACE_CATEGORIES, transferMode: "ReportEvents" });
  } else if (round === 1) await cdp.send("Profiler.start");
  const ms = await click(path);
  if (round === 0) await page.waitForTimeout(1000);
  if (round === 1 && process.env.TRACE) {
    const done = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
    await cdp.send("Tracing.end");
    await done;
    console.log(`${from} → ${path}: click → painted ${ms.toFixed(0)} ms (traced run)`);
    reportTrace(trace);
  } else if (round === 1) {
    const { profile } = await cdp.send("Profiler.stop");
    writeFileSync("target/nav.cpuprofile", JSON.stringify(profile));
    console.log(`${from} → ${path}: click → painted ${ms.toFixed(0)} ms (profiled run)`);
    report(profile);
  }
}
await browser.close();

/** Self and total time by function over one profile or several (then per profile). */
function report(profiles) {
  const list = Array.isArray(profiles) ? profiles : [profiles];
  const self = new Map();
  const total = new Map();
  const add = (m, k, t) => m.set(k, (m.get(k) || 0) + t);
  const name = (n) => n.callFrame.functionName || `(${n.callFrame.url.split("/").pop() || "anonymous"})`;
  let all = 0;
  for (const profile of list) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
    profile.samples.forEach((id, i) => {
      const t = (profile.timeDeltas[i + 1] ?? 0) / 1000 / list.length;
      all += t;
      add(self, name(byId.get(id)), t);
      const seen = new Set();
      for (let n = id; n !== undefined; n = parent.get(n)) {
        const k = name(byId.get(n));
        if (!seen.has(k)) add(total, k, t);
        seen.add(k);
      }
    });
  }
  const top = (m, k) => [...m].filter(([n]) => !n.startsWith("(root")).sort((a, b) => b[1] - a[1]).slice(0, k);
  if (list.length > 1) console.log(`per round, over ${list.length} rounds:`);
  console.log(`sampled ${all.toFixed(0)} ms`);
  console.log("self time:");
  for (const [n, t] of top(self, 25)) console.log(`  ${t.toFixed(1).padStart(7)} ms  ${n.slice(0, 150)}`);
  console.log("total time:");
  for (const [n, t] of top(total, Number(process.env.TOP || 40))) console.log(`  ${t.toFixed(1).padStart(7)} ms  ${n.slice(0, 150)}`);
}

// The browser's own work by kind (style, layout, paint, GC, script…): the
// sum of each kind's events on the page's main thread (nested events of
// other kinds are counted in both).
function reportTrace(events) {
  writeFileSync("target/nav.trace.json", JSON.stringify({ traceEvents: events }));
  const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const mine = events.filter((e) => e.ph === "X" && (!main || (e.pid === main.pid && e.tid === main.tid)));
  const by = new Map();
  for (const e of mine) by.set(e.name, (by.get(e.name) || 0) + (e.dur || 0) / 1000);
  const top = [...by].sort((a, b) => b[1] - a[1]).slice(0, 25);
  for (const [n, t] of top) console.log(`  ${t.toFixed(1).padStart(7)} ms  ${n}`);
  // Layouts a script forced (read a size, focused…), with where.
  if (process.env.TRACE === "debug")
    for (const e of mine.filter((e) => e.name === "Layout" || e.name === "UpdateLayoutTree")) {
      const stack = (e.args?.beginData?.stackTrace || e.args?.stackTrace || []).slice(0, 6).map((f) => f.functionName || "?").join(" < ");
      console.log(`  ${e.name} ${(e.dur / 1000).toFixed(1)} ms ${e.args?.elementCount ? e.args.elementCount + " elements " : ""}${stack}`);
    }
  for (const e of mine.filter((e) => e.name === "Layout" && e.args?.beginData?.stackTrace)) {
    const at = e.args.beginData.stackTrace.slice(0, 4).map((f) => f.functionName || "?").join(" < ");
    console.log(`  forced layout ${(e.dur / 1000).toFixed(1)} ms at ${at}`);
  }
}
