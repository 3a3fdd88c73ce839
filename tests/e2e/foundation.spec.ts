import { test, expect } from "@playwright/test";
import fs from "node:fs";
import { open, saved, toEnglish, goData, rename, storedWorkspaceName } from "./helpers";

const DEMO_EN = "Demo: Huadong Precision Machinery";
const DEMO_ZH = "演示：华东精工机械";

test("first run shows the labelled demo organisation", async ({ page }) => {
  await open(page);
  await expect(page.getByTestId("workspace-name")).toHaveText(DEMO_EN);
  await expect(page.getByTestId("demo-badge")).toBeVisible();
  await expect(page.getByTestId("demo-bar")).toContainText("made-up data");
  await expect(page.getByTestId("tree-row")).toHaveCount(17);
  await expect(page.getByTestId("headcount").first()).toHaveText("76");
  await expect(page.getByTestId("stat-vacancies")).toContainText("1");
  await expect(page.getByTestId("tier-card")).toHaveCount(4);
  await expect(page.getByTestId("tier-card").first()).toContainText("Sales director");
  // The demo was saved at once, so a reload opens the same workspace.
  expect(await storedWorkspaceName(page)).toBe(DEMO_EN);
  // Collapse / expand.
  await page.getByTestId("collapse-all").click();
  await expect(page.getByTestId("tree-row")).toHaveCount(1);
  await page.getByTestId("expand-all").click();
  await expect(page.getByTestId("tree-row")).toHaveCount(17);
});

test.describe("in a Chinese browser", () => {
  test.use({ locale: "zh-CN" });
  test("the language follows the browser, can be switched and is remembered", async ({ page }) => {
    await open(page);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByTestId("workspace-name")).toHaveText(DEMO_ZH);
    await expect(page.locator("nav.sidebar")).toContainText("组织概览");
    await expect(page.getByTestId("tier-card").first()).toContainText("销售总监");
    await toEnglish(page);
    await expect(page.locator("nav.sidebar")).toContainText("Organisation");
    await expect(page.getByTestId("tier-card").first()).toContainText("Sales director");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await page.reload();
    await expect(page.locator("nav.sidebar")).toContainText("Data & settings");
    await page.getByTestId("lang-zh").click();
    await expect(page.locator("nav.sidebar")).toContainText("数据与设置");
  });
});

test("an edit survives a reload", async ({ page }) => {
  await open(page);
  await goData(page);
  await rename(page, "East region plan");
  await page.getByTestId("currency").selectOption("USD");
  await saved(page);
  await page.reload();
  await expect(page.getByTestId("workspace-name")).toHaveText("East region plan");
  await expect(page.getByTestId("currency")).toHaveValue("USD");
});

test("a reload inside the autosave delay loses nothing", async ({ page }) => {
  await open(page);
  await goData(page);
  await rename(page, "Saved on the way out");
  // No waiting for autosave: pagehide must flush it.
  await page.reload();
  await expect(page.getByTestId("workspace-name")).toHaveText("Saved on the way out");
});

test("undo and redo with buttons and keyboard", async ({ page }) => {
  await open(page);
  await goData(page);
  await expect(page.getByTestId("undo")).toBeDisabled();
  await rename(page, "Step one");
  await rename(page, "Step two");
  await page.getByTestId("undo").click();
  await expect(page.getByTestId("workspace-name")).toHaveText("Step one");
  await page.getByTestId("undo").click();
  await expect(page.getByTestId("workspace-name")).toHaveText(DEMO_EN);
  await expect(page.getByTestId("undo")).toBeDisabled();
  await page.getByTestId("redo").click();
  await expect(page.getByTestId("workspace-name")).toHaveText("Step one");
  await page.locator("body").click({ position: { x: 5, y: 600 } });
  await page.keyboard.press("Control+Shift+Z");
  await expect(page.getByTestId("workspace-name")).toHaveText("Step two");
  await page.keyboard.press("Control+Z");
  await expect(page.getByTestId("workspace-name")).toHaveText("Step one");
  await saved(page);
  await page.reload();
  await expect(page.getByTestId("workspace-name")).toHaveText("Step one");
});

