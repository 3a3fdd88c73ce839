// Long tables (`table.long` in style/main.css: forecast, scorecards, the
// payouts summary, capacity, targets, budget): each row is drawn as a grid
// of the table's named columns, and rows out of view are skipped. What a
// reader must still get: every cell under its heading, every figure whole
// inside its cell, in both languages, rows further down drawn when they
// come into view, and a table (rows, cells, headings) for assistive
// technology, with all its rows.
import type { Locator, Page } from "@playwright/test";
import { test, expect, fiscalNow, open, storedData } from "./helpers";

const LONG: [string, string, string][] = [
  ["/forecast", "[data-testid=forecast-table]", "forecast-row"],
  ["/scorecards", "[data-testid=score-table]", "score-row"],
  ["/payouts", "[data-testid=pay-summary] table", "summary-row"],
  ["/capacity", "[data-testid=capacity-table]", "capacity-row"],
  ["/targets", "[data-testid=target-matrix]", "target-row"],
  ["/budget", "[data-testid=budget-matrix]", "budget-row"],
];

/**
 * What Chromium's accessibility tree makes of a table: its role, how many
 * rows it has, and how many cells the last row has (by role; ignored nodes
 * are not counted).
 */
async function axTable(page: Page, selector: string): Promise<{ role: string; rows: number; lastCells: number }> {
  const cdp = await page.context().newCDPSession(page);
  const object = async (expr: string) => (await cdp.send("Runtime.evaluate", { expression: expr })).result.objectId!;
  const table = await object(`document.querySelector(${JSON.stringify(selector)})`);
  const last = await object(`[...document.querySelectorAll(${JSON.stringify(selector + " tbody tr")})].pop()`);
  const { nodes } = await cdp.send("Accessibility.getPartialAXTree", { objectId: table, fetchRelatives: false });
  const rows = (await cdp.send("Accessibility.queryAXTree", { objectId: table, role: "row" })).nodes.length;
  const lastCells = (await cdp.send("Accessibility.queryAXTree", { objectId: last, role: "cell" })).nodes.length;
  await cdp.detach();
  return { role: String(nodes[0]?.role?.value), rows, lastCells };
}

/** Cells of the given rows that are not under their heading, or whose text spills out. */
async function misfits(table: Locator, rows: Locator): Promise<string[]> {
  const heads = await table.locator("thead th").evaluateAll((ths) => ths.map((th) => { const b = th.getBoundingClientRect(); return [b.left, b.width]; }));
  return rows.evaluateAll((trs, heads) => {
    const out: string[] = [];
    for (const tr of trs) {
      const name = tr.getAttribute("data-name");
      [...tr.children].forEach((td, i) => {
        const b = td.getBoundingClientRect();
        if (Math.abs(b.left - heads[i][0]) > 1 || Math.abs(b.width - heads[i][1]) > 1) out.push(`${name}: cell ${i} at ${b.left}+${b.width}, its heading at ${heads[i]}`);
        if (td.scrollWidth > td.clientWidth + 1) out.push(`${name}: cell ${i} "${td.textContent}" spills out (${td.scrollWidth} > ${td.clientWidth})`);
      });
    }
    return out;
  }, heads);
}

