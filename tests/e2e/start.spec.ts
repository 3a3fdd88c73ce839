// The start shows the last screen at once (index.html's
// salesTiersSnapshot): a copy the app kept of the screen, shown while the
// wasm loads, only when it is a copy of exactly what is stored, never
// usable, and replaced by the app as it mounts. The wasm is held at the
// network to look at the page before the app is up (the offline worker is
// kept out: it would answer from its cache).
import type { Page } from "@playwright/test";
import { test, expect, fillStore, freeStore, goData, goto, open, rename, saved } from "./helpers";

test.use({ serviceWorkers: "block" });

const CACHE = "sales-tiers-snapshot";

/** The copies kept, by address, with their markup. */
async function copies(page: Page): Promise<Record<string, string>> {
  return page.evaluate(async (name) => {
    const cache = await caches.open(name);
    const out: Record<string, string> = {};
    for (const req of await cache.keys()) {
      const u = new URL(req.url);
      out[u.pathname + u.search] = await (await cache.match(req))!.text();
    }
    return out;
  }, CACHE);
}

/** The stored states the copies kept were taken of. */
async function states(page: Page): Promise<string[]> {
  return page.evaluate(async (name) => {
    const cache = await caches.open(name);
    return Promise.all((await cache.keys()).map(async (req) => (await cache.match(req))!.headers.get("x-state")!));
  }, CACHE);
}

/** How many times the app has asked to keep the screen. */
const saves = (page: Page) => page.evaluate(() => (window as any).salesTiersSnapshot.saves as number);

/**
 * Runs the page's clock past the moment the app keeps a settled screen,
 * and waits for what that started; whether a copy was kept.
 */
async function settle(page: Page): Promise<boolean> {
  await page.clock.runFor(5000);
  return page.evaluate(() => (window as any).salesTiersSnapshot.last as Promise<boolean>);
}

