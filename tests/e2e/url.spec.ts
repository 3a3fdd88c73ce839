// Addresses: an unknown path gets a not-found page, and the state people
// share or bookmark (view as, year, period, unit, pipeline view, the
// statement's person) lives in the URL, so reload, back / forward and a
// copied link show the same view; values that do not read fall back.
import { test, expect, Page } from "@playwright/test";
import { goto, navLink, open, saved, storedData } from "./helpers";

const currentQuarter = () => `q${Math.floor(new Date().getMonth() / 3) + 1}`;
const fy = () => new Date().getFullYear();

/** Fails the test on any uncaught error or console error of the page. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  return errors;
}

/** A busy machine: every next frame comes half a second late. */
async function lateFrames(page: Page) {
  await page.addInitScript(() => {
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (f) => (setTimeout(() => raf(f), 500), 0);
  });
}

/** Forecast reached from the sidebar, on its default period: the period
 * select, the target KPI and what the target reads for the quarter. */
async function openForecast(page: Page) {
  await open(page, "/");
  await goto(page, "/forecast");
  const period = page.getByTestId("forecast-period");
  const target = page.getByTestId("kpi-target");
  await expect(period).toHaveValue(currentQuarter());
  return { period, target, quarterTarget: await target.innerText() };
}

/** Picks an option of a focused select with the keyboard, as a person would. */
async function pickWithKeys(page: Page, testid: string, label: string) {
  const select = page.getByTestId(testid);
  await select.focus();
  const labels = await select.locator("option").allTextContents();
  const from = labels.indexOf(await select.locator("option:checked").innerText());
  const to = labels.indexOf(label);
  expect(to, `${label} is offered`).toBeGreaterThanOrEqual(0);
  const key = to > from ? "ArrowDown" : "ArrowUp";
  for (let i = 0; i < Math.abs(to - from); i++) await page.keyboard.press(key);
  await expect(select.locator("option:checked")).toHaveText(label);
}

test("an unknown address shows a not-found page in both languages, with a way home", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "/no/such-page");
  const nf = page.getByTestId("not-found");
  await expect(nf.locator("h2")).toHaveText("Page not found");
  await expect(page.getByTestId("not-found-path")).toContainText("/no/such-page");
  // Not the overview in disguise.
  await expect(page.getByTestId("tree-row")).toHaveCount(0);
  // No sidebar entry claims to be the current page.
  await expect(page.locator("nav.sidebar a[aria-current=page]")).toHaveCount(0);
  await page.getByTestId("lang-zh").click();
  await expect(nf.locator("h2")).toHaveText("页面不存在");
  await expect(page.getByTestId("not-found-path")).toContainText("找不到地址 /no/such-page");
  await expect(page.getByTestId("home-link")).toHaveText("返回组织概览");
  // Home with the keyboard.
  await page.getByTestId("home-link").focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("tree-row").first()).toBeVisible();
  await expect(nf).toHaveCount(0);
  await expect(navLink(page, "/")).toHaveAttribute("aria-current", "page");
  expect(errors).toEqual([]);
});

test("a period chosen on Forecast survives a reload and back / forward", async ({ page }) => {
  const errors = watchErrors(page);
  const { period, target, quarterTarget } = await openForecast(page);
  await expect(page).not.toHaveURL(/period=/);

  await period.selectOption({ label: "Year" });
  await expect(page).toHaveURL(/[?&]period=year\b/);
  await expect(target).not.toHaveText(quarterTarget);
  const yearTarget = await target.innerText();

  // One step up with the keyboard: the fiscal year's last month.
  const labels = await period.locator("option").allTextContents();
  const lastMonth = labels[labels.indexOf("Year") - 1];
  await pickWithKeys(page, "forecast-period", lastMonth);
  await expect(page).toHaveURL(/[?&]period=m12\b/);

  await page.reload();
  await expect(period).toHaveValue("m12");
  await expect(period.locator("option:checked")).toHaveText(lastMonth);

  await page.goBack();
  await expect(page).toHaveURL(/[?&]period=year\b/);
  await expect(period).toHaveValue("year");
  await expect(target).toHaveText(yearTarget);

  await page.goBack();
  await expect(page).not.toHaveURL(/period=/);
  await expect(period).toHaveValue(currentQuarter());
  await expect(target).toHaveText(quarterTarget);

  await page.goForward();
  await expect(period).toHaveValue("year");
  await expect(target).toHaveText(yearTarget);
  expect(errors).toEqual([]);
});

