// wasm memory (its linear memory, which never shrinks: the high-water mark)
// after opening a workspace and after 100 target-cell edits with their
// saves. No assertions; prints figures.
// Usage: node scripts/memory-bench.mjs BASE_URL WORKSPACE_FILE
import { benchArgs, launch, openWorkspace } from "./bench-common.mjs";

const { base, file } = benchArgs("memory-bench.mjs");
const browser = await launch();
const page = await (await browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 900 } })).newPage();
// Trunk's loader announces the wasm exports; keep its memory.
await page.addInitScript(() => addEventListener("TrunkApplicationStarted", (e) => (window.__wasmMemory = e.detail.wasm.memory)));
const mb = async () => (await page.evaluate(() => window.__wasmMemory.buffer.byteLength)) / 1048576;
const saved = () => page.getByTestId("save-state").and(page.locator(".saved")).waitFor();

await openWorkspace(page, base, file);
await page.reload();
await page.getByTestId("workspace-name").waitFor();
const afterLoad = await mb();
await page.goto(base + "/targets");
await page.getByTestId("target-row").first().waitFor();
const onTargets = await mb();
const row = page.getByTestId("target-row").nth(2);
for (let i = 0; i < 100; i++) {
  const cell = row.locator('[data-testid=cell][data-period="q2"]');
  await cell.fill(String(1000000 + i * 1000));
  await cell.press("Enter");
  if (i % 10 === 9) await saved();
}
await saved();
const afterEdits = await mb();
const shown = await row.locator('[data-testid=cell][data-period="q2"]').inputValue();
const undoable = await page.getByTestId("undo").isEnabled();
console.log(`after the edits the cell shows ${shown} (the last value typed: ${1000000 + 99 * 1000}); undo ${undoable ? "enabled" : "disabled"}`);
console.log(`wasm memory: after load ${afterLoad.toFixed(0)} MB, targets page ${onTargets.toFixed(0)} MB, after 100 cell edits + saves ${afterEdits.toFixed(0)} MB (${(afterEdits / afterLoad).toFixed(2)}× load)`);
await browser.close();