/** Holds every wasm request until the returned function is called. */
async function holdWasm(page: Page): Promise<() => Promise<void>> {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(/\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  // Left in place: once released it lets every request through.
  return async () => release();
}

/** Reloads with the wasm held; whether the page showed a copy. */
async function reloadHeld(page: Page): Promise<{ shown: boolean; release: () => Promise<void> }> {
  const release = await holdWasm(page);
  await page.reload({ waitUntil: "domcontentloaded" });
  const shown = await page.evaluate(() => (window as any).salesTiersSnapshot.shown as Promise<boolean>);
  return { shown, release };
}

test("the next start shows the last screen at once; it cannot be used, and the app takes its place", async ({ page }) => {
  await open(page);
  await goData(page);
  await rename(page, "Shown before the app");
  await saved(page);
  await goto(page, "/");
  await expect(page.getByTestId("undo")).toBeEnabled();
  const firstUnit = (await page.getByTestId("tree-row").first().getAttribute("data-name"))!;
  // A row's ⋯ panel left open belongs to that moment, not to the page.
  await page.getByTestId("tree-row").first().getByTestId("row-actions").click();
  await expect(page.getByTestId("row-panel")).toBeVisible();
  expect(await settle(page)).toBe(true);
  expect(Object.keys(await copies(page))).toEqual(["/"]);

  const title = await page.title();
  expect(title).toBe("Sales Tiers · 销售分级管理");
  const { shown, release } = await reloadHeld(page);
  expect(shown).toBe(true);
  const copy = page.locator("#snapshot");
  await expect(copy).toContainText("Shown before the app");
  // The tab says what it said (the page's own title is the Chinese-first one).
  expect(await page.title()).toBe(title);
  await expect(copy).toContainText(firstUnit);
  // The app is not up: the copy is all there is, and it cannot be used.
  await expect(page.getByTestId("workspace-name")).toHaveCount(0);
  expect(await copy.evaluate((e) => [(e as HTMLElement).inert, e.getAttribute("aria-hidden"), e.querySelectorAll("[id], [data-testid]").length])).toEqual([
    true,
    "true",
    0,
  ]);
  // The rename can be undone in this visit, not in the next: Undo starts disabled.
  await expect(copy.locator("button", { hasText: "Undo" })).toBeDisabled();
  await expect(copy.locator(".row-panel")).toHaveCount(0);
  // Screen readers still hear that the workspace is opening.
  await expect(page.getByRole("status")).toContainText("Opening your workspace");
  // A click on the copy's People link, then a key: nothing happens.
  const link = await copy.locator("nav.sidebar a[href^='/people']").boundingBox();
  expect(link).not.toBeNull();
  await page.mouse.click(link!.x + link!.width / 2, link!.y + link!.height / 2);
  await page.keyboard.press("Enter");

  await release();
  await expect(page.getByTestId("workspace-name")).toHaveText("Shown before the app");
  await expect(page.locator("#snapshot, #splash")).toHaveCount(0);
  await expect(page.locator("body > .shell")).toHaveCount(1);
  expect(new URL(page.url()).pathname).toBe("/");
  // The app works: the People link it rendered does go there.
  await goto(page, "/people");
  await expect(page).toHaveURL(/\/people/);
});

test("a copy of anything but what is stored now is never shown, and is dropped", async ({ page }) => {
  await open(page);
  const changes: [string, () => Promise<unknown>][] = [
    // A setting changed elsewhere (this page hears nothing of its own write).
    ["the language", () => page.evaluate(() => localStorage.setItem("sales-tiers:ui-lang", JSON.stringify("zh-CN")))],
    // A stored chunk's replica lost (the app repairs it from its twin).
    ["a key", () => page.evaluate(() => localStorage.removeItem(Object.keys(localStorage).find((k) => k.startsWith("sales-tiers:b:"))!))],
    // The day the copy was taken has passed.
    ["the day", async () => page.clock.setSystemTime((await page.evaluate(() => Date.now())) + 24 * 3600 * 1000)],
  ];
  for (const [what, change] of changes) {
    await test.step(what, async () => {
      await expect(page.getByTestId("workspace-name")).toBeVisible();
      expect(await settle(page)).toBe(true);
      expect(Object.keys(await copies(page))).toEqual(["/"]);
      await change();
      const { shown, release } = await reloadHeld(page);
      expect(shown).toBe(false);
      await expect(page.locator("#snapshot")).toHaveCount(0);
      await expect(page.locator("#splash")).toBeVisible();
      expect(await copies(page)).toEqual({});
      await release();
      await expect(page.getByTestId("workspace-name")).toBeVisible();
    });
  }
  // The language really changed: the app and the next copy are in Chinese.
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  expect(await settle(page)).toBe(true);
  const { shown, release } = await reloadHeld(page);
  expect(shown).toBe(true);
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await release();
});

test("an edit only in memory (a full store) is never kept as the next start's screen", async ({ page }) => {
  await open(page);
  await goData(page);
  expect(await settle(page)).toBe(true);
  const junk = await fillStore(page, "other-app-", [262144, 16384, 1024, 64]);
  const asked = await saves(page);
  const input = page.getByTestId("ws-name");
  await input.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("Made while full");
  await input.press("Enter");
  await expect(page.getByTestId("save-state")).toHaveClass(/failed/);
  await expect(page.getByTestId("workspace-name")).toHaveText("Made while full");
  await settle(page);
  // Nothing was asked, and what is kept is the stored screen.
  expect(await saves(page)).toBe(asked);
  for (const html of Object.values(await copies(page))) expect(html).not.toContain("Made while full");

  // Once it is stored, the screen with it is kept.
  await freeStore(page, "other-app-", junk);
  await page.getByTestId("retry-save").click();
  await saved(page);
  expect(await settle(page)).toBe(true);
  expect((await copies(page))["/data"]).toContain("Made while full");
});

/** The tab hidden (another tab in front, or the first step of a reload or a close), then shown again. */
async function hideAndShow(page: Page) {
  await page.evaluate(() => {
    const to = (v: string) => {
      Object.defineProperty(document, "visibilityState", { value: v, configurable: true });
      document.dispatchEvent(new Event("visibilitychange", { bubbles: true }));
    };
    to("hidden");
    to("visible");
  });
}

test("hiding the tab keeps the screen only when it changed since the last copy", async ({ page }) => {
  await open(page, "/data");
  expect(await settle(page)).toBe(true);
  const asked = await saves(page);
  // Nothing changed: hiding asks for nothing (a reload does not wait for a capture).
  await hideAndShow(page);
  expect(await saves(page)).toBe(asked);
  // An edit, and the tab hidden before the screen settled: kept at once, with the edit.
  await rename(page, "Hidden right after");
  await saved(page);
  await hideAndShow(page);
  expect(await saves(page)).toBe(asked + 1);
  expect(await page.evaluate(() => (window as any).salesTiersSnapshot.last)).toBe(true);
  expect((await copies(page))["/data"]).toContain("Hidden right after");
  // The settled moment that edit started finds the screen kept already.
  await settle(page);
  expect(await saves(page)).toBe(asked + 1);
  await hideAndShow(page);
  expect(await saves(page)).toBe(asked + 1);
});

test("a reload while scrolled down opens at the top, not cut short mid-copy; Back within the app keeps its place", async ({ page }) => {
  await open(page);
  expect(await settle(page)).toBe(true);
  await page.mouse.move(700, 500);
  await page.mouse.wheel(0, 2000);
  await expect.poll(() => page.evaluate(() => scrollY)).toBeGreaterThan(600);
  // Where the page is at each frame while the copy shows, and after.
  await page.addInitScript(() => {
    const seen: number[] = ((window as any).copyScroll = []);
    const look = () => {
      if (document.getElementById("snapshot")) seen.push(scrollY);
      if (!(window as any).salesTiersSnapshot?.from || document.getElementById("snapshot")) requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
  await page.reload();
  await expect(page.getByTestId("workspace-name")).toBeVisible();
  expect(await page.evaluate(() => (window as any).salesTiersSnapshot.from)).toBe("cache");
  const seen = await page.evaluate(() => (window as any).copyScroll as number[]);
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.every((y) => y === 0)).toBe(true);
  await page.clock.runFor(2000);
  expect(await page.evaluate(() => scrollY)).toBe(0);

  // Within the app the browser still puts the place back.
  await page.mouse.wheel(0, 700);
  await expect.poll(() => page.evaluate(() => scrollY)).toBeGreaterThan(300);
  const at = await page.evaluate(() => scrollY);
  await goto(page, "/people");
  await expect(page).toHaveURL(/\/people/);
  await page.goBack();
  await expect(page.getByTestId("tree-row").first()).toBeVisible();
  await expect.poll(() => page.evaluate(() => scrollY)).toBe(at);
});

test("a box scrolled inside the page (a wide matrix) is scrolled the same in the copy", async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 800 });
  await open(page, "/targets");
  const box = page.locator(".matrix-card");
  await expect(page.getByTestId("target-row").first()).toBeVisible();
  const [left, top] = await box.evaluate((e) => {
    e.scrollLeft = 180;
    e.scrollTop = 90;
    return [e.scrollLeft, e.scrollTop];
  });
  expect(left).toBeGreaterThan(0);
  expect(top).toBeGreaterThan(0);
  // Kept as it is now (an edit would do the same, a moment later).
  expect(await page.evaluate(() => (window as any).salesTiersSnapshot.save())).toBe(true);
  const { shown, release } = await reloadHeld(page);
  expect(shown).toBe(true);
  expect(await page.locator("#snapshot .matrix-card").evaluate((e) => [e.scrollLeft, e.scrollTop])).toEqual([left, top]);
  await release();
  await expect(page.getByTestId("target-row").first()).toBeVisible();
});

