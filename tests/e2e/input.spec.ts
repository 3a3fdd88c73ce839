// Issue 17, items 1–7: what a new user typing into the app gets. Each test
// drives the page as a person does (click, type, Tab, Enter) and compares
// the stored document with what was typed.
import type { Locator, Page } from "@playwright/test";
import { test, expect, fiscalNow, goto, num, open, saved, storedData, storedOrg, typeInto } from "./helpers";

/* eslint-disable @typescript-eslint/no-explicit-any */

const trow = (page: Page, name: string) => page.locator(`[data-testid=target-row][data-name="${name}"]`);
const tcell = (page: Page, name: string, period: string) => trow(page, name).locator(`[data-testid=cell][data-period="${period}"]`);
const brow = (page: Page, name: string) => page.locator(`[data-testid=budget-row][data-name="${name}"]`);
const fieldMsg = (cell: Locator) => cell.locator("xpath=ancestor::td[1]").getByTestId("field-msg");

/** Σ of a stored target line's months for a period ("year", "q1"…), or 0 without a line. */
function storedTarget(data: any, owner: string, year: number, period = "year"): number {
  const line: any = Object.values(data.plan.targets).find((t: any) => t.owner === owner && t.kind === "revenue" && t.year === year);
  if (!line) return 0;
  const months: number[] = line.months;
  const q = period.match(/^q(\d)$/);
  return (q ? months.slice((Number(q[1]) - 1) * 3, Number(q[1]) * 3) : months).reduce((a, b) => a + b, 0);
}

function storedBudget(data: any, unit: string, category: string, year: number): number {
  const line: any = Object.values(data.plan.budgets).find((b: any) => b.unit === unit && b.category === category && b.year === year);
  return line ? line.amount : 0;
}

/** Half to even, as core rounds. */
function roundHalfEven(n: number, d: number): number {
  const q = Math.floor(n / d);
  const r = n - q * d;
  if (2 * r > d) return q + 1;
  if (2 * r < d) return q;
  return q % 2 === 0 ? q : q + 1;
}

/** A date as YYYY-MM-DD plus `days`. */
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
/** What a person types into an en-US date field: MMDDYYYY. */
const typedDate = (day: string) => `${day.slice(5, 7)}${day.slice(8, 10)}${day.slice(0, 4)}`;

/** The open deals the pipeline table lists for the fiscal year, in its default order (close date, then id). */
function openDealsThisYear(data: any, start: string, end: string): any[] {
  const open = new Set(Object.values(data.stages).filter((s: any) => s.outcome === "open").map((s: any) => s.id));
  return Object.values(data.opportunities)
    .filter((o: any) => open.has(o.stage) && o.close_date >= start && o.close_date < end)
    .sort((a: any, b: any) => (a.close_date < b.close_date ? -1 : a.close_date > b.close_date ? 1 : a.id < b.id ? -1 : 1));
}

/** The row the focused element sits in, and the focused element's test id. */
const focusAt = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { row: el?.closest("[data-testid=opp-row]")?.getAttribute("data-name") ?? null, testid: el?.getAttribute("data-testid") ?? null };
  });

