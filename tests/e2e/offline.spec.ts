import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { test, expect, goData, goto, open, rename, saved } from "./helpers";

/**
 * A host of its own for a describe block, on the suite's port + `offset`
 * (one origin, so one localStorage, whatever it serves): `serve` puts up
 * a directory, answering every request `delayMs` late, in place of what
 * was served before; `requests` are the paths asked of it (the worker's
 * too); a scratch directory for the builds to serve.
 */
function ownHost(offset: number, name: string) {
  const port = Number(process.env.E2E_PORT || 8091) + offset;
  test.use({ baseURL: `http://127.0.0.1:${port}` });
  // Named by the port (one run per port at a time), made by the workers
  // that run the block: a directory made as the file is read would be left
  // behind by every process that only lists the tests.
  const root = path.join(os.tmpdir(), `sales-tiers-${name}-${port}`);
  test.beforeAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root, { recursive: true });
  });
  let server: ChildProcess | undefined;
  const requests: string[] = [];
  const stop = async () => {
    if (!server) return;
    const s = server;
    server = undefined;
    const gone = new Promise((r) => s.once("exit", r));
    s.kill();
    await gone;
  };
  // The suite's own server (scripts/serve-dist.mjs).
  const serve = async (dir: string, delayMs = 0) => {
    await stop();
    const env = { ...process.env, SERVE_DELAY_MS: String(delayMs), SERVE_LOG: "1" };
    const child = spawn("node", ["scripts/serve-dist.mjs", String(port), dir], { stdio: ["ignore", "pipe", "inherit"], env });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (d) => {
        for (const line of String(d).split("\n")) if (line.startsWith("request: ")) requests.push(line.slice(9));
        if (String(d).includes("serve-dist:")) resolve();
      });
      child.on("exit", (code) => reject(new Error(`serve-dist exited with ${code}`)));
    });
    server = child;
  };
  test.afterAll(async () => {
    await stop();
    fs.rmSync(root, { recursive: true, force: true });
  });
  return { root, serve, requests };
}

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

/**
 * A new build deployed while the app is open: its service worker (sw.js
 * stamped with the new build's id by scripts/post-build.mjs) installs,
 * stores the new build and takes over; the open page is told and offers a
 * reload; the workspace in storage is untouched, before and after the
 * reload, and the new build then works offline too. The two builds are two
 * copies of dist/ served in turn on one origin (one localStorage).
 */
