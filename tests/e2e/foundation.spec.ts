import type { Page } from "@playwright/test";
import fs from "node:fs";
import { test, expect, download, open, saved, toEnglish, goData, rename, storedData, storedOrg, storedWorkspaceName, today } from "./helpers";

/** The first run's demo, as saved at once; its name in the browser's language. */
async function demoName(page: Page): Promise<string> {
  const data = await storedData(page);
  expect(data.meta.demo).toBe(true);
  return data.settings.workspace_name;
}

test("first run shows the labelled demo organisation", async ({ page }) => {
  await open(page);
  // The demo was saved at once: the page shows what a reload would open.
  const org = await storedOrg(page);
  expect(org.data.meta.demo).toBe(true);
  await expect(page.getByTestId("workspace-name")).toHaveText(org.data.settings.workspace_name);
  expect(org.data.settings.workspace_name).toMatch(/^Demo: /);
  await expect(page.getByTestId("demo-badge")).toBeVisible();
  await expect(page.getByTestId("demo-bar")).toContainText("made-up data");
  const root = org.root();
  await expect(page.getByTestId("tree-row")).toHaveCount(org.units.length);
  await expect(page.getByTestId("tree-row").first()).toHaveAttribute("data-unit", root.id);
  await expect(page.getByTestId("headcount").first()).toHaveText(String(org.headcount(root.id)));
  // The demo has someone who left: the head count is not simply everyone.
  expect(org.headcount(root.id)).toBeLessThan(org.people.length);
  await expect(page.getByTestId("stat-people").locator(".stat-value")).toHaveText(String(org.headcount(root.id)));
  await expect(page.getByTestId("stat-vacancies").locator(".stat-value")).toHaveText(String(org.vacancies(root.id)));
  expect(org.vacancies(root.id)).toBeGreaterThan(0);
  await expect(page.getByTestId("tier-card")).toHaveCount(org.tiers.length);
  await expect(page.getByTestId("tier-card").first()).toContainText("Sales director");
  await expect(page.getByTestId("tier-card").first()).toContainText(org.name(org.tiers[0]));
  // Collapse / expand.
  await page.getByTestId("collapse-all").click();
  await expect(page.getByTestId("tree-row")).toHaveCount(1);
  await page.getByTestId("expand-all").click();
  await expect(page.getByTestId("tree-row")).toHaveCount(org.units.length);
});

