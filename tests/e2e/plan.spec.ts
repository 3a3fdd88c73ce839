import type { Page } from "@playwright/test";
import { test, expect, figure, goto, grouped, num, open, saved, storedOrg, typeInto } from "./helpers";

const trow = (page: Page, name: string) => page.locator(`[data-testid=target-row][data-name="${name}"]`);
const cell = (page: Page, name: string, period: string) => trow(page, name).locator(`[data-testid=cell][data-period="${period}"]`);
const value = async (page: Page, name: string, period = "year") => num(await cell(page, name, period).inputValue());

async function typeCell(page: Page, name: string, period: string, value: string) {
  const c = cell(page, name, period);
  await typeInto(c, value);
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
  const org = await storedOrg(page);
  const company = org.name(org.root());
  const regions = org.children(org.root().id).map((u) => org.name(u));
  expect(regions.length).toBeGreaterThan(2);
  const [first, locked] = [regions[0], regions[regions.length - 1]];
  const team = org.name(org.children(org.unitNamed(first).id)[0]);
  const weights = new Map<string, number>();
  for (const r of regions) weights.set(r, Number(await trow(page, r).getByTestId("weight").inputValue()));
  /** Σ weight × share, and each unlocked region within a unit of its exact share. */
  async function expectSplit(total: number, names: string[]) {
    const w = names.reduce((a, r) => a + weights.get(r)!, 0);
    for (const r of names) expect(Math.abs((await value(page, r)) - (total * weights.get(r)!) / w)).toBeLessThanOrEqual(1);
  }

  // No over-assignment buffer for this run.
  const buffer = trow(page, company).getByTestId("buffer");
  await typeInto(buffer, "0");
  await buffer.press("Enter");
  // A company target below what the regions still hold from the last split.
  const held = num(await trow(page, company).getByTestId("children-sum").textContent());
  const target = Math.floor((held * 0.9) / 1_000_000) * 1_000_000;
  expect(target).toBeGreaterThan(0);
  await typeCell(page, company, "year", grouped(target));
  await expect(cell(page, company, "year")).toHaveValue(grouped(target));
  await expect(trow(page, company).getByTestId("fit")).toHaveText("Over");

  await cascade(page, company, "weight");
  await expect(trow(page, company).getByTestId("children-sum")).toHaveText(grouped(target));
  await expectSplit(target, regions);
  await expect(trow(page, company).getByTestId("fit")).toHaveText("Balanced");

  // Lock one region, raise the target: the others share what is left by weight.
  const kept = await value(page, locked);
  await trow(page, locked).getByTestId("lock").check();
  const raised = target + 30_000_000;
  await typeCell(page, company, "year", grouped(raised));
  await cascade(page, company, "weight");
  await expect(trow(page, company).getByTestId("children-sum")).toHaveText(grouped(raised));
  await expect(cell(page, locked, "year")).toHaveValue(grouped(kept));
  await expectSplit(raised - kept, regions.slice(0, -1));
  const firstYear = await value(page, first);

  // A region to its teams, then a team's quarterly split adds up to its year
  // and follows the region's seasonal profile.
  await cascade(page, first, "equal");
  const quarters = ["q1", "q2", "q3", "q4"];
  const q = await Promise.all(quarters.map((p) => value(page, team, p)));
  const rq = await Promise.all(quarters.map((p) => value(page, first, p)));
  const year = await value(page, team);
  expect(year).toBeGreaterThan(0);
  expect(q.reduce((a, b) => a + b, 0)).toBe(year);
  expect(rq.reduce((a, b) => a + b, 0)).toBe(firstYear);
  quarters.forEach((_, i) => expect(Math.abs(q[i] - (year * rq[i]) / firstYear)).toBeLessThanOrEqual(3));
  // Keyboard: ↓ moves to the same period on the next row.
  await cell(page, first, "q2").focus();
  await page.keyboard.press("ArrowDown");
  await expect(cell(page, team, "q2")).toBeFocused();

  await saved(page);
  await page.reload();
  await expect(cell(page, first, "year")).toHaveValue(grouped(firstYear));
  await expect(trow(page, locked).getByTestId("lock")).toBeChecked();
});

