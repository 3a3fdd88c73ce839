// Two builds side by side, on the same edits (no assertions; prints figures).
// Usage: node scripts/ab-bench.mjs BASE_A BASE_B WORKSPACE_FILE [ACTION…]
// Serve each build on its own port (node scripts/serve-dist.mjs PORT DIR):
// each origin has its own storage, and both open the same file. The builds
// take turns, one edit each, in one browser, so that the machine's noise
// falls on both alike. ACTIONs (all by default): move-team,
// forecast-period, scorecards-period, rename-unit, rename-person. ROUNDS (default 12) edits
// of each build per action. Prints medians of: the first frame painted
// after the edit (ms from the edit), the main thread's work until then, the
// script part of it, and the wall time to the second frame.
import { RENAMES, launch, median, openWorkspace, teamMove, traceWork } from "./bench-common.mjs";

const [baseA, baseB, file, ...chosen] = process.argv.slice(2);
if (!file) {
  console.error("usage: node scripts/ab-bench.mjs BASE_A BASE_B WORKSPACE_FILE [ACTION…]");
  process.exit(2);
}
const rounds = Number(process.env.ROUNDS || 12);
const browser = await launch();
const side = async (base) => {
  const page = await (await browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 900 } })).newPage();
  await openWorkspace(page, base, file);
  return { base, page };
};
const builds = [await side(baseA), await side(baseB)];

/** A period picker's switches, through the periods in turn. */
const periods = (path, ready, testid) => ({
  async open({ base, page }) {
    await page.goto(base + path);
    await page.getByTestId(ready).first().waitFor();
    await page.waitForTimeout(1500);
  },
  async once({ page }, round) {
    const period = ["q1", "q2", "q3", "year", "m5", "q4"][round % 6];
    return traceWork(page, (arg) => {
      const sel = document.querySelector(`[data-testid=${arg.testid}]`);
      sel.value = arg.period;
      sel.dispatchEvent(new Event("change", { bubbles: true }));
    }, { testid, period });
  },
});
/** A rename of RENAMES. */
const rename = (edit) => ({
  async open({ base, page }) {
    await page.goto(base + edit.path);
    await page.getByTestId(edit.ready).first().waitFor();
    await page.waitForTimeout(1500);
  },
  async once({ page }, round) {
    await edit.prepare(page, round);
    const t = await traceWork(page, edit.act);
    await edit.closed(page);
    return t;
  },
});
/** A team moved to another region on the org page, and back (see teamMove). */
const moveTeam = {
  async open(b) {
    const { base, page } = b;
    await page.goto(base + "/");
    await page.getByTestId("tree-row").first().waitFor();
    await page.waitForTimeout(1500);
    b.move = await teamMove(page);
  },
  async once({ page, move }, round) {
    await move.prepare(round);
    const t = await traceWork(page, move.act);
    await move.closed();
    return t;
  },
};
const ACTIONS = {
  "move-team": moveTeam,
  "forecast-period": periods("/forecast", "forecast-row", "forecast-period"),
  "scorecards-period": periods("/scorecards", "score-row", "score-period"),
  "rename-unit": rename(RENAMES["rename-unit"]),
  "rename-person": rename(RENAMES["rename-person"]),
};
for (const name of chosen.length ? chosen : Object.keys(ACTIONS)) {
  const action = ACTIONS[name];
  if (!action) throw new Error(`unknown action ${name}: one of ${Object.keys(ACTIONS).join(", ")}`);
  for (const b of builds) await action.open(b);
  const got = builds.map(() => []);
  // One warm-up edit each, not counted.
  for (let round = -1; round < rounds; round++) {
    for (const [i, b] of builds.entries()) {
      const t = await action.once(b, round + 1);
      if (round >= 0) got[i].push(t);
    }
  }
  const m = (list, f) => median(list.map(f)).toFixed(1);
  console.log(`${name} (${rounds} each):`);
  for (const [i, list] of got.entries())
    console.log(
      `  ${"AB"[i]}: first frame at ${m(list, (x) => x.first.at)} ms, busy ${m(list, (x) => x.first.busy)}, script ${m(list, (x) => x.first.script)} ` +
        `(storage ${m(list, (x) => x.first.storage)}, the rest ${m(list, (x) => x.first.work)}); ` +
        `second frame at ${m(list, (x) => x.total)} ms, busy ${m(list, (x) => x.busy)}`,
    );
}
await browser.close();
