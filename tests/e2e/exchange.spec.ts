/* eslint-disable @typescript-eslint/no-explicit-any */
import fs from "fs";
import type { Page } from "@playwright/test";
import { test, expect, clockStart, download, goData, goto, iAm, num, open, otherBrowser, regionsOf, saved, storedData, typeInto, textIn } from "./helpers";

/**
 * Two managers, two browsers: the director sends East China (the first
 * region) as a branch file, its manager opens it in another browser
 * context, works on it and sends it back, and the director merges it after
 * a review. Every expectation is computed from the stored documents.
 */

const tree = (page: Page, name: string) => page.locator(`[data-testid=tree-row][data-name="${name}"]`);
const trow = (page: Page, name: string) => page.locator(`[data-testid=target-row][data-name="${name}"]`);



function rootOf(data: any): any {
  return (Object.values(data.units) as any[]).find((u) => !u.parent);
}



async function sendBranch(page: Page, unit: string) {
  await goData(page);
  await page.getByTestId("branch-unit").selectOption(unit);
  return download(page, () => page.getByTestId("send-branch").click());
}

async function mergeFile(page: Page, file: string) {
  await goData(page);
  await page.getByTestId("merge-file").setInputFiles(file);
  await expect(page.getByTestId("review")).toBeVisible();
}

/** Ids of the records a branch changed since it was issued, from its stored document. */
function changedInBranch(b: any): Set<string> {
  const base = b.branch.base as Record<string, number>;
  const out = new Set<string>();
  const sections = [b.units, b.people, b.customers, b.opportunities, b.plan.targets, b.plan.budgets, b.plan.headcount ?? {}, b.overrides ?? {}, b.kpi_entries ?? {}, b.pools ?? {}];
  for (const s of sections) for (const [id, r] of Object.entries(s as Record<string, any>)) if (base[id] !== r.rev) out.add(id);
  for (const id of Object.keys(b.tombstones ?? {})) if (id in base) out.add(id);
  return out;
}

