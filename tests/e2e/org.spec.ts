import type { Page } from "@playwright/test";
import { test, expect, errorsOf, fiscalNow, goto, open, pageNow, saved, storedOrg, typeInto, Org, type Text } from "./helpers";

const row = (page: Page, name: string) => page.locator(`[data-testid=tree-row][data-name="${name}"]`);
const unitId = async (page: Page, name: string) => (await row(page, name).getAttribute("data-unit"))!;

async function rowAction(page: Page, name: string, action: string) {
  await row(page, name).getByTestId("row-actions").click();
  await row(page, name).getByTestId(action).click();
}

async function addUnit(page: Page, parent: string, name: string) {
  await rowAction(page, parent, "act-add-unit");
  await typeInto(page.getByTestId("panel-name-en"), name);
  await page.getByTestId("panel-ok").click();
  await expect(row(page, name)).toBeVisible();
}

async function addPerson(page: Page, unit: string, name: string, tier?: string) {
  await rowAction(page, unit, "act-add-person");
  await typeInto(page.getByTestId("pf-name-en"), name);
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

/** Regions (children of the root) that have teams, in tree order. */
const regions = (org: Org) => org.children(org.root().id).filter((r) => org.children(r.id).length > 0);

/** People not left whose tier has grades: the managers the grades page assesses. */
const assessed = (org: Org, unit?: string) => {
  const graded = new Set(Object.values(org.data.grades).map((g: any) => g.tier)); // eslint-disable-line @typescript-eslint/no-explicit-any
  const scope = unit ? org.subtree(unit) : null;
  return org.current.filter((p) => graded.has(p.tier) && (!scope || scope.has(p.unit)));
};

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A person's row on the people page by exact name ("Wang Wei", not "Wang Wei 2"). */
const personRow = (page: Page, name: string) =>
  page.getByTestId("person-row").filter({ has: page.locator("td.strong", { hasText: new RegExp(`^${escapeRe(name)}(?!\\s*\\d)`) }) });

/** The people table as shown, every page of it: name (without badges), tier, grade cells. */
async function peopleRows(page: Page): Promise<{ name: string; tier: string; grade: string }[]> {
  const out: { name: string; tier: string; grade: string }[] = [];
  const next = page.getByTestId("pager-next");
  for (;;) {
    out.push(
      ...(await page.getByTestId("person-row").evaluateAll((rows) =>
        rows.map((r) => {
          const cells = r.querySelectorAll("td");
          const name = cells[0].cloneNode(true) as HTMLElement;
          name.querySelectorAll(".badge").forEach((b) => b.remove());
          return { name: (name.textContent || "").trim(), tier: (cells[2].textContent || "").trim(), grade: (cells[4].textContent || "").trim() };
        }),
      )),
    );
    if (!(await next.count()) || (await next.isDisabled())) break;
    const at = await page.getByTestId("pager-page").textContent();
    await next.click();
    await expect(page.getByTestId("pager-page")).not.toHaveText(at!);
  }
  // Back to the first page.
  while ((await page.getByTestId("pager-prev").count()) && !(await page.getByTestId("pager-prev").isDisabled())) {
    const at = await page.getByTestId("pager-page").textContent();
    await page.getByTestId("pager-prev").click();
    await expect(page.getByTestId("pager-page")).not.toHaveText(at!);
  }
  return out;
}

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
  // Where it landed is marked for a moment (the page follows it after a click).
  await expect(row(page, "Team B")).toHaveClass(/\blanded\b/);
  // The panel closes; the focus is on the moved unit's ⋯ button, as a person left it.
  await expect(row(page, "Team B").getByTestId("row-actions")).toBeFocused();
  await expect(headcount(page, "East")).toHaveText("2");
  await expect(headcount(page, root)).toHaveText("5");

  // A unit cannot move under its own descendant.
  await moveUnit(page, "East", "Team A");
  await expect(page.getByTestId("notice").last()).toContainText("is the unit itself or one of its descendants");
  await expect(row(page, "East")).not.toHaveClass(/\blanded\b/);
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
    const org = await storedOrg(page, "zh");
    const [from, to] = regions(org);
    const team = org.children(from.id)[0];
    const [a, b, t] = [org.name(from), org.name(to), org.name(team)];
    const [a0, b0, t0] = [org.headcount(from.id), org.headcount(to.id), org.headcount(team.id)];
    expect(t0).toBeGreaterThan(0);
    await expect(headcount(page, a)).toHaveText(String(a0));
    await expect(headcount(page, b)).toHaveText(String(b0));
    await moveUnit(page, a, t);
    await expect(page.getByTestId("notice").last()).toContainText("是它自己或它的下级");
    await expect(page.getByTestId("tree-row")).toHaveCount(org.units.length);
    await expect(headcount(page, a)).toHaveText(String(a0));
    // And a valid move works: the team, with its people, to the other region.
    await moveUnit(page, t, b);
    await expect(headcount(page, b)).toHaveText(String(b0 + t0));
    await expect(headcount(page, a)).toHaveText(String(a0 - t0));
    await expect(headcount(page, org.name(org.root()))).toHaveText(String(org.headcount(org.root().id)));
    await page.getByTestId("undo").click();
    await expect(headcount(page, a)).toHaveText(String(a0));
    await expect(headcount(page, b)).toHaveText(String(b0));
  });
});