test("a locked quarter refuses edits", async ({ page }) => {
  await open(page, "/targets");
  const org = await storedOrg(page);
  const COMPANY = org.name(org.root());
  await page.locator('[data-testid=period-head][data-period="q1"]').getByTestId("lock-period").click();
  await expect(cell(page, COMPANY, "q1")).toHaveAttribute("readonly", "");
  await trow(page, COMPANY).getByTestId("split").click();
  await page.getByTestId("cascade-period").selectOption("q1");
  await page.getByTestId("cascade-ok").click();
  // Refused in the panel, with the reason beside its button (not a banner).
  const why = page.getByTestId("cascade-panel").getByTestId("field-msg");
  await expect(why).toContainText("fiscal month 1 of FY");
  await expect(why).toContainText("is locked");
  await expect(page.getByTestId("notice")).toHaveCount(0);
  await page.getByTestId("cascade-cancel").click();
  // The locked quarter kept its number; Q2 is still open.
  const q1 = await cell(page, COMPANY, "q1").inputValue();
  await typeCell(page, COMPANY, "q2", "1,000,000");
  await expect(cell(page, COMPANY, "q2")).toHaveValue("1,000,000");
  await expect(cell(page, COMPANY, "q1")).toHaveValue(q1);
});

test("over-allocating a budget is refused with the amount available", async ({ page }) => {
  await open(page, "/budget");
  const org = await storedOrg(page);
  const root = org.root();
  const regions = org.children(root.id).map((u) => org.name(u));
  const [mine, ...others] = regions;
  const marketing = (name: string) => page.locator(`[data-testid=budget-row][data-name="${name}"]`).locator('[data-testid=budget-cell][data-cat="Marketing"]');
  const total = page.locator(`[data-testid=budget-row][data-name="${mine}"]`).getByTestId("budget-total");
  const cellMine = marketing(mine);
  const before = await cellMine.inputValue();
  const totalBefore = num(await total.textContent());
  // What the parent has not given to the other regions.
  let available = num(await marketing(org.name(root)).inputValue());
  for (const r of others) available -= num(await marketing(r).inputValue());
  expect(available).toBeGreaterThan(num(before));
  await typeInto(cellMine, grouped(available + 1));
  await cellMine.press("Enter");
  // The reason is shown beside the cell.
  await expect(cellMine.locator("xpath=ancestor::td[1]").getByTestId("field-msg")).toContainText(`more than the parent has left: at most ${grouped(available)}.00 is available`);
  // What was typed stays to be corrected; Escape takes it back.
  await expect(cellMine).toHaveValue(grouped(available + 1));
  await page.keyboard.press("Escape");
  await expect(cellMine).toHaveValue(before);
  await expect(total).toHaveText(grouped(totalBefore));
  // All of what is left is accepted, and the row's total rises by exactly the difference.
  await typeInto(cellMine, grouped(available));
  await cellMine.press("Enter");
  await expect(cellMine).toHaveValue(grouped(available));
  await expect(total).toHaveText(grouped(totalBefore - num(before) + available));
});