test.describe("a new build", () => {
  const host = ownHost(11, "builds");
  const [older, newer] = ["older", "newer"].map((n) => path.join(host.root, n));
  test.beforeAll(() => {
    for (const dir of [older, newer]) fs.cpSync("dist", dir, { recursive: true });
    // The newer build: another id in sw.js (what a rebuild stamps), and a page that says which build it is.
    const sw = path.join(newer, "sw.js");
    fs.writeFileSync(sw, fs.readFileSync(sw, "utf8").replace(/const BUILD = "[^"]*";/, 'const BUILD = "newer-build";'));
    const index = path.join(newer, "index.html");
    fs.writeFileSync(index, fs.readFileSync(index, "utf8").replace("<head>", '<head><meta name="build" content="newer-build">'));
  });

  test("takes over the open app: a reload is offered, the stored workspace stays", async ({ page, context }) => {
    await host.serve(older);
    await open(page, "/data");
    await goData(page);
    await rename(page, "Kept across builds");
    await saved(page);
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    await expect(page.getByTestId("update-banner")).toHaveCount(0);

    // The newer build is deployed; the browser looks for it (as it does when the tab is shown again, and hourly).
    await host.serve(newer);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    const banner = page.getByTestId("update-banner");
    await expect(banner).toBeVisible();
    await expect(banner).toContainText("new version");
    // Nothing was reloaded or changed for the user: the page and its data are as they were.
    await expect(page.getByTestId("workspace-name")).toHaveText("Kept across builds");
    await expect(page.locator('meta[name="build"]')).toHaveCount(0);

    await banner.getByTestId("update-reload").click();
    await expect(page.locator('meta[name="build"]')).toHaveAttribute("content", "newer-build");
    await expect(page.getByTestId("workspace-name")).toHaveText("Kept across builds");
    await expect(page.getByTestId("update-banner")).toHaveCount(0);

    // The new build is the one kept for offline use.
    await context.setOffline(true);
    await page.reload();
    await expect(page.locator('meta[name="build"]')).toHaveAttribute("content", "newer-build");
    await expect(page.getByTestId("workspace-name")).toHaveText("Kept across builds");
    await context.setOffline(false);
  });
});

/**
 * After the first visit the page comes from the worker's cache at once: a
 * start never waits for the host (here, one that takes a minute to
 * answer). The page is fetched again behind the start, so a change to it
 * is what the next start shows.
 */
test.describe("the page at a start", () => {
  const host = ownHost(12, "page");
  const [first, changed, broken] = ["first", "changed", "broken"].map((n) => path.join(host.root, n));
  /** The page the worker keeps for the next start: which build it says it is. */
  const storedBuild = (page: Page) =>
    page.evaluate(async () => {
      const stored = await (await caches.open("sales-tiers-app")).match("/");
      return stored ? (/<meta name="build" content="([^"]*)">/.exec(await stored.text())?.[1] ?? "first") : "";
    });
  test.beforeAll(() => {
    for (const dir of [first, changed, broken]) fs.cpSync("dist", dir, { recursive: true });
    const index = path.join(changed, "index.html");
    fs.writeFileSync(index, fs.readFileSync(index, "utf8").replace("<head>", '<head><meta name="build" content="changed">'));
    // A page naming a file the host does not have (a deploy half done).
    const half = path.join(broken, "index.html");
    const css = fs.readdirSync(broken).find((f) => f.endsWith(".css"))!;
    fs.writeFileSync(half, fs.readFileSync(half, "utf8").replace("<head>", '<head><meta name="build" content="broken">').replaceAll(`/${css}`, "/main-0000000000000000.css"));
  });

  test("comes from the cache without waiting for the host, and is refreshed for the next start", async ({ page }) => {
    await host.serve(first);
    await open(page, "/data");
    await rename(page, "Started from the cache");
    await saved(page);
    await expect.poll(() => storedBuild(page)).toBe("first");

    // The host now takes a minute to answer: the start does not wait for it.
    await host.serve(first, 60_000);
    await page.reload({ timeout: 15_000 });
    await expect(page.getByTestId("workspace-name")).toHaveText("Started from the cache");
    await goto(page, "/targets");
    await expect(page.getByTestId("target-row").first()).toBeVisible();

    // The page changed on the host: this start still shows the stored page,
    // the fetch behind it stores the new one, and the next start shows it.
    await host.serve(changed);
    await page.reload();
    await expect(page.getByTestId("workspace-name")).toHaveText("Started from the cache");
    await expect(page.locator('meta[name="build"]')).toHaveCount(0);
    await expect.poll(() => storedBuild(page), { timeout: 15_000 }).toBe("changed");
    await page.reload();
    await expect(page.locator('meta[name="build"]')).toHaveAttribute("content", "changed");
    await expect(page.getByTestId("workspace-name")).toHaveText("Started from the cache");

    // A page whose files the host cannot give is not kept: the next start
    // shows the last whole one, offline too.
    await host.serve(broken);
    await page.reload();
    await expect.poll(() => host.requests.includes("/main-0000000000000000.css"), { timeout: 15_000 }).toBe(true);
    expect(await storedBuild(page)).toBe("changed");
    await page.context().setOffline(true);
    await page.reload();
    await expect(page.locator('meta[name="build"]')).toHaveAttribute("content", "changed");
    await expect(page.getByTestId("workspace-name")).toHaveText("Started from the cache");
    await page.context().setOffline(false);
  });
});

/**
 * The notice of a new version is in view wherever the page is scrolled;
 * dismissed, the keyboard goes on from where the reader was when that is
 * still on screen, else from the page's content (never from the top).
 */
test("the new-version notice stays in view and gives focus back when dismissed", async ({ page }) => {
  await open(page, "/data");
  await goData(page);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const reading = page.locator("main button:visible").last();
  await reading.focus();
  const notice = page.getByTestId("update-banner");
  for (const scrolledAway of [false, true]) {
    if (scrolledAway) await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => dispatchEvent(new Event("sales-tiers-update")));
    await expect(notice).toBeInViewport();
    await page.getByTestId("update-dismiss").focus();
    await page.keyboard.press("Enter");
    await expect(notice).toHaveCount(0);
    if (scrolledAway) expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    else await expect(reading).toBeFocused();
  }
});

/** The build ships the manifest, its icons and precompressed copies the server hands out. */
test("installable: manifest and icons; the wasm is served precompressed", async ({ page, request }) => {
  const wasm = fs.readdirSync("dist").find((f) => f.endsWith(".wasm"))!;
  for (const enc of ["br", "gz"]) expect(fs.existsSync(path.join("dist", `${wasm}.${enc}`)), enc).toBe(true);
  const wasmResponse = page.waitForResponse((r) => r.url().endsWith(`/${wasm}`));
  await open(page, "/");
  // What the browser got was the brotli copy, and it is the same wasm.
  const got = await wasmResponse;
  expect(got.headers()["content-encoding"]).toBe("br");
  expect((await got.body()).equals(fs.readFileSync(path.join("dist", wasm)))).toBe(true);

  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  const manifest = await (await request.get(href!)).json();
  expect(manifest.start_url).toBe("/");
  expect(manifest.display).toBe("standalone");
  const sizes = manifest.icons.map((i: { sizes: string }) => i.sizes);
  expect(sizes).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  for (const icon of manifest.icons) {
    const r = await request.get(icon.src);
    expect(r.ok(), icon.src).toBe(true);
    expect(r.headers()["content-type"]).toBe(icon.type);
  }
});
