// Sidebar navigation at scale (no assertions; prints figures).
// Usage: node scripts/nav-bench.mjs BASE_URL WORKSPACE_FILE   (env ROUNDS, default 3)
// Opens the workspace, then clicks every sidebar link in turn, ROUNDS times
// round the whole sidebar, and reports per page:
//   paint  click → the next frame painted after the click's work (what the
//          user sees first: the new page, or the part of it built at once);
//   settle click → the last change to the page, painted (work a page defers
//          to later tasks counts here), measured until the page has been
//          still for 400 ms;
//   long   the sum of main-thread tasks over 50 ms in that window.
import { benchArgs, launch, median, openWorkspace } from "./bench-common.mjs";

const { base, file } = benchArgs("nav-bench.mjs");
const rounds = Number(process.env.ROUNDS || 3);
const browser = await launch();
const page = await (await browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 900 } })).newPage();
await openWorkspace(page, base, file);
await page.goto(base + "/data");
await page.locator(".sidebar a").first().waitFor();
const paths = await page.locator(".sidebar a").evaluateAll((els) => els.map((a) => new URL(a.href).pathname));
const figures = Object.fromEntries(paths.map((p) => [p, { paint: [], settle: [], long: [] }]));

for (let r = 0; r < rounds; r++) {
  for (const path of paths) {
    const f = await page.evaluate(
      (path) =>
        new Promise((resolve) => {
          const link = [...document.querySelectorAll(".sidebar a")].find((a) => new URL(a.href).pathname === path);
          let long = 0;
          const lt = new PerformanceObserver((list) => list.getEntries().forEach((e) => (long += e.duration)));
          lt.observe({ type: "longtask" });
          let last = 0;
          const main = document.querySelector("main") || document.body;
          const mo = new MutationObserver(() => (last = performance.now()));
          mo.observe(main, { childList: true, subtree: true, characterData: true, attributes: true });
          const t0 = performance.now();
          let paint = NaN;
          link.click();
          requestAnimationFrame(() => setTimeout(() => (paint = performance.now() - t0), 0));
          const quiet = () => {
            if (!Number.isNaN(paint) && performance.now() - Math.max(last, t0 + paint) > 400) {
              mo.disconnect();
              // A last frame after the last change: its paint.
              requestAnimationFrame(() =>
                setTimeout(() => {
                  lt.disconnect();
                  resolve({ paint, settle: Math.max(paint, last - t0), long });
                }, 0),
              );
            } else setTimeout(quiet, 50);
          };
          setTimeout(quiet, 50);
        }),
      path,
    );
    for (const k of Object.keys(f)) figures[path][k].push(f[k]);
  }
}

const people = await page.evaluate(() => document.querySelector("[data-testid=workspace-name]")?.textContent ?? "");
console.log(`sidebar navigation, ${rounds} rounds of ${paths.length} pages (${people.trim()}), medians in ms:`);
console.log("page".padEnd(12) + "paint".padStart(8) + "settle".padStart(8) + "long".padStart(8));
for (const p of paths) {
  const f = figures[p];
  console.log(p.padEnd(12) + [f.paint, f.settle, f.long].map((x) => median(x).toFixed(0).padStart(8)).join(""));
}
const worst = paths.map((p) => [p, median(figures[p].paint)]).sort((a, b) => b[1] - a[1]);
console.log(`slowest paint: ${worst.slice(0, 4).map(([p, t]) => `${p} ${t.toFixed(0)}`).join(", ")}`);
await browser.close();