test("a view chosen on a page (months, a table instead of a chart) survives a reload and back / forward", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "/targets");
  const [months, quarters] = [page.getByTestId("view-months"), page.getByTestId("view-quarters")];
  await months.click();
  await expect(page).toHaveURL(/[?&]view=months\b/);
  await page.reload();
  await expect(months).toHaveAttribute("aria-pressed", "true");
  await quarters.click();
  await expect(page).not.toHaveURL(/view=/);
  await page.goBack();
  await expect(months).toHaveAttribute("aria-pressed", "true");

  // The funnel as a table on Forecast, and the org chart as a table: each its own page's view.
  await goto(page, "/forecast");
  await page.getByTestId("funnel-as-table").click();
  await expect(page).toHaveURL(/\/forecast\?(.*&)?view=funnel-table\b/);
  await page.reload();
  await expect(page.getByTestId("funnel-as-table")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("funnel-table")).toBeVisible();
  await goto(page, "/chart");
  await expect(page.getByTestId("chart-as-table")).toHaveAttribute("aria-pressed", "false");
  await page.getByTestId("chart-as-table").click();
  await expect(page).toHaveURL(/\/chart\?(.*&)?view=table\b/);
  await page.reload();
  await expect(page.getByTestId("chart-as-table")).toHaveAttribute("aria-pressed", "true");
  // The chart's zoom tools are not the table's.
  await expect(page.getByTestId("zoom-in")).toBeHidden();
  await page.goBack();
  await expect(page.getByTestId("chart-as-table")).toHaveAttribute("aria-pressed", "false");
  await expect(page.getByTestId("zoom-in")).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId("funnel-as-table")).toHaveAttribute("aria-pressed", "true");

  // The organisation's monthly chart as a table.
  await goto(page, "/");
  await page.getByTestId("toggle-table").click();
  await expect(page).toHaveURL(/[?&]view=table\b/);
  await page.reload();
  // The button says what it will show (no pressed state: its words change).
  await expect(page.getByTestId("toggle-table")).toHaveText("Show as a chart");
  await expect(page.getByTestId("toggle-table")).not.toHaveAttribute("aria-pressed", /.*/);
  expect(errors).toEqual([]);
});

test("a link with view-as and a period, opened in a new tab, shows that scope and period", async ({ page, context }) => {
  const errors = watchErrors(page);
  await open(page, "/");
  const east = await page.getByTestId("view-as").locator("option", { hasText: "East China" }).getAttribute("value");
  await page.getByTestId("view-as").selectOption(east!);
  await expect(page.getByTestId("scope-bar")).toContainText("only East China");
  await expect(page).toHaveURL(new RegExp(`[?&]as=${east}`));
  // The sidebar keeps the scope.
  await goto(page, "/forecast");
  await expect(page).toHaveURL(new RegExp(`/forecast\\?as=${east}`));
  await expect(page.getByTestId("scope-bar")).toBeVisible();
  await pickWithKeys(page, "forecast-period", "Q1");
  await expect(page).toHaveURL(/[?&]period=q1\b/);
  const first = page.locator("[data-testid=forecast-row]").first();
  await expect(first).toHaveAttribute("data-name", "East China");
  const target = await page.getByTestId("kpi-target").innerText();
  const link = page.url();

  const tab = await context.newPage();
  const tabErrors = watchErrors(tab);
  await tab.goto(link);
  await expect(tab.getByTestId("scope-bar")).toContainText("only East China");
  await expect(tab.getByTestId("view-as")).toHaveValue(east!);
  await expect(tab.getByTestId("forecast-period")).toHaveValue("q1");
  await expect(tab.locator("[data-testid=forecast-row]").first()).toHaveAttribute("data-name", "East China");
  await expect(tab.locator('[data-testid=forecast-row][data-name="South China"]')).toHaveCount(0);
  await expect(tab.getByTestId("kpi-target")).toHaveText(target);

  // Pipeline and payouts keep their own state in the link too.
  await goto(tab, "/pipeline");
  await tab.getByTestId("view-kanban").click();
  await expect(tab).toHaveURL(/[?&]view=kanban\b/);
  await expect(tab.getByTestId("kanban")).toBeVisible();
  await tab.reload();
  await expect(tab.getByTestId("kanban")).toBeVisible();
  await expect(tab.getByTestId("scope-bar")).toBeVisible();
  await tab.goBack();
  await expect(tab.getByTestId("opp-table")).toBeVisible();

  // Clearing the scope is a step back can undo.
  await tab.getByTestId("clear-scope").click();
  await expect(tab.getByTestId("scope-bar")).toHaveCount(0);
  await expect(tab).not.toHaveURL(/[?&]as=/);
  await tab.goBack();
  await expect(tab.getByTestId("scope-bar")).toContainText("only East China");
  expect([...errors, ...tabErrors]).toEqual([]);
});