test.describe("in a Chinese browser", () => {
  test.use({ locale: "zh-CN" });
  test("the language follows the browser, can be switched and is remembered", async ({ page }) => {
    await open(page);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page).toHaveTitle(/^销售分级管理/);
    // The demo is generated in the browser's language.
    const org = await storedOrg(page, "zh");
    expect(org.data.settings.language).toBe("zh-CN");
    await expect(page.getByTestId("workspace-name")).toHaveText(org.data.settings.workspace_name);
    expect(org.data.settings.workspace_name).toMatch(/^演示：/);
    await expect(page.locator("nav.sidebar")).toContainText("组织概览");
    await expect(page.getByTestId("tier-card").first()).toContainText("销售总监");
    await expect(page.getByTestId("tier-card").first()).toContainText(org.name(org.tiers[0]));
    await toEnglish(page);
    await expect(page.locator("nav.sidebar")).toContainText("Organisation");
    await expect(page.getByTestId("tier-card").first()).toContainText("Sales director");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page).toHaveTitle(/^Sales Tiers/);
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

test("an edit is stored when the page shows it: no delay to lose it in", async ({ page }) => {
  await open(page);
  await goData(page);
  await saved(page);
  // Stop the clock: no timer can fire, however slow this run is. The edit
  // must be in storage anyway, written before the page repainted.
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);
  await rename(page, "Stored at once");
  await expect(page.getByTestId("save-state")).toHaveClass(/saved/);
  expect(await storedWorkspaceName(page)).toBe("Stored at once");
  await page.reload();
  await expect(page.getByTestId("workspace-name")).toHaveText("Stored at once");
  await page.clock.resume();
});

test("undo and redo with buttons and keyboard", async ({ page }) => {
  await open(page);
  const demo = await demoName(page);
  await goData(page);
  await expect(page.getByTestId("undo")).toBeDisabled();
  await rename(page, "Step one");
  await rename(page, "Step two");
  await page.getByTestId("undo").click();
  await expect(page.getByTestId("workspace-name")).toHaveText("Step one");
  await page.getByTestId("undo").click();
  await expect(page.getByTestId("workspace-name")).toHaveText(demo);
  await expect(page.getByTestId("undo")).toBeDisabled();
  // The button that had the focus is disabled: the focus is on Redo, not lost.
  await expect(page.getByTestId("redo")).toBeFocused();
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
  await saved(page);
  const stored = await storedData(page);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export").click()]);
  // Named and stamped with the app's own day (the injected clock).
  const day = await today(page);
  expect(download.suggestedFilename()).toBe(`sales-tiers-${day}.json`);
  const file = await download.path();
  const json = JSON.parse(fs.readFileSync(file!, "utf8"));
  expect(json.type).toBe("sales-tiers");
  expect(json.version).toBe(8);
  expect(json.data.schema_version).toBe(8);
  expect(json.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(json.exported_at.slice(0, 10)).toBe(day);
  expect(json.data.settings.workspace_name).toBe("Exported copy");
  // The file holds the whole workspace: everyone, leavers included, and every unit.
  expect(Object.keys(json.data.people).sort()).toEqual(Object.keys(stored.people).sort());
  expect(Object.keys(json.data.units).sort()).toEqual(Object.keys(stored.units).sort());
  expect(json.data.people).toEqual(stored.people);

  // Compact by default; the readable option writes the same file indented (same checksum: the data is the same).
  expect(fs.readFileSync(file!, "utf8")).not.toContain("\n  ");
  await page.getByTestId("export-readable").click();
  await expect(page.getByTestId("export-readable-help")).toContainText("compact by default");
  const [readable] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export").click()]);
  const readableFile = (await readable.path())!;
  const indented = fs.readFileSync(readableFile, "utf8");
  expect(indented).toContain('\n  "type": "sales-tiers"');
  expect(JSON.parse(indented).checksum).toBe(json.checksum);

  await rename(page, "Changed after export");
  await page.getByTestId("import-file").setInputFiles(readableFile);
  // Nothing changes before the file has been shown: what it is, and that no one signed it.
  await expect(page.getByTestId("open-what")).toContainText("Exported copy");
  await expect(page.getByTestId("seal")).toContainText("not signed");
  await expect(page.getByTestId("workspace-name")).toHaveText("Changed after export");
  await page.getByTestId("open-confirm").click();
  await expect(page.getByTestId("import-result")).toHaveClass(/ok/);
  await expect(page.getByTestId("workspace-name")).toHaveText("Exported copy");
  await expect(page.getByTestId("backup")).toContainText("Changed after export");
  // A bad file picked next: its failure replaces the success, in the card and at the top.
  const success = page.getByTestId("notice").filter({ hasText: "Imported" });
  await expect(success).toBeVisible();
  await page.getByTestId("import-file").setInputFiles({ name: "cut.json", mimeType: "application/json", buffer: Buffer.from('{"type": "sales-tiers"') });
  await expect(page.getByTestId("import-result")).toHaveClass(/err/);
  await expect(success).toHaveCount(0);
  await saved(page);
  await page.reload();
  await expect(page.getByTestId("workspace-name")).toHaveText("Exported copy");
  // Restore swaps back.
  await goData(page);
  await page.getByTestId("restore-previous").click();
  await expect(page.getByTestId("workspace-name")).toHaveText("Changed after export");
  await expect(page.getByTestId("backup")).toContainText("Exported copy");
});

test("a file an editor saved again: with a byte-order mark it opens; in another encoding it is refused as not UTF-8 and changes nothing", async ({ page }) => {
  await open(page);
  await goData(page);
  await rename(page, "华东 copy");
  await saved(page);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export").click()]);
  const utf8 = fs.readFileSync((await download.path())!);
  await rename(page, "Current");
  await saved(page);
  const before = await page.evaluate(() => JSON.stringify(localStorage));

  // Windows Notepad writes a byte-order mark in front: the file is the same.
  await page.getByTestId("import-file").setInputFiles({ name: "bom.json", mimeType: "application/json", buffer: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]) });
  await expect(page.getByTestId("open-what")).toHaveText("华东 copy");
  await page.getByTestId("open-cancel").click();
  await expect(page.getByTestId("open-dialog")).toHaveCount(0);

  // Saved again as GBK (华东 as its two-byte codes): not UTF-8, so not the exported text.
  const name = Buffer.from("华东", "utf8");
  const at = utf8.lastIndexOf(name); // in the data (the envelope comes first)
  expect(at).toBeGreaterThan(0);
  const gbk = Buffer.concat([utf8.subarray(0, at), Buffer.from([0xbb, 0xaa, 0xb6, 0xab]), utf8.subarray(at + name.length)]);
  await page.getByTestId("import-file").setInputFiles({ name: "gbk.json", mimeType: "application/json", buffer: gbk });
  await expect(page.getByTestId("import-result")).toHaveClass(/err/);
  await expect(page.getByTestId("import-result")).toContainText("not UTF-8 text");
  await expect(page.getByTestId("open-dialog")).toHaveCount(0);
  // Without its checksum (a script's file) it is refused the same way, not opened with "�" for every Chinese name.
  const unsummed = Buffer.from(gbk.toString("latin1").replace(/"checksum":"sha256:[0-9a-f]+",?/, ""), "latin1");
  await page.getByTestId("import-file").setInputFiles({ name: "gbk-no-sum.json", mimeType: "application/json", buffer: unsummed });
  await expect(page.getByTestId("import-result")).toContainText("not UTF-8 text");
  await expect(page.getByTestId("open-dialog")).toHaveCount(0);
  await expect(page.getByTestId("workspace-name")).toHaveText("Current");
  expect(await page.evaluate(() => JSON.stringify(localStorage))).toBe(before);
  await page.getByTestId("lang-zh").click();
  await expect(page.getByTestId("import-result")).toContainText("文件不是 UTF-8 文本");
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

  // An image is told as such, not as text in another encoding.
  const png = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex");
  await page.getByTestId("import-file").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: png });
  await expect(page.getByTestId("import-result")).toContainText("not a text file");

  // Drag and drop takes the same path.
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(["[1, 2"], "dropped.json", { type: "application/json" }));
    document.querySelector("[data-testid=dropzone]")!.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  // Cut short: where it ends, not serde's words.
  await expect(page.getByTestId("import-result")).toContainText("not a complete JSON file: it ends too early, at line 1");

  await expect(page.getByTestId("workspace-name")).toHaveText("Keep me");
  expect(await page.evaluate(() => JSON.stringify(localStorage))).toBe(before);
  await page.getByTestId("lang-zh").click();
  await expect(page.getByTestId("import-result")).toContainText("不是完整的 JSON 文件：内容在第 1 行意外结束");
  await expect(page.getByTestId("import-result")).not.toContainText("EOF");
});

