import { test, expect, Page } from "@playwright/test";
import { open, saved, goData, goto } from "./helpers";

const row = (page: Page, name: string) => page.locator(`[data-testid=tree-row][data-name="${name}"]`);
const unitId = async (page: Page, name: string) => (await row(page, name).getAttribute("data-unit"))!;

async function rowAction(page: Page, name: string, action: string) {
  await row(page, name).getByTestId("row-actions").click();
  await row(page, name).getByTestId(action).click();
}

async function addUnit(page: Page, parent: string, name: string) {
  await rowAction(page, parent, "act-add-unit");
  await page.getByTestId("panel-name-en").fill(name);
  await page.getByTestId("panel-ok").click();
  await expect(row(page, name)).toBeVisible();
}

async function addPerson(page: Page, unit: string, name: string, tier?: string) {
  await rowAction(page, unit, "act-add-person");
  await page.getByTestId("pf-name-en").fill(name);
  if (tier) await page.getByTestId("pf-tier").selectOption({ label: tier });
  await page.getByTestId("pf-save").click();
  await expect(page.getByTestId("person-form")).toHaveCount(0);
}

async function moveUnit(page: Page, name: string, under: string) {
  const target = await unitId(page, under);
  await rowAction(page, name, "act-move");
  await page.getByTestId("panel-target").selectOption(target);
  await page.getByTestId("panel-ok").click();
}

const headcount = (page: Page, name: string) => row(page, name).getByTestId("headcount");

test("build an org from empty, move a team, refuse a cycle, keep it after reload", async ({ page }) => {
  await open(page);
  page.on("dialog", (d) => d.accept());
  await page.getByTestId("start-empty").click();
  await page.getByTestId("add-root").click();
  await expect(page.getByTestId("tree-row")).toHaveCount(1);
  const root = "My company";

  await addPerson(page, root, "Dana Director", "Sales director");
  await rowAction(page, root, "act-manager");
  await page.getByTestId("panel-manager").selectOption({ index: 1 });
  await page.getByTestId("panel-ok").click();
  await expect(row(page, root).getByTestId("manager-name")).toHaveText("Dana Director");

  await addUnit(page, root, "East");
  await addUnit(page, root, "West");
  await addUnit(page, "East", "Team A");
  await addUnit(page, "East", "Team B");
  for (const [team, reps] of [["Team A", ["Ann", "Bo"]], ["Team B", ["Cai", "Dev"]]] as const) {
    for (const rep of reps) await addPerson(page, team, rep);
  }
  await expect(headcount(page, root)).toHaveText("5");
  await expect(headcount(page, "East")).toHaveText("4");
  await expect(row(page, "Team A").getByTestId("member")).toHaveCount(2);

  // A rep cannot manage a team of reps.
  await rowAction(page, "Team A", "act-manager");
  await page.getByTestId("panel-manager").selectOption({ index: 1 });
  await page.getByTestId("panel-ok").click();
  await expect(page.getByTestId("notice").last()).toContainText("higher tier");
  await page.getByTestId("row-actions").first().click();

  // Move Team B, with its people, to West.
  await moveUnit(page, "Team B", "West");
  await expect(headcount(page, "West")).toHaveText("2");
  await expect(headcount(page, "East")).toHaveText("2");
  await expect(headcount(page, root)).toHaveText("5");

  // A unit cannot move under its own descendant.
  await moveUnit(page, "East", "Team A");
  await expect(page.getByTestId("notice").last()).toContainText("is the unit itself or one of its descendants");
  await expect(row(page, "Team A")).toBeVisible();
  await expect(headcount(page, "East")).toHaveText("2");

  // Delete is refused while a unit has people, with the reason.
  await rowAction(page, "Team A", "act-delete");
  await expect(page.getByTestId("notice").last()).toContainText("still has 2 members");

  await saved(page);
  await page.reload();
  await expect(page.getByTestId("tree-row")).toHaveCount(5);
  await expect(headcount(page, "West")).toHaveText("2");
  await expect(row(page, "Team B")).toBeVisible();
});

