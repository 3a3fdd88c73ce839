import { test, expect, errorsOf, goto, navLink, open, toEnglish } from "./helpers";

// Leaving a page while what every page reads (the language) changes in the
// same frame, by a link and by the back button: the app stays whole. And
// pages left are really let go. Written for the page teardown deferred
// until after the next paint (components/paged.rs); they hold for any way
// of dropping a page.

test("leaving a page by a link while the language changes leaves the app whole", async ({ page }) => {
  const errors = errorsOf(page);
  await open(page, "/people");
  await toEnglish(page);
  await expect(page.getByTestId("person-row").first()).toBeVisible();
  // People's rows read the language and the page's own lists. The language
  // changes in the frame of the click that leaves: after the route changed
  // (People's own lists gone), before People's remains are dropped.
  await page.evaluate(() => {
    const link = [...document.querySelectorAll<HTMLAnchorElement>("nav.sidebar a")].find((a) => new URL(a.href).pathname === "/tiers")!;
    link.click();
    requestAnimationFrame(() => document.querySelector<HTMLButtonElement>("[data-testid=lang-zh]")!.click());
  });
  await expect(page).toHaveURL(/\/tiers/);
  await expect(page.locator(".page-title").first()).toHaveText("层级与职责");
  await expect(page.getByTestId("person-row")).toHaveCount(0);
  // Still answering: back to English, then to People again.
  await toEnglish(page);
  await goto(page, "/people");
  await expect(page.locator(".page-title").first()).toHaveText("People");
  await expect(page.getByTestId("person-row").first()).toBeVisible();
  expect(errors).toEqual([]);
});

test("leaving a page by the back button while the language changes leaves the app whole", async ({ page }) => {
  const errors = errorsOf(page);
  await open(page, "/tiers");
  await toEnglish(page);
  await goto(page, "/people");
  await expect(page.getByTestId("person-row").first()).toBeVisible();
  // Back to Tiers; the language changes as the browser tells of it, after
  // the app heard and before the page is changed.
  await page.evaluate(() => {
    addEventListener("popstate", () => document.querySelector<HTMLButtonElement>("[data-testid=lang-zh]")!.click(), { once: true });
    history.back();
  });
  await expect(page).toHaveURL(/\/tiers/);
  await expect(page.locator(".page-title").first()).toHaveText("层级与职责");
  await expect(page.getByTestId("person-row")).toHaveCount(0);
  await page.goForward();
  await expect(page.locator(".page-title").first()).toHaveText("人员");
  await expect(page.getByTestId("person-row").first()).toBeVisible();
  expect(errors).toEqual([]);
});

test("pages left are let go: going round the sidebar again keeps as many nodes", async ({ page }) => {
  await open(page, "/");
  const paths = await page.locator("nav.sidebar a").evaluateAll((els) => els.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  expect(paths.length).toBeGreaterThan(10);
  const cdp = await page.context().newCDPSession(page);
  // Every page once, back home, then the nodes alive after a garbage collection.
  const round = async () => {
    for (const path of paths) {
      await navLink(page, path).first().click();
      await expect(page).toHaveURL(new RegExp(`${path === "/" ? "/(\\?.*)?$" : path}`));
      await expect(page.locator("main .page")).toHaveCount(1);
    }
    await navLink(page, "/").first().click();
    await expect(page.getByTestId("tree-row").first()).toBeVisible();
    // What is left of the last page goes once the browser is idle (at most a second).
    await page.waitForTimeout(1500);
    await cdp.send("HeapProfiler.collectGarbage");
    return (await cdp.send("Memory.getDOMCounters")).nodes;
  };
  const first = await round();
  const again = [await round(), await round()];
  // Two more rounds hold no page they left (a page kept alive would add
  // its thousands of nodes each round).
  for (const n of again) expect(n).toBeLessThanOrEqual(first * 1.05 + 100);
});

for (const [path, title] of [["/targets", "Targets"], ["/budget", "Budget"]]) {
  test(`a language switched as ${title} opens shows its rows in that language`, async ({ page }) => {
    const errors = errorsOf(page);
    await open(page, "/people");
    await toEnglish(page);
    // The link, then at once the language (two clicks, as a hurried person makes them).
    const link = await navLink(page, path).first().boundingBox();
    const zh = await page.getByTestId("lang-zh").boundingBox();
    await page.mouse.click(link!.x + 5, link!.y + 5);
    await page.mouse.click(zh!.x + 5, zh!.y + 5);
    await expect(page).toHaveURL(new RegExp(path));
    await expect(page.getByTestId("lang-zh")).toHaveAttribute("aria-pressed", "true");
    // Every unit name drawn is the Chinese one (the demo's units all have one).
    const names = page.locator("main .unit-name");
    await expect(names.first()).toBeVisible();
    await expect.poll(async () => (await names.allTextContents()).filter((n) => !/[\u4e00-\u9fff]/.test(n))).toEqual([]);
    expect(errors).toEqual([]);
  });
}

test("back from a field of the page left puts the focus on the page come back to", async ({ page }) => {
  await open(page, "/people");
  await toEnglish(page);
  await goto(page, "/targets");
  // Into a cell of the matrix, as a person does: a click, then a key.
  const cell = page.getByTestId("cell").first();
  await cell.click();
  await page.keyboard.press("ArrowRight");
  await expect(page.locator("[data-testid=cell]:focus")).toHaveCount(1);
  await page.goBack();
  await expect(page).toHaveURL(/\/people/);
  await expect(page.locator(".page-title").first()).toHaveText("People");
  // The content of People, not the document's top: the next Tab is in it.
  await expect(page.locator("main#main")).toBeFocused();
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => !!document.activeElement?.closest("main"))).toBe(true);
});