test("export then import round-trips, with a restorable backup", async ({ page }) => {
  await open(page);
  await goData(page);
  await rename(page, "Exported copy");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export").click()]);
  expect(download.suggestedFilename()).toMatch(/^sales-tiers-\d{4}-\d{2}-\d{2}\.json$/);
  const file = await download.path();
  const json = JSON.parse(fs.readFileSync(file!, "utf8"));
  expect(json.type).toBe("sales-tiers");
  expect(json.version).toBe(5);
  expect(json.data.schema_version).toBe(5);
  expect(json.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(json.data.settings.workspace_name).toBe("Exported copy");
  expect(Object.keys(json.data.people)).toHaveLength(77);

  await rename(page, "Changed after export");
  await page.getByTestId("import-file").setInputFiles(file!);
  await expect(page.getByTestId("import-result")).toHaveClass(/ok/);
  await expect(page.getByTestId("workspace-name")).toHaveText("Exported copy");
  await expect(page.getByTestId("backup")).toContainText("Changed after export");
  await saved(page);
  await page.reload();
  await expect(page.getByTestId("workspace-name")).toHaveText("Exported copy");
  // Restore swaps back.
  await goData(page);
  await page.getByTestId("restore-previous").click();
  await expect(page.getByTestId("workspace-name")).toHaveText("Changed after export");
  await expect(page.getByTestId("backup")).toContainText("Exported copy");
});

test("malformed and newer-version files are refused and change nothing", async ({ page }) => {
  await open(page);
  await goData(page);
  await rename(page, "Keep me");
  await saved(page);
  const before = await page.evaluate(() => JSON.stringify(localStorage));

  await page.getByTestId("import-file").setInputFiles({ name: "broken.json", mimeType: "application/json", buffer: Buffer.from('{\n  "type": "sales-tiers",\n  "version": 1,\n  oops\n}') });
  await expect(page.getByTestId("import-result")).toContainText("line 4, column 3");
  await expect(page.getByTestId("import-result")).toHaveClass(/err/);

  const newer = JSON.stringify({ type: "sales-tiers", version: 99, data: {} });
  await page.getByTestId("import-file").setInputFiles({ name: "newer.json", mimeType: "application/json", buffer: Buffer.from(newer) });
  await expect(page.getByTestId("import-result")).toContainText("made by a newer version");

  const foreign = JSON.stringify({ type: "zoho-crm-export", records: [] });
  await page.getByTestId("import-file").setInputFiles({ name: "zoho.json", mimeType: "application/json", buffer: Buffer.from(foreign) });
  await expect(page.getByTestId("import-result")).toContainText("not a Sales Tiers file");

  // Drag and drop takes the same path.
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(["[1, 2"], "dropped.json", { type: "application/json" }));
    document.querySelector("[data-testid=dropzone]")!.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await expect(page.getByTestId("import-result")).toContainText("not a valid JSON file");

  await expect(page.getByTestId("workspace-name")).toHaveText("Keep me");
  expect(await page.evaluate(() => JSON.stringify(localStorage))).toBe(before);
  await page.getByTestId("lang-zh").click();
  await expect(page.getByTestId("import-result")).toContainText("不是有效的 JSON 文件");
});

test("a change in one tab appears in a second tab", async ({ context }) => {
  const a = await context.newPage();
  await open(a);
  const b = await context.newPage();
  await open(b);
  await goData(a);
  await rename(a, "Edited in tab A");
  await saved(a);
  await expect(b.getByTestId("workspace-name")).toHaveText("Edited in tab A");
  await expect(b.getByTestId("notice").first()).toContainText("another tab");
  // And back the other way.
  await goData(b);
  await b.getByTestId("fy-start").selectOption("4");
  await saved(b);
  await expect(a.getByTestId("fy-start")).toHaveValue("4");
  await expect(a.getByTestId("workspace-name")).toHaveText("Edited in tab A");
});

test("corrupt stored data is quarantined with a banner and a download", async ({ page }) => {
  await open(page);
  await goData(page);
  await rename(page, "Good copy");
  await saved(page);
  await rename(page, "Newest copy");
  await saved(page);
  // Damage the current slot as a failing disk or a bad extension might.
  await page.evaluate(() => {
    const slot = localStorage.getItem("sales-tiers:current")!;
    localStorage.setItem(slot, localStorage.getItem(slot)!.slice(0, 500));
  });
  await page.reload();
  await expect(page.getByTestId("quarantine-banner")).toBeVisible();
  await expect(page.getByTestId("quarantine-banner")).toContainText("not a valid JSON file");
  await expect(page.getByTestId("workspace-name")).toHaveText("Good copy");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-raw").click()]);
  expect(fs.readFileSync((await download.path())!, "utf8")).toHaveLength(500);
  await goData(page);
  await expect(page.getByTestId("quarantine-list").locator("li")).toHaveCount(1);
});

test("start empty backs up the demo, and it can be restored", async ({ page }) => {
  await open(page);
  page.on("dialog", (d) => d.accept());
  await page.getByTestId("start-empty").click();
  await expect(page.getByTestId("no-org")).toBeVisible();
  await expect(page.getByTestId("demo-badge")).toHaveCount(0);
  await expect(page.getByTestId("tier-card")).toHaveCount(4);
  await goData(page);
  await expect(page.getByTestId("backup")).toContainText(DEMO_EN);
  await page.getByTestId("restore-previous").click();
  await expect(page.getByTestId("workspace-name")).toHaveText(DEMO_EN);
});
