/* eslint-disable @typescript-eslint/no-explicit-any */
import crypto from "crypto";
import fs from "fs";
import path from "path";
import type { Page } from "@playwright/test";
import { test, expect, download, goData, goto, iAm, open, otherBrowser, regionsOf, saved, storedData, typeInto, textIn } from "./helpers";

/**
 * Signed and locked files between managers. Who signed is decided by the
 * receiving workspace's known keys; every name and fingerprint expected
 * below is read from the stored documents or from what the other browser
 * shows, never copied from the demo.
 */

// A step that cannot happen fails at its line instead of at the test timeout.
test.use({ actionTimeout: 30_000 });

const trow = (page: Page, name: string) => page.locator(`[data-testid=target-row][data-name="${name}"]`);





/** The branch's manager cascades the region's year target to its teams (a change to send back). */
async function cascade(m: Page, region: string, method: string) {
  await goto(m, "/targets");
  await trow(m, region).getByTestId("split").click();
  await m.getByTestId("cascade-method").selectOption(method);
  await m.getByTestId("cascade-period").selectOption("year");
  await m.getByTestId("cascade-ok").click();
  await expect(m.getByTestId("cascade-panel")).toHaveCount(0);
  await saved(m);
}

async function mergeFile(page: Page, file: string) {
  await goData(page);
  await page.getByTestId("merge-file").setInputFiles(file);
}

/** Types a passphrase into the dialog as a person does, once or twice, and submits. */
async function passphrase(page: Page, text: string, twice: boolean) {
  await typeInto(page.getByTestId("passphrase"), text);
  if (twice) {
    await page.keyboard.press("Tab");
    await expect(page.getByTestId("passphrase-again")).toBeFocused();
    await page.keyboard.type(text);
  }
  await page.keyboard.press("Enter");
}