test("long tables: each cell under its heading and each figure whole, in both languages; rows further down drawn in view; still a table", async ({ page }) => {
  for (const lang of ["en", "zh"] as const) {
    for (const [path, selector, row] of LONG) {
      await open(page, path);
      if (lang === "zh") await page.getByTestId("lang-zh").click();
      else if (await page.getByTestId("lang-en").getAttribute("aria-pressed") !== "true") await page.getByTestId("lang-en").click();
      const table = page.locator(selector);
      const rows = table.getByTestId(row);
      await expect(rows.first()).toBeVisible();
      await table.scrollIntoViewIfNeeded();
      expect(await misfits(table, rows.first()), `${path} ${lang}, first row`).toEqual([]);
      // Every heading whole in its column ("全年实际（赢单）" was cut).
      const cut = await table.locator("thead th").evaluateAll((ths) => ths.filter((th) => th.scrollWidth > th.clientWidth + 1).map((th) => `"${th.textContent}" ${th.scrollWidth} > ${th.clientWidth}`));
      expect(cut, `${path} ${lang}, headings`).toEqual([]);
      // The last row, once scrolled to, is drawn and lines up too.
      const last = rows.last();
      await last.scrollIntoViewIfNeeded();
      await expect(last).toBeInViewport();
      // innerText is "" while a row is skipped: drawn within a frame or two of coming into view.
      await expect.poll(async () => (await last.innerText()).trim(), { message: `${path} ${lang}, last row drawn`, timeout: 2000 }).not.toBe("");
      expect(await misfits(table, last), `${path} ${lang}, last row`).toEqual([]);
      // A table in its own scrolling box keeps its headings in sight.
      const BOX = ".matrix-card, .table-scroll.tall";
      if (await table.evaluate((t, box) => t.closest(box) !== null, BOX)) {
        const [head, box] = await table.evaluate((t, box) => [t.querySelector("thead")!.getBoundingClientRect().top, t.closest(box)!.getBoundingClientRect().top], BOX);
        expect(Math.abs(head - box), `${path} ${lang}: headings at the top of the box`).toBeLessThanOrEqual(2);
      }
      // Assistive technology still reads a table (Chromium's own tree) with
      // every row in it, and the cells of a row in view. (The cells of a row
      // far out of view are left out of the tree until it comes near.)
      const domRows = await table.locator("tr").count();
      const cells = await last.locator("td").count();
      await expect.poll(() => axTable(page, selector), { message: `${path} ${lang}`, timeout: 3000 }).toEqual({ role: "table", rows: domRows, lastCells: cells });
    }
  }
});

test("scorecards after a period switch: rows sorted by score, and a click opens the person its row shows", async ({ page }) => {
  await open(page, "/scorecards");
  const rows = page.getByTestId("score-row");
  await expect(rows.first()).toBeVisible();
  for (const period of ["q1", "year", "q2"]) {
    await page.getByTestId("score-period").selectOption(period);
    await expect(page).toHaveURL(new RegExp(`period=${period}`));
    // Every row's score (textContent: rows out of view are not drawn), highest first, no score last.
    // The rows on screen are redrawn at once, those further down over the next frames.
    const scores = () => rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector("[data-testid=score]")!.textContent!.trim()));
    const sorted = (scores: string[]) => {
      const n = scores.map((x) => (x === "—" ? -Infinity : Number(x.replace(/,/g, ""))));
      return n.length > 10 && n.every((x, i) => i === 0 || n[i - 1] >= x);
    };
    await expect.poll(async () => sorted(await scores()), { message: `${period}: every row's score, highest first` }).toBe(true);
    // A row further down, and the last (redrawn after the first frame),
    // open the card of the person they name, with the score they show.
    for (const row of [rows.nth(7), rows.last()]) {
      const name = (await row.getAttribute("data-name"))!;
      const score = (await row.getByTestId("score").textContent())!.trim();
      await row.getByRole("button").click();
      const dialog = page.getByRole("dialog");
      await expect(dialog).toHaveAttribute("aria-label", name);
      await expect(dialog.locator(".kpi-line strong")).toContainText(score);
      await dialog.press("Escape");
      await expect(dialog).toHaveCount(0);
    }
  }
});