test.describe("in Chinese", () => {
  test.use({ locale: "zh-CN" });
  test("moving a region under its own team is refused with a Chinese message", async ({ page }) => {
    await open(page);
    await moveUnit(page, "华东大区", "上海销售组");
    await expect(page.getByTestId("notice").last()).toContainText("是它自己或它的下级");
    await expect(page.getByTestId("tree-row")).toHaveCount(17);
    // And a valid move works: Shanghai team to South China.
    await moveUnit(page, "上海销售组", "华南大区");
    await expect(headcount(page, "华南大区")).toHaveText("24");
    await expect(headcount(page, "华东大区")).toHaveText("13");
    await page.getByTestId("undo").click();
    await expect(headcount(page, "华东大区")).toHaveText("19");
  });
});

test("changing a grade rule changes managers' grades and explanations", async ({ page }) => {
  await open(page, "/grades");
  const assessments = page.getByTestId("assessment");
  await expect(assessments).toHaveCount(16);
  const seniorCells = page.getByTestId("computed-grade").filter({ hasText: "Senior" });
  await expect(seniorCells).toHaveCount(0);
  const ladder = page.locator('[data-testid=ladder][data-tier="Team lead"]');
  const senior = ladder.locator('[data-testid=grade][data-name="Senior"]');
  await expect(senior.getByTestId("grade-rules")).toContainText("team size ≥ 8");
  // Explanation before: short on team size.
  const lead = assessments.filter({ hasText: "Team lead" }).first();
  await expect(lead.getByTestId("next-step")).toContainText("needs team size ≥ 8, has 5: short by 3");

  await senior.getByTestId("grade-edit").click();
  const editor = page.getByTestId("grade-editor");
  await editor.getByTestId("rule-min").first().fill("5");
  // The fourth rule is attainment over the last 4 quarters, now measured on won deals.
  await editor.getByTestId("rule-min").nth(3).fill("50%");
  // The fifth rule is the average scorecard score over two quarters (pillar 3).
  await editor.getByTestId("rule-min").nth(4).fill("40");
  await editor.getByTestId("grade-save").click();
  await expect(senior.getByTestId("grade-rules")).toContainText("team size ≥ 5");
  await expect(senior.getByTestId("grade-rules")).toContainText("attainment ≥ 50%");
  await expect(seniorCells.first()).toBeVisible();
  const promoted = assessments.filter({ has: page.getByTestId("computed-grade").filter({ hasText: "Senior" }) }).first();
  await promoted.getByTestId("explain").click();
  const why = page.getByTestId("explanation");
  await expect(why).toContainText("✓ Senior");
  await expect(why).toContainText("team size ≥ 5, has 5: met");
  // Attainment now comes from won deals (pillar 4), no longer "no data".
  await expect(why).toContainText(/attainment ≥ 50% over the last 4 periods, has [\d.]+%: met/);
  // And the scorecard history is read too.
  await expect(why).toContainText(/average scorecard score ≥ 40 over the last 2 periods, has \d+: met/);

  // Bad thresholds are refused in the form.
  await senior.getByTestId("grade-edit").click();
  await page.getByTestId("grade-editor").getByTestId("rule-min").first().fill("-2");
  await page.getByTestId("grade-editor").getByTestId("grade-save").click();
  await expect(page.getByTestId("grade-editor")).toContainText("Invalid threshold");

  await saved(page);
  await page.reload();
  await expect(senior.getByTestId("grade-rules")).toContainText("team size ≥ 5");
});

test("record a promotion from the candidates list", async ({ page }) => {
  await open(page, "/grades");
  const candidates = page.getByTestId("candidate");
  const before = await candidates.count();
  expect(before).toBeGreaterThan(0);
  const name = await candidates.first().getAttribute("data-name");
  await page.getByTestId("promotion-note").fill("Strong Q3");
  await candidates.first().getByTestId("record-promotion").click();
  await expect(candidates).toHaveCount(before - 1);
  // The promotion is in the person's history.
  await goto(page, "/people");
  await page.getByTestId("people-search").fill(name!);
  await page.getByTestId("person-row").first().click();
  await expect(page.getByTestId("pf-history")).toContainText("Strong Q3");
  await expect(page.getByTestId("pf-history")).toContainText("grade Junior → Mid");
});

test("view as a regional manager shows only their branch", async ({ page }) => {
  await open(page);
  const east = page.getByTestId("view-as").locator("option", { hasText: "East China" });
  await page.getByTestId("view-as").selectOption(await east.getAttribute("value"));
  await expect(page.getByTestId("scope-bar")).toContainText("only East China");
  await expect(page.getByTestId("tree-row")).toHaveCount(4);
  await expect(page.getByTestId("stat-people")).toContainText("19");
  await goto(page, "/people");
  await expect(page.getByTestId("people-count")).toHaveText("19 / 19");
  await goto(page, "/chart");
  await expect(page.getByTestId("chart-node")).toHaveCount(4);
  await goto(page, "/grades");
  await expect(page.getByTestId("assessment")).toHaveCount(4);
  await page.getByTestId("clear-scope").click();
  await expect(page.getByTestId("assessment")).toHaveCount(16);
});

