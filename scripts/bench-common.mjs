// What the in-browser benches share: arguments, Chromium as the tests start
// it, opening a workspace file through the Data page, the median.
import { chromium } from "@playwright/test";

/** BASE_URL and WORKSPACE_FILE from the command line, or the usage and exit 2. */
export function benchArgs(script) {
  const [base = "http://127.0.0.1:8080", file] = process.argv.slice(2);
  if (!file) {
    console.error(`usage: node scripts/${script} BASE_URL WORKSPACE_FILE`);
    process.exit(2);
  }
  return { base, file };
}

/** Headless Debian Chromium with the flags this machine needs. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/**
 * Opens a workspace file as a user does (Import, then Open) and waits until
 * it is stored. Returns, in ms measured in the page: `read` from the file
 * input's change to the "Open this file?" dialog painted (read, checksum,
 * parse, validate), `open` from the Open click to the import's result
 * painted (backup, store, first paint of the new workspace).
 */
export async function openWorkspace(page, base, file, hooks = {}) {
  const before = hooks.before || (() => {});
  const after = hooks.after || (() => {});
  await page.goto(base + "/data");
  await page.getByTestId("import-file").waitFor({ state: "attached" });
  await page.evaluate(() => {
    const input = document.querySelector("[data-testid=import-file]");
    input.addEventListener("change", () => (window.__benchChange = performance.now()), { capture: true, once: true });
  });
  await before("import");
  await page.getByTestId("import-file").setInputFiles(file);
  await page.getByTestId("open-dialog").waitFor();
  const read = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now() - window.__benchChange))));
  await after("import", read);
  await before("open");
  const open = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const t0 = performance.now();
        const done = () => document.querySelector("[data-testid=import-result]");
        new MutationObserver((_, obs) => {
          if (done()) {
            obs.disconnect();
            requestAnimationFrame(() => resolve(performance.now() - t0));
          }
        }).observe(document.body, { childList: true, subtree: true });
        document.querySelector("[data-testid=open-confirm]").click();
      }),
  );
  await after("open", open);
  // A refused file (too large for the browser's storage, say) is not measured.
  if (!(await page.getByTestId("import-result").getAttribute("class")).includes("ok")) {
    throw new Error(`${file} did not open: ${await page.getByTestId("import-result").innerText()}`);
  }
  await page.getByTestId("save-state").and(page.locator(".saved")).waitFor();
  return { read, open };
}

export const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

/**
 * Runs `act` (a function evaluated in the page) and measures, until the
 * second animation frame after it: `total` wall time (as the user waits,
 * including the wait for the display's next frame), `busy` the main
 * thread's work in that window (its tasks: script, style, layout, paint)
 * and `script` the part of it running JavaScript and wasm (the engine and
 * the DOM updates). From a Chromium trace, so idle time is not counted.
 * `first`: the same until the first frame painted, with `storage` (the
 * app's writes, its save spans) and `work` (script without them: the
 * engine and render work the 16 ms budget is about).
 */