test("a workspace replaced in one tab replaces it in a second tab", async ({ context }) => {
  const a = await context.newPage();
  await open(a);
  const b = await context.newPage();
  await open(b);
  const demo = await demoName(b);
  a.on("dialog", (d) => d.accept());
  await a.getByTestId("start-empty").click();
  await expect(a.getByTestId("no-org")).toBeVisible();
  await saved(a);
  // The other tab follows without a reload: it shows the empty workspace too, and says why.
  await expect(b.getByTestId("no-org")).toBeVisible();
  await expect(b.getByTestId("workspace-name")).not.toHaveText(demo);
  const now = (await b.getByTestId("workspace-name").textContent())!;
  await expect(b.getByTestId("notice").filter({ hasText: "Another tab replaced the workspace" })).toContainText(`this tab now shows “${now}”`);
  // An edit there lands in the new workspace, and both tabs agree after a reload.
  await goData(b);
  await rename(b, "Edited after the replace");
  await saved(b);
  await expect(a.getByTestId("workspace-name")).toHaveText("Edited after the replace");
  await a.reload();
  await expect(a.getByTestId("workspace-name")).toHaveText("Edited after the replace");
  await expect(a.getByTestId("no-org")).toBeVisible();
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
  // Tab A's undo history went with the sync: Ctrl+Z there says so and changes nothing.
  await a.locator("h2.page-title").click();
  await a.keyboard.press("Control+z");
  await expect(a.getByTestId("notice").filter({ hasText: "Nothing to undo" })).toBeVisible();
  await expect(a.getByTestId("workspace-name")).toHaveText("Edited in tab A");
  await expect(a.getByTestId("fy-start")).toHaveValue("4");
  // An edit made after it is undone as usual.
  await a.getByTestId("fy-start").selectOption("7");
  await saved(a);
  await a.locator("h2.page-title").click();
  await a.keyboard.press("Control+z");
  await expect(a.getByTestId("fy-start")).toHaveValue("4");
});