test("changing a grade rule changes managers' grades and explanations", async ({ page }) => {
  await open(page, "/grades");
  const org = await storedOrg(page);
  const assessments = page.getByTestId("assessment");
  await expect(assessments).toHaveCount(assessed(org).length);
  const seniorCells = page.getByTestId("computed-grade").filter({ hasText: "Senior" });
  const seniorBefore = await seniorCells.count();
  const ladder = page.locator('[data-testid=ladder][data-tier="Team lead"]');
  const senior = ladder.locator('[data-testid=grade][data-name="Senior"]');
  const rules = senior.getByTestId("grade-rules");
  await expect(rules).toContainText(/team size ≥ \d+/);
  const minTeam = Number((await rules.textContent())!.match(/team size ≥ (\d+)/)![1]);
  // Explanation before: a team lead short on team size, by exactly the difference.
  const short = assessments
    .filter({ hasText: "Team lead" })
    .filter({ has: page.getByTestId("next-step").filter({ hasText: /needs team size ≥/ }) })
    .first();
  const next = (await short.getByTestId("next-step").textContent())!;
  const [, need, has, by] = next.match(/needs team size ≥ (\d+), has (\d+): short by (\d+)/)!.map(Number);
  expect(need).toBe(minTeam);
  expect(has).toBeLessThan(minTeam);
  expect(by).toBe(minTeam - has);

  await senior.getByTestId("grade-edit").click();
  const editor = page.getByTestId("grade-editor");
  // The team size that lead has is now enough.
  await typeInto(editor.getByTestId("rule-min").first(), String(has));
  // The fourth rule is attainment over the last 4 quarters, now measured on won deals.
  await typeInto(editor.getByTestId("rule-min").nth(3), "50%");
  // The fifth rule is the average scorecard score over two quarters (pillar 3).
  await typeInto(editor.getByTestId("rule-min").nth(4), "40");
  await editor.getByTestId("grade-save").click();
  await expect(rules).toContainText(`team size ≥ ${has}`);
  await expect(rules).toContainText("attainment ≥ 50%");
  await expect.poll(() => seniorCells.count()).toBeGreaterThan(seniorBefore);
  const promoted = assessments
    .filter({ hasText: "Team lead" })
    .filter({ has: page.getByTestId("computed-grade").filter({ hasText: "Senior" }) })
    .first();
  // Named for the person, its shown text first.
  const explain = promoted.getByTestId("explain");
  const label = (await explain.getAttribute("aria-label"))!;
  const who = (await promoted.getAttribute("data-name"))!;
  expect(label.startsWith((await explain.textContent())!.trim()) && label.endsWith(who), label).toBe(true);
  await explain.click();
  const why = page.getByTestId("explanation");
  await expect(why).toContainText("✓ Senior");
  const met = (await why.textContent())!.match(/team size ≥ (\d+), has (\d+): met/)!.map(Number);
  expect(met[1]).toBe(has);
  expect(met[2]).toBeGreaterThanOrEqual(has);
  // Attainment comes from won deals (pillar 4) and the scorecard history is
  // read too (pillar 3), over complete quarters. The demo's plan and deals
  // start with its fiscal year: until a quarter of it is complete (and with
  // no earlier targets) the look-back windows hold no data and are skipped.
  const fiscal = await fiscalNow(page, org.data.settings.fiscal_year_start_month);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const earlier = Object.values(org.data.plan.targets as Record<string, any>).some((t) => t.year < fiscal.year);
  if (fiscal.completeQuarters > 0 || earlier) {
    await expect(why).toContainText(/attainment ≥ 50% over the last 4 periods, has [\d.]+%: met/);
    await expect(why).toContainText(/average scorecard score ≥ 40 over the last 2 periods, has \d+: met/);
  } else {
    await expect(why).toContainText("attainment ≥ 50% over the last 4 periods: no data yet, skipped");
    await expect(why).toContainText("average scorecard score ≥ 40 over the last 2 periods: no data yet, skipped");
  }

  // Bad thresholds are refused in the form.
  await senior.getByTestId("grade-edit").click();
  await typeInto(page.getByTestId("grade-editor").getByTestId("rule-min").first(), "-2");
  await page.getByTestId("grade-editor").getByTestId("grade-save").click();
  await expect(page.getByTestId("grade-editor")).toContainText("Invalid threshold");

  await saved(page);
  await page.reload();
  await expect(senior.getByTestId("grade-rules")).toContainText(`team size ≥ ${has}`);
});

test("record a promotion from the candidates list", async ({ page }) => {
  await open(page, "/grades");
  const candidates = page.getByTestId("candidate");
  const before = await candidates.count();
  expect(before).toBeGreaterThan(0);
  // A candidate for the next grade of their tier (those for the next tier have no button).
  const candidate = candidates.filter({ has: page.getByTestId("record-promotion") }).first();
  const name = (await candidate.getAttribute("data-name"))!;
  const recorded = (await candidate.locator("td").nth(2).textContent())!.trim();
  const to = (await candidate.locator("td").nth(3).textContent())!.match(/meets every rule of (.+)$/)![1];
  expect(to).not.toBe(recorded);
  await typeInto(page.getByTestId("promotion-note"), "Strong results this quarter");
  await candidate.getByTestId("record-promotion").click();
  await expect(candidates).toHaveCount(before - 1);
  await expect(page.locator(`[data-testid=candidate][data-name="${name}"]`)).toHaveCount(0);
  // The promotion is in the person's history.
  await goto(page, "/people");
  await typeInto(page.getByTestId("people-search"), name);
  await personRow(page, name).click();
  await expect(page.getByTestId("pf-history")).toContainText("Strong results this quarter");
  await expect(page.getByTestId("pf-history")).toContainText(`grade ${recorded} → ${to}`);
});

