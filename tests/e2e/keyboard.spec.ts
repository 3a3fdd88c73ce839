// Keyboard only: the skip link, focus moving into panels and dialogs and
// back to what opened them, and "set the annual target and cascade it all
// the way down" without a mouse. Every step here is a key press.
import type { Page } from "@playwright/test";
import { test, expect, goto, grouped, num, open, saved, storedData, storedOrg, typeInto } from "./helpers";

/** What has the focus: its data-testid and the data-name of the row it is in. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { testid: el?.dataset.testid ?? el?.id ?? "", row: el?.closest<HTMLElement>("[data-name]")?.dataset.name ?? "", period: el?.dataset.period ?? "" };
  });

/** Presses Tab until the focused element matches `selector` (at most `max` presses). */
async function tabTo(page: Page, selector: string, max = 300) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((sel) => !!document.activeElement?.matches(sel), selector)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${selector}`);
}

test("the skip link is the first stop and takes the focus to the page's content", async ({ page }) => {
  await open(page, "/people");
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("skip-link")).toBeFocused();
  await expect(page.getByTestId("skip-link")).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
  // The next stop is inside the content, not back in the sidebar.
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => !!document.activeElement?.closest("main"))).toBe(true);
});

test("a click on a blank part of a row far down, then Tab, goes on from there, not from the top", async ({ page }) => {
  await open(page, "/");
  const rows = page.getByTestId("tree-row");
  const row = rows.nth((await rows.count()) - 2);
  await row.scrollIntoViewIfNeeded();
  const y = await page.evaluate(() => scrollY);
  expect(y).toBeGreaterThan(400);
  // The row's blank middle: no control there.
  const box = (await row.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.45, box.y + 8);
  // The row takes the focus (a row of the tree grid), so the next Tab goes on from it.
  await expect(row).toBeFocused();
  await page.keyboard.press("Tab");
  // The next stop is in the tree, near the click; the page stays where it was.
  const stop = await page.evaluate(() => {
    const r = document.activeElement!.getBoundingClientRect();
    return { inTree: !!document.activeElement!.closest("[data-testid=tree-row]"), top: r.top, bottom: r.bottom };
  });
  expect(stop.inTree).toBe(true);
  expect(stop.top).toBeGreaterThanOrEqual(0);
  expect(stop.bottom).toBeLessThanOrEqual(page.viewportSize()!.height);
  expect(Math.abs((await page.evaluate(() => scrollY)) - y)).toBeLessThan(300);
});

test("keyboard only: set the annual target and cascade it all the way down", async ({ page }) => {
  await open(page, "/targets");
  const rows = page.getByTestId("target-row");
  await expect(rows.first()).toBeVisible();
  const company = (await rows.first().getAttribute("data-name"))!;
  const held = num(await rows.first().getByTestId("children-sum").textContent());
  // A target the children do not hold yet, derived from what they hold now.
  const target = Math.round((held * 1.1) / 1_000_000) * 1_000_000 + 1_000_000;

  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await tabTo(page, `[data-testid=target-row][data-name="${company}"] [data-testid=cell][data-period=year]`);
  // Typing into a cell reached by Tab replaces what it showed.
  await page.keyboard.type(String(target));
  await page.keyboard.press("Enter");
  await expect(rows.first().locator("[data-testid=cell][data-period=year]")).toHaveValue(grouped(target));
  // Enter moves down a row, as in a spreadsheet: the focus stays in the table.
  await expect.poll(() => focused(page)).toMatchObject({ testid: "cell", period: "year" });

  // On to the row's Split button; Enter opens the panel and moves the focus into it.
  await tabTo(page, `[data-testid=target-row][data-name="${company}"] [data-testid=split]`);
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("cascade-panel")).toBeVisible();
  expect(await page.evaluate(() => !!document.activeElement?.closest("[data-testid=cascade-panel]"))).toBe(true);
  await tabTo(page, "[data-testid=cascade-deep]");
  await page.keyboard.press("Space");
  await expect(page.getByTestId("cascade-deep")).toBeChecked();
  await tabTo(page, "[data-testid=cascade-ok]");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("cascade-panel")).toHaveCount(0);
  // The focus goes back to the Split button that opened the panel.
  await expect.poll(() => focused(page)).toMatchObject({ testid: "split", row: company });

  // All the way down: every row with a split below it matches its own target
  // (within its buffer), the company's children hold at least the target.
  expect(num(await rows.first().getByTestId("children-sum").textContent())).toBeGreaterThanOrEqual(target);
  const fits = await page.getByTestId("fit").allTextContents();
  expect(fits.length).toBeGreaterThan(1);
  expect(fits.filter((f) => f !== "Balanced" && f !== "已平衡")).toEqual([]);
});

test("Escape closes a panel or a dialog and the focus returns to what opened it", async ({ page }) => {
  await open(page, "/targets");
  const first = page.getByTestId("target-row").first();
  const name = (await first.getAttribute("data-name"))!;
  // Named for its row, its shown text first (a screen reader's list of
  // buttons tells the rows' Split buttons apart).
  const split = first.getByTestId("split");
  const shown = (await split.textContent())!.trim();
  const label = (await split.getAttribute("aria-label"))!;
  expect(label.startsWith(shown) && label.endsWith(name), `"${label}": "${shown}" and "${name}"`).toBe(true);
  await split.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("cascade-panel")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("cascade-panel")).toHaveCount(0);
  await expect.poll(() => focused(page)).toMatchObject({ testid: "split", row: name });

  await page.goto("/pipeline");
  const opener = page.getByTestId("open-opp").first();
  await opener.focus();
  await page.keyboard.press("Enter");
  const dialog = page.locator("[role=dialog]");
  await expect(dialog).toBeVisible();
  expect(await page.evaluate(() => !!document.activeElement?.closest("[role=dialog]"))).toBe(true);
  // Tab stays inside the open dialog.
  for (let i = 0; i < 40; i++) await page.keyboard.press("Tab");
  expect(await page.evaluate(() => !!document.activeElement?.closest("[role=dialog]"))).toBe(true);
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();
});

test("a dialog saved with Enter gives the focus back to its opener's row, drawn anew with the new name; a customer's too", async ({ page }) => {
  await open(page, "/people");
  const row = page.getByTestId("person-row").nth(2);
  const id = (await row.getAttribute("data-id"))!;
  await row.focus();
  await page.keyboard.press("Enter");
  // The name in the reader's language comes first, and has the focus.
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toMatch(/^pf-name-(zh|en)$/);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("Renamed By Keyboard");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("person-form")).toHaveCount(0);
  const again = page.locator(`[data-testid=person-row][data-id="${id}"]`);
  await expect(again.locator("td").first()).toContainText("Renamed By Keyboard");
  await expect(again).toBeFocused();

  // A customer's row opens its dialog with Enter too, and it stays open
  // (the Enter that opened it does not also submit it).
  await goto(page, "/customers");
  const customer = page.getByTestId("customer-row").first();
  await customer.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("customer-form")).toBeVisible();
  expect(await page.evaluate(() => !!document.activeElement?.closest("[role=dialog]"))).toBe(true);
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("customer-form")).toHaveCount(0);
  await expect(customer).toBeFocused();
  // Enter in its name field saves it, as in the other dialogs.
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("customer-name")).toBeFocused();
  await page.keyboard.press("ControlOrMeta+a");
  const customerId = (await customer.getAttribute("data-id"))!;
  await page.keyboard.type("Saved By Enter Ltd.");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("customer-form")).toHaveCount(0);
  await saved(page);
  // The focus is back on the customer's row, drawn anew, when the sort
  // keeps it on this page; else in the page's search box.
  const customerRow = page.locator(`[data-testid=customer-row][data-id="${customerId}"]`);
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? "")).not.toBe("");
  if (await customerRow.count()) await expect(customerRow).toBeFocused();
  else await expect(page.getByTestId("customer-search")).toBeFocused();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const customers = Object.values((await storedData(page)).customers as Record<string, any>);
  expect(customers.filter((c) => c.name === "Saved By Enter Ltd.")).toHaveLength(1);
});

test("a row opens on Space as on Enter; a person renamed out of the search leaves the focus in the search box", async ({ page }) => {
  await open(page, "/customers");
  const customer = page.getByTestId("customer-row").first();
  await customer.focus();
  const top = await page.evaluate(() => scrollY);
  await page.keyboard.press(" ");
  await expect(page.getByTestId("customer-form")).toBeVisible();
  // Space opened the row; it did not scroll the page.
  expect(await page.evaluate(() => scrollY)).toBe(top);
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("customer-form")).toHaveCount(0);
  await expect(customer).toBeFocused();

  // Search for one person by their whole name, open them with Space and
  // rename them to a name the search does not match: their row leaves the
  // list, and the focus stays in the page, in the search that hid them.
  await goto(page, "/people");
  const id = (await page.getByTestId("person-row").nth(2).getAttribute("data-id"))!;
  const org = await storedOrg(page);
  const name = org.name(org.data.people[id]);
  await typeInto(page.getByTestId("people-search"), name);
  const row = page.locator(`[data-testid=person-row][data-id="${id}"]`);
  await expect(row).toBeVisible();
  await page.keyboard.press("Tab");
  await tabTo(page, `[data-testid=person-row][data-id="${id}"]`);
  await page.keyboard.press(" ");
  await expect(page.getByTestId("person-form")).toBeVisible();
  // The search reaches the address once typing pauses, most often while
  // the person is open (the row was focused before): still the same page.
  await expect(page).toHaveURL(/[?&]q=/);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("Zz Renamed Away");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("person-form")).toHaveCount(0);
  await expect(row).toHaveCount(0);
  await expect(page.getByTestId("people-search")).toBeFocused();
  await expect(page.getByTestId("people-search")).toHaveValue(name);
  // Searched for, they are listed under their new name.
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("Zz Renamed");
  await expect(row.locator("td").first()).toContainText("Zz Renamed Away");
});

test("folding a unit and opening a grade's explanation with the keyboard keep the focus on the button pressed", async ({ page }) => {
  await open(page, "/");
  const region = page.getByTestId("tree-row").nth(1);
  const name = (await region.getAttribute("data-name"))!;
  const rowsBefore = await page.getByTestId("tree-row").count();
  // Tab into the tree, ↓ to the region, Tab to its fold button, as a keyboard user does.
  await page.getByTestId("skip-link").focus();
  await tabTo(page, "[data-testid=tree-row]");
  await page.keyboard.press("ArrowDown");
  await expect(region).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(region.locator(".twisty")).toBeFocused();
  // Named for the unit it folds, not for the whole tree.
  const twisty = region.locator(".twisty");
  await expect(twisty).toHaveAccessibleName(`Collapse ${name}`);
  await page.keyboard.press("Enter");
  await expect(region).toHaveAttribute("aria-expanded", "false");
  await expect(twisty).toHaveAccessibleName(`Expand ${name}`);
  await expect.poll(() => page.getByTestId("tree-row").count()).toBeLessThan(rowsBefore);
  // Still on the same button: Enter again unfolds it.
  expect(await page.evaluate((n) => !!document.activeElement?.closest(`[data-name="${n}"]`)?.matches("[data-testid=tree-row]") && document.activeElement!.classList.contains("twisty"), name)).toBe(true);
  await page.keyboard.press("Enter");
  await expect(region).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByTestId("tree-row")).toHaveCount(rowsBefore);

  await page.goto("/grades");
  await page.getByTestId("explain").first().waitFor();
  await tabTo(page, "[data-testid=explain]");
  const row = (await focused(page)).row;
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("explanation")).toHaveCount(1);
  await expect.poll(() => focused(page)).toMatchObject({ testid: "explain", row });
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("explanation")).toHaveCount(0);
  await expect.poll(() => focused(page)).toMatchObject({ testid: "explain", row });
});

/**
 * The org tree is a tree grid (the ARIA pattern): one Tab stop, walked with
 * the arrow keys: ↓ / ↑ the next or previous row, → unfolds then goes in,
 * ← folds then goes up, Home / End; Tab goes on to the row's own buttons,
 * then out of the tree, and Shift+Tab comes back to the row last visited.
 * Its cells are read under the column heads.
 */
test("the org tree is walked with the arrow keys and keeps one Tab stop", async ({ page }) => {
  await open(page, "/");
  const org = await storedOrg(page);
  const root = org.root();
  const region = org.children(root.id).find((r) => org.children(r.id).length > 0);
  const team = org.children(region.id)[0];
  const row = (u: any) => page.locator(`[data-testid=tree-row][data-unit="${u.id}"]`);
  const grid = page.getByRole("treegrid", { name: "Units" });
  await expect(grid.getByRole("columnheader")).toHaveText(["Unit", "Manager", "Direct", "Headcount", "Vacancies", "Actions"]);
  await page.getByTestId("skip-link").focus();
  await tabTo(page, "[data-testid=tree-row]");
  // The first row: level 1, its head count a cell of it.
  await expect(row(root)).toBeFocused();
  await expect(row(root)).toHaveAttribute("aria-level", "1");
  await expect(row(root).getByRole("gridcell").filter({ hasText: new RegExp(`^${org.headcount(root.id)}$`) }).first()).toBeVisible();
  await expect(row(root).getByRole("rowheader")).toContainText(org.name(root));
  // Only one row takes Tab.
  await expect(page.locator("[data-testid=tree-row][tabindex='0']")).toHaveCount(1);

  // Down to the region (the rows in between, if any, one key each).
  const rows = page.getByTestId("tree-row");
  const at = await rows.evaluateAll((els, id) => els.findIndex((e) => e.getAttribute("data-unit") === id), region.id);
  for (let i = 0; i < at; i++) await page.keyboard.press("ArrowDown");
  await expect(row(region)).toBeFocused();
  await expect(row(region)).toHaveAttribute("aria-level", "2");
  // ← folds it, and the page did not scroll for the key.
  const y = await page.evaluate(() => scrollY);
  await page.keyboard.press("ArrowLeft");
  await expect(row(region)).toHaveAttribute("aria-expanded", "false");
  await expect(row(team)).toHaveCount(0);
  expect(await page.evaluate(() => scrollY)).toBe(y);
  // ← again goes up to the root; → on the root (open) goes in, to its first unit.
  await page.keyboard.press("ArrowLeft");
  await expect(row(root)).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(row(org.children(root.id)[0])).toBeFocused();
  // Back to the region: → unfolds it, → again goes to its first team.
  await row(region).focus();
  await page.keyboard.press("ArrowRight");
  await expect(row(region)).toHaveAttribute("aria-expanded", "true");
  await page.keyboard.press("ArrowRight");
  await expect(row(team)).toBeFocused();
  await expect(row(team)).toHaveAttribute("aria-level", "3");
  await page.keyboard.press("ArrowUp");
  await expect(row(region)).toBeFocused();
  // End and Home.
  await page.keyboard.press("End");
  await expect(rows.last()).toBeFocused();
  await page.keyboard.press("Home");
  await expect(row(root)).toBeFocused();

  // Tab leaves for the row's own buttons; Shift+Tab back lands on the row last visited.
  await page.keyboard.press("ArrowDown");
  const second = rows.nth(1);
  await expect(second).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(second).not.toBeFocused();
  expect(await second.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  await page.keyboard.press("Shift+Tab");
  await expect(second).toBeFocused();
  await expect(page.locator("[data-testid=tree-row][tabindex='0']")).toHaveCount(1);
  // Only that row's buttons come next, then Tab leaves the tree: not a stop
  // per button of every row (the demo has over a hundred).
  const own = await second.locator("button:not([tabindex='-1'])").count();
  expect(own).toBeGreaterThan(0);
  let presses = 0;
  for (; presses <= own; presses++) {
    await page.keyboard.press("Tab");
    if (!(await second.evaluate((el) => el.contains(document.activeElement)))) break;
  }
  expect(presses).toBe(own);
  expect(await page.evaluate(() => !!document.activeElement?.closest("[data-testid=org-tree]"))).toBe(false);
  // Shift+Tab comes back to the last of the row's buttons.
  await page.keyboard.press("Shift+Tab");
  await expect(second.locator("button:not([tabindex='-1'])").last()).toBeFocused();
  // A click on another row's ⋯ makes that row the Tab stop.
  await rows.nth(2).getByTestId("row-actions").click();
  await expect(rows.nth(2)).toHaveAttribute("tabindex", "0");
  await expect(page.locator("[data-testid=tree-row][tabindex='0']")).toHaveCount(1);
  await page.keyboard.press("Escape");
  await expect(rows.nth(2).getByTestId("row-actions")).toBeFocused();
  // Arrow keys in the row's ⋯ panel are the panel's, not the tree's.
  await second.getByTestId("row-actions").click();
  await second.getByTestId("act-rename").click();
  await page.getByTestId("panel-name-en").click();
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByTestId("panel-name-en")).toBeFocused();
});


/** A unit deleted from its own ⋯ panel leaves the focus in the tree, on the unit it was under: Tab does not fall out of the tree. */
test("deleting the unit whose panel has the focus leaves the focus on the unit it was under", async ({ page }) => {
  await open(page, "/");
  const rows = page.getByTestId("tree-row");
  const count = await rows.count();
  const parent = rows.nth(1);
  await parent.getByTestId("row-actions").click();
  await parent.getByTestId("act-add-unit").click();
  await page.getByTestId("panel-name-en").click();
  await page.keyboard.type("Short-lived unit");
  await page.keyboard.press("Enter");
  const added = page.locator('[data-testid=tree-row][data-name="Short-lived unit"]');
  await expect(added).toHaveCount(1);
  // The unit just added has the focus (its row, the tree's Tab stop).
  await expect(added).toBeFocused();
  await expect(added).toHaveAttribute("tabindex", "0");
  await added.getByTestId("row-actions").press("Enter");
  await page.getByTestId("act-delete").focus();
  await page.keyboard.press("Enter");
  await expect(added).toHaveCount(0);
  await expect(rows).toHaveCount(count);
  await expect(parent).toBeFocused();
  await expect(parent).toHaveAttribute("tabindex", "0");
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => !!document.activeElement?.closest("[data-testid=org-tree]"))).toBe(true);
});

/** A row the list moves (a sibling moved back by undo) keeps the focus, and the arrow keys go on from it. */
test("the focused tree row keeps the focus when an undo moves a sibling back past it", async ({ page }) => {
  await open(page, "/");
  const org = await storedOrg(page);
  const regions = org.children(org.root().id).filter((r) => org.children(r.id).length > 1);
  const [first, second] = org.children(regions[0].id);
  const elsewhere = org.children(org.root().id).find((r) => r.id !== regions[0].id && org.children(r.id).length > 0);
  const row = (u: any) => page.locator(`[data-testid=tree-row][data-unit="${u.id}"]`);
  await row(first).getByTestId("row-actions").click();
  await row(first).getByTestId("act-move").click();
  await page.getByTestId("panel-target").selectOption(elsewhere.id);
  await page.getByTestId("panel-ok").click();
  await expect.poll(async () => (await storedOrg(page)).unit(first.id).parent).toBe(elsewhere.id);
  await row(second).locator(".unit-name").click();
  await expect(row(second)).toBeFocused();
  await page.keyboard.press("ControlOrMeta+z");
  await expect.poll(async () => (await storedOrg(page)).unit(first.id).parent).toBe(regions[0].id);
  await expect(row(second)).toBeFocused();
  await page.keyboard.press("ArrowUp");
  expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("tree-row");
});

/** A row rebuilt while it has the focus (here an undo of its rename) keeps the focus, and the arrow keys go on from it. */
test("the focused tree row keeps the focus when an undo rebuilds it", async ({ page }) => {
  await open(page, "/");
  const rows = page.getByTestId("tree-row");
  const unit = (await rows.nth(1).getAttribute("data-unit"))!;
  const row = page.locator(`[data-testid=tree-row][data-unit="${unit}"]`);
  const before = (await row.getAttribute("data-name"))!;
  await row.getByTestId("row-actions").click();
  await row.getByTestId("act-rename").click();
  await page.getByTestId("panel-name-en").click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("Renamed for undo");
  await page.keyboard.press("Enter");
  await expect(row).toHaveAttribute("data-name", "Renamed for undo");
  await row.focus();
  await page.keyboard.press("ControlOrMeta+z");
  await expect(row).toHaveAttribute("data-name", before);
  await expect(row).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(rows.nth(2)).toBeFocused();
});