test("corrupt stored data is quarantined with a banner and a download", async ({ page }) => {
  await open(page);
  await goData(page);
  await rename(page, "Good copy");
  await saved(page);
  await rename(page, "Newest copy");
  await saved(page);
  // Damage both stored copies of the newest edit, as a failing disk or a bad
  // extension might (one damaged copy is repaired from the other unnoticed).
  // (A journal entry is small: cut each copy to half its length.)
  const cut = await page.evaluate(() => {
    const newest = Object.keys(localStorage)
      .filter((k) => k.startsWith("sales-tiers:j:"))
      .sort((a, b) => Number(a.split(":")[3]) - Number(b.split(":")[3]))
      .pop()!
      .replace(/:\d$/, "");
    const half = Math.floor(localStorage.getItem(`${newest}:0`)!.length / 2);
    for (const r of [0, 1]) localStorage.setItem(`${newest}:${r}`, localStorage.getItem(`${newest}:${r}`)!.slice(0, half));
    return half;
  });
  await page.reload();
  // Both copies cut the same way: one banner for the two.
  await expect(page.getByTestId("quarantine-banner")).toHaveCount(1);
  await expect(page.getByTestId("quarantine-banner").first()).toContainText("damaged");
  await expect(page.getByTestId("quarantine-banner").first()).toContainText("2 identical copies");
  await expect(page.getByTestId("workspace-name")).toHaveText("Good copy");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-raw").first().click()]);
  expect(fs.readFileSync((await download.path())!, "utf8").length).toBe(cut);
  await goData(page);
  await expect(page.getByTestId("quarantine-list").locator("li")).toHaveCount(2);
});

/**
 * A whole store set aside (a replace over a store that did not open moves
 * its hundred-odd chunks to quarantine) is one line with Download all and
 * Discard all; the copies one by one on request, not a page of rows.
 */