test("item 1: typing into a target or budget cell replaces its value, and an empty cell is empty", async ({ page }) => {
  await open(page, "/targets");
  const org = await storedOrg(page);
  const year = (await fiscalNow(page, org.data.settings.fiscal_year_start_month)).year;
  const company = org.name(org.root());
  // Next year has no targets yet: its cells are empty, and click-and-type saves what was typed.
  await page.getByTestId("plan-year").selectOption(String(year + 1));
  const empty = tcell(page, company, "q1");
  await expect(empty).toHaveValue("");
  expect(storedTarget(org.data, org.root().id, year + 1)).toBe(0);
  await empty.click();
  await page.keyboard.type("12000000");
  await page.keyboard.press("Tab");
  await expect(empty).toHaveValue("12,000,000");
  await saved(page);
  expect(storedTarget(await storedData(page), org.root().id, year + 1, "q1")).toBe(12_000_000_00);
  // Choosing the year from its list takes the focus there, as a click does.
  await page.getByTestId("plan-year").focus();
  await page.getByTestId("plan-year").selectOption(String(year));
  await expect(page.getByTestId("plan-year")).toHaveValue(String(year));

  // A cell with a number: a click and typing replace it, whatever the caret did.
  const q2 = tcell(page, company, "q2");
  await expect(q2).not.toHaveValue("");
  expect(num(await q2.inputValue())).toBeGreaterThan(0);
  await q2.click();
  await page.keyboard.type("5000000");
  await page.keyboard.press("Enter");
  await expect(q2).toHaveValue("5,000,000");
  await saved(page);
  expect(storedTarget(await storedData(page), org.root().id, year, "q2")).toBe(5_000_000_00);

  // Budget: a new category has empty cells; click-and-type saves the amount typed.
  await goto(page, "/budget");
  const categories = page.locator("form.panel-form").filter({ has: page.getByRole("button", { name: "Add category" }) });
  await typeInto(categories.locator("input").nth(0), "活动");
  await typeInto(categories.locator("input").nth(1), "Events");
  await categories.getByRole("button", { name: "Add category" }).click();
  const events = brow(page, company).locator('[data-testid=budget-cell][data-cat="Events"]');
  await expect(events).toHaveValue("");
  await events.click();
  await page.keyboard.type("50000");
  await page.keyboard.press("Tab");
  await expect(events).toHaveValue("50,000");
  await saved(page);
  const data = await storedData(page);
  const cat: any = Object.values(data.categories).find((c: any) => c.name.en === "Events");
  expect(storedBudget(data, org.root().id, cat.id, year)).toBe(50_000_00);
});

test("item 2: typing a close date changes that deal only, and its row stays put while edited", async ({ page }) => {
  await open(page, "/pipeline");
  const before = await storedData(page);
  const fy = await fiscalNow(page, before.settings.fiscal_year_start_month);
  const deals = openDealsThisYear(before, fy.yearStart, fy.yearEnd);
  expect(deals.length).toBeGreaterThan(8);
  const rows = page.getByTestId("opp-row");
  const fourth = deals[3];
  await expect(rows.nth(3)).toHaveAttribute("data-name", fourth.name);

  // A date late in the fiscal year: the row would sort far down.
  let day = addDays(fy.yearEnd, -16);
  if (day === fourth.close_date) day = addDays(day, 1);
  await rows.nth(3).getByTestId("row-amount").click();
  await page.keyboard.press("Tab");
  expect(await focusAt(page)).toEqual({ row: fourth.name, testid: "row-close" });
  await page.keyboard.type(typedDate(day));
  // Still the same row under the caret, and nothing saved yet.
  expect(await focusAt(page)).toEqual({ row: fourth.name, testid: "row-close" });
  await expect(rows.nth(3)).toHaveAttribute("data-name", fourth.name);
  // Enter commits it (leaving the field does too: Tab goes through the date picker's button first).
  await page.keyboard.press("Enter");
  await saved(page);
  const after = await storedData(page);
  const changed = Object.values(after.opportunities).filter((o: any) => JSON.stringify(o) !== JSON.stringify(before.opportunities[o.id]));
  expect(changed.map((o: any) => [o.id, o.close_date])).toEqual([[fourth.id, day]]);

  // An amount: Tab commits it and moves on in the same row.
  const second = openDealsThisYear(after, fy.yearStart, fy.yearEnd)[1];
  const row2 = page.locator(`[data-testid=opp-row][data-name="${second.name}"]`).first();
  await row2.getByTestId("row-amount").click();
  await page.keyboard.type("12345");
  await page.keyboard.press("Tab");
  expect(await focusAt(page)).toEqual({ row: second.name, testid: "row-close" });
  await saved(page);
  expect((await storedData(page)).opportunities[second.id].amount).toBe(12_345_00);
});