test("a statement's person and a unit filter are kept in the link", async ({ page, context }) => {
  await open(page, "/payouts");
  const person = page.getByTestId("statement-person");
  const second = await person.locator("option").nth(1).getAttribute("value");
  await person.selectOption(second!);
  await expect(page).toHaveURL(new RegExp(`[?&]person=${second}`));
  const name = await page.getByTestId("statement-name").innerText();
  const tab = await context.newPage();
  await tab.goto(page.url());
  await expect(tab.getByTestId("statement-person")).toHaveValue(second!);
  await expect(tab.getByTestId("statement-name")).toHaveText(name);

  await goto(tab, "/customers");
  const count = tab.getByTestId("customer-count");
  const all = await count.innerText();
  const west = await tab.getByTestId("customer-unit").locator("option", { hasText: "West China" }).getAttribute("value");
  await tab.getByTestId("customer-unit").selectOption(west!);
  await expect(tab).toHaveURL(new RegExp(`[?&]unit=${west}`));
  await expect(count).not.toHaveText(all);
  const some = await count.innerText();
  await tab.reload();
  await expect(tab.getByTestId("customer-unit")).toHaveValue(west!);
  await expect(count).toHaveText(some);
  await tab.goBack();
  await expect(tab.getByTestId("customer-unit")).toHaveValue("");
  await expect(count).toHaveText(all);
});

test("values in the URL that do not read fall back to the defaults, without errors", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "/forecast?period=q9&as=not-an-id&year=19x&unit=%%%");
  await expect(page.getByTestId("forecast-period")).toHaveValue(currentQuarter());
  await expect(page.getByTestId("view-as")).toHaveValue("");
  await expect(page.getByTestId("scope-bar")).toHaveCount(0);
  await expect(page.getByTestId("plan-year")).toHaveValue(String(fy()));
  await expect(page.locator("[data-testid=forecast-row]").first()).toHaveAttribute("data-name", /.+/);
  // A year out of range, an id of nobody, a view and unit that do not exist.
  await page.goto("/pipeline?view=banana&unit=123&period=yesterday&year=99999&as=00000000-0000-4000-8000-000000000000");
  await expect(page.getByTestId("opp-table")).toBeVisible();
  await expect(page.getByTestId("opp-unit")).toHaveValue("");
  await expect(page.getByTestId("opp-period")).toHaveValue("year");
  await expect(page.getByTestId("plan-year")).toHaveValue(String(fy()));
  await expect(page.getByTestId("scope-bar")).toHaveCount(0);
  await page.goto("/payouts?person=nobody&period=Q0");
  await expect(page.getByTestId("pay-period")).toHaveValue(/^q[1-4]$/);
  await expect(page.getByTestId("statement-name")).not.toHaveText("");
  // A good value still reads after bad ones: keys are case-insensitive periods.
  await page.goto("/scorecards?period=M3");
  await expect(page.getByTestId("score-period")).toHaveValue("m3");
  expect(errors).toEqual([]);
});