test("forecast with its people: after each period switch the company's actual, and the sum of its people's, are the stored won deals'", async ({ page }) => {
  await open(page, "/forecast");
  // Each won deal is a present person's: its amount is in one person row.
  const data = await storedData(page);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const won = new Set(Object.values(data.stages as Record<string, any>).filter((st) => st.outcome === "won").map((st) => st.id));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const deals = Object.values(data.opportunities as Record<string, any>).filter((o) => won.has(o.stage));
  expect(deals.filter((o) => !data.people[o.owner] || data.people[o.owner].status === "left")).toEqual([]);
  // The won amount closed in a fiscal period ([start, end) days), in whole units as shown.
  const fy = await fiscalNow(page, data.settings.fiscal_year_start_month);
  const month = (k: number) => new Date(Date.UTC(fy.year, data.settings.fiscal_year_start_month - 1 + k, 1)).toISOString().slice(0, 10);
  const bounds: Record<string, [string, string]> = { year: [month(0), month(12)], q1: [month(0), month(3)], q3: [month(6), month(9)] };
  const wonIn = ([from, to]: [string, string]) => Math.round(deals.filter((o) => o.close_date >= from && o.close_date < to).reduce((a, o) => a + o.amount, 0) / 100);
  await page.getByTestId("show-people").check();
  const rows = page.getByTestId("forecast-row");
  // More rows than those redrawn at once (the rest follow after the first paint).
  await expect.poll(() => rows.count()).toBeGreaterThan(70);
  // The top row's actual, and the sum of every person row's.
  const actuals = () =>
    rows.evaluateAll((trs) => {
      const actual = (tr: Element) => Number(tr.querySelector("[data-testid=f-actual]")!.textContent!.replace(/,/g, "") || "0");
      return { company: actual(trs[0]), people: trs.filter((tr) => tr.classList.contains("person-row")).reduce((a, tr) => a + actual(tr), 0) };
    });
  for (const period of ["q1", "year", "q3"]) {
    await page.getByTestId("forecast-period").selectOption(period);
    await expect(page).toHaveURL(new RegExp(`period=${period}`));
    const want = wonIn(bounds[period]);
    await expect.poll(actuals, { message: `${period}: the stored won deals make ${want}` }).toEqual({ company: want, people: want });
  }
});

test("on paper the long tables are tables that fit the page, every row drawn", async ({ page }) => {
  // (Payouts prints a person's statement, not the summary.)
  for (const [path, selector, row] of LONG.filter(([path]) => path !== "/payouts")) {
    await page.setViewportSize({ width: 1280, height: 720 });
    await open(page, path);
    await expect(page.locator(selector).getByTestId(row).first()).toBeVisible();
    // An A4 page is about 794 CSS px wide. (Less tall: a box the table
    // scrolls in on screen, 72 % of that height, is smaller than the table.)
    await page.setViewportSize({ width: 794, height: 500 });
    await page.emulateMedia({ media: "print" });
    const table = page.locator(selector);
    const [display, right, edge, rows, blank, hidden] = await table.evaluate((t) => {
      const rows = [...t.querySelectorAll("tbody tr")];
      // A box the table scrolls in on screen must not cut it on paper.
      const box = t.closest(".table-scroll, .table-wrap, .matrix-card");
      return [
        getComputedStyle(t).display,
        t.getBoundingClientRect().right,
        document.documentElement.clientWidth,
        rows.length,
        rows.filter((r) => getComputedStyle(r).contentVisibility !== "visible").length,
        box ? box.scrollHeight - box.clientHeight : 0,
      ];
    });
    expect(hidden, `${path}: px of the table hidden in its box on paper`).toBeLessThanOrEqual(1);
    // The page says what it is on paper too.
    await expect(page.locator("h2.page-title"), path).toBeVisible();
    expect(display, path).toBe("table");
    expect(right, `${path}: the table's right edge within the page`).toBeLessThanOrEqual(edge);
    expect(rows, path).toBeGreaterThan(3);
    expect(blank, `${path}: rows that could be skipped on paper`).toBe(0);
    await page.emulateMedia({ media: "screen" });
  }
});

test("Shift+Tab back up the forecast's buttons never leaves the focused one under the stuck headings", async ({ page }) => {
  await open(page, "/forecast");
  await page.getByTestId("show-people").click();
  const buttons = page.locator("[data-testid=forecast-table] [data-testid=override]");
  await expect(buttons.nth(40)).toBeAttached();
  await buttons.nth(40).focus();
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press("Shift+Tab");
    const [top, bottom, headBottom, name] = await page.evaluate(() => {
      const el = document.activeElement!;
      const r = el.getBoundingClientRect();
      const head = el.closest("table")?.querySelector("thead")?.getBoundingClientRect();
      return [r.top, r.bottom, head ? head.bottom : -Infinity, el.closest("tr")?.getAttribute("data-name") ?? el.textContent];
    });
    if (headBottom === -Infinity) break; // left the table
    expect(top, `press ${i + 1}: ${name} at ${top}-${bottom}, headings end at ${headBottom}`).toBeGreaterThanOrEqual(headBottom - 1);
  }
});