test("people: search and filter by tier, unit and grade; edit a person", async ({ page }) => {
  await open(page, "/people");
  await expect(page.getByTestId("people-count")).toHaveText("76 / 77");
  await page.getByTestId("filter-tier").selectOption({ label: "Team lead" });
  await expect(page.getByTestId("people-count")).toHaveText("11 / 77");
  await page.getByTestId("filter-grade").selectOption({ label: "Team lead · Mid" });
  const mids = await page.getByTestId("person-row").count();
  expect(mids).toBeGreaterThan(0);
  expect(mids).toBeLessThanOrEqual(11);
  await page.getByTestId("filter-grade").selectOption({ index: 0 });
  await page.getByTestId("filter-tier").selectOption({ index: 0 });
  const region = page.getByTestId("filter-unit").locator("option", { hasText: "West China" });
  await page.getByTestId("filter-unit").selectOption(await region.getAttribute("value"));
  await expect(page.getByTestId("people-count")).toHaveText("19 / 77");
  await page.getByTestId("filter-unit").selectOption({ index: 0 });
  const first = page.getByTestId("person-row").nth(20);
  const name = (await first.locator("td").first().innerText()).trim();
  await page.getByTestId("people-search").fill(name.split(" ")[0]);
  expect(await page.getByTestId("person-row").count()).toBeGreaterThan(0);
  await page.getByTestId("person-row").first().click();
  await page.getByTestId("pf-status").selectOption("on_leave");
  await page.getByTestId("pf-save").click();
  await expect(page.getByTestId("person-row").first()).toContainText("On leave");
});

test("org chart folds branches, zooms and has a print view", async ({ page }) => {
  await open(page, "/chart");
  await expect(page.getByTestId("chart-node")).toHaveCount(17);
  await page.locator('[data-testid=chart-node][data-name="East China"]').click();
  await expect(page.getByTestId("chart-node")).toHaveCount(14);
  await page.locator('[data-testid=chart-node][data-name="East China"]').press("Enter");
  await expect(page.getByTestId("chart-node")).toHaveCount(17);
  await expect(page.getByTestId("zoom-level")).toHaveText("100%");
  await page.getByTestId("zoom-in").click();
  await expect(page.getByTestId("zoom-level")).toHaveText("125%");
  const w = await page.getByTestId("orgchart").getAttribute("width");
  await page.getByTestId("zoom-out").click();
  expect(Number(await page.getByTestId("orgchart").getAttribute("width"))).toBeLessThan(Number(w));
  await page.emulateMedia({ media: "print" });
  await expect(page.locator("nav.sidebar")).toBeHidden();
  await expect(page.getByTestId("orgchart")).toBeVisible();
});

test("tiers: edit duties, add and remove a tier, reassign holders", async ({ page }) => {
  await open(page, "/tiers");
  await expect(page.getByTestId("tier")).toHaveCount(4);
  await page.getByTestId("add-tier").click();
  await expect(page.getByTestId("tier")).toHaveCount(5);
  await page.getByTestId("tier-name-en").fill("Key account manager");
  await page.getByTestId("tier-name-zh").fill("大客户经理");
  await page.getByTestId("tier-duties").fill("维护大客户 | Own key accounts\n跨区域协调 | Coordinate across regions");
  await page.getByTestId("tier-save").click();
  const kam = page.locator('[data-testid=tier][data-name="Key account manager"]');
  await expect(kam).toContainText("Coordinate across regions");
  await kam.getByTestId("tier-remove").click();
  await page.getByTestId("tier-remove-ok").click();
  await expect(page.getByTestId("tier")).toHaveCount(4);
  // A held tier needs somewhere to send its people.
  const reps = page.locator('[data-testid=tier][data-name="Sales rep"]');
  await reps.getByTestId("tier-remove").click();
  await page.getByTestId("tier-remove-ok").click();
  await expect(page.getByTestId("notice").last()).toContainText("60 people still hold this tier");
  await expect(page.getByTestId("tier")).toHaveCount(4);
});