export async function traceWork(page, act, arg) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on("Tracing.dataCollected", (e) => events.push(...e.value));
  await cdp.send("Tracing.start", { categories: "toplevel,devtools.timeline,disabled-by-default-devtools.timeline,v8,blink.user_timing", transferMode: "ReportEvents" });
  const total = await page.evaluate(
    ([act, arg]) =>
      new Promise((resolve) => {
        performance.mark("bench-edit-start");
        const t0 = performance.now();
        new Function("arg", act)(arg);
        requestAnimationFrame(() => requestAnimationFrame(() => {
          performance.mark("bench-edit-end");
          resolve(performance.now() - t0);
        }));
      }),
    [act.toString().replace(/^[^{]*\{/, "").replace(/\}\s*$/, ""), arg],
  );
  const done = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
  await cdp.send("Tracing.end");
  await done;
  await cdp.detach();
  // The thread that ran the act: the one with its mark (with pages of
  // several origins open, each has a renderer of its own).
  const main = events.find((e) => e.name === "bench-edit-start");
  const mine = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid);
  const mark = (n) => mine.find((e) => e.name === n)?.ts;
  const [from, to] = [mark("bench-edit-start"), mark("bench-edit-end")];
  // The outermost events of a name from the act to `end`, each counted once.
  const within = (name, end) => {
    let last = -Infinity, sum = 0;
    for (const e of mine.filter((e) => e.ph === "X" && e.name === name && e.ts + e.dur >= from && e.ts <= end).sort((a, b) => a.ts - b.ts)) {
      if (e.ts >= last) {
        sum += Math.min(e.ts + e.dur, end) - Math.max(e.ts, from);
        last = e.ts + e.dur;
      }
    }
    return sum / 1000;
  };
  // The first frame painted after the act: a list built over several tasks
  // shows its first rows there, the rest in later frames.
  const painted = mine.filter((e) => e.ph === "X" && (e.name === "Commit" || e.name === "Paint") && e.ts >= from && e.ts <= to).sort((a, b) => a.ts - b.ts)[0];
  const firstEnd = painted ? painted.ts + painted.dur : to;
  // The app's writes to storage (its `sales-tiers:save` spans, User
  // Timing) begun before `end`: the edit budget leaves them out.
  const saving = (end) => {
    const open = new Map();
    let sum = 0;
    for (const e of events.filter((e) => e.pid === main?.pid && e.name === "sales-tiers:save").sort((a, b) => a.ts - b.ts)) {
      if (e.ph === "b") open.set(e.id ?? e.id2?.local, e.ts);
      else if (e.ph === "e" && open.has(e.id ?? e.id2?.local)) {
        const start = open.get(e.id ?? e.id2?.local);
        if (start >= from && start <= end) sum += e.ts - start;
      }
    }
    return sum / 1000;
  };
  const first = { at: (firstEnd - from) / 1000, busy: within("RunTask", firstEnd), script: within("v8.callFunction", firstEnd), storage: saving(firstEnd) };
  return {
    total,
    busy: within("RunTask", to),
    script: within("v8.callFunction", to),
    first: { ...first, work: first.script - first.storage },
  };
}

/**
 * The team move timed by browser-bench.mjs and ab-bench.mjs and profiled
 * by profile.mjs, on the org page as drawn: the first team moves under
 * the region in the middle of the tree on even rounds, back under the
 * first region on odd ones (teams carry no budget of their own). Gives
 * `prepare(round)` (opens its ⋯ panel, Move, picks the region), `act`
 * (evaluated in the page: OK) and `closed()` (the panel is gone).
 */
export async function teamMove(page) {
  const rows = page.locator("[data-testid=tree-row]");
  const names = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-name")));
  const ids = await rows.evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute("data-name"), e.getAttribute("data-unit")])));
  const [team, to] = [names[2], [names[1 + Math.floor(names.length / 2)], names[1]]];
  return {
    async prepare(round) {
      const row = page.locator(`[data-testid=tree-row][data-name="${team}"]`);
      await row.getByTestId("row-actions").click();
      await row.getByTestId("act-move").click();
      await page.getByTestId("panel-target").selectOption(ids[to[round % 2]]);
    },
    act: () => {
      document.querySelector("[data-testid=panel-ok]").click();
    },
    closed: () => page.getByTestId("row-panel").waitFor({ state: "detached" }),
  };
}

/**
 * Renames timed by browser-bench.mjs and profiled by profile.mjs, each:
 * the page it starts on and a row that shows it is drawn (`path`,
 * `ready`), `prepare(page, round)` (opens the panel or dialog and types
 * the new name), `act` (evaluated in the page: the click that commits) and
 * `closed(page)` (waits until what `act` closed is gone).
 */
export const RENAMES = {
  // A region through its ⋯ panel on the org page: its name is in the tree,
  // the ranked bars, the view-as picker and every unit filter.
  "rename-unit": {
    label: "rename a region (OK → repaint)",
    path: "/",
    ready: "tree-row",
    async prepare(page, round) {
      const row = page.getByTestId("tree-row").nth(1);
      await row.getByTestId("row-actions").click();
      await row.getByTestId("act-rename").click();
      await page.getByTestId("panel-name-en").fill(`Region renamed ${round}`);
    },
    act: () => {
      document.querySelector("[data-testid=panel-ok]").click();
    },
    closed: (page) => page.getByTestId("row-panel").waitFor({ state: "detached" }),
  },
  // The People page's last row, through its dialog: their name is on their
  // deals' lines too.
  "rename-person": {
    label: "rename a person (Save → repaint)",
    path: "/people",
    ready: "person-row",
    async prepare(page, round) {
      await page.getByTestId("person-row").last().click();
      await page.getByTestId("pf-name-en").fill(`Rep renamed ${round}`);
    },
    act: () => {
      document.querySelector("[data-testid=pf-save]").click();
    },
    closed: (page) => page.getByTestId("person-form").waitFor({ state: "detached" }),
  },
};
