import { test, expect, Page } from "@playwright/test";
import { goto, open, saved, shanghaiRep } from "./helpers";

// Money as shown ("60,000.00", "-6,000.00", "1,234") → cents.
const cents = (s: string | null) => Math.round(Number((s || "").replace(/,/g, "").replace("−", "-")) * 100);
const today = () => new Date().toISOString().slice(0, 10);
const currentQuarter = () => `q${Math.floor(new Date().getMonth() / 3) + 1}`;

test("a rep plan with two tiers and a cap: close a deal, read the statement's formula lines", async ({ page }) => {
  await open(page, "/");
  const rep = await shanghaiRep(page);

  // The rep plan: 5 % up to target, 8 % above, nothing under no threshold, capped at 60,000.
  await goto(page, "/payouts");
  await page.locator("[data-testid=plan-row][data-name='Rep commission plan']").getByTestId("edit-plan").click();
  const editor = page.getByTestId("plan-editor");
  await editor.getByTestId("rate-tier").nth(2).getByRole("button").click();
  await expect(editor.getByTestId("rate-tier")).toHaveCount(2);
  await editor.getByTestId("tier-rate").nth(0).fill("5");
  await editor.getByTestId("tier-from").nth(1).fill("100");
  await editor.getByTestId("tier-rate").nth(1).fill("8");
  await editor.getByTestId("plan-threshold").fill("0");
  await editor.getByTestId("plan-cap").fill("60,000");
  await expect(page.getByTestId("whatif-total")).toBeVisible();
  await page.getByTestId("save-plan").click();
  await expect(page.getByTestId("plan-editor")).toHaveCount(0);
  const rules = page.locator("[data-testid=plan-row][data-name='Rep commission plan'] td.small");
  await expect(rules).toContainText("≥100%: 8%");
  await expect(rules).toContainText("cap 60,000");

  // A big deal won today for a new customer: far above target.
  await goto(page, "/customers");
  await page.getByTestId("add-customer").click();
  await page.getByTestId("customer-name").fill("Statement Test Works");
  await page.getByTestId("customer-owner").selectOption({ label: `${rep} · Shanghai Team` });
  await page.getByTestId("save-customer").click();
  await goto(page, "/pipeline");
  await page.getByTestId("add-opportunity").click();
  await page.getByTestId("opp-name").fill("Statement test deal");
  await page.getByTestId("opp-customer").fill("Statement Test Works");
  await page.getByTestId("opp-owner").selectOption({ label: `${rep} · Shanghai Team` });
  await page.getByTestId("opp-amount").fill("20,000,000");
  await page.getByTestId("opp-close").fill(today());
  await page.getByTestId("opp-stage").selectOption({ label: "Won" });
  await page.getByTestId("save-opportunity").click();
  await expect(page.getByTestId("opportunity-form")).toHaveCount(0);
  await saved(page);

  // The statement for this quarter: the formula lines with the real numbers.
  await goto(page, "/payouts");
  await page.getByTestId("pay-period").selectOption(currentQuarter());
  await page.getByTestId("statement-person").selectOption({ label: `${rep} · Shanghai Team` });
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
  await page.getByTestId("score-tier").selectOption({ label: "Sales rep" });
  const ratings = async () => (await page.getByTestId("rating").allTextContents()).join("");
  const before = await ratings();
  const editor = page.getByTestId("template-editor");
  await editor.getByTestId("card-tier").selectOption({ label: "Sales rep" });
  await expect(editor.getByTestId("kpi-line")).toHaveCount(3);
  // 90 % in total cannot be saved.
  await editor.getByTestId("kpi-weight").nth(0).fill("50");
  await expect(editor.getByTestId("weights-sum")).toContainText("90.0%");
  await expect(editor.getByTestId("save-scorecard")).toBeDisabled();
  // All weight on revenue attainment.
  await editor.getByTestId("kpi-weight").nth(0).fill("100");
  await editor.getByTestId("kpi-weight").nth(1).fill("0");
  await editor.getByTestId("kpi-weight").nth(2).fill("0");
  await expect(editor.getByTestId("weights-sum")).toContainText("100.0%");
  await editor.getByTestId("save-scorecard").click();
  await saved(page);
  await expect.poll(ratings).not.toBe(before);
  // The explanation of a rep's scorecard shows the new weight.
  await page.getByTestId("score-row").first().click();
  await expect(page.getByTestId("kpi-explain").first()).toContainText("weight 100.0%");
  await page.getByTestId("modal-close").click();
  // Undo brings the old ratings back.
  await page.keyboard.press("Control+z");
  await expect.poll(ratings).toBe(before);
});