test("view as a regional manager shows only their branch", async ({ page }) => {
  await open(page);
  const org = await storedOrg(page);
  const region = regions(org)[0];
  const name = org.name(region);
  const units = org.subtree(region.id).size;
  const everyone = org.people.filter((p) => org.subtree(region.id).has(p.unit)).length;
  const here = page.getByTestId("view-as").locator("option", { hasText: name });
  await page.getByTestId("view-as").selectOption(await here.getAttribute("value"));
  await expect(page.getByTestId("scope-bar")).toContainText(`only ${name}`);
  await expect(page.getByTestId("tree-row")).toHaveCount(units);
  await expect(page.getByTestId("stat-people").locator(".stat-value")).toHaveText(String(org.headcount(region.id)));
  await goto(page, "/people");
  await expect(page.getByTestId("people-count")).toHaveText(`${org.headcount(region.id)} / ${everyone}`);
  await goto(page, "/chart");
  await expect(page.getByTestId("chart-node")).toHaveCount(units);
  await goto(page, "/grades");
  await expect(page.getByTestId("assessment")).toHaveCount(assessed(org, region.id).length);
  await page.getByTestId("clear-scope").click();
  await expect(page.getByTestId("assessment")).toHaveCount(assessed(org).length);
  expect(assessed(org, region.id).length).toBeLessThan(assessed(org).length);
});

test("people: search and filter by tier, unit and grade; edit a person", async ({ page }) => {
  await open(page, "/people");
  const org = await storedOrg(page);
  const total = org.people.length;
  const count = page.getByTestId("people-count");
  await expect(count).toHaveText(`${org.current.length} / ${total}`);
  const all = await peopleRows(page);
  expect(all).toHaveLength(org.current.length);

  const lead = org.tiers.find((t) => org.name(t) === "Team lead");
  await page.getByTestId("filter-tier").selectOption({ label: "Team lead" });
  const leads = org.current.filter((p) => p.tier === lead.id).length;
  await expect(count).toHaveText(`${leads} / ${total}`);
  expect((await peopleRows(page)).every((r) => r.tier === "Team lead")).toBe(true);
  await page.getByTestId("filter-tier").selectOption({ index: 0 });

  // Each grade shows exactly the people whose grade cell is that grade, in that tier.
  const grades = (await page.getByTestId("filter-grade").locator("option").allTextContents()).slice(1);
  expect(grades.length).toBeGreaterThan(0);
  let graded = 0;
  for (const label of grades) {
    const [tier, grade] = label.split(" · ");
    const expected = all.filter((r) => r.tier === tier && r.grade === grade).map((r) => r.name).sort();
    await page.getByTestId("filter-grade").selectOption({ label });
    await expect(count).toHaveText(`${expected.length} / ${total}`);
    expect((await peopleRows(page)).map((r) => r.name).sort()).toEqual(expected);
    expect(expected.length).toBeLessThan(all.length);
    graded += expected.length;
  }
  expect(graded).toBeGreaterThan(0);
  await page.getByTestId("filter-grade").selectOption({ index: 0 });
  await expect(count).toHaveText(`${org.current.length} / ${total}`);

  const region = regions(org).at(-1)!;
  const option = page.getByTestId("filter-unit").locator("option", { hasText: org.name(region) });
  await page.getByTestId("filter-unit").selectOption(await option.getAttribute("value"));
  await expect(count).toHaveText(`${org.headcount(region.id)} / ${total}`);
  await page.getByTestId("filter-unit").selectOption({ index: 0 });

  // Search by a surname: exactly the rows whose name holds it, fewer than everyone.
  const name = all[Math.min(20, all.length - 1)].name;
  const query = name.split(" ")[0];
  const matching = all.filter((r) => r.name.toLowerCase().includes(query.toLowerCase())).map((r) => r.name).sort();
  await typeInto(page.getByTestId("people-search"), query);
  await expect(count).toHaveText(`${matching.length} / ${total}`);
  expect((await peopleRows(page)).map((r) => r.name).sort()).toEqual(matching);
  expect(matching).toContain(name);
  expect(matching.length).toBeLessThan(all.length);

  await personRow(page, name).click();
  await page.getByTestId("pf-status").selectOption("on_leave");
  await page.getByTestId("pf-save").click();
  await expect(personRow(page, name)).toContainText("On leave");
  await saved(page);
  const person = (await storedOrg(page)).people.find((p) => p.name.en === name);
  expect(person.status).toBe("on_leave");
});

