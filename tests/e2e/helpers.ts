import { expect, Page } from "@playwright/test";

/** Opens the app and waits for the wasm to render. */
export async function open(page: Page, path = "/") {
  await page.goto(path);
  await expect(page.getByTestId("workspace-name")).toBeVisible();
}

/** Waits until autosave has written the latest edit. */
export async function saved(page: Page) {
  await expect(page.getByTestId("save-state")).toHaveClass(/saved/);
}

export async function toEnglish(page: Page) {
  await page.getByTestId("lang-en").click();
  await expect(page.getByTestId("lang-en")).toHaveAttribute("aria-pressed", "true");
}

export async function goData(page: Page) {
  await goto(page, "/data");
  await expect(page.getByTestId("ws-name")).toBeVisible();
}

export async function rename(page: Page, name: string) {
  const input = page.getByTestId("ws-name");
  await input.fill(name);
  await input.press("Enter");
  await input.blur();
  await expect(page.getByTestId("workspace-name")).toHaveText(name);
}

/**
 * Workspace name in localStorage's current slot. Slots are stored compact
 * ("st1:<len>:" + raw deflate packed 15 bits per UTF-16 unit); decoding it
 * here with the browser's own inflater checks the format is standard.
 */
export async function storedWorkspaceName(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const slot = localStorage.getItem("sales-tiers:current");
    const raw = slot ? localStorage.getItem(slot) : null;
    if (!raw) return "";
    let text = raw;
    if (raw.startsWith("st1:")) {
      const rest = raw.slice(4);
      const colon = rest.indexOf(":");
      const len = Number(rest.slice(0, colon));
      const bytes = new Uint8Array(len);
      let acc = 0, bits = 0, n = 0;
      for (const ch of rest.slice(colon + 1)) {
        acc = ((acc << 15) | (ch.charCodeAt(0) - 0x4000)) >>> 0;
        bits += 15;
        while (bits >= 8 && n < len) {
          bits -= 8;
          bytes[n++] = (acc >>> bits) & 0xff;
        }
        acc &= (1 << bits) - 1;
      }
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
      text = await new Response(stream).text();
    }
    return JSON.parse(text).data.settings.workspace_name;
  });
}

/** A sidebar link; it carries "view as" and the year in its query when they are set. */
export function navLink(page: Page, path: string) {
  return page.locator(`nav.sidebar a[href='${path}'], nav.sidebar a[href^='${path}?']`);
}

/** Follows a sidebar link. */
export async function goto(page: Page, path: string) {
  await navLink(page, path).click();
}

/** A rep of the Shanghai team: the person listed after the team lead in the forecast rollup. */
export async function shanghaiRep(page: Page): Promise<string> {
  await goto(page, "/forecast");
  await page.getByTestId("show-people").check();
  const names = await page.locator("[data-testid=forecast-row]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-name")));
  return names[names.indexOf("Shanghai Team") + 2] as string;
}
