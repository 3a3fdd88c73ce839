// Opening the Pipeline page on the demo (issue 17: ~100 open rows in under
// 150 ms), measured in the browser; prints figures, asserts nothing.
// Usage: node scripts/pipeline-bench.mjs BASE_URL
//   from the Organisation page, click "Pipeline" in the sidebar → the table's
//   rows are in the DOM and painted (two animation frames), 10 times.
import { chromium } from "@playwright/test";

const base = process.argv[2] || "http://127.0.0.1:8080";
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await (await browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 900 } })).newPage();
await page.goto(base + "/pipeline");
await page.getByTestId("opp-row").first().waitFor();
const count = (await page.getByTestId("opp-count").innerText()).trim();
const times = [];
for (let i = 0; i < 10; i++) {
  await page.locator("nav.sidebar a[href^='/']").first().click();
  await page.getByTestId("tree-row").first().waitFor();
  times.push(
    await page.evaluate(
      () =>
        new Promise((resolve) => {
          const link = [...document.querySelectorAll("nav.sidebar a")].find((a) => a.getAttribute("href").startsWith("/pipeline"));
          const t0 = performance.now();
          const done = () => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
          const seen = () => document.querySelectorAll("[data-testid=opp-row]").length > 0;
          new MutationObserver((_, o) => { if (seen()) { o.disconnect(); done(); } }).observe(document.body, { childList: true, subtree: true });
          link.click();
        }),
    ),
  );
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`pipeline (${count}): sidebar click → rows painted, median ${sorted[5].toFixed(1)} ms, max ${sorted[9].toFixed(1)} ms of ${times.map((x) => x.toFixed(0)).join(", ")}`);
await browser.close();