test("a scenario with two extra hires, compared with the plan, survives a reload", async ({ page }) => {
  await open(page, "/scenarios");
  const { region: regionName, team: teamName } = (await storedOrg(page)).regionAndTeam();
  await typeInto(page.getByTestId("scenario-name"), "Two extra reps");
  await page.getByTestId("create-scenario").click();
  await expect(page.getByTestId("scenario")).toHaveCount(1);
  await goto(page, "/capacity");
  await expect(page.getByTestId("scenario-badge")).toBeVisible();
  const teamRow = page.locator(`[data-testid=capacity-row][data-name="${teamName}"]`);
  const planCapacity = await figure(teamRow.getByTestId("capacity"));
  const planHires = await figure(teamRow.getByTestId("hires"));
  await teamRow.getByTestId("edit-headcount").click();
  await page.getByTestId("add-hire").click();
  await typeInto(page.getByTestId("hire-count").last(), "2");
  await page.getByTestId("headcount-save").click();
  await expect(teamRow.getByTestId("hires")).toHaveText(String(planHires + 2));
  expect(await figure(teamRow.getByTestId("capacity"))).toBeGreaterThan(planCapacity);
  // The plan itself is untouched.
  await page.getByTestId("plan-scenario").selectOption("");
  await expect(teamRow.getByTestId("hires")).toHaveText(String(planHires));
  expect(await figure(teamRow.getByTestId("capacity"))).toBe(planCapacity);

  await goto(page, "/scenarios");
  const regionRow = page.locator(`[data-testid=compare-row][data-name="${regionName}"]`);
  const plan = await figure(regionRow.getByTestId("cmp-capacity-0"));
  const scen = await figure(regionRow.getByTestId("cmp-capacity-1"));
  expect(scen).toBeGreaterThan(plan);
  expect(await figure(regionRow.getByTestId("cmp-gap-1"))).toBeLessThan(await figure(regionRow.getByTestId("cmp-gap-0")));

  await saved(page);
  await page.reload();
  await expect(page.getByTestId("scenario")).toHaveCount(1);
  expect(await figure(regionRow.getByTestId("cmp-capacity-1"))).toBe(scen);

  // Adopting makes it the plan.
  page.on("dialog", (d) => d.accept());
  await page.getByTestId("adopt-scenario").click();
  await expect(regionRow.getByTestId("cmp-capacity-0")).toHaveText((await regionRow.getByTestId("cmp-capacity-1").textContent())!);
});

test("a target typed and committed with Enter is one undo step; Tab too", async ({ page }) => {
  await open(page, "/targets");
  const org = await storedOrg(page);
  const region = org.children(org.root().id)[0];
  const team = org.name(org.children(region.id)[0]);
  for (const commit of ["Enter", "Tab"]) {
    const before = await cell(page, team, "q2").inputValue();
    const next = Math.round(num(before)) + 123_000;
    await typeInto(cell(page, team, "q2"), String(next));
    await cell(page, team, "q2").press(commit);
    await expect(cell(page, team, "q2")).toHaveValue(grouped(next));
    // Leaving the cell after Enter saved it is no second edit: one undo puts it back.
    await page.getByTestId("undo").click();
    await expect(cell(page, team, "q2")).toHaveValue(before);
  }
});

test("budget cells move as the targets' do: Enter commits and goes down, the arrows move, one undo step", async ({ page }) => {
  await open(page, "/budget");
  // The first region's row and the row under it (its first team).
  const rows = page.getByTestId("budget-row");
  await expect(rows.nth(2)).toBeVisible();
  const [first, second] = [(await rows.nth(1).getAttribute("data-name"))!, (await rows.nth(2).getAttribute("data-name"))!];
  const bcell = (name: string, cat: string) => page.locator(`[data-testid=budget-row][data-name="${name}"]`).locator(`[data-testid=budget-cell][data-cat="${cat}"]`);
  const before = await bcell(first, "Travel").inputValue();
  const next = Math.max(0, num(before) - 1000);
  await typeInto(bcell(first, "Travel"), String(next));
  await page.keyboard.press("Enter");
  await expect(bcell(first, "Travel")).toHaveValue(grouped(next));
  // The next row's cell of the same category has the focus; → moves on, ↑ comes back up.
  await expect(bcell(second, "Travel")).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(bcell(second, "Tools & software")).toBeFocused();
  await page.keyboard.press("ArrowUp");
  await expect(bcell(first, "Tools & software")).toBeFocused();
  await page.keyboard.press("ArrowLeft");
  await expect(bcell(first, "Travel")).toBeFocused();
  // Enter saved it once: one undo puts it back.
  await page.getByTestId("undo").click();
  await expect(bcell(first, "Travel")).toHaveValue(before);
  // ↓ in the last row: the focus stays there.
  const last = (await rows.last().getAttribute("data-name"))!;
  await bcell(last, "Travel").click();
  await page.keyboard.press("ArrowDown");
  await expect(bcell(last, "Travel")).toBeFocused();
});