test("a filter's options stay the same elements through an unrelated edit, with the choice kept", async ({ page }) => {
  await open(page, "/pipeline");
  const period = page.getByTestId("opp-period");
  await period.click();
  await period.selectOption("all");
  const chosen = await period.inputValue();
  // Marks the option elements as they are now.
  await period.evaluate((el: HTMLSelectElement) => [...el.options].forEach((o) => ((o as any).mark = true))); // eslint-disable-line @typescript-eslint/no-explicit-any
  const id = (await page.getByTestId("opp-row").first().getAttribute("data-id"))!;
  const category = page.locator(`[data-testid=opp-row][data-id="${id}"]`).getByTestId("row-category");
  const before = (await storedData(page)).opportunities[id].category;
  const now = await category.inputValue();
  await category.selectOption(now === "0" ? "1" : "0");
  await saved(page);
  await expect.poll(async () => (await storedData(page)).opportunities[id].category).not.toBe(before);
  await expect(period).toHaveValue(chosen);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  expect(await period.evaluate((el: HTMLSelectElement) => [...el.options].every((o) => (o as any).mark === true))).toBe(true);
});

test("a search typed on the Pipeline goes into the link once typing pauses; reload and back keep it, leaving at once drops it", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "/pipeline?period=all&status=all");
  const data = await storedData(page);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const deals = Object.values(data.opportunities as Record<string, any>);
  const word = deals.find((o) => o.name.includes(" "))!.name.split(" ")[0].toLowerCase();
  const matching = deals.filter((o) => `${o.name} ${data.customers[o.customer].name}`.toLowerCase().includes(word)).length;
  const search = page.getByTestId("opp-search");
  const shown = page.getByTestId("opp-pager").getByTestId("pager-count");
  // Typed a key at a time: the rows follow each key; the link, the pause.
  await search.click();
  await search.pressSequentially(word);
  await expect(shown).toContainText(`of ${matching}`);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(word)}(&|$)`));
  await expect(search).toHaveValue(word);

  await page.reload();
  await expect(search).toHaveValue(word);
  await expect(shown).toContainText(`of ${matching}`);

  // Another page, then back: the search is there again.
  await goto(page, "/customers");
  await page.goBack();
  await expect(search).toHaveValue(word);
  await expect(shown).toContainText(`of ${matching}`);

  // Typed and Back at once: the page before stays, and gets no search.
  await goto(page, "/customers");
  await goto(page, "/pipeline");
  await search.click();
  await search.pressSequentially("q");
  await page.goBack();
  await expect(page).toHaveURL(/\/customers/);
  await page.waitForTimeout(600);
  expect(new URL(page.url()).pathname).toBe("/customers");
  expect(new URL(page.url()).searchParams.get("q")).toBeNull();
  await page.goForward();
  await expect(search).toBeVisible();

  // More typed and the page left at once: the next page's link gets no search.
  await search.press("End");
  await search.pressSequentially("zz");
  await goto(page, "/customers");
  await expect(page.getByTestId("customer-search")).toBeVisible();
  await page.waitForTimeout(600);
  expect(new URL(page.url()).pathname).toBe("/customers");
  expect(new URL(page.url()).searchParams.get("q")).toBeNull();
  expect(errors).toEqual([]);
});

test("a filter picked while the search is on its way into the link keeps the typed text, and both land in the link", async ({ page }) => {
  const errors = watchErrors(page);
  // Choices made before the late frame are written to the link after the
  // search's own write.
  await lateFrames(page);
  await open(page, "/pipeline?period=all");
  const stage = await page.getByTestId("opp-stage-filter").locator("option").nth(2).getAttribute("value");
  const search = page.getByTestId("opp-search");
  await search.click();
  await search.pressSequentially("co");
  await page.getByTestId("opp-stage-filter").selectOption(stage!);
  await expect(page).toHaveURL(new RegExp(`[?&]stage=${stage}(&|$)`));
  await expect(page).toHaveURL(/[?&]q=co(&|$)/);
  await page.waitForTimeout(1200);
  await expect(search).toHaveValue("co");
  await expect(page).toHaveURL(/[?&]q=co(&|$)/);
  expect(errors).toEqual([]);
});

test("a period picked on Forecast is drawn before its link is written; Back before then puts the earlier view back", async ({ page }) => {
  const errors = watchErrors(page);
  // The link is written after the late frame.
  await lateFrames(page);
  const { period, target, quarterTarget } = await openForecast(page);

  await period.selectOption({ label: "Year" });
  await expect(target).not.toHaveText(quarterTarget);
  const yearTarget = await target.innerText();
  // Drawn, and the link not written yet.
  expect(new URL(page.url()).searchParams.get("period")).toBeNull();
  await expect(page).toHaveURL(/[?&]period=year\b/);

  // A month picked, then Back before its link is written: the Back goes to
  // the entry before the year's, and the month is dropped.
  const labels = await period.locator("option").allTextContents();
  await period.selectOption({ label: labels[labels.indexOf("Year") - 1] });
  await expect(period).toHaveValue("m12");
  await expect(target).not.toHaveText(yearTarget);
  await page.goBack();
  await expect(period).toHaveValue(currentQuarter());
  await expect(target).toHaveText(quarterTarget);
  await page.waitForTimeout(1200);
  expect(new URL(page.url()).searchParams.get("period")).toBeNull();
  await expect(period).toHaveValue(currentQuarter());
  await page.goForward();
  await expect(page).toHaveURL(/[?&]period=year\b/);
  await expect(period).toHaveValue("year");
  await expect(target).toHaveText(yearTarget);
  expect(errors).toEqual([]);
});

test("after a choice, the sidebar link to the same page shows its defaults again", async ({ page }) => {
  const errors = watchErrors(page);
  const { period, target, quarterTarget } = await openForecast(page);
  await period.selectOption({ label: "Year" });
  await expect(page).toHaveURL(/[?&]period=year\b/);
  await expect(target).not.toHaveText(quarterTarget);

  await navLink(page, "/forecast").click();
  await expect(page).not.toHaveURL(/period=/);
  await expect(period).toHaveValue(currentQuarter());
  await expect(target).toHaveText(quarterTarget);

  await goto(page, "/pipeline");
  await page.getByTestId("view-kanban").click();
  await expect(page).toHaveURL(/[?&]view=kanban\b/);
  await expect(page.getByTestId("kanban-col").first()).toBeVisible();
  await navLink(page, "/pipeline").click();
  await expect(page).not.toHaveURL(/view=/);
  await expect(page.getByTestId("kanban-col")).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("Back pressed before a search reaches the link drops that text, also on an entry of the same page", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "/pipeline");
  await pickWithKeys(page, "opp-status", "Won");
  await expect(page).toHaveURL(/[?&]status=won(&|$)/);
  const search = page.getByTestId("opp-search");
  await search.click();
  await search.pressSequentially("abc");
  await page.goBack();
  await expect(page).not.toHaveURL(/status=won/);
  await page.waitForTimeout(600);
  expect(new URL(page.url()).searchParams.get("q")).toBeNull();
  await expect(search).toHaveValue("");
  // The entry typed in was left before the text reached it: it has none.
  await page.goForward();
  await expect(page).toHaveURL(/[?&]status=won(&|$)/);
  expect(new URL(page.url()).searchParams.get("q")).toBeNull();
  await expect(search).toHaveValue("");
  expect(errors).toEqual([]);
});

test("after Back then Forward, a link to the page Back showed puts its address in the bar, and a reload stays there", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "/customers");
  await goto(page, "/people");
  await expect(page.getByTestId("people-search")).toBeVisible();
  await goto(page, "/pipeline");
  await expect(page.getByTestId("opp-search")).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId("people-search")).toBeVisible();
  await page.goForward();
  await expect(page.getByTestId("opp-search")).toBeVisible();
  await goto(page, "/people");
  await expect(page.getByTestId("people-search")).toBeVisible();
  await expect(page).toHaveURL(/\/people$/);
  await page.reload();
  await expect(page.getByTestId("people-search")).toBeVisible();
  // Back from there is the Pipeline, the page the link was clicked on.
  await page.goBack();
  await expect(page).toHaveURL(/\/pipeline/);
  await expect(page.getByTestId("opp-search")).toBeVisible();
  expect(errors).toEqual([]);
});
