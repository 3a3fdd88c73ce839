import { test, expect, goData, goto, open, rename, saved } from "./helpers";

/**
 * After the first visit the app opens with no network: its files come from
 * the service worker's cache (sw.js), the workspace from localStorage.
 */
test("after the first visit the app opens offline, at any address, with its data", async ({ page, context }) => {
  await open(page, "/data");
  await goData(page);
  await rename(page, "Kept offline");
  await saved(page);
  // The worker has stored the page and every file it names (the wasm among them).
  await expect
    .poll(() =>
      page.evaluate(async () => {
        await navigator.serviceWorker.ready;
        const keys = await (await caches.open("sales-tiers-app")).keys();
        return keys.map((r) => new URL(r.url).pathname.split(".").pop()).sort().join(",");
      }),
    )
    .toMatch(/css.*js.*wasm/);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId("workspace-name")).toHaveText("Kept offline");
  // A deep link typed in the address bar, offline: the page answers, the app routes.
  await page.goto("/pipeline");
  await expect(page.getByTestId("workspace-name")).toHaveText("Kept offline");
  await expect(page).toHaveURL(/\/pipeline$/);
  await goto(page, "/targets");
  await expect(page.getByTestId("target-row").first()).toBeVisible();
  await context.setOffline(false);
});