test("the director's summary puts each unit's payout cost against its personnel budget", async ({ page }) => {
  await open(page, "/payouts");
  const rows = page.getByTestId("summary-row");
  await expect(rows).toHaveCount(5);
  const costs = (await rows.getByTestId("summary-cost").allTextContents()).map(cents);
  // The company's cost is its regions' costs added up: the director's yearly plan
  // does not pay in a quarter, everyone else sits in a region (shown in whole units).
  expect(Math.abs(costs[0] - costs.slice(1).reduce((a, b) => a + b, 0))).toBeLessThanOrEqual(400);
  // 77 people × 360,000 a year of personnel budget, a quarter of it.
  await expect(rows.first().getByTestId("summary-budget")).toHaveText("6,930,000");
  await expect(rows.first().getByTestId("summary-status")).toHaveText(/Within budget|Near budget|Over budget/);
  // A rise in a rate shows its cost before saving, and cancelling leaves everything as it was.
  await page.locator("[data-testid=plan-row][data-name='Rep commission plan']").getByTestId("edit-plan").click();
  const total = page.getByTestId("whatif-total");
  await expect(total).toHaveText(await rows.first().getByTestId("summary-cost").textContent() as string);
  await page.getByTestId("tier-rate").nth(0).fill("6");
  await expect(page.getByTestId("whatif-delta")).toHaveText(/^\+/);
  expect(cents(await total.textContent())).toBeGreaterThan(costs[0]);
  await page.getByTestId("cancel-plan").click();
  await expect(rows.first().getByTestId("summary-cost")).toHaveText(/./);
  expect(cents(await rows.first().getByTestId("summary-cost").textContent())).toBe(costs[0]);
  // A member's weight in a region's pool: 3 instead of 1 raises their share and lowers the others'.
  await page.getByTestId("pool-weights").first().click();
  const weights = page.getByTestId("pool-weights-editor");
  await expect(weights.getByTestId("pool-weight").first()).toHaveValue("1");
  await weights.getByTestId("pool-weight").first().fill("3");
  await weights.getByTestId("save-weights").click();
  await expect(weights).toHaveCount(0);
  await page.getByTestId("pool-weights").first().click();
  await expect(page.getByTestId("pool-weights-editor").getByTestId("pool-weight").first()).toHaveValue("3");
  await page.getByTestId("pool-weights-editor").getByTestId("pool-weight").first().fill("5000");
  await page.getByTestId("pool-weights-editor").getByTestId("save-weights").click();
  await expect(page.getByTestId("pool-weights-editor")).toContainText("at most 1,000");
});

test("manual KPI entries keep who entered them; zh statement and calibration", async ({ page }) => {
  await open(page, "/scorecards");
  await page.getByTestId("entry-person").selectOption({ index: 1 });
  await page.getByTestId("entry-kpi").selectOption({ label: "Strategic goals (manual, 0–100%)" });
  await page.getByTestId("entry-actual").fill("75");
  await page.getByTestId("save-entry").click();
  await expect(page.getByTestId("entry-row").filter({ hasText: "75.0%" })).toHaveCount(1);
  await expect(page.getByTestId("entry-row").filter({ hasText: "75.0%" })).toContainText("not recorded");
  // 101 % is refused with a clear message and nothing is written.
  await page.getByTestId("entry-actual").fill("101");
  await page.getByTestId("save-entry").click();
  await expect(page.getByTestId("entry-error")).toContainText("completion 0–100");
  await expect(page.getByTestId("entry-row").filter({ hasText: "101" })).toHaveCount(0);
  await page.getByTestId("lang-zh").click();
  await expect(page.getByTestId("calibration")).toContainText("评级校准");
  await expect(page.getByTestId("band-row")).toHaveCount(4);
  await goto(page, "/payouts");
  await expect(page.getByTestId("statement")).toContainText("第 1 档");
});