test("a screen too large to keep leaves no copy behind", async ({ page }) => {
  await open(page);
  expect(await settle(page)).toBe(true);
  expect(Object.keys(await copies(page))).toEqual(["/"]);
  // The page grows past the limit (a megabyte of markup).
  await page.evaluate(() => document.querySelector("main")!.append("x".repeat(1 << 20)));
  expect(await page.evaluate(() => (window as any).salesTiersSnapshot.save())).toBe(false);
  expect(await copies(page)).toEqual({});
  const { shown, release } = await reloadHeld(page);
  expect(shown).toBe(false);
  await release();
  await expect(page.getByTestId("workspace-name")).toBeVisible();
});

/**
 * With the offline worker (every visit after the first): the worker puts
 * the copy into the page it serves, and the page shows it as its body is
 * read, before its first paint; a stale copy is refused the same way.
 */
test.describe("with the offline worker", () => {
  test.use({ serviceWorkers: "allow" });

  test("the copy comes inside the page, and a stale one is refused and dropped", async ({ page }) => {
    await open(page);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
    });
    expect(await settle(page)).toBe(true);
    // The tab's title while the copy is up.
    await page.addInitScript(() => {
      new MutationObserver((_, o) => {
        if (!document.getElementById("snapshot")) return;
        (window as any).copyTitle = document.title;
        o.disconnect();
      }).observe(document, { childList: true, subtree: true });
    });
    await page.reload();
    await expect(page.getByTestId("workspace-name")).toBeVisible();
    expect(await page.evaluate(() => (window as any).copyTitle)).toBe("Sales Tiers · 销售分级管理");
    const shown = () => page.evaluate(async () => [await (window as any).salesTiersSnapshot.shown, (window as any).salesTiersSnapshot.from]);
    expect(await shown()).toEqual([true, "page"]);
    // The template the worker sent is gone, and so is the copy.
    await expect(page.locator("#last-screen, #snapshot")).toHaveCount(0);

    expect(await settle(page)).toBe(true);
    const [stale] = await states(page);
    await page.evaluate(() => localStorage.setItem("sales-tiers:ui-lang", JSON.stringify("zh-CN")));
    await page.reload();
    await expect(page.getByTestId("workspace-name")).toBeVisible();
    expect(await shown()).toEqual([false, ""]);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    // Dropped (the app may since have kept the new screen: another state).
    expect(stale).toMatch(/^[0-9a-f]{16}$/);
    expect(await states(page)).not.toContain(stale);
  });
});