test("org chart folds branches, zooms and has a print view", async ({ page }) => {
  await open(page, "/chart");
  const org = await storedOrg(page);
  const region = regions(org)[0];
  const node = page.locator(`[data-testid=chart-node][data-name="${org.name(region)}"]`);
  // It opens with what fits the screen readably; Expand all shows every unit.
  await page.getByTestId("chart-expand").click();
  await expect(page.getByTestId("chart-node")).toHaveCount(org.units.length);
  await node.click();
  // Folding hides everything below the region, and only that.
  await expect(page.getByTestId("chart-node")).toHaveCount(org.units.length - (org.subtree(region.id).size - 1));
  await node.getByTestId("chart-fold").press("Enter");
  await expect(page.getByTestId("chart-node")).toHaveCount(org.units.length);
  // The keyboard's fold button keeps the focus through the chart drawn again.
  await expect(node.getByTestId("chart-fold")).toBeFocused();
  await expect(node.getByTestId("chart-fold")).toHaveAttribute("aria-expanded", "true");
  await page.keyboard.press("Space");
  await expect(page.getByTestId("chart-node")).toHaveCount(org.units.length - (org.subtree(region.id).size - 1));
  await expect(node.getByTestId("chart-fold")).toBeFocused();
  await expect(node.getByTestId("chart-fold")).toHaveAttribute("aria-expanded", "false");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("chart-node")).toHaveCount(org.units.length);
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

test("org chart: a director's many regions wrap in lines of six; one opened, they stand side by side, the box clicked in view", async ({ page }) => {
  await open(page, "/");
  let org = await storedOrg(page);
  const root = org.name(org.root());
  // Eight regions at least: the demo's and new ones.
  for (let i = org.children(org.root().id).length; i < 8; i++) await addUnit(page, root, `New region ${i + 1}`);
  await saved(page);
  org = await storedOrg(page);
  const kids = org.children(org.root().id);
  await goto(page, "/chart");
  await page.getByRole("button", { name: "Regions only" }).click();
  await expect(page.getByTestId("chart-node")).toHaveCount(kids.length + 1);
  const node = (u: { name: Text }) => page.locator(`[data-testid=chart-node][data-name="${org.name(u)}"]`);
  const at = async (u: { name: Text }) => {
    const m = /translate\(([-\d.]+),([-\d.]+)\)/.exec((await node(u).getAttribute("transform"))!)!;
    return { x: Number(m[1]), y: Number(m[2]) };
  };
  const places = async () => Promise.all(kids.map(at));
  // In tree order, six to a line, each line below the one before, lined up in columns.
  let p = await places();
  for (let i = 0; i < kids.length; i++) {
    expect(p[i].x, `region ${i}`).toBe(p[i % 6].x);
    expect(p[i].y, `region ${i}`).toBe(p[Math.floor(i / 6) * 6].y);
  }
  expect(new Set(p.map((q) => q.y)).size).toBe(Math.ceil(kids.length / 6));
  expect(p[6].y).toBeGreaterThan(p[0].y);
  expect(new Set(p.map((q) => q.x)).size).toBe(6);
  // A region opened (with the mouse, the last one with teams): the regions
  // stand side by side again, its teams straight below it, and its box
  // is still in view.
  const region = [...kids].reverse().find((k) => org.children(k.id).length > 0)!;
  await node(region).click();
  const teams = org.children(region.id);
  await expect(page.getByTestId("chart-node")).toHaveCount(kids.length + 1 + teams.length);
  p = await places();
  expect(new Set(p.map((q) => q.y)).size).toBe(1);
  expect(new Set(p.map((q) => q.x)).size).toBe(kids.length);
  for (const q of await Promise.all(teams.map(at))) expect(q.y).toBeGreaterThan(p[0].y);
  await expect(node(region)).toBeInViewport();
  // No two boxes overlap on screen.
  const boxes = await page.getByTestId("chart-node").evaluateAll((els) => els.map((e) => e.querySelector("rect")!.getBoundingClientRect().toJSON()));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
      expect(apart, `boxes ${i} and ${j} overlap`).toBe(true);
    }
  }
});

