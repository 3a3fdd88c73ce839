// Sidebar navigation, two builds side by side (no assertions; prints figures).
// Usage: node scripts/ab-nav.mjs URL_A URL_B WORKSPACE_FILE   (env ROUNDS, default 3)
// Each build gets its own tab with the workspace opened; every sidebar link
// is clicked in A, then in B, in the sidebar's order, ROUNDS times round, so
// both builds meet the machine's ups and downs alike. Per page and build:
// paint (click → the next frame painted) and long (main-thread tasks over
// 50 ms within the 700 ms after the click: work left for after the paint
// still holds up the next click).
import { launch, median, openWorkspace } from "./bench-common.mjs";

const [a, b, file] = process.argv.slice(2);
if (!file) {
  console.error("usage: node scripts/ab-nav.mjs URL_A URL_B WORKSPACE_FILE");
  process.exit(2);
}
const rounds = Number(process.env.ROUNDS || 3);
const browser = await launch();
const tabs = [];
for (const base of [a, b]) {
  const page = await (await browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 900 } })).newPage();
  await openWorkspace(page, base, file);
  await page.goto(base + "/data");
  await page.locator(".sidebar a").first().waitFor();
  tabs.push(page);
}
const paths = await tabs[0].locator(".sidebar a").evaluateAll((els) => els.map((x) => new URL(x.href).pathname));
const figures = Object.fromEntries(paths.map((p) => [p, [{ paint: [], long: [] }, { paint: [], long: [] }]]));
const click = (path) =>
  new Promise((resolve) => {
    const link = [...document.querySelectorAll(".sidebar a")].find((x) => new URL(x.href).pathname === path);
    let long = 0;
    const lt = new PerformanceObserver((list) => list.getEntries().forEach((e) => (long += e.duration)));
    lt.observe({ type: "longtask" });
    const t0 = performance.now();
    link.click();
    let paint = NaN;
    requestAnimationFrame(() => setTimeout(() => (paint = performance.now() - t0), 0));
    setTimeout(() => {
      lt.disconnect();
      resolve({ paint, long });
    }, 700);
  });
for (let r = 0; r < rounds; r++) {
  for (const path of paths) {
    for (const i of [0, 1]) {
      const f = await tabs[i].evaluate(click, path);
      figures[path][i].paint.push(f.paint);
      figures[path][i].long.push(f.long);
    }
  }
}
console.log(`sidebar navigation, A = ${a}, B = ${b}, ${rounds} rounds, medians in ms:`);
console.log("page".padEnd(12) + "paint A".padStart(9) + "paint B".padStart(9) + "long A".padStart(9) + "long B".padStart(9));
for (const p of paths) {
  const [fa, fb] = figures[p];
  console.log(p.padEnd(12) + [fa.paint, fb.paint, fa.long, fb.long].map((x) => median(x).toFixed(0).padStart(9)).join(""));
}
for (const i of [0, 1]) {
  const worst = paths.map((p) => [p, median(figures[p][i].paint)]).sort((x, y) => y[1] - x[1]);
  console.log(`${"AB"[i]} slowest paint: ${worst.slice(0, 4).map(([p, t]) => `${p} ${t.toFixed(0)}`).join(", ")}`);
}
await browser.close();