test("a manager's signed branch: unknown key confirmed by fingerprint, then verified; an edited copy is refused; a revoked key is flagged", async ({ page, browser }) => {
  test.setTimeout(240_000);
  // The director sends East China; as "who am I" is set, the first file sent makes their key.
  await open(page, "/data");
  const data = await storedData(page);
  const east = regionsOf(data)[0];
  const eastName = textIn(east.name, "en");
  const director = (Object.values(data.units) as any[]).find((u) => !u.parent).manager;
  const directorName = textIn(data.people[director].name, "en");
  const managerName = textIn(data.people[east.manager].name, "en");
  await iAm(page, director);
  await expect(page.getByTestId("my-key-none")).toContainText(directorName);
  await page.getByTestId("branch-unit").selectOption(east.id);
  const sent = await download(page, () => page.getByTestId("send-branch").click());
  const directorFp = (await page.getByTestId("my-fingerprint").textContent())!.trim();
  expect(directorFp).toMatch(/^([0-9a-f]{4} ){5}[0-9a-f]{4}$/);
  const sentFile = JSON.parse(fs.readFileSync(sent.file, "utf8"));
  expect(sentFile.signature.alg).toBe("ed25519");
  expect(sentFile.signature.signer.id).toBe(director);
  // The director's own key is in their known keys, marked as their own.
  await expect(page.locator("[data-testid=known-key]")).toHaveCount(1);
  await expect(page.getByTestId("known-keys")).toContainText("own");
  // Writing the file and keeping one's own key are not steps to undo: an
  // undo would make the workspace forget the key this browser signs with.
  await expect(page.getByTestId("undo")).toBeDisabled();

  // East China's manager opens it in their own browser: signed by a key it does not know.
  const m = await otherBrowser(browser);
  await open(m, "/data");
  await m.getByTestId("import-file").setInputFiles(sent.file);
  await expect(m.getByTestId("seal")).toContainText("does not know");
  await expect(m.getByTestId("seal")).toContainText(directorName);
  await expect(m.getByTestId("seal")).toContainText(directorFp);
  await m.getByTestId("trust-key").check();
  await m.getByTestId("open-confirm").click();
  await expect(m.getByTestId("branch-banner")).toContainText(eastName);
  // The director's key is now known here, on first use.
  await goData(m);
  await expect(m.locator("[data-testid=known-key]")).toHaveCount(1);
  await expect(m.getByTestId("known-keys")).toContainText(directorFp);
  await expect(m.getByTestId("known-keys")).toContainText("trust on first use");

  // The manager says who they are and makes their key by hand.
  await iAm(m, east.manager);
  await m.getByTestId("create-key").click();
  // The button is replaced by the key: the focus goes to backing it up, not to the page.
  await expect(m.getByTestId("back-up-key")).toBeFocused();
  const managerFp = (await m.getByTestId("my-fingerprint").textContent())!.trim();
  expect(managerFp).not.toBe(directorFp);
  await cascade(m, eastName, "equal");
  await goData(m);
  const back1 = await download(m, () => m.getByTestId("send-back").click());

  // The director: a key this workspace does not know, with the fingerprint the manager reads out.
  await mergeFile(page, back1.file);
  await expect(page.getByTestId("review")).toBeVisible();
  const seal = page.getByTestId("seal");
  await expect(seal).toHaveAttribute("data-trust", "Unknown");
  await expect(seal).toContainText(managerName);
  await expect(seal).toContainText(managerFp);
  await expect(page.getByTestId("apply-merge")).toBeDisabled();
  // Keyboard: Space ticks "I compared the fingerprint".
  await page.getByTestId("trust-key").focus();
  await page.keyboard.press("Space");
  await expect(page.getByTestId("trust-key")).toBeChecked();
  await expect(page.getByTestId("confirm-anyway")).toHaveCount(0);
  await page.getByTestId("apply-merge").click();
  await expect(page.getByTestId("review")).toHaveCount(0);
  await saved(page);
  const merged = await storedData(page);
  const recorded = (Object.values(merged.keys) as any[]).find((k) => k.person === east.manager);
  expect(recorded.origin).toBe("first_file");
  await expect(page.getByTestId("known-keys")).toContainText(managerFp);

  // The next file from the same manager is verified, by the recorded key (in Chinese too).
  await cascade(m, eastName, "capacity");
  await goData(m);
  const back2 = await download(m, () => m.getByTestId("send-back").click());
  await mergeFile(page, back2.file);
  await expect(seal).toHaveAttribute("data-trust", "Known");
  await expect(seal).toContainText(`signed by ${managerName}`);
  await expect(seal).toContainText("key recorded");
  await expect(page.getByTestId("trust-key")).toHaveCount(0);
  await expect(page.getByTestId("apply-merge")).toBeEnabled();
  await page.getByTestId("cancel-merge").click();
  await page.getByTestId("lang-zh").click();
  await mergeFile(page, back2.file);
  await expect(seal).toContainText(`由${textIn(data.people[east.manager].name, "zh")}`);
  await expect(seal).toContainText("公钥记录于");
  await page.getByTestId("cancel-merge").click();
  await page.getByTestId("lang-en").click();

  // A copy edited in a text editor: one figure changed. Refused, nothing opens.
  const text = fs.readFileSync(back2.file, "utf8");
  const target = (Object.values(JSON.parse(text).data.plan.targets) as any[]).find((l) => l.months.some((x: number) => x > 0))!;
  const months = JSON.stringify(target.months);
  const changed = JSON.stringify(target.months.map((x: number, i: number) => (i === 0 ? x + 100_000_00 : x)));
  expect(text).toContain(months);
  const edited = test.info().outputPath("edited.json");
  fs.writeFileSync(edited, text.replace(months, changed));
  await mergeFile(page, edited);
  await expect(page.getByTestId("exchange-result")).toContainText("the file was changed after signing");
  await expect(page.getByTestId("review")).toHaveCount(0);
  // Opening it as a workspace is refused the same way.
  await page.getByTestId("import-file").setInputFiles(edited);
  await expect(page.getByTestId("import-result")).toContainText("changed after signing");
  await expect(page.getByTestId("open-dialog")).toHaveCount(0);

  // The same edit with the signature taken off (and the checksum, as a
  // script's file has none): it reads, but a file in the name of someone
  // whose key is known here and not signed is said as a danger, and held.
  const stripped = JSON.parse(text.replace(months, changed));
  delete stripped.signature;
  delete stripped.checksum;
  const unsigned = test.info().outputPath("unsigned.json");
  fs.writeFileSync(unsigned, JSON.stringify(stripped));
  await mergeFile(page, unsigned);
  await expect(seal).toHaveAttribute("data-trust", "Unsigned");
  await expect(seal).toHaveAttribute("data-suspect", "true");
  // Never "nothing new" in green over such a file.
  await expect(page.locator("[data-testid=review-nothing-new].ok")).toHaveCount(0);
  await expect(seal).toHaveText(`not signed, yet this workspace holds ${managerName}'s key and their files come signed: this file may not be theirs, or may have been changed`);
  await expect(page.getByTestId("apply-merge")).toBeDisabled();
  await page.getByTestId("cancel-merge").click();

  // Revoked: the record stays, and a file signed with the key is flagged and held.
  page.once("dialog", (d) => d.accept());
  await page.locator("[data-testid=known-key]", { hasText: managerFp }).getByTestId("revoke-key").click();
  await expect(page.locator("[data-testid=known-key][data-revoked=true]")).toContainText("revoked from");
  await mergeFile(page, back2.file);
  await expect(seal).toHaveAttribute("data-trust", "Revoked");
  await expect(seal).toContainText("revoked key");
  await expect(page.getByTestId("apply-merge")).toBeDisabled();
  await page.getByTestId("confirm-anyway").check();
  await expect(page.getByTestId("apply-merge")).toBeEnabled();
  await page.getByTestId("cancel-merge").click();
  await m.context().close();
});

