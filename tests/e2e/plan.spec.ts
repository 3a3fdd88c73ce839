import { test, expect, Page } from "@playwright/test";
import { open, saved, goto } from "./helpers";

const COMPANY = "Huadong Precision Machinery Co., Ltd.";
const trow = (page: Page, name: string) => page.locator(`[data-testid=target-row][data-name="${name}"]`);
const cell = (page: Page, name: string, period: string) => trow(page, name).locator(`[data-testid=cell][data-period="${period}"]`);
const num = (s: string) => Number(s.replace(/,/g, ""));

async function typeCell(page: Page, name: string, period: string, value: string) {
  const c = cell(page, name, period);
  await c.fill(value);
  await c.press("Enter");
}

async function cascade(page: Page, name: string, method: string, period = "year") {
  await trow(page, name).getByTestId("split").click();
  await page.getByTestId("cascade-method").selectOption(method);
  await page.getByTestId("cascade-period").selectOption(period);
  await page.getByTestId("cascade-ok").click();
  await expect(page.getByTestId("cascade-panel")).toHaveCount(0);
}

test("set the annual target, cascade by weight, lock a region, re-cascade, see a team's quarters", async ({ page }) => {
  await open(page, "/targets");
  // No over-assignment buffer for this run.
  const buffer = trow(page, COMPANY).getByTestId("buffer");
  await buffer.fill("0");
  await buffer.press("Enter");
  await typeCell(page, COMPANY, "year", "120,000,000");
  await expect(cell(page, COMPANY, "year")).toHaveValue("120,000,000");
  // The regions still hold last split's numbers: more than 120M with no buffer.
  await expect(trow(page, COMPANY).getByTestId("fit")).toHaveText("Over");

  await cascade(page, COMPANY, "weight");
  await expect(cell(page, "East China", "year")).toHaveValue("42,000,000");
  await expect(cell(page, "West China", "year")).toHaveValue("18,000,000");
  await expect(trow(page, COMPANY).getByTestId("fit")).toHaveText("Balanced");

  await trow(page, "West China").getByTestId("lock").check();
  await typeCell(page, COMPANY, "year", "150,000,000");
  await cascade(page, COMPANY, "weight");
  await expect(cell(page, "West China", "year")).toHaveValue("18,000,000");
  await expect(cell(page, "East China", "year")).toHaveValue("54,352,941");
  await expect(trow(page, COMPANY).getByTestId("children-sum")).toHaveText("150,000,000");

  // East China to its teams, then a team's quarterly split adds up to its year.
  await cascade(page, "East China", "equal");
  const q = await Promise.all(["q1", "q2", "q3", "q4"].map((p) => cell(page, "Shanghai Team", p).inputValue()));
  const year = num(await cell(page, "Shanghai Team", "year").inputValue());
  expect(q.map(num).reduce((a, b) => a + b, 0)).toBe(year);
  expect(num(q[3])).toBeGreaterThan(num(q[0]));
  // Keyboard: ↓ moves to the same period on the next row.
  await cell(page, "East China", "q2").focus();
  await page.keyboard.press("ArrowDown");
  await expect(cell(page, "Shanghai Team", "q2")).toBeFocused();

  await saved(page);
  await page.reload();
  await expect(cell(page, "East China", "year")).toHaveValue("54,352,941");
  await expect(trow(page, "West China").getByTestId("lock")).toBeChecked();
});

test("a locked quarter refuses edits", async ({ page }) => {
  await open(page, "/targets");
  await page.locator('[data-testid=period-head][data-period="q1"]').getByTestId("lock-period").click();
  await expect(cell(page, COMPANY, "q1")).toHaveAttribute("readonly", "");
  await trow(page, COMPANY).getByTestId("split").click();
  await page.getByTestId("cascade-period").selectOption("q1");
  await page.getByTestId("cascade-ok").click();
  await expect(page.getByTestId("notice").last()).toContainText("fiscal month 1 of FY");
  await expect(page.getByTestId("notice").last()).toContainText("is locked");
  // Q2 is still open.
  await typeCell(page, COMPANY, "q2", "1,000,000");
  await expect(cell(page, COMPANY, "q2")).toHaveValue("1,000,000");
});

test("over-allocating a budget is refused with the amount available", async ({ page }) => {
  await open(page, "/budget");
  const east = page.locator('[data-testid=budget-row][data-name="East China"]').locator('[data-testid=budget-cell][data-cat="Marketing"]');
  const before = await east.inputValue();
  await east.fill("99,999,999");
  await east.press("Enter");
  await expect(page.getByTestId("notice").last()).toContainText("more than the parent has left: at most 2,094,400.00 is available");
  await expect(east).toHaveValue(before);
  // Within what is left it is accepted.
  await east.fill("2,094,400");
  await east.press("Enter");
  await expect(page.locator('[data-testid=budget-row][data-name="East China"]').getByTestId("budget-total")).toHaveText("9,327,780");
});

test("a scenario with two extra hires, compared with the plan, survives a reload", async ({ page }) => {
  await open(page, "/scenarios");
  await page.getByTestId("scenario-name").fill("Two extra reps");
  await page.getByTestId("create-scenario").click();
  await expect(page.getByTestId("scenario")).toHaveCount(1);
  await goto(page, "/capacity");
  await expect(page.getByTestId("scenario-badge")).toBeVisible();
  const nanjing = page.locator('[data-testid=capacity-row][data-name="Nanjing Team"]');
  const planCapacity = num(await nanjing.getByTestId("capacity").innerText());
  await nanjing.getByTestId("edit-headcount").click();
  await page.getByTestId("add-hire").click();
  await page.getByTestId("hire-count").fill("2");
  await page.getByTestId("headcount-save").click();
  await expect(nanjing.getByTestId("hires")).toHaveText("2");
  expect(num(await nanjing.getByTestId("capacity").innerText())).toBeGreaterThan(planCapacity);
  // The plan itself is untouched.
  await page.getByTestId("plan-scenario").selectOption("");
  await expect(nanjing.getByTestId("hires")).toHaveText("0");

  await goto(page, "/scenarios");
  const east = page.locator('[data-testid=compare-row][data-name="East China"]');
  const plan = num(await east.getByTestId("cmp-capacity-0").innerText());
  const scen = num(await east.getByTestId("cmp-capacity-1").innerText());
  expect(scen).toBeGreaterThan(plan);
  expect(num(await east.getByTestId("cmp-gap-1").innerText())).toBeLessThan(num(await east.getByTestId("cmp-gap-0").innerText()));

  await saved(page);
  await page.reload();
  await expect(page.getByTestId("scenario")).toHaveCount(1);
  expect(num(await page.locator('[data-testid=compare-row][data-name="East China"]').getByTestId("cmp-capacity-1").innerText())).toBe(scen);

  // Adopting makes it the plan.
  page.on("dialog", (d) => d.accept());
  await page.getByTestId("adopt-scenario").click();
  await expect(page.locator('[data-testid=compare-row][data-name="East China"]').getByTestId("cmp-capacity-0")).toHaveText(
    await page.locator('[data-testid=compare-row][data-name="East China"]').getByTestId("cmp-capacity-1").innerText(),
  );
});