test("the sidebar's icons are drawn alike in both languages", async ({ page }) => {
  await open(page, "/");
  await toEnglish(page);
  // Each icon's glyph as drawn (its text's box), not its fixed-width span.
  const glyphs = () =>
    page.locator("nav.sidebar .nav-icon").evaluateAll((els) =>
      els.map((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        const r = range.getBoundingClientRect();
        return `${el.textContent} ${r.width.toFixed(1)}x${r.height.toFixed(1)}`;
      }),
    );
  const en = await glyphs();
  expect(en.length).toBeGreaterThan(10);
  await page.getByTestId("lang-zh").click();
  await expect(page.getByTestId("lang-zh")).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator("nav.sidebar")).toContainText("组织概览");
  expect(await glyphs()).toEqual(en);
});

test("in a narrow window the top bar's tools stay on the screen, in both languages", async ({ page }) => {
  await page.setViewportSize({ width: 560, height: 800 });
  await open(page, "/people");
  for (const lang of ["lang-en", "lang-zh"]) {
    await page.getByTestId(lang).click();
    await expect(page.getByTestId(lang)).toHaveAttribute("aria-pressed", "true");
    for (const id of ["workspace-name", "log-activity", "view-as", "undo", "redo", "lang-zh", "lang-en"]) {
      const box = (await page.getByTestId(id).boundingBox())!;
      expect(box.width, id).toBeGreaterThan(0);
      expect(box.x + box.width, id).toBeLessThanOrEqual(560);
    }
  }
});

test("in a narrow window no page runs off the side: wide tables and the org tree scroll in their own box, in both languages", async ({ page }) => {
  await page.setViewportSize({ width: 560, height: 800 });
  await open(page, "/");
  const paths = await page.locator("nav.sidebar a").evaluateAll((els) => els.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  expect(paths.length).toBeGreaterThan(10);
  // The page's elements, counted until two counts 250 ms apart agree (long lists build their rows over a few tasks).
  const settled = async () => {
    let last = -1;
    for (;;) {
      const n = await page.evaluate(() => document.querySelectorAll("main *").length);
      if (n === last) return;
      last = n;
      await page.waitForTimeout(250);
    }
  };
  for (const lang of ["lang-en", "lang-zh"]) {
    await page.getByTestId(lang).click();
    await expect(page.getByTestId(lang)).toHaveAttribute("aria-pressed", "true");
    for (const path of paths) {
      await goto(page, path);
      await expect.poll(() => page.evaluate(() => location.pathname)).toBe(path);
      await settled();
      const wide = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth }));
      expect(wide.page, `${lang} ${path}`).toBeLessThanOrEqual(wide.window);
    }
  }
  // What is wider than the window is still there to scroll to, in its box.
  await goto(page, "/people");
  const box = page.getByTestId("people-table").locator("xpath=..");
  await expect(box).toHaveClass(/table-scroll/);
  const sizes = await box.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(sizes.scroll).toBeGreaterThan(sizes.client);
});
