// Takes PNG screenshots of every page in zh-CN and en from a served dist/.
// Usage: node scripts/screenshots.mjs [baseURL] [outDir]
import { chromium } from "@playwright/test";
import fs from "node:fs";

const base = process.argv[2] || "http://127.0.0.1:8080";
const out = process.argv[3] || "target/screenshots";
fs.mkdirSync(out, { recursive: true });
const pages = [["overview", "/"], ["chart", "/chart"], ["people", "/people"], ["tiers", "/tiers"], ["grades", "/grades"], ["data", "/data"]];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
for (const [locale, tag] of [["zh-CN", "zh"], ["en-US", "en"]]) {
  for (const [width, height] of [[1440, 900], [1280, 800]]) {
    const ctx = await browser.newContext({ locale, viewport: { width, height } });
    const page = await ctx.newPage();
    for (const [name, path] of pages) {
      await page.goto(base + path);
      await page.getByTestId("workspace-name").waitFor();
      await page.waitForTimeout(300);
      if (name === "grades") await page.getByTestId("explain").first().click();
      const file = `${out}/${name}-${tag}-${width}.png`;
      await page.screenshot({ path: file, fullPage: width === 1440 && name !== "chart" });
      console.log(file);
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