test("a view kept in the address (months on Targets) is the next start's screen at that address", async ({ page }) => {
  await open(page, "/targets");
  await page.getByTestId("view-months").click();
  await expect(page).toHaveURL(/[?&]view=months\b/);
  expect(await settle(page)).toBe(true);
  const kept = await copies(page);
  expect(Object.keys(kept)).toEqual(["/targets?view=months"]);
  // The copy is of the months: its Months button is the pressed one.
  const pressed = await page.evaluate((html) => {
    const t = document.createElement("template");
    t.innerHTML = html;
    return Array.from(t.content.querySelectorAll("main .seg[aria-pressed=true]"), (b) => b.textContent!.trim());
  }, kept["/targets?view=months"]);
  expect(pressed).toEqual(["Months"]);
  const { shown, release } = await reloadHeld(page);
  expect(shown).toBe(true);
  await release();
  await expect(page.getByTestId("view-months")).toHaveAttribute("aria-pressed", "true");
});

test("folded units are kept for the next start (and its copy); a setting another tab changed is not kept", async ({ page }) => {
  await open(page);
  expect(await settle(page)).toBe(true);
  expect(Object.keys(await copies(page))).toEqual(["/"]);
  // A unit folded, then an edit: the next start opens it folded, so the copy is of that.
  const rows = page.getByTestId("tree-row");
  const folded = await rows.nth(1).getAttribute("data-unit");
  await rows.nth(1).locator(".twisty").click();
  await expect(rows.nth(1)).toHaveAttribute("aria-expanded", "false");
  const count = await rows.count();
  const last = rows.last();
  await last.getByTestId("row-actions").click();
  await last.getByTestId("act-rename").click();
  await page.getByTestId("panel-name-en").click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("Renamed while folded");
  await page.getByTestId("panel-ok").click();
  await saved(page);
  expect(await settle(page)).toBe(true);
  const kept = await copies(page);
  const foldedInCopy = await page.evaluate(
    ([html, unit]) => {
      const t = document.createElement("template");
      t.innerHTML = html;
      return t.content.querySelector(`.tree-item[data-unit="${unit}"]`)?.getAttribute("aria-expanded");
    },
    [kept["/"], folded!] as [string, string],
  );
  expect(foldedInCopy).toBe("false");
  const { shown, release } = await reloadHeld(page);
  expect(shown).toBe(true);
  await release();
  await expect(page.locator(`[data-testid=tree-row][data-unit="${folded}"]`)).toHaveAttribute("aria-expanded", "false");
  await expect(rows).toHaveCount(count);
  await expect(rows.filter({ hasText: "Renamed while folded" })).toHaveCount(1);
  // Unfolded again, and kept so.
  await page.locator(`[data-testid=tree-row][data-unit="${folded}"] .twisty`).click();
  await page.reload();
  await expect(page.locator(`[data-testid=tree-row][data-unit="${folded}"]`)).toHaveAttribute("aria-expanded", "true");
  expect(await settle(page)).toBe(true);

  // Another tab chose Chinese; this tab still shows English: nothing is kept.
  await page.evaluate(() => localStorage.setItem("sales-tiers:ui-lang", JSON.stringify("zh-CN")));
  const asked = await saves(page);
  await goto(page, "/people");
  await expect(page).toHaveURL(/\/people/);
  await settle(page);
  expect(await saves(page)).toBe(asked);
  expect(Object.keys(await copies(page))).not.toContain("/people");
  // Once this tab follows it (a reload), the screen is kept again.
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByTestId("workspace-name")).toBeVisible();
  expect(await settle(page)).toBe(true);
  expect(Object.keys(await copies(page))).toContain("/people");
});