test("a target being typed keeps its text when another tab edits the same row; Enter then saves it", async ({ context }) => {
  const a = await context.newPage();
  await open(a, "/targets");
  const b = await context.newPage();
  await open(b, "/targets");
  const org = await storedOrg(a);
  const team = org.name(org.children(org.children(org.root().id)[0].id)[0]);
  const [q1, q2] = [Math.round(await value(a, team, "q1")) + 111_000, Math.round(await value(b, team, "q2")) + 222_000];
  // Typed in tab A, not yet committed, A keeping the focus (Playwright's
  // pages all have it). (A switch to another tab commits the typing: the
  // field's change event fires as the window loses the focus.)
  await cell(a, team, "q1").click();
  await a.keyboard.type(String(q1));
  // Tab B's edit of the same row's next quarter lands meanwhile.
  await typeCell(b, team, "q2", String(q2));
  await saved(b);
  await expect(cell(a, team, "q2")).toHaveValue(grouped(q2));
  // Tab A still shows what was typed, the caret at its end; Enter saves it.
  await expect(cell(a, team, "q1")).toHaveValue(String(q1));
  await expect(cell(a, team, "q1")).toBeFocused();
  expect(await cell(a, team, "q1").evaluate((i: HTMLInputElement) => [i.selectionStart, i.selectionEnd])).toEqual([String(q1).length, String(q1).length]);
  await a.keyboard.press("Enter");
  await expect(cell(a, team, "q1")).toHaveValue(grouped(q1));
  await saved(a);
  // Both edits hold, in both tabs.
  for (const p of [a, b]) {
    await expect(cell(p, team, "q1")).toHaveValue(grouped(q1));
    await expect(cell(p, team, "q2")).toHaveValue(grouped(q2));
  }
});

test("the arrow keys on Targets follow a team another tab moved to another region", async ({ context }) => {
  const a = await context.newPage();
  await open(a, "/targets");
  const b = await context.newPage();
  await open(b, "/");
  const org = await storedOrg(a);
  const [from, to] = org.children(org.root().id).filter((r) => org.children(r.id).length > 0);
  const team = org.name(org.children(from.id)[0]);
  const order = () => a.getByTestId("target-row").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-name")));
  const before = await order();
  // Tab B moves the team under the other region.
  const row = b.locator(`[data-testid=tree-row][data-name="${team}"]`);
  await row.getByTestId("row-actions").click();
  await row.getByTestId("act-move").click();
  await b.getByTestId("panel-target").selectOption(to.id);
  await b.getByTestId("panel-ok").click();
  await saved(b);
  // Tab A draws it in its new place.
  await expect.poll(async () => (await order()).indexOf(team)).toBeGreaterThan((await order()).indexOf(org.name(to)));
  const now = await order();
  expect(now).not.toEqual(before);
  // ↓ and ↑ from its Q2 go to the rows drawn below and above it.
  const at = now.indexOf(team);
  await cell(a, team, "q2").click();
  await a.keyboard.press("ArrowDown");
  await expect(cell(a, now[at + 1]!, "q2")).toBeFocused();
  await a.keyboard.press("ArrowUp");
  await a.keyboard.press("ArrowUp");
  await expect(cell(a, now[at - 1]!, "q2")).toBeFocused();
});