test("item 3: a new deal closing in the next fiscal year is shown after saving", async ({ page }) => {
  await open(page, "/pipeline");
  const data = await storedData(page);
  const fy = await fiscalNow(page, data.settings.fiscal_year_start_month);
  const customer: any = Object.values(data.customers).find((c: any) => c.owner && data.people[c.owner]?.status === "active");

  async function addDeal(name: string, close?: string) {
    await page.getByTestId("add-opportunity").click();
    await typeInto(page.getByTestId("opp-name"), name);
    await typeInto(page.getByTestId("opp-customer"), customer.name);
    await page.getByTestId("opp-owner").selectOption(customer.owner);
    await typeInto(page.getByTestId("opp-amount"), "80,000");
    if (close) await page.getByTestId("opp-close").fill(close);
    await page.getByTestId("save-opportunity").click();
    await expect(page.getByTestId("opportunity-form")).toHaveCount(0);
  }

  // With the date the form proposes.
  await addDeal("Default date deal");
  await expect(page.locator("[data-testid=opp-row][data-name='Default date deal']")).toBeVisible();
  // In the next fiscal year: the page follows it there.
  const next = addDays(fy.yearEnd, 20);
  await addDeal("Next year deal", next);
  await expect(page.locator("[data-testid=opp-row][data-name='Next year deal']")).toBeVisible();
  await expect(page.getByTestId("plan-year")).toHaveValue(String(fy.year + 1));
  await saved(page);
  const stored: any[] = Object.values((await storedData(page)).opportunities);
  expect(stored.find((o) => o.name === "Next year deal").close_date).toBe(next);
});

test("item 4: the scorecard template editor adds, removes and follows the tier", async ({ page }) => {
  await open(page, "/scorecards");
  const org = await storedOrg(page);
  const editor = page.getByTestId("template-editor");
  const lines = editor.getByTestId("kpi-line");
  const kinds = () => editor.getByTestId("kpi-kind").evaluateAll((s) => s.map((x) => (x as HTMLSelectElement).value));
  const storedKinds = (data: any, tier: string) => {
    const card: any = Object.values(data.scorecards).find((c: any) => c.tier === tier);
    return (card?.lines ?? []).map((l: any) => (typeof l.kpi === "string" ? l.kpi : `custom:${l.kpi.custom}`));
  };
  for (const tier of [org.tiers[0], org.tiers[org.tiers.length - 1], org.tiers[1]]) {
    await editor.getByTestId("card-tier").selectOption(tier.id);
    expect(await kinds()).toEqual(storedKinds(org.data, tier.id));
  }
  const n = await lines.count();
  await editor.getByRole("button", { name: "Add KPI" }).click();
  await expect(lines).toHaveCount(n + 1);
  const shown = await kinds();
  await lines.first().getByRole("button", { name: "Remove" }).click();
  await expect(lines).toHaveCount(n);
  expect(await kinds()).toEqual(shown.slice(1));

  // From an empty workspace: build a two-KPI scorecard for the top tier.
  page.on("dialog", (d) => d.accept());
  await page.getByTestId("start-empty").click();
  await expect(page.getByTestId("demo-bar")).toHaveCount(0);
  await goto(page, "/scorecards");
  const top = (await storedOrg(page)).tiers[0];
  await editor.getByTestId("card-tier").selectOption(top.id);
  while ((await lines.count()) > 0) await lines.first().getByRole("button", { name: "Remove" }).click();
  await editor.getByRole("button", { name: "Add KPI" }).click();
  await editor.getByRole("button", { name: "Add KPI" }).click();
  await expect(lines).toHaveCount(2);
  await lines.nth(0).getByTestId("kpi-kind").selectOption("revenue");
  await lines.nth(1).getByTestId("kpi-kind").selectOption("strategic");
  for (const [i, w] of [[0, "70"], [1, "30"]] as const) {
    await lines.nth(i).getByTestId("kpi-weight").click();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type(w);
  }
  await expect(editor.getByTestId("weights-sum")).toContainText("100.0%");
  await editor.getByTestId("save-scorecard").click();
  await saved(page);
  const card: any = Object.values((await storedData(page)).scorecards).find((c: any) => c.tier === top.id);
  expect(card.lines.map((l: any) => [l.kpi, l.weight_bp])).toEqual([
    ["revenue", 7000],
    ["strategic", 3000],
  ]);
});