test("a branch goes down, is worked on in another browser, comes back and is merged after a review; undo takes it back", async ({ page, browser }) => {
  test.setTimeout(180_000);
  // Director's browser.
  await open(page, "/data");
  const data = await storedData(page);
  const east = regionsOf(data)[0];
  const eastName = textIn(east.name, "en");
  const director = rootOf(data).manager;
  await iAm(page, director);
  const sent = await sendBranch(page, east.id);
  expect(sent.name).toMatch(new RegExp(`-${eastName.replace(/ /g, "-")}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
  const file = JSON.parse(fs.readFileSync(sent.file, "utf8"));
  expect(file.scope.kind).toBe("branch");
  // Nothing of another region is in the file.
  for (const other of regionsOf(data).slice(1)) expect(fs.readFileSync(sent.file, "utf8")).not.toContain(other.id);
  await expect(page.locator("[data-testid=log-row][data-action=sent]")).toHaveCount(1);

  // East China's manager, in their own browser.
  const m = await otherBrowser(browser);
  await open(m, "/data");
  await m.getByTestId("import-file").setInputFiles(sent.file);
  await m.getByTestId("open-confirm").click();
  const banner = m.getByTestId("branch-banner");
  await expect(banner).toContainText(eastName);
  await expect(banner).toContainText(textIn(data.people[director].name, "en"));
  await expect(m.getByTestId("given-target")).toBeVisible();
  // Demo data still, but the demo's "start empty / reload" would replace the branch: not offered.
  await expect(m.getByTestId("demo-badge")).toBeVisible();
  await expect(m.getByTestId("demo-bar")).toHaveCount(0);
  // Who opens a branch file is taken to be its manager, and told so.
  await expect(m.getByTestId("notice").filter({ hasText: "the branch's manager" })).toContainText(textIn(data.people[east.manager].name, "en"));
  await goData(m);
  await expect(m.getByTestId("who-am-i")).toHaveValue(east.manager);
  await iAm(m, east.manager);
  await expect(m.getByTestId("unsent")).toContainText("nothing changed");

  // 1. Cascade the region's target to its teams.
  await goto(m, "/targets");
  await expect(trow(m, eastName)).toBeVisible();
  await trow(m, eastName).getByTestId("split").click();
  await m.getByTestId("cascade-method").selectOption("equal");
  await m.getByTestId("cascade-period").selectOption("year");
  await m.getByTestId("cascade-ok").click();
  await expect(m.getByTestId("cascade-panel")).toHaveCount(0);
  // The region's own target is given: marked so, read-only, its lock too
  // (core refuses any edit of it; core/tests/exchange.rs).
  const own = trow(m, eastName).locator("[data-testid=cell][data-period=year]");
  await expect(trow(m, eastName).getByTestId("given-badge")).toBeVisible();
  await expect(own).toHaveAttribute("readonly", "");
  await expect(trow(m, eastName).getByTestId("lock")).toBeDisabled();
  const before = await own.inputValue();
  await own.click();
  await own.press("1");
  await own.press("Enter");
  await expect(own).toHaveValue(before);
  // The workspace settings are the whole workspace's.
  await goData(m);
  await expect(m.getByTestId("settings-read-only")).toBeVisible();
  await expect(m.getByTestId("currency")).toBeDisabled();
  // So are the tiers and their duties.
  await goto(m, "/tiers");
  await expect(m.getByTestId("tiers-read-only")).toBeVisible();
  await expect(m.getByTestId("add-tier")).toBeDisabled();
  await expect(m.getByTestId("tier-edit").first()).toBeDisabled();

  // 2. Win a deal of one of the region's reps.
  const b0 = await storedData(m);
  const deal = (Object.values(b0.opportunities) as any[]).filter((o) => !o.closed).sort((a, b) => (a.id < b.id ? -1 : 1))[0];
  // Any close date: an open deal may close in the next fiscal year.
  await open(m, "/pipeline?period=all");
  // Deal names repeat; with its customer's the search finds this one.
  await typeInto(m.getByTestId("opp-search"), `${deal.name} ${b0.customers[deal.customer].name}`);
  const row = m.locator(`[data-testid=opp-row][data-id="${deal.id}"]`);
  await row.getByTestId("row-stage").selectOption({ label: "Won" });
  await saved(m);

  // 3. Add a rep to a team.
  const team = (Object.values(b0.units) as any[]).filter((u) => u.parent === east.id).sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1))[0];
  await goto(m, "/");
  await tree(m, textIn(team.name, "en")).getByTestId("row-actions").click();
  await tree(m, textIn(team.name, "en")).getByTestId("act-add-person").click();
  await typeInto(m.getByTestId("pf-name-en"), "Newly Hired Rep");
  await m.getByTestId("pf-save").click();
  await expect(m.getByTestId("person-form")).toHaveCount(0);
  await saved(m);

  // Send it back.
  await goData(m);
  await expect(m.getByTestId("unsent")).not.toContainText("nothing changed");
  // In words: the new rep is added; the cascade's lines and the deal are changed.
  await expect(m.getByTestId("unsent")).toContainText(/\b1 added, \d+ changed\b/);
  const back = await download(m, () => m.getByTestId("send-back").click());
  const branch = await storedData(m);
  const expected = changedInBranch(branch);
  const newRep = (Object.values(branch.people) as any[]).find((p) => p.name.en === "Newly Hired Rep");
  expect(expected.has(newRep.id) && expected.has(deal.id)).toBe(true);

  // The director's review lists exactly those changes.
  await goto(page, "/forecast");
  const actual = page.locator(`[data-testid=forecast-row][data-name="${eastName}"]`).getByTestId("f-actual");
  const actualBefore = num(await actual.textContent());
  await mergeFile(page, back.file);
  await expect(page.getByTestId("review-head")).toContainText(eastName);
  await expect(page.getByTestId("review-head")).toContainText(textIn(data.people[east.manager].name, "en"));
  const listed = await page.getByTestId("review-change").evaluateAll((els) => els.map((e) => e.getAttribute("data-id")));
  expect(new Set(listed)).toEqual(expected);
  await expect(page.getByTestId("review-conflict")).toHaveCount(0);
  await expect(page.getByTestId("review-refused")).toHaveCount(0);
  // Signed with the manager's new key: recorded on first use (signed.spec.ts covers it).
  await expect(page.getByTestId("apply-merge")).toBeDisabled();
  await page.getByTestId("trust-key").check();
  await page.getByTestId("apply-merge").click();
  await expect(page.getByTestId("review")).toHaveCount(0);
  await saved(page);
  const merged = await storedData(page);
  expect(merged.opportunities[deal.id].stage).toBe(branch.opportunities[deal.id].stage);
  expect(merged.people[newRep.id].unit).toBe(team.id);
  for (const [id, l] of Object.entries(branch.plan.targets as Record<string, any>)) expect(merged.plan.targets[id].months).toEqual(l.months);
  await expect(page.locator("[data-testid=log-row][data-action=merged]")).toHaveCount(1);
  // East China's forecast counts the won deal.
  await goto(page, "/forecast");
  await expect.poll(async () => num(await actual.textContent())).toBeGreaterThan(actualBefore);

  // One undo step takes the whole merge back.
  await page.getByTestId("undo").click();
  await saved(page);
  const undone = await storedData(page);
  expect(undone.opportunities[deal.id].stage).toBe(data.opportunities[deal.id].stage);
  expect(undone.people[newRep.id]).toBeUndefined();
  await m.context().close();
});

test("a hand-edited file: changes outside the branch are refused and listed, a conflict is decided, and the same file again is nothing new (in Chinese)", async ({ page }) => {
  test.setTimeout(120_000);
  await open(page, "/data");
  const data = await storedData(page);
  const [east, west] = regionsOf(data);
  const company = rootOf(data);
  const sent = await sendBranch(page, east.id);
  const file = JSON.parse(fs.readFileSync(sent.file, "utf8"));
  const d = file.data;
  // The branch changed a deal's amount...
  const deal: any = (Object.values(d.opportunities) as any[]).filter((o) => !o.closed).sort((a, b) => (a.id < b.id ? -1 : 1))[0];
  deal.amount = 123_456_00;
  deal.rev += 1;
  deal.updated_at = new Date(clockStart().getTime() + 3_600_000).toISOString().replace(/\.\d+Z$/, "Z");
  // ...and, by hand, West China's and the company's targets (with the units
  // they need to be read at all: West hung under East, the company above it).
  const lineOf = (owner: string) => Object.values(data.plan.targets as Record<string, any>).find((l) => l.owner === owner && l.kind === "revenue")!;
  const westLine = lineOf(west.id);
  const companyLine = lineOf(company.id);
  for (const l of [westLine, companyLine]) d.plan.targets[l.id] = { ...l, months: Array(12).fill(100), rev: l.rev + 1 };
  d.units[west.id] = { ...west, parent: east.id, manager: null };
  d.units[company.id] = { ...company, manager: null };
  d.units[east.id].parent = company.id;
  for (const [id, b] of Object.entries(data.plan.budgets as Record<string, any>)) if (b.unit === company.id || b.unit === west.id) d.plan.budgets[id] = b;
  delete file.checksum;
  const crafted = test.info().outputPath("crafted.json");
  fs.writeFileSync(crafted, JSON.stringify(file));

  // Meanwhile the director changed the same deal.
  await open(page, "/pipeline?period=all");
  await typeInto(page.getByTestId("opp-search"), `${deal.name} ${data.customers[deal.customer].name}`);
  const amount = page.locator(`[data-testid=opp-row][data-id="${deal.id}"]`).getByTestId("row-amount");
  await typeInto(amount, "777000");
  await amount.press("Enter");
  await saved(page);

  await page.getByTestId("lang-zh").click();
  await mergeFile(page, crafted);
  const refused = await page.getByTestId("review-refused").evaluateAll((els) => els.map((e) => e.getAttribute("data-id")));
  expect(refused).toEqual(expect.arrayContaining([westLine.id, companyLine.id]));
  await expect(page.locator(`[data-testid=review-refused][data-id="${westLine.id}"]`)).toContainText("不在发送人的分支内");
  const conflict = page.locator(`[data-testid=review-conflict][data-id="${deal.id}"]`);
  await expect(conflict.getByTestId("mine-value")).toContainText("777,000.00");
  await expect(conflict.getByTestId("theirs-value")).toContainText("123,456.00");
  await conflict.getByTestId("choose-mine").check();
  // Unsigned: nothing proves who sent it, so the merge asks for a confirmation.
  await expect(page.getByTestId("apply-merge")).toBeDisabled();
  await page.getByTestId("confirm-anyway").check();
  await page.getByTestId("apply-merge").click();
  await expect(page.getByTestId("review")).toHaveCount(0);
  await saved(page);
  let now = await storedData(page);
  expect(now.opportunities[deal.id].amount).toBe(777_000_00);
  expect(now.plan.targets[westLine.id].months).toEqual(westLine.months);
  expect(now.plan.targets[companyLine.id].months).toEqual(companyLine.months);
  expect(now.units[east.id].parent).toBe(company.id);

  // The same file again: nothing new, nothing to apply.
  await mergeFile(page, crafted);
  await expect(page.getByTestId("review-nothing-new")).toContainText("没有新内容");
  await expect(page.getByTestId("apply-merge")).toHaveCount(0);
  await page.getByTestId("cancel-merge").click();

  // Undo, and decide the other way: the file's value is the one kept.
  await page.getByTestId("undo").click();
  await saved(page);
  await mergeFile(page, crafted);
  await page.locator(`[data-testid=review-conflict][data-id="${deal.id}"]`).getByTestId("choose-theirs").check();
  await page.getByTestId("confirm-anyway").check();
  await page.getByTestId("apply-merge").click();
  await saved(page);
  now = await storedData(page);
  expect(now.opportunities[deal.id].amount).toBe(123_456_00);
});