test("many copies in quarantine are one line with Download all and Discard all", async ({ page }) => {
  await open(page, "/data");
  await page.evaluate(() => {
    for (let i = 0; i < 8; i++) localStorage.setItem(`sales-tiers:quarantine:2026-01-01T00:00:0${i}.000Z:b:x:${i}:1:w:0`, `raw copy ${i}`);
  });
  await page.reload();
  const summary = page.getByTestId("quarantine-summary");
  await expect(summary).toContainText("8 copies set aside");
  await expect(page.getByTestId("quarantine-list")).toBeHidden();
  await page.getByTestId("quarantine-each").locator("summary").click();
  await expect(page.getByTestId("quarantine-list").locator("li")).toHaveCount(8);
  // Each row's buttons say which copy they are for.
  const firstKey = "2026-01-01T00:00:00.000Z:b:x:0:1:w:0";
  await expect(page.getByRole("button", { name: `Download raw data: ${firstKey}`, exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: `Discard: ${firstKey}`, exact: true })).toBeVisible();
  // One file: every copy under its key, as stored.
  const { file } = await download(page, () => page.getByTestId("quarantine-download-all").click());
  const all: Record<string, string> = JSON.parse(fs.readFileSync(file, "utf8"));
  expect(Object.keys(all).every((k) => k.startsWith("sales-tiers:quarantine:"))).toBe(true);
  expect(Object.values(all).sort()).toEqual([...Array(8).keys()].map((i) => `raw copy ${i}`));
  await page.getByTestId("lang-zh").click();
  await expect(summary).toContainText("8 份隔离数据");
  // Asked first; cancelled, nothing goes.
  page.once("dialog", (d) => d.dismiss());
  await page.getByTestId("quarantine-discard-all").click();
  await expect(summary).toBeVisible();
  page.once("dialog", (d) => d.accept());
  await page.getByTestId("quarantine-discard-all").click();
  await expect(page.getByText("没有被隔离的数据。")).toBeVisible();
  // The focus is on the card's heading, not lost on the page.
  await expect(page.getByRole("heading", { name: "隔离区" })).toBeFocused();
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("sales-tiers:quarantine:")).length)).toBe(0);
});

/** Both stored copies of one bucket of the document cut short, or removed. */
async function spoilBucket(page: Page, how: "cut" | "remove") {
  await page.evaluate((how) => {
    const bucket = Object.keys(localStorage).find((k) => k.startsWith("sales-tiers:b:") && k.endsWith(":0"))!.replace(/:0$/, "");
    for (const r of [0, 1]) {
      const key = `${bucket}:${r}`;
      if (how === "cut") localStorage.setItem(key, localStorage.getItem(key)!.slice(0, -3));
      else localStorage.removeItem(key);
    }
  }, how);
  await page.reload();
}

test("a store that cannot be opened says so truly: its damaged copies are set aside, to download", async ({ page }) => {
  await open(page);
  await saved(page);
  await spoilBucket(page, "cut");
  const blocked = page.getByTestId("storage-blocked");
  await expect(blocked).toContainText("download the quarantined data");
  // Nothing was opened: the set-aside copies do not claim a good copy was.
  const banners = page.getByTestId("quarantine-banner");
  // The bucket's two copies, cut the same way: one banner.
  await expect(banners).toHaveCount(1);
  for (const b of await banners.all()) {
    await expect(b).toContainText("The raw data that could not be opened was not deleted");
    await expect(b).not.toContainText("last good copy");
  }
  // In Chinese, the parser's own words are marked as a technical detail.
  await page.getByTestId("lang-zh").click();
  await expect(banners.first()).toContainText("无法打开的原始数据没有删除");
  await expect(banners.first()).toContainText("技术细节：");
  await expect(blocked).toContainText("下载隔离的数据");
});

test("a store missing part of its document says it is missing, with nothing to download", async ({ page }) => {
  await open(page);
  await saved(page);
  await spoilBucket(page, "remove");
  await expect(page.getByTestId("storage-blocked")).toContainText("part of it is missing");
  await expect(page.getByTestId("storage-blocked")).not.toContainText("download");
  await expect(page.getByTestId("quarantine-banner")).toHaveCount(0);
  // Nothing would be stored: an edit is refused, saying so, not kept in
  // memory to be lost on reload.
  await page.getByTestId("add-root").click();
  await expect(page.getByTestId("notice").filter({ hasText: "takes no edits" })).toBeVisible();
  await expect(page.getByTestId("no-org")).toBeVisible();
  await page.getByTestId("lang-zh").click();
  await expect(page.getByTestId("storage-blocked")).toContainText("其中一部分已缺失");
  await expect(page.getByTestId("notice").filter({ hasText: "不接受修改" })).toBeVisible();
});