test("item 5: an empty workspace has the seed scorecards and example plans on their pages", async ({ page }) => {
  await open(page);
  page.on("dialog", (d) => d.accept());
  await page.getByTestId("start-empty").click();
  await expect(page.getByTestId("no-org")).toBeVisible();
  await saved(page);
  const org = await storedOrg(page);
  const cards: any[] = Object.values(org.data.scorecards);
  const plans: any[] = Object.values(org.data.incentive_plans);
  expect(cards).toHaveLength(org.tiers.length);
  expect(plans).toHaveLength(org.tiers.length);

  await goto(page, "/scorecards");
  const editor = page.getByTestId("template-editor");
  for (const tier of org.tiers) {
    await editor.getByTestId("card-tier").selectOption(tier.id);
    const card = cards.find((c) => c.tier === tier.id);
    await expect(editor.getByTestId("kpi-line")).toHaveCount(card.lines.length);
    await expect(editor.getByTestId("weights-sum")).toContainText("100.0%");
  }
  await goto(page, "/payouts");
  const rows = page.getByTestId("plan-row");
  await expect(rows).toHaveCount(plans.length);
  expect((await rows.evaluateAll((r) => r.map((x) => x.getAttribute("data-name")))).sort()).toEqual(plans.map((p) => p.name.en).sort());
});

test("item 6: a displayed attainment is the rounded ratio of the row's actual and target", async ({ page }) => {
  await open(page, "/targets");
  const org = await storedOrg(page);
  // A unit with won revenue this year.
  let unit = "";
  let actual = 0;
  for (const u of org.units) {
    const a = num(await trow(page, org.name(u)).getByTestId("target-actual").textContent());
    if (a > 1000) {
      [unit, actual] = [org.name(u), a];
      break;
    }
  }
  expect(actual).toBeGreaterThan(0);
  // A target that makes the ratio 13 ÷ 15 = 86.666…%: rounds to 86.7, truncates to 86.6.
  const target = Math.round((actual * 15) / 13);
  await typeInto(tcell(page, unit, "year"), String(target));
  await tcell(page, unit, "year").press("Enter");
  await expect(tcell(page, unit, "year")).toHaveValue(target.toLocaleString("en-US"));
  const shownActual = num(await trow(page, unit).getByTestId("target-actual").textContent());
  const bp = roundHalfEven(shownActual * 10_000, target);
  const expected = `${(roundHalfEven(bp, 10) / 10).toFixed(1)}%`;
  const truncated = `${(Math.floor((shownActual * 1000) / target) / 10).toFixed(1)}%`;
  expect(expected).not.toBe(truncated);
  await expect(trow(page, unit).getByTestId("target-attainment")).toHaveText(expected);
});

test("item 7: misplaced separators and out-of-range amounts say what is wrong, beside the cell", async ({ page }) => {
  await open(page, "/targets");
  const org = await storedOrg(page);
  const company = org.name(org.root());
  const q1 = tcell(page, company, "q1");
  const before = await q1.inputValue();
  for (const [typed, says] of [
    ["1,2,3", "thousands separators go every three digits"],
    ["12.345", "at most 2 decimals"],
    ["99999999999999999", "too large"],
  ]) {
    await q1.click();
    await page.keyboard.type(typed);
    await page.keyboard.press("Enter");
    await expect(fieldMsg(q1)).toContainText(says);
    // Nothing stored: what was typed stays to be corrected; Escape restores the stored value.
    await expect(q1).toHaveValue(typed);
    await page.keyboard.press("Escape");
    await expect(q1).toHaveValue(before);
  }
  // Beside the cell, not as a banner at the top.
  await expect(page.getByTestId("notice")).toHaveCount(0);

  await goto(page, "/budget");
  const marketing = brow(page, company).locator('[data-testid=budget-cell][data-cat="Marketing"]');
  const b0 = await marketing.inputValue();
  await marketing.click();
  await page.keyboard.type("1,2,3");
  await page.keyboard.press("Enter");
  await expect(fieldMsg(marketing)).toContainText("thousands separators go every three digits");
  await expect(marketing).toHaveValue("1,2,3");
  // Leaving the cell puts the stored value back; nothing was saved.
  await page.keyboard.press("Tab");
  await expect(marketing).toHaveValue(b0);

  await goto(page, "/pipeline");
  const amount = page.getByTestId("opp-row").first().getByTestId("row-amount");
  const a0 = await amount.inputValue();
  await amount.click();
  await page.keyboard.type("1,2,3");
  await page.keyboard.press("Enter");
  await expect(fieldMsg(amount)).toContainText("thousands separators go every three digits");
  await page.keyboard.press("Escape");
  await expect(amount).toHaveValue(a0);

  // Forecast, Scorecards and Payouts open on the same, current period.
  const fy = await fiscalNow(page, org.data.settings.fiscal_year_start_month);
  await goto(page, "/forecast");
  await expect(page.getByTestId("forecast-period")).toHaveValue(fy.key);
  await goto(page, "/scorecards");
  await expect(page.getByTestId("score-period")).toHaveValue(fy.key);
  await goto(page, "/payouts");
  await expect(page.getByTestId("pay-period")).toHaveValue(fy.key);

  // A statement with no score says why instead of "— —".
  await page.getByTestId("plan-year").selectOption(String(fy.year + 1));
  const st = page.getByTestId("statement");
  await expect(st.getByTestId("no-score")).toBeVisible();
  await expect(st).not.toContainText("— —");
});