test("org chart: a drag begun on a box pans the chart and leaves the box as it was; a click still opens it", async ({ page }) => {
  await open(page, "/chart");
  const org = await storedOrg(page);
  await page.getByTestId("chart-expand").click();
  await expect(page.getByTestId("chart-node")).toHaveCount(org.units.length);
  // The root: in view, centred over the chart.
  const root = org.root();
  const node = page.locator(`[data-testid=chart-node][data-name="${org.name(root)}"]`);
  const scroller = page.locator(".chart-scroll");
  // The whole chart is wider than its box: it can be panned.
  expect(await scroller.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
  const left = await scroller.evaluate((e) => e.scrollLeft);
  const box = (await node.locator("rect").first().boundingBox())!;
  await page.mouse.move(box.x + 40, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 140, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  expect(await scroller.evaluate((e) => e.scrollLeft)).not.toBe(left);
  await expect(page.getByTestId("chart-node")).toHaveCount(org.units.length);
  await expect(node.getByTestId("chart-fold")).toHaveAttribute("aria-expanded", "true");
  // A click (no drag) on the same box still folds it.
  await node.locator("rect").first().click();
  await expect(page.getByTestId("chart-node")).toHaveCount(1);
  // Printed, the chart has no zoom figure and no fold buttons.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByTestId("zoom-level")).toBeHidden();
  await expect(node.getByTestId("chart-fold")).toBeHidden();
});

test("tiers: edit duties, add and remove a tier, reassign holders", async ({ page }) => {
  await open(page, "/tiers");
  const org = await storedOrg(page);
  const tiers = page.getByTestId("tier");
  await expect(tiers).toHaveCount(org.tiers.length);
  const n = org.tiers.length;
  const tier = (name: string) => page.locator(`[data-testid=tier][data-name="${name}"]`);

  async function addTier(en: string, zh: string, duties: string) {
    await page.getByTestId("add-tier").click();
    await expect(tiers).toHaveCount(n + 1);
    await typeInto(page.getByTestId("tier-name-en"), en);
    await typeInto(page.getByTestId("tier-name-zh"), zh);
    await typeInto(page.getByTestId("tier-duties"), duties);
    await page.getByTestId("tier-save").click();
  }

  await addTier("Key account manager", "大客户经理", "维护大客户 | Own key accounts\n跨区域协调 | Coordinate across regions");
  const kam = tier("Key account manager");
  await expect(kam).toContainText("Coordinate across regions");
  await expect(kam).toContainText("0 people");
  // A tier nobody holds goes at once.
  await kam.getByTestId("tier-remove").click();
  await page.getByTestId("tier-remove-ok").click();
  await expect(tiers).toHaveCount(n);

  // A held tier needs somewhere to send its people.
  const bottom = org.tiers[n - 1];
  // The card counts current holders; the refusal counts every record of the tier, leavers too.
  const records = org.people.filter((p) => p.tier === bottom.id);
  const holders = org.current.filter((p) => p.tier === bottom.id);
  expect(holders.length).toBeGreaterThan(1);
  const reps = tier(org.name(bottom));
  await expect(reps).toContainText(`${holders.length} people`);
  await reps.getByTestId("tier-remove").click();
  await page.getByTestId("tier-remove-ok").click();
  await expect(page.getByTestId("notice").last()).toContainText(`${records.length} people still hold this tier`);
  await expect(tiers).toHaveCount(n);
  await expect(reps).toContainText(`${holders.length} people`);

  // A new lowest tier takes them over: managers above still outrank them.
  await addTier("Account executive", "客户经理", "跟进商机 | Advance opportunities");
  const ae = tier("Account executive");
  await expect(ae).toContainText("0 people");
  await reps.getByTestId("tier-remove").click();
  await reps.getByTestId("tier-reassign").selectOption({ label: "Account executive" });
  await reps.getByTestId("tier-remove-ok").click();
  await expect(tiers).toHaveCount(n);
  await expect(reps).toHaveCount(0);
  await expect(ae).toContainText(`${holders.length} people`);
  // Stored: every former holder now has the new tier, and nobody else does.
  await saved(page);
  const after = await storedOrg(page);
  const aeTier = after.tiers.find((t) => t.name.en === "Account executive");
  expect(after.tiers.some((t) => t.id === bottom.id)).toBe(false);
  expect(after.people.filter((p) => p.tier === aeTier.id).map((p) => p.id).sort()).toEqual(records.map((p) => p.id).sort());
  // And the people page lists them under it.
  await goto(page, "/people");
  await page.getByTestId("filter-tier").selectOption({ label: "Account executive" });
  await expect(page.getByTestId("people-count")).toHaveText(`${holders.length} / ${after.people.length}`);
});

test("building an org: a newcomer's tier fits the unit, the manager's seat is offered, Escape closes the ⋯ panel", async ({ page }) => {
  await open(page);
  page.on("dialog", (d) => d.accept());
  await page.getByTestId("start-empty").click();
  // The empty state's buttons are the ones it names.
  await expect(page.getByTestId("no-org")).toBeVisible();
  await expect(page.getByTestId("load-demo")).toBeVisible();
  await page.getByTestId("add-root").click();
  const root = "My company";
  const org0 = await storedOrg(page);
  const [top, second] = [org0.tiers[0], org0.tiers[1]];

  // An empty root: the top tier is proposed, and the seat offered.
  await rowAction(page, root, "act-add-person");
  await expect(page.getByTestId("pf-tier")).toHaveValue(top.id);
  await typeInto(page.getByTestId("pf-name-en"), "Dana Director");
  await expect(page.getByTestId("pf-make-manager")).toBeChecked();
  await page.getByTestId("pf-save").click();
  await expect(row(page, root).getByTestId("manager-name")).toHaveText("Dana Director");

  // A new region below: one tier below the parent's manager, and its seat offered too.
  await addUnit(page, root, "East");
  await rowAction(page, "East", "act-add-person");
  await expect(page.getByTestId("pf-tier")).toHaveValue(second.id);
  await typeInto(page.getByTestId("pf-name-en"), "Eli East");
  await expect(page.getByTestId("pf-make-manager")).toBeChecked();
  await page.getByTestId("pf-save").click();
  // The dialog closed: the focus is back on the unit's ⋯ button, not lost on the page.
  await expect(row(page, "East").getByTestId("row-actions")).toBeFocused();
  await expect(row(page, "East").getByTestId("manager-name")).toHaveText("Eli East");
  // With a manager in post, no seat is offered and the tier is one below them.
  await rowAction(page, "East", "act-add-person");
  await expect(page.getByTestId("pf-tier")).toHaveValue(org0.tiers[2].id);
  await expect(page.getByTestId("pf-make-manager")).toHaveCount(0);
  // Escape once the dialog has the focus (on the English name, the
  // reader's language first), as a person presses it.
  await expect(page.getByTestId("pf-name-en")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("person-form")).toHaveCount(0);

  // Escape closes the ⋯ panel and gives the focus back to its button.
  await row(page, "East").getByTestId("row-actions").click();
  await row(page, "East").getByTestId("act-move").click();
  await expect(page.getByTestId("row-panel")).toBeVisible();
  await expect(page.getByTestId("panel-target")).toBeFocused();
  // Nothing to move under until a unit is chosen: OK waits for one.
  await expect(page.getByTestId("panel-ok")).toBeDisabled();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByTestId("panel-ok")).toBeEnabled();
  await page.keyboard.press("ArrowUp");
  await expect(page.getByTestId("panel-ok")).toBeDisabled();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("row-panel")).toHaveCount(0);
  await expect(row(page, "East").getByTestId("row-actions")).toBeFocused();
});