test("a page whose store did not open keeps the real backup, exports no placeholder, and says where the data went", async ({ page }) => {
  await open(page);
  const demo = await demoName(page);
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    d.accept();
  });
  // The demo is the backup; then part of the store is lost.
  await page.getByTestId("start-empty").click();
  await expect(page.getByTestId("no-org")).toBeVisible();
  await saved(page);
  await spoilBucket(page, "remove");
  await expect(page.getByTestId("storage-blocked")).toBeVisible();
  await goData(page);
  await expect(page.getByTestId("backup")).toContainText(demo);
  // Export: what is shown is a placeholder, not the stored data.
  let downloads = 0;
  page.on("download", () => downloads++);
  await page.getByTestId("export").click();
  await expect(page.getByTestId("notice").filter({ hasText: "nothing to export" })).toBeVisible();
  expect(downloads).toBe(0);
  // Starting anew says the stored data is kept, and keeps the real backup
  // (the placeholder used to push it out).
  await page.getByTestId("data-start-empty").click();
  await expect(page.getByTestId("storage-blocked")).toHaveCount(0);
  expect(dialogs.at(-1)).toContain("kept in quarantine");
  await saved(page);
  await expect(page.getByTestId("backup")).toContainText(demo);
  await page.getByTestId("restore-previous").click();
  await expect(page.getByTestId("workspace-name")).toHaveText(demo);
});

test("start empty backs up the demo, and it can be restored", async ({ page }) => {
  await open(page);
  const demo = await demoName(page);
  // The organisation page's count (people who have not left), and the header's name in Chinese.
  const people = Number(await page.getByTestId("stat-people").locator(".stat-value").textContent());
  await page.getByTestId("lang-zh").click();
  const zhTitle = (await page.getByTestId("workspace-name").textContent()) as string;
  await page.getByTestId("lang-en").click();
  const asked: string[] = [];
  let answer = true;
  page.on("dialog", (d) => {
    asked.push(d.message());
    if (answer) d.accept();
    else d.dismiss();
  });
  await page.getByTestId("start-empty").click();
  await expect(page.getByTestId("no-org")).toBeVisible();
  await expect(page.getByTestId("demo-badge")).toHaveCount(0);
  // No backup yet: nothing to give way.
  expect(asked).toHaveLength(1);
  expect(asked[0]).toContain("backed up first");
  expect(asked[0]).not.toContain("Only one backup is kept");
  // An empty workspace keeps the default tiers (director, regional manager, team lead, rep).
  await expect(page.getByTestId("tier-card")).toHaveCount(4);
  await saved(page);
  const empty = await storedOrg(page);
  expect(empty.data.meta.demo).toBe(false);
  expect(empty.units).toHaveLength(0);
  expect(empty.tiers).toHaveLength(4);
  await goData(page);
  await expect(page.getByTestId("backup")).toContainText(demo);
  // Listed as the organisation page counts and the header names it, in
  // either language (it counted people who had left, and kept the raw name).
  await expect(page.getByTestId("backup")).toContainText(`${people} people`);
  await page.getByTestId("lang-zh").click();
  await expect(page.getByTestId("backup-name")).toHaveText(`上一个工作区：${zhTitle}`);
  await expect(page.getByTestId("backup")).toContainText(`${people} 人`);
  await page.getByTestId("lang-en").click();
  await page.getByTestId("restore-previous").click();
  await expect(page.getByTestId("workspace-name")).toHaveText(demo);
  // Now the empty one is the backup: replacing again asks, naming it, and
  // a "no" changes nothing.
  answer = false;
  await page.getByTestId("data-start-empty").click();
  await expect.poll(() => asked.length).toBe(2);
  expect(asked[1]).toContain("Only one backup is kept, so the one there now (");
  expect(asked[1]).toMatch(/0 people, last changed \d{4}-\d\d-\d\d \d\d:\d\d UTC\) will be replaced by the new one/);
  await expect(page.getByTestId("workspace-name")).toHaveText(demo);
  await expect(page.getByTestId("backup")).toContainText("0 people");
});