test("a person's own time split: picked by a name with quotes and brackets, saved, then back to the tier default", async ({ page }) => {
  await open(page, "/people");
  const org = await storedOrg(page);
  const person = org.current[org.current.length - 1];
  const odd = `Zoë "Z" <Ops> & Co's`;
  // A name with every character HTML treats specially, given on People.
  await typeInto(page.getByTestId("people-search"), person.name.en);
  await page.getByTestId("person-row").filter({ hasText: person.name.en }).first().click();
  await typeInto(page.getByTestId("pf-name-en"), odd);
  await page.getByTestId("pf-save").click();
  await expect(page.getByTestId("person-form")).toHaveCount(0);

  await goto(page, "/capacity");
  const pick = page.getByTestId("split-person");
  await pick.click();
  await pick.selectOption({ label: odd });
  await expect(pick).toHaveValue(person.id);
  const editor = page.getByTestId("split-editor").last();
  const field = (label: string) => editor.locator("label.split-part", { hasText: label }).locator("input");
  const parts = ["Strategy", "Coaching", "Selling", "Admin", "Other"];
  const before = await Promise.all(parts.map(async (p) => Number(await field(p).inputValue())));
  expect(before.reduce((a, b) => a + b, 0)).toBe(100);
  // Ten points more selling, taken from the largest other share.
  const from = parts.filter((p) => p !== "Selling").sort((a, b) => before[parts.indexOf(b)] - before[parts.indexOf(a)])[0];
  const want = before.slice();
  want[parts.indexOf("Selling")] += 10;
  want[parts.indexOf(from)] -= 10;
  expect(want.every((v) => v >= 0 && v <= 100)).toBe(true);
  await typeInto(field("Selling"), String(want[parts.indexOf("Selling")]));
  // 110 % can't be saved.
  await expect(editor.getByRole("button", { name: "Save" })).toBeDisabled();
  await typeInto(field(from), String(want[parts.indexOf(from)]));
  await editor.getByRole("button", { name: "Save" }).click();
  await saved(page);
  const stored = (await storedOrg(page)).data.time_splits;
  const own = Object.values(stored).find((t: any) => t.owner === person.id) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  expect([own.split.strategy, own.split.coaching, own.split.selling, own.split.admin, own.split.other]).toEqual(want);

  // Back to the tier's split.
  await page.getByTestId("split-editor").last().getByRole("button", { name: "Use tier default" }).click();
  await saved(page);
  const after = (await storedOrg(page)).data.time_splits;
  expect(Object.values(after ?? {}).some((t: any) => t.owner === person.id)).toBe(false); // eslint-disable-line @typescript-eslint/no-explicit-any
});

test("capacity assumptions refuse a bad value beside its field and keep the stored one", async ({ page }) => {
  // Reads the whole store seven times (about 2.5 s each for the demo): 22 s
  // alone, past 30 s beside another worker.
  test.setTimeout(90_000);
  await open(page, "/capacity");
  const stored = async () => (await storedOrg(page)).data.plan.assumptions;
  const before = await stored();
  const field = (id: string) => page.getByTestId(id);
  const msg = (id: string) => page.locator(`label:has([data-testid=${id}]) [data-testid=field-msg]`);
  for (const [id, typed, says] of [
    ["quota-per-rep", "-100", "cannot be negative"],
    ["expected-attainment", "99999", "at most 300"],
    ["expected-attainment", "0", "at least 1"],
    ["ramp", "abc, 200, -5", "not a number"],
    ["ramp", "50, 200", "at most 100"],
  ]) {
    await typeInto(field(id), typed);
    await page.keyboard.press("Tab");
    await expect(msg(id)).toContainText(says);
    await expect(field(id)).toHaveAttribute("aria-invalid", "true");
    // Left as it was typed, the field shows the stored value again.
    await expect(field(id)).not.toHaveValue(typed);
    expect(await stored()).toEqual(before);
  }
  // Good values are saved, the reason gone.
  await typeInto(field("expected-attainment"), "90%");
  await page.keyboard.press("Tab");
  await typeInto(field("ramp"), "20, 40，60 / 80");
  await page.keyboard.press("Tab");
  await saved(page);
  const after = await stored();
  expect([after.expected_attainment, after.ramp, after.quota_per_rep]).toEqual([90, [20, 40, 60, 80], before.quota_per_rep]);
  await expect(page.locator("[data-testid=field-msg]")).toHaveCount(0);
  await expect(field("ramp")).toHaveValue("20, 40, 60, 80");
});