test("long lists page with a count, and the page, sort and filter live in the URL", async ({ page }) => {
  await open(page, "/people");
  const org = await storedOrg(page);
  const n = org.current.length;
  expect(n).toBeGreaterThan(50);
  await expect(page.getByTestId("pager-count")).toHaveText(`1–50 of ${n}`);
  await expect(page.getByTestId("person-row")).toHaveCount(50);
  await page.getByTestId("pager-next").click();
  await expect(page.getByTestId("person-row")).toHaveCount(n - 50);
  await expect(page.getByTestId("pager-count")).toHaveText(`51–${n} of ${n}`);
  // The page is drawn first; the link follows once that frame is painted.
  await expect(page).toHaveURL(/[?&]page=2(&|$)/);
  // Reload: still the second page.
  await page.reload();
  await expect(page.getByTestId("pager-count")).toHaveText(`51–${n} of ${n}`);
  // A filter starts again from the first page, and is kept in the link.
  const lead = org.tiers.find((t) => org.name(t) === "Team lead")!;
  await page.getByTestId("filter-tier").selectOption(lead.id);
  const leads = org.current.filter((p) => p.tier === lead.id).length;
  await expect(page.getByTestId("person-row")).toHaveCount(leads);
  await expect(page.getByTestId("pager-count")).toHaveText(`1–${leads} of ${leads}`);
  await expect(page).toHaveURL(new RegExp(`[?&]tier=${lead.id}(&|$)`));
  await page.reload();
  await expect(page.getByTestId("person-row")).toHaveCount(leads);
  await expect(page.getByTestId("filter-tier")).toHaveValue(lead.id);
  await page.goBack();
  await expect(page.getByTestId("pager-count")).toHaveText(`51–${n} of ${n}`);
});

test("the chart opened after the window changed size is folded for the new size", async ({ page }) => {
  const errors = errorsOf(page);
  // A small org whose chart fits a wide window, not a narrow one.
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page);
  page.on("dialog", (d) => d.accept());
  await page.getByTestId("start-empty").click();
  await page.getByTestId("add-root").click();
  const root = "My company";
  await addUnit(page, root, "East");
  await addUnit(page, root, "West");
  await addUnit(page, "East", "Team A");
  await addUnit(page, "East", "Team B");
  // Wide: every unit; the chart remembers the room it had.
  await goto(page, "/chart");
  await expect(page.getByTestId("chart-node")).toHaveCount(5);
  await expect(page.getByTestId("chart-folded-note")).toHaveCount(0);
  // Narrow, then back to the chart without a reload: it opens folded, as a
  // fresh load at that size does (not as it was at the old size).
  await goto(page, "/people");
  await page.setViewportSize({ width: 560, height: 900 });
  await goto(page, "/chart");
  await expect(page.getByTestId("chart-folded-note")).toBeVisible();
  const narrow = await page.getByTestId("chart-node").count();
  expect(narrow).toBeLessThan(5);
  await page.reload();
  await expect(page.getByTestId("orgchart")).toBeVisible();
  await expect(page.getByTestId("chart-node")).toHaveCount(narrow);
  // Wide again, without a reload: every unit again.
  await goto(page, "/people");
  await page.setViewportSize({ width: 1440, height: 900 });
  await goto(page, "/chart");
  await expect(page.getByTestId("chart-node")).toHaveCount(5);
  await expect(page.getByTestId("chart-folded-note")).toHaveCount(0);
  // Resized while open: fitted again, as when opened at that size.
  await page.setViewportSize({ width: 560, height: 900 });
  await expect(page.getByTestId("chart-folded-note")).toBeVisible();
  await expect(page.getByTestId("chart-node")).toHaveCount(narrow);
  await page.setViewportSize({ width: 1440, height: 900 });
  await expect(page.getByTestId("chart-node")).toHaveCount(5);
  // Once the reader zooms by hand, the chart is theirs: a resize leaves it.
  await page.getByTestId("zoom-in").click();
  const zoomed = await page.getByTestId("zoom-level").textContent();
  await page.setViewportSize({ width: 560, height: 900 });
  await page.waitForTimeout(400);
  await expect(page.getByTestId("chart-node")).toHaveCount(5);
  await expect(page.getByTestId("zoom-level")).toHaveText(zoomed!);
  expect(errors).toEqual([]);
});