test("a refused value keeps the focus with its reason; a focused cell clicked again is still replaced by typing; any number field replaces", async ({ page }) => {
  await open(page, "/targets");
  const rows = page.getByTestId("target-row");
  const name = (await rows.nth(2).getAttribute("data-name"))!;
  const below = (await rows.nth(3).getAttribute("data-name"))!;
  const q3 = tcell(page, name, "q3");
  const was = await q3.inputValue();
  await q3.click();
  await page.keyboard.type("1,2,3");
  await page.keyboard.press("Enter");
  // Refused: still in that cell, what was typed is there to correct, the reason beside it.
  await expect(q3).toBeFocused();
  await expect(q3).toHaveValue("1,2,3");
  await expect(fieldMsg(q3)).toBeVisible();
  // Escape puts the stored value back and takes the message down.
  await page.keyboard.press("Escape");
  await expect(q3).toHaveValue(was);
  await expect(fieldMsg(q3)).toHaveCount(0);
  // A valid value moves down a row, like a spreadsheet.
  await page.keyboard.type("2,000,000");
  await page.keyboard.press("Enter");
  await expect(q3).toHaveValue("2,000,000");
  const next = tcell(page, below, "q3");
  await expect(next).toBeFocused();
  // Clicking the focused cell and typing still replaces its value.
  await next.click();
  await page.keyboard.type("3000000");
  await page.keyboard.press("Enter");
  await expect(next).toHaveValue("3,000,000");

  // A scorecard weight: click, type → the typed number, not appended to the old one.
  await goto(page, "/scorecards");
  const weight = page.getByTestId("template-editor").getByTestId("kpi-weight").first();
  await weight.click();
  await page.keyboard.type("55");
  await expect(weight).toHaveValue("55");
});

test("a name typed past its length limit stops there, and the field says why", async ({ page }) => {
  await open(page, "/customers");
  await page.getByTestId("add-customer").click();
  const field = page.getByTestId("customer-name");
  const limit = Number(await field.getAttribute("maxlength"));
  expect(limit).toBeGreaterThan(10);
  const hint = page.getByTestId("customer-form").getByTestId("length-limit").first();
  await field.click();
  await field.pressSequentially("N".repeat(limit - 1));
  await expect(hint).toBeEmpty();
  // The last character that fits, then more that the browser drops.
  await field.pressSequentially("XYZ");
  await expect(field).toHaveValue("N".repeat(limit - 1) + "X");
  await expect(hint).toHaveText(`That is the limit: at most ${limit} characters`);
  // Under the limit again, the words go.
  await field.press("Backspace");
  await expect(hint).toBeEmpty();
  await field.press("End");
  await page.keyboard.type("Q");
  await page.getByTestId("save-customer").click();
  await saved(page);
  const stored: any[] = Object.values((await storedData(page)).customers);
  expect(stored.filter((c) => c.name === "N".repeat(limit - 1) + "Q")).toHaveLength(1);
  // A pasted text is cut by the browser: the field says so in Chinese too.
  await page.getByTestId("lang-zh").click();
  await page.getByTestId("add-customer").click();
  await field.click();
  await page.keyboard.insertText("长".repeat(limit + 5));
  await expect(field).toHaveValue("长".repeat(limit));
  await expect(hint).toHaveText(`已达上限：最多 ${limit} 个字符`);
});