test("an encrypted export opens in a fresh browser only with the right passphrase (in Chinese)", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await open(page, "/data");
  await page.getByTestId("lang-zh").click();
  const name = (await page.getByTestId("workspace-name").textContent())!.trim();
  await page.getByTestId("encrypt").first().check();
  await page.getByTestId("export").click();
  // Two passphrases that differ are refused; then the same one twice.
  await typeInto(page.getByTestId("passphrase"), "绿色 马 电池 订书钉");
  await typeInto(page.getByTestId("passphrase-again"), "绿色 马 电池");
  await page.getByTestId("passphrase-ok").click();
  await expect(page.getByTestId("passphrase-error")).toContainText("不一致");
  const [d] = await Promise.all([page.waitForEvent("download"), passphrase(page, "绿色 马 电池 订书钉", true)]);
  const file = (await d.path())!;
  const text = fs.readFileSync(file, "utf8");
  const locked = JSON.parse(text);
  expect(locked.encrypted.cipher).toBe("xchacha20poly1305");
  expect(locked.encrypted.kdf.alg).toBe("argon2id");
  expect(locked.encrypted.kdf.m_kib).toBeGreaterThanOrEqual(19456);
  expect(text).not.toContain(name);
  await expect(page.getByTestId("passphrase-form")).toHaveCount(0);

  // A fresh browser profile: its own demo, then the locked file.
  const b = await otherBrowser(browser);
  await open(b, "/data");
  await b.getByTestId("lang-zh").click();
  await goData(b);
  await b.getByTestId("ws-name").fill("另一个浏览器");
  await b.getByTestId("ws-name").press("Enter");
  await saved(b);
  const before = await b.evaluate(() => JSON.stringify(localStorage));
  await b.getByTestId("import-file").setInputFiles(file);
  await expect(b.getByTestId("passphrase-form")).toBeVisible();
  await passphrase(b, "错误的口令 wrong", false);
  await expect(b.getByTestId("passphrase-error")).toContainText("口令不对");
  await expect(b.getByTestId("workspace-name")).toHaveText("另一个浏览器");
  expect(await b.evaluate(() => JSON.stringify(localStorage))).toBe(before);
  // Cancel changes nothing either; the right passphrase opens it.
  await b.getByTestId("passphrase-cancel").click();
  await expect(b.getByTestId("passphrase-form")).toHaveCount(0);
  await b.getByTestId("import-file").setInputFiles(file);
  await passphrase(b, "绿色 马 电池 订书钉", false);
  await expect(b.getByTestId("open-dialog")).toBeVisible();
  await expect(b.getByTestId("seal")).toContainText("未签名");
  await b.getByTestId("open-confirm").click();
  await expect(b.getByTestId("workspace-name")).toHaveText(name);
  await b.context().close();
});