test("the chart opens readable and fitted; the sidebar runs the page's whole height", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page, "/chart");
  const org = await storedOrg(page);
  const zoom = Number((await page.getByTestId("zoom-level").textContent())!.replace("%", ""));
  expect(zoom).toBeGreaterThanOrEqual(60);
  // Lower levels are folded to fit, and a note says so; Expand all shows every unit.
  const shown = await page.getByTestId("chart-node").count();
  if (shown < org.units.length) await expect(page.getByTestId("chart-folded-note")).toBeVisible();
  await page.getByTestId("chart-expand").click();
  await expect(page.getByTestId("chart-node")).toHaveCount(org.units.length);
  // Every box has its full name, manager and headcount as its accessible name and tooltip.
  const root = page.locator(`[data-testid=chart-node][data-name="${org.name(org.root())}"]`);
  await expect(root).toHaveAttribute("aria-label", new RegExp(`^${escapeRe(org.name(org.root()))}`));
  await expect(root.locator("title")).toContainText(org.name(org.root()));
  // Expanded, the top box is still in view, horizontally in the chart's viewport.
  const inView = await root.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const view = el.closest(".chart-scroll")!.getBoundingClientRect();
    return box.width > 0 && box.left >= view.left - 1 && box.right <= view.right + 1;
  });
  expect(inView).toBe(true);

  // A long page: the sidebar's colour reaches the bottom of the document.
  await goto(page, "/people");
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  expect(height).toBeGreaterThan(800);
  const shot = await page.screenshot({ fullPage: true, clip: { x: 10, y: height - 20, width: 10, height: 10 } });
  // The bottom-left corner of the full page is the sidebar's dark colour, not the page's light one.
  const png = shot.toString("base64");
  const bottomLeft = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext("2d")!;
    ctx.drawImage(img, 0, 0);
    const [r, g, b] = ctx.getImageData(2, 2, 1, 1).data;
    return r + g + b;
  }, png);
  expect(bottomLeft).toBeLessThan(300);
});

test("the rename panel labels both names and puts the reader's language first; an empty person is refused inside the dialog", async ({ page }) => {
  await open(page);
  const org = await storedOrg(page);
  const region = org.children(org.root().id)[0];
  const name = org.name(region);
  for (const [lang, first, label] of [["en", "panel-name-en", "Name (English)"], ["zh", "panel-name-zh", "中文名称"]] as const) {
    await page.getByTestId(`lang-${lang}`).click();
    const r = page.locator(`[data-testid=tree-row][data-unit="${region.id}"]`);
    await r.getByTestId("row-actions").click();
    await r.getByTestId("act-rename").click();
    // The field that has the focus is the reader's language, named by its label.
    await expect(page.getByTestId(first)).toBeFocused();
    await expect(page.getByLabel(label, { exact: true })).toHaveAttribute("data-testid", first);
    await page.keyboard.press("Escape");
  }
  // Renamed in English from the focused field: the English name changes, the Chinese one stays.
  await page.getByTestId("lang-en").click();
  const r = page.locator(`[data-testid=tree-row][data-unit="${region.id}"]`);
  // Its ⋯ says whose actions it opens.
  await expect(page.getByRole("button", { name: `Actions: ${name}`, exact: true })).toHaveCount(1);
  await r.getByTestId("row-actions").click();
  await r.getByTestId("act-rename").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type(`${name} North`);
  await page.keyboard.press("Enter");
  await expect(r).toHaveAttribute("data-name", `${name} North`);
  await saved(page);
  const after = (await storedOrg(page)).data.units[region.id].name;
  expect(after.en).toBe(`${name} North`);
  expect(after.zh).toBe(region.name.zh);

  // A person with no name: the reason is given in the dialog, which stays open.
  await r.getByTestId("row-actions").click();
  await r.getByTestId("act-add-person").click();
  await page.getByTestId("pf-save").click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByTestId("modal-error")).toBeVisible();
  await expect(dialog.getByTestId("modal-error")).not.toHaveText("");
  await expect(page.getByTestId("notice")).toHaveCount(0);
  await expect(page.getByTestId("person-form")).toBeVisible();
});

test("a hire still to come is listed with the day they start, not as months served", async ({ page }) => {
  await open(page, "/people");
  const now = await pageNow(page);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const starts = day(new Date(now.getTime() + 20 * 86_400_000));
  const past = new Date(now.getTime() - 400 * 86_400_000);
  const typed = (d: string) => `${d.slice(5, 7)}${d.slice(8, 10)}${d.slice(0, 4)}`;
  for (const [name, hired] of [["Future Hire", starts], ["Earlier Hire", day(past)]]) {
    await page.getByTestId("add-person").click();
    await typeInto(page.getByTestId("pf-name-en"), name);
    await page.getByTestId("pf-unit").selectOption({ index: 1 });
    await page.getByTestId("pf-hire").click();
    await page.keyboard.type(typed(hired));
    await page.getByTestId("pf-save").click();
    await expect(page.getByTestId("person-form")).toHaveCount(0);
  }
  await saved(page);
  const people: any[] = Object.values((await storedOrg(page)).data.people);
  const idOf = (en: string) => people.find((p) => p.name.en === en).id;
  const tenure = (en: string) => page.locator(`[data-testid=person-row][data-id="${idOf(en)}"]`).getByTestId("person-tenure");
  await typeInto(page.getByTestId("people-search"), "Hire");
  await expect(tenure("Future Hire")).toHaveText(`Starts ${starts}`);
  // 400 days back: a year and one month or so, never "Starts".
  await expect(tenure("Earlier Hire")).toHaveText(/^1 y 1 m$/);
  await page.getByTestId("lang-zh").click();
  await expect(tenure("Future Hire")).toHaveText(`${starts} 入职`);
});

