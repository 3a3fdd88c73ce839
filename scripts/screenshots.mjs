// Takes PNG screenshots of every page in zh-CN and en from a served dist/.
// Usage: node scripts/screenshots.mjs [baseURL] [outDir]
import { chromium } from "@playwright/test";
import fs from "node:fs";

const base = process.argv[2] || "http://127.0.0.1:8080";
const out = process.argv[3] || "target/screenshots";
fs.mkdirSync(out, { recursive: true });
const pages = [["overview", "/"], ["chart", "/chart"], ["people", "/people"], ["tiers", "/tiers"], ["grades", "/grades"], ["targets", "/targets"], ["budget", "/budget"], ["capacity", "/capacity"], ["scenarios", "/scenarios"], ["customers", "/customers"], ["pipeline", "/pipeline"], ["kanban", "/pipeline"], ["forecast", "/forecast"], ["scorecards", "/scorecards"], ["payouts", "/payouts"], ["data", "/data"], ["notfound", "/no-such-page"]];
// PAGES=customers,forecast limits the run to some pages.
const only = process.env.PAGES ? process.env.PAGES.split(",") : null;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
for (const [locale, tag] of [["zh-CN", "zh"], ["en-US", "en"]]) {
  for (const [width, height] of [[1440, 900], [1280, 800]]) {
    const ctx = await browser.newContext({ locale, viewport: { width, height } });
    const page = await ctx.newPage();
    for (const [name, path] of pages) {
      if (only && !only.includes(name)) continue;
      await page.goto(base + path);
      await page.getByTestId("workspace-name").waitFor();
      await page.waitForTimeout(300);
      if (name === "grades") await page.getByTestId("explain").first().click();
      if (name === "targets") {
        await page.getByTestId("split").nth(1).click();
      }
      if (name === "scenarios" && !(await page.getByTestId("scenario").count())) {
        await page.getByTestId("scenario-name").fill(tag === "zh" ? "华东增加两名代表" : "Two extra reps in East China");
        await page.getByTestId("create-scenario").click();
        await page.locator("nav.sidebar a[href='/capacity']").click();
        const row = page.locator("[data-testid=capacity-row]").nth(2);
        await row.getByTestId("edit-headcount").click();
        await page.getByTestId("add-hire").click();
        await page.getByTestId("hire-count").last().fill("2");
        await page.getByTestId("headcount-save").click();
        await page.locator("nav.sidebar a[href='/scenarios']").click();
        await page.getByTestId("compare").waitFor();
      }
      if (name === "kanban") await page.getByTestId("view-kanban").click();
      if (name === "forecast") await page.getByTestId("show-people").check();
      const file = `${out}/${name}-${tag}-${width}.png`;
      await page.screenshot({ path: file, fullPage: width === 1440 && name !== "chart" });
      console.log(file);
      if (name === "forecast" && width === 1440) {
        await page.getByTestId("funnel").screenshot({ path: `${out}/funnel-${tag}.png` });
      }
      if (name === "customers" && width === 1440) {
        await page.getByTestId("customer-row").first().click();
        await page.screenshot({ path: `${out}/customer-${tag}.png` });
        await page.getByTestId("modal-close").click();
      }
      if (name === "pipeline" && width === 1440) {
        await page.getByTestId("open-opp").first().click();
        await page.screenshot({ path: `${out}/opportunity-${tag}.png` });
        await page.getByTestId("modal-close").click();
      }
      if (name === "scorecards" && width === 1440) {
        await page.getByTestId("calibration").screenshot({ path: `${out}/calibration-${tag}.png` });
        await page.getByTestId("score-row").first().click();
        await page.screenshot({ path: `${out}/scorecard-${tag}.png` });
        await page.getByTestId("modal-close").click();
      }
      if (name === "payouts" && width === 1440) {
        await page.getByTestId("pay-summary").screenshot({ path: `${out}/summary-${tag}.png` });
        await page.getByTestId("statement").screenshot({ path: `${out}/statement-${tag}.png` });
        await page.emulateMedia({ media: "print" });
        await page.screenshot({ path: `${out}/statement-print-${tag}.png`, fullPage: true });
        await page.emulateMedia({ media: "screen" });
        await page.locator("[data-testid=plan-row][data-name=\"Rep commission plan\"]").getByTestId("edit-plan").click();
        await page.getByTestId("tier-rate").nth(1).fill("10");
        await page.getByTestId("whatif-total").waitFor();
        await page.getByTestId("plans").screenshot({ path: `${out}/whatif-${tag}.png` });
      }
      if (name === "overview" && width === 1440) {
        await page.getByTestId("row-actions").nth(1).click();
        await page.getByTestId("act-move").click();
        await page.screenshot({ path: `${out}/tree-panel-${tag}.png` });
        await page.getByTestId("member").first().click();
        await page.screenshot({ path: `${out}/person-${tag}.png` });
        await page.getByTestId("modal-close").click();
      }
    }
    await ctx.close();
  }
}
await browser.close();