test("a key backed up with a passphrase restores in another browser and signs the same", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await open(page, "/data");
  const data = await storedData(page);
  const director = (Object.values(data.units) as any[]).find((u) => !u.parent).manager;
  await iAm(page, director);
  await page.getByTestId("create-key").click();
  const fp = (await page.getByTestId("my-fingerprint").textContent())!.trim();
  const publicKey = await page.getByTestId("my-public-key").inputValue();
  await page.getByTestId("back-up-key").click();
  const [d] = await Promise.all([page.waitForEvent("download"), passphrase(page, "a long key passphrase", true)]);
  const backup = fs.readFileSync((await d.path())!, "utf8");
  expect(backup).not.toContain(publicKey.slice(8));

  const b = await otherBrowser(browser);
  await open(b, "/data");
  await iAm(b, director);
  await expect(b.getByTestId("my-key-none")).toBeVisible();
  await b.getByTestId("restore-key").setInputFiles({ name: "key.json", mimeType: "application/json", buffer: Buffer.from(backup) });
  await passphrase(b, "not the passphrase", false);
  await expect(b.getByTestId("passphrase-error")).toContainText("wrong passphrase");
  await typeInto(b.getByTestId("passphrase"), "a long key passphrase");
  await b.keyboard.press("Enter");
  await expect(b.getByTestId("my-fingerprint")).toHaveText(fp);
  // Recorded here as the director's own key, and pasting it for someone else is refused.
  await expect(b.getByTestId("known-keys")).toContainText(fp);
  const other = (Object.values(data.people) as any[]).find((p) => p.id !== director)!;
  await b.getByTestId("record-key-person").selectOption(other.id);
  await typeInto(b.getByTestId("record-key-text"), publicKey);
  await expect(b.getByTestId("record-key-fingerprint")).toContainText(fp);
  await b.getByTestId("record-key-button").click();
  const directorName = textIn(data.people[director].name, "en");
  await expect(b.getByTestId("notice").filter({ hasText: `already recorded as ${directorName}'s` })).toBeVisible();
  // Revoking my own key: it is flagged, and a new one replaces it.
  b.once("dialog", (dlg) => dlg.accept());
  await b.locator("[data-testid=known-key]", { hasText: fp }).getByTestId("revoke-key").click();
  await expect(b.getByTestId("my-key-revoked")).toBeVisible();
  await b.getByTestId("create-new-key").click();
  await expect(b.getByTestId("my-fingerprint")).not.toHaveText(fp);
  await expect(b.getByTestId("my-key-revoked")).toHaveCount(0);
  // The revoked key cannot be recorded again, not even for its own person.
  await b.getByTestId("record-key-person").selectOption(director);
  await typeInto(b.getByTestId("record-key-text"), publicKey);
  await b.getByTestId("record-key-button").click();
  await expect(b.getByTestId("notice").filter({ hasText: "was revoked on" })).toBeVisible();
  await b.context().close();
});

test("a file signed on the command line opens here with its signer's fingerprint", async ({ page }) => {
  // Written by `sales-tiers branch … --from PERSON --sign KEYFILE` (tests/e2e/fixtures/cli-signed.json).
  const file = path.join(__dirname, "fixtures", "cli-signed.json");
  const sig = JSON.parse(fs.readFileSync(file, "utf8")).signature;
  // The fingerprint as people compare it: SHA-256 of the key's 32 bytes, first 12 bytes, 6 groups of 4 hex digits.
  const raw = Buffer.from(sig.key.replace(/^ed25519:/, ""), "base64");
  const hex = crypto.createHash("sha256").update(raw).digest("hex").slice(0, 24);
  const fp = hex.match(/.{4}/g)!.join(" ");
  await open(page, "/data");
  await page.getByTestId("import-file").setInputFiles(file);
  await expect(page.getByTestId("seal")).toHaveAttribute("data-trust", "Unknown");
  await expect(page.getByTestId("seal")).toContainText(fp);
  await expect(page.getByTestId("seal")).toContainText(sig.signer.name.en);
  await page.getByTestId("open-cancel").click();
  await expect(page.getByTestId("open-dialog")).toHaveCount(0);
});
