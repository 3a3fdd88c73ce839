import type { Page } from "@playwright/test";
import { test, expect, addDeal, cents, fiscalNow, goto, open, Org, saved, storedOrg, teamRep, Text, textIn, typeInto } from "./helpers";

/** The incentive plan of the bottom tier (the reps'), by its shown name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const repPlan = (org: Org) => org.name(Object.values(org.data.incentive_plans as Record<string, any>).find((p) => p.tier === org.tiers.at(-1).id));
const planRow = (page: Page, name: string) => page.locator(`[data-testid=plan-row][data-name="${name}"]`);

test("a rep plan with two tiers and a cap: close a deal, read the statement's formula lines", async ({ page }) => {
  await open(page, "/");
  const { rep, team } = await teamRep(page);
  const org = await storedOrg(page);
  const plan = repPlan(org);

  // The rep plan: 5 % up to target, 8 % above, nothing under no threshold, capped at 60,000.
  await goto(page, "/payouts");
  await planRow(page, plan).getByTestId("edit-plan").click();
  const editor = page.getByTestId("plan-editor");
  const rateTiers = editor.getByTestId("rate-tier");
  while ((await rateTiers.count()) > 2) await rateTiers.last().getByRole("button").click();
  while ((await rateTiers.count()) < 2) await editor.getByTestId("add-rate-tier").click();
  await expect(rateTiers).toHaveCount(2);
  await typeInto(editor.getByTestId("tier-rate").nth(0), "5");
  await typeInto(editor.getByTestId("tier-from").nth(1), "100");
  await typeInto(editor.getByTestId("tier-rate").nth(1), "8");
  await typeInto(editor.getByTestId("plan-threshold"), "0");
  await typeInto(editor.getByTestId("plan-cap"), "60,000");
  await expect(page.getByTestId("whatif-total")).toBeVisible();
  await page.getByTestId("save-plan").click();
  await expect(page.getByTestId("plan-editor")).toHaveCount(0);
  const rules = planRow(page, plan).locator("td.small");
  await expect(rules).toContainText("≥100%: 8%");
  await expect(rules).toContainText("cap 60,000");

  // A big deal won today for a new customer: far above target.
  await addDeal(page, { rep, team, customer: "Statement Test Works", deal: "Statement test deal", amount: "20,000,000", stage: "Won" });
  await saved(page);

  // The statement for this quarter: the formula lines with the real numbers.
  await goto(page, "/payouts");
  await page.getByTestId("pay-period").selectOption((await fiscalNow(page, org.data.settings.fiscal_year_start_month)).key);
  await page.getByTestId("statement-person").selectOption({ label: `${rep} · ${team}` });
  const st = page.getByTestId("statement");
  await expect(st.getByTestId("statement-name")).toHaveText(rep);
  const slices = st.locator("[data-testid=pay-line][data-kind=tier_slice] td.formula");
  await expect(slices).toHaveCount(2);
  await expect(slices.nth(0)).toHaveText(/^tier 1: 5% × \([\d,]+\.\d\d − 0\.00\) = [\d,]+\.\d\d$/);
  await expect(slices.nth(1)).toHaveText(/^tier 2: 8% × \([\d,]+\.\d\d − [\d,]+\.\d\d\) = [\d,]+\.\d\d$/);
  // The slice bounds meet: tier 1 ends where tier 2 starts (the target).
  const t1 = (await slices.nth(0).textContent())!.match(/\(([\d,.]+) −/)![1];
  const t2 = (await slices.nth(1).textContent())!.match(/− ([\d,.]+)\)/)![1];
  expect(t1).toBe(t2);
  await expect(st.locator("[data-testid=pay-line][data-kind=cap] td.formula")).toContainText("cap at 60,000.00");
  // Commission lines come to exactly the cap; the total is every line's sum.
  const amounts = await st.locator("[data-testid=pay-line]").evaluateAll((rows) =>
    rows.map((r) => [r.getAttribute("data-kind"), r.querySelector("td.num")!.textContent]),
  );
  const commission = amounts.filter(([k]) => ["tier_slice", "cap", "scorecard"].includes(k!)).reduce((a, [, v]) => a + cents(v), 0);
  expect(commission).toBe(6_000_000);
  const all = amounts.reduce((a, [, v]) => a + cents(v), 0);
  expect(cents(await st.getByTestId("pay-total").textContent())).toBe(all);
  // The deal behind it is listed.
  await expect(st.locator("[data-testid=statement-deal]", { hasText: "Statement test deal" })).toHaveCount(1);

  // Print preview: the statement is what prints, the rest of the page is not.
  await page.emulateMedia({ media: "print" });
  await expect(st).toBeVisible();
  await expect(page.getByTestId("plans")).toBeHidden();
  await expect(page.getByTestId("pay-summary")).toBeHidden();
  await expect(page.locator("nav.sidebar")).toBeHidden();
  const pdf = await page.pdf({ format: "A4" });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  expect(pdf.length).toBeGreaterThan(10_000);
});

test("changing a weight on a tier's scorecard moves ratings", async ({ page }) => {
  await open(page, "/scorecards");
  const org = await storedOrg(page);
  const repTier = org.tiers.find((t) => org.name(t) === "Sales rep");
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const card = Object.values(org.data.scorecards as Record<string, any>).find((c) => c.tier === repTier.id);
  const weights: number[] = card.lines.map((l: { weight_bp: number }) => l.weight_bp);
  expect(weights.length).toBeGreaterThan(1);
  await page.getByTestId("score-tier").selectOption({ label: "Sales rep" });
  // Every row shows a rep (the rows further down are redrawn after the first frame).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const reps = new Set(Object.values(org.data.people as Record<string, any>).filter((p) => p.tier === repTier.id).map((p) => p.id));
  const shownIds = () => page.getByTestId("score-row").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-id")));
  await expect.poll(async () => (await shownIds()).filter((id) => !reps.has(id))).toEqual([]);
  const ratings = async () => (await page.getByTestId("rating").allTextContents()).join("");
  const scores = async () => (await page.getByTestId("score").allTextContents()).join(" ");
  // Every rating is the best band the shown score reaches (scores are shown to 0.1).
  const bands: { name: Text; min_bp: number }[] = org.data.performance.bands;
  const bandOf = (points: number) => {
    const i = bands.findIndex((b) => points * 100 >= b.min_bp);
    return i < 0 ? bands.length - 1 : i;
  };
  async function ratingsFollowScores() {
    const rows = await page.getByTestId("score-row").evaluateAll((trs) =>
      trs.map((tr) => [tr.querySelector("[data-testid=score]")!.textContent!.trim(), tr.querySelector("[data-testid=rating]")!.textContent!.trim()]),
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const [score, rating] of rows) {
      if (score === "—") continue;
      const shown = bands.findIndex((b) => textIn(b.name, "en") === rating);
      expect(shown, `${score} rated ${rating}`).toBeGreaterThanOrEqual(bandOf(Number(score) + 0.05));
      expect(shown, `${score} rated ${rating}`).toBeLessThanOrEqual(bandOf(Number(score) - 0.05));
    }
  }
  await ratingsFollowScores();
  const before = await ratings();
  const scoresBefore = await scores();
  const editor = page.getByTestId("template-editor");
  await editor.getByTestId("card-tier").selectOption({ label: "Sales rep" });
  await expect(editor.getByTestId("kpi-line")).toHaveCount(weights.length);
  // The first weight 10 points lower: the sum falls short of 100 % and cannot be saved.
  const first = weights[0] / 100 - 10;
  await typeInto(editor.getByTestId("kpi-weight").nth(0), String(first));
  await expect(editor.getByTestId("weights-sum")).toContainText(`${((weights.reduce((a, b) => a + b, 0) - 1000) / 100).toFixed(1)}%`);
  await expect(editor.getByTestId("save-scorecard")).toBeDisabled();
  // All weight on the first KPI (revenue attainment).
  await typeInto(editor.getByTestId("kpi-weight").nth(0), "100");
  for (let i = 1; i < weights.length; i++) await typeInto(editor.getByTestId("kpi-weight").nth(i), "0");
  await expect(editor.getByTestId("weights-sum")).toContainText("100.0%");
  await editor.getByTestId("save-scorecard").click();
  await saved(page);
  // The reps' scores move (their KPIs differ), and their ratings follow the new scores.
  await expect.poll(scores).not.toBe(scoresBefore);
  await ratingsFollowScores();
  // The explanation of a rep's scorecard shows the new weight.
  await page.getByTestId("score-row").first().click();
  await expect(page.getByTestId("kpi-explain").first()).toContainText("weight 100.0%");
  await page.getByTestId("modal-close").click();
  // Undo brings the old ratings back.
  await page.keyboard.press("Control+z");
  await expect.poll(scores).toBe(scoresBefore);
  await expect.poll(ratings).toBe(before);
});

test("the director's summary puts each unit's payout cost against its personnel budget", async ({ page }) => {
  // A deal won today, so this quarter has commission for a rate to change.
  await open(page, "/");
  const { rep, team } = await teamRep(page);
  await addDeal(page, { rep, team, customer: "Summary Test Works", deal: "Summary test deal", amount: "1,000,000", stage: "Won" });
  await saved(page);
  await goto(page, "/payouts");
  const org = await storedOrg(page);
  const fiscal = await fiscalNow(page, org.data.settings.fiscal_year_start_month);
  await page.getByTestId("pay-period").selectOption(fiscal.key);
  const root = org.root();
  const regions = org.children(root.id);
  const rows = page.getByTestId("summary-row");
  // The company, then each region.
  await expect(rows).toHaveCount(1 + regions.length);
  await expect(rows.first()).toHaveAttribute("data-name", org.name(root));
  const costs = (await rows.getByTestId("summary-cost").allTextContents()).map(cents);
  // The company's cost is its regions' costs added up: the director's yearly plan
  // does not pay in a quarter, everyone else sits in a region (each shown in whole
  // units, so each of the regions' figures may be off by half a unit).
  expect(Math.abs(costs[0] - costs.slice(1).reduce((a, b) => a + b, 0))).toBeLessThanOrEqual(50 * (regions.length + 1));
  // The year's personnel budget of the company, a quarter of it (the period viewed).
  const { year } = fiscal;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const personnel = Object.values(org.data.categories as Record<string, any>).find((c) => c.name.en === "Personnel");
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const line = Object.values(org.data.plan.budgets as Record<string, any>).find((b) => b.unit === root.id && b.year === year && b.category === personnel.id);
  expect(line.amount).toBeGreaterThan(0);
  const budget = cents(await rows.first().getByTestId("summary-budget").textContent());
  expect(Math.abs(budget - line.amount / 4)).toBeLessThanOrEqual(50);
  await expect(rows.first().getByTestId("summary-status")).toHaveText(/Within budget|Near budget|Over budget/);
  // A rise in a rate shows its cost before saving, and cancelling leaves everything as it was.
  await planRow(page, repPlan(org)).getByTestId("edit-plan").click();
  const total = page.getByTestId("whatif-total");
  await expect(total).toHaveText(await rows.first().getByTestId("summary-cost").textContent() as string);
  const rate = Number(await page.getByTestId("tier-rate").nth(0).inputValue());
  await typeInto(page.getByTestId("tier-rate").nth(0), String(rate + 1));
  await expect(page.getByTestId("whatif-delta")).toHaveText(/^\+/);
  expect(cents(await total.textContent())).toBeGreaterThan(costs[0]);
  await page.getByTestId("cancel-plan").click();
  await expect(rows.first().getByTestId("summary-cost")).toHaveText(/./);
  expect(cents(await rows.first().getByTestId("summary-cost").textContent())).toBe(costs[0]);
  // A member's weight in a region's pool: 3 instead of 1 raises their share and lowers the others'.
  await page.getByTestId("pool-weights").first().click();
  const weights = page.getByTestId("pool-weights-editor");
  await expect(weights.getByTestId("pool-weight").first()).toHaveValue("1");
  const member = ((await weights.locator("tbody tr td").first().textContent()) || "").trim();
  await typeInto(weights.getByTestId("pool-weight").first(), "3");
  await weights.getByTestId("save-weights").click();
  await expect(weights).toHaveCount(0);
  // Their statement's pool line says weight 3, and is a true equation:
  // amount × (3 × score) ÷ Σ = share (to the cent, largest remainder).
  // The option reads "Name · Unit": match the whole name (another name may contain it).
  const option = page.getByTestId("statement-person").locator("option", { hasText: new RegExp(`^${member.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} · `) }).first();
  await page.getByTestId("statement-person").selectOption(await option.getAttribute("value"));
  // The statement of the edited pool's period (the first pool listed may be an earlier quarter's).
  const poolPeriod = ((await page.getByTestId("pool-row").first().locator("td").nth(1).textContent()) || "").trim();
  await page.getByTestId("pay-period").selectOption({ label: poolPeriod });
  // They may be in more than one pool (a team's and a region's): the line of
  // the pool edited says weight 3, and every pool line is a true equation.
  const poolLines = page.getByTestId("statement").locator("[data-testid=pay-line][data-kind=pool] td.formula");
  // The statement is redrawn for the person and period picked: wait until it
  // shows the edited weight (reading at once can catch the previous one).
  await expect(poolLines.filter({ hasText: /× \(3 × / })).not.toHaveCount(0);
  const formulas = await poolLines.allTextContents();
  const weightsSeen: number[] = [];
  for (const text of formulas) {
    const m = text.match(/([\d,.]+) × \((\d+) × ([\d.]+)\) ÷ ([\d,.]+) = ([\d,.]+)/);
    if (!m) continue;
    const [amount, weight, score, sum, share] = [m[1], m[2], m[3], m[4], m[5]].map((x) => Number(x.replace(/,/g, "")));
    weightsSeen.push(weight);
    expect(Math.abs(amount * weight * score / sum - share)).toBeLessThanOrEqual(0.01);
  }
  expect(weightsSeen).toContain(3);
  await page.getByTestId("pool-weights").first().click();
  await expect(page.getByTestId("pool-weights-editor").getByTestId("pool-weight").first()).toHaveValue("3");
  await typeInto(page.getByTestId("pool-weights-editor").getByTestId("pool-weight").first(), "5000");
  await page.getByTestId("pool-weights-editor").getByTestId("save-weights").click();
  await expect(page.getByTestId("pool-weights-editor")).toContainText("at most 1,000");
});

test("manual KPI entries keep who entered them; zh statement and calibration", async ({ page }) => {
  await open(page, "/scorecards");
  const org = await storedOrg(page);
  await page.getByTestId("entry-person").selectOption({ index: 1 });
  await page.getByTestId("entry-kpi").selectOption({ label: "Strategic goals (manual, 0–100%)" });
  await typeInto(page.getByTestId("entry-actual"), "75");
  await page.getByTestId("save-entry").click();
  await expect(page.getByTestId("entry-row").filter({ hasText: "75.0%" })).toHaveCount(1);
  await expect(page.getByTestId("entry-row").filter({ hasText: "75.0%" })).toContainText("not recorded");
  // 101 % is refused with a clear message and nothing is written.
  await typeInto(page.getByTestId("entry-actual"), "101");
  await page.getByTestId("save-entry").click();
  await expect(page.getByTestId("entry-error")).toContainText("completion 0–100");
  await expect(page.getByTestId("entry-row").filter({ hasText: "101" })).toHaveCount(0);
  await page.getByTestId("lang-zh").click();
  await expect(page.getByTestId("calibration")).toContainText("评级校准");
  await expect(page.getByTestId("band-row")).toHaveCount(org.data.performance.bands.length);
  // The unit picker shows the top unit; a region picked narrows the people rated.
  const pick = page.getByTestId("calibration-unit");
  await expect(pick).toHaveValue(org.root().id);
  const rated = async () => Number((await page.getByTestId("calibration").locator("p.muted.small").first().textContent())!.match(/\d+/)![0]);
  const everyone = await rated();
  const region = org.children(org.root().id)[0];
  await pick.focus();
  await pick.selectOption(region.id);
  await expect(pick).toHaveValue(region.id);
  await expect.poll(rated).toBeLessThan(everyone);
  expect(await rated()).toBeGreaterThan(0);
  await goto(page, "/payouts");
  // The statement's formula lines are written in Chinese, whatever kind they are.
  const zh: Record<string, RegExp> = {
    tier_slice: /^第 \d+ 档：/,
    retroactive: /^达到第 \d+ 档，全额适用：/,
    below_threshold: /^达成率 .+ = .+%，低于门槛 .+：不计提成 = 0\.00$/,
    scorecard: /^计分卡系数：/,
    cap: /^封顶 /,
    override: /^团队业绩提成：/,
    pool: /奖金池：.+ × \(\d+ × [\d.]+\) ÷ [\d,.]+ = /,
    pool_redistributed: /奖金池：封顶成员（.+）未能领取的部分再分配：/,
    pool_cap: /奖金池：成员封顶 /,
    spif: /^专项激励“/,
  };
  const lines = await page.getByTestId("statement").locator("[data-testid=pay-line]").evaluateAll((rows) =>
    rows.map((r) => [r.getAttribute("data-kind")!, r.querySelector("td.formula")!.textContent!.trim()]),
  );
  expect(lines.length).toBeGreaterThan(0);
  for (const [kind, text] of lines) expect(text, kind).toMatch(zh[kind]);
  if (lines.some(([k]) => k === "tier_slice")) await expect(page.getByTestId("statement")).toContainText("第 1 档");
});
