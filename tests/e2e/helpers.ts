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
  await page.locator("nav.sidebar a[href='/data']").click();
  await expect(page.getByTestId("ws-name")).toBeVisible();
}

export async function rename(page: Page, name: string) {
  const input = page.getByTestId("ws-name");
  await input.fill(name);
  await input.press("Enter");
  await input.blur();
  await expect(page.getByTestId("workspace-name")).toHaveText(name);
}

/** Text of localStorage's current workspace slot. */
export async function storedWorkspaceName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const slot = localStorage.getItem("sales-tiers:current");
    const text = slot ? localStorage.getItem(slot) : null;
    return text ? JSON.parse(text).data.settings.workspace_name : "";
  });
}