test("in Chinese, people are listed by pinyin (李, 王, 张), not by character code (张, 李, 王)", async ({ page }) => {
  await open(page, "/people");
  await page.getByTestId("lang-zh").click();
  for (const name of ["张测试", "李测试", "王测试"]) {
    await page.getByTestId("add-person").click();
    // The dialog opens on the Chinese name in a Chinese UI.
    await expect(page.getByTestId("pf-name-zh")).toBeFocused();
    await page.keyboard.type(name);
    await page.getByTestId("pf-unit").selectOption({ index: 1 });
    await page.getByTestId("pf-save").click();
    await expect(page.getByTestId("person-form")).toHaveCount(0);
  }
  // Same tier and unit (the first unit, and the tier it suggests): the name decides.
  await typeInto(page.getByTestId("people-search"), "测试");
  await expect(page.getByTestId("person-row")).toHaveCount(3);
  await expect(page.getByTestId("person-row").locator("td.strong")).toHaveText(["李测试", "王测试", "张测试"]);
  // The customer owner list of the same browser follows the same order.
  await goto(page, "/customers");
  await page.getByTestId("add-customer").click();
  const owners = await page.getByTestId("customer-owner").locator("option").allTextContents();
  const mine = owners.filter((o) => o.includes("测试")).map((o) => o.split(" · ")[0]);
  expect(mine).toEqual(["李测试", "王测试", "张测试"]);
  await page.keyboard.press("Escape");
  // And "I am" (same tier: by name).
  await goto(page, "/data");
  const me = await page.getByTestId("who-am-i").locator("option").allTextContents();
  expect(me.filter((o) => o.includes("测试")).map((o) => o.split(" · ")[0])).toEqual(["李测试", "王测试", "张测试"]);
});

/**
 * Add person on People with no unit filter asks for the unit (it used to
 * put the newcomer in the top unit, as a regional manager, on a Save after
 * the name alone). The tier follows the unit chosen until the user picks
 * one; with a unit filter, the dialog opens on that unit.
 */
test("adding a person on People asks for the unit, and the tier follows it until picked", async ({ page }) => {
  await open(page, "/people");
  const org = await storedOrg(page);
  const { region, team } = org.regionAndTeam();
  const [r, t] = [org.unitNamed(region), org.unitNamed(team)];
  const bottom = org.tiers[org.tiers.length - 1].id;
  await page.getByTestId("add-person").click();
  await typeInto(page.getByTestId("pf-name-en"), "Unit Chooser");
  const [unit, tier, save] = [page.getByTestId("pf-unit"), page.getByTestId("pf-tier"), page.getByTestId("pf-save")];
  await expect(unit).toHaveValue("");
  await expect(unit.locator("option").first()).toHaveText("Choose a unit");
  await expect(save).toBeDisabled();
  // Why, in view (not only in the disabled button's tooltip).
  await expect(page.getByTestId("pf-unit-needed")).toHaveText("Choose a unit to save.");
  // Enter in a field does not save either.
  await page.getByTestId("pf-name-en").press("Enter");
  await expect(page.getByTestId("person-form")).toBeVisible();

  // A team: the tier of its reps; a region: another (its manager's).
  await unit.selectOption(t.id);
  await expect(tier).toHaveValue(org.repIn(t.id).tier);
  await unit.selectOption(r.id);
  await expect(tier).not.toHaveValue(bottom);
  // Picked by the user, the tier stays whatever the unit.
  await tier.selectOption(bottom);
  await unit.selectOption(t.id);
  await unit.selectOption(r.id);
  await expect(tier).toHaveValue(bottom);
  await expect(save).toBeEnabled();
  await expect(page.getByTestId("pf-unit-needed")).toHaveCount(0);
  await save.click();
  await expect(page.getByTestId("person-form")).toHaveCount(0);
  await saved(page);
  const added = (await storedOrg(page)).people.find((p) => p.name.en === "Unit Chooser");
  expect([added.unit, added.tier]).toEqual([r.id, bottom]);

  // Filtered on a team: the dialog opens on it, ready to save.
  await page.getByTestId("filter-unit").selectOption(t.id);
  await page.getByTestId("add-person").click();
  await expect(unit).toHaveValue(t.id);
  await expect(unit.locator("option", { hasText: "Choose a unit" })).toHaveCount(0);
  await expect(save).toBeEnabled();
  await page.keyboard.press("Escape");

  // In Chinese too.
  await page.getByTestId("filter-unit").selectOption("");
  await page.getByTestId("lang-zh").click();
  await page.getByTestId("add-person").click();
  await expect(unit.locator("option").first()).toHaveText("请选择单元");
  await expect(page.getByTestId("pf-unit-needed")).toHaveText("选择单元后才能保存。");
  await expect(page.getByTestId("pf-save")).toBeDisabled();
});

