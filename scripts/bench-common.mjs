// What the in-browser benches share: arguments, Chromium as the tests start
// it, opening a workspace file through the Data page, the median.
import { chromium } from "@playwright/test";

/** BASE_URL and WORKSPACE_FILE from the command line, or the usage and exit 2. */
export function benchArgs(script) {
  const [base = "http://127.0.0.1:8080", file] = process.argv.slice(2);
  if (!file) {
    console.error(`usage: node scripts/${script} BASE_URL WORKSPACE_FILE`);
    process.exit(2);
  }
  return { base, file };
}

/** Headless Debian Chromium with the flags this machine needs. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Opens a workspace file as a user does (Import, then Open) and waits until it is stored. */
export async function openWorkspace(page, base, file) {
  await page.goto(base + "/data");
  await page.getByTestId("import-file").setInputFiles(file);
  await page.getByTestId("open-confirm").click();
  await page.getByTestId("import-result").waitFor();
  await page.getByTestId("save-state").and(page.locator(".saved")).waitFor();
}

export const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
