// In-browser timings of signed and locked files (no assertions; prints figures).
// Usage: node scripts/seal-bench.mjs BASE_URL WORKSPACE_FILE
//   1. open the workspace (e.g. 1,000 people / ~20,000 deals), say who I am, make my key
//   2. export it signed: click → file downloaded (write + sign), three times
//   3. export it locked: passphrase entered → file downloaded (write + sign + Argon2id + deflate + encrypt)
//   4. in another browser: pick the signed file → "Open this file?" shown (read + verify + validate)
//   5. pick the locked file, enter the passphrase → "Open this file?" shown (Argon2id + decrypt + inflate + read)
import fs from "fs";
import { benchArgs, launch, median, openWorkspace } from "./bench-common.mjs";

const { base, file } = benchArgs("seal-bench.mjs");
const browser = await launch();
const context = () => browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 900 }, acceptDownloads: true });
const frame = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));

const page = await (await context()).newPage();
await openWorkspace(page, base, file);
const doc = JSON.parse(fs.readFileSync(file, "utf8")).data;
const director = Object.values(doc.units).find((u) => !u.parent).manager;
await page.getByTestId("who-am-i").selectOption(director);
await page.getByTestId("create-key").click();
await page.getByTestId("my-fingerprint").waitFor();

const exports = [];
let signed;
for (let i = 0; i < 3; i++) {
  const t0 = Date.now();
  const [d] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export").click()]);
  signed = await d.path();
  exports.push(Date.now() - t0);
}
console.log(`signed export: ${(fs.statSync(signed).size / 1048576).toFixed(2)} MB`);
console.log(`export signed (click → downloaded): median ${median(exports)} ms of ${exports.join(", ")}`);

await page.getByTestId("encrypt").first().check();
const locks = [];
let locked;
for (let i = 0; i < 3; i++) {
  await page.getByTestId("export").click();
  await page.getByTestId("passphrase").fill("correct horse battery");
  await page.getByTestId("passphrase-again").fill("correct horse battery");
  const t0 = Date.now();
  const [d] = await Promise.all([page.waitForEvent("download"), page.getByTestId("passphrase").press("Enter")]);
  locked = await d.path();
  locks.push(Date.now() - t0);
}
console.log(`locked export: ${(fs.statSync(locked).size / 1048576).toFixed(2)} MB`);
console.log(`export locked (Enter → downloaded): median ${median(locks)} ms of ${locks.join(", ")}`);

const other = await (await context()).newPage();
await other.goto(base + "/data");
await other.getByTestId("workspace-name").waitFor();
const opens = [];
for (let i = 0; i < 3; i++) {
  const t0 = Date.now();
  await other.getByTestId("import-file").setInputFiles(signed);
  await other.getByTestId("open-dialog").waitFor();
  await frame(other);
  opens.push(Date.now() - t0);
  console.log(`  ${(await other.getByTestId("seal").innerText()).trim()}`);
  await other.getByTestId("open-cancel").click();
}
console.log(`pick the signed file → checked and shown: median ${median(opens)} ms of ${opens.join(", ")}`);
const unlocks = [];
for (let i = 0; i < 3; i++) {
  await other.getByTestId("import-file").setInputFiles(locked);
  await other.getByTestId("passphrase").fill("correct horse battery");
  const t0 = Date.now();
  await other.getByTestId("passphrase").press("Enter");
  await other.getByTestId("open-dialog").waitFor();
  await frame(other);
  unlocks.push(Date.now() - t0);
  await other.getByTestId("open-cancel").click();
}
console.log(`locked file: Enter → unlocked, checked and shown: median ${median(unlocks)} ms of ${unlocks.join(", ")}`);
await browser.close();
