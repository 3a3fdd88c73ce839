// End-to-end tests: Playwright driving Debian's Chromium against the
// release build in dist/, served by scripts/serve-dist.mjs on a port that
// must be free (a stale server would make tests pass against old code).
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT || 8091);

export default defineConfig({
  testDir: "tests/e2e",
  // Beside a second worker the longest tests take up to 1.5× as long
  // (31.6 s for one that takes 22 s alone); a hung one still fails by
  // its action's name (actionTimeout below).
  timeout: 60_000,
  expect: { timeout: 7_000 },
  // Two files at a time, one per core: the end-to-end part ran in 11.8
  // min instead of 17.2 (161 tests). Tests in a file stay in order.
  // E2E_WORKERS=1 runs one at a time (a test suspected of depending on
  // the machine's load is run both ways).
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS || 2),
  retries: 0,
  reporter: [["list"]],
  outputDir: "target/e2e-results",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: "en-US",
    acceptDownloads: true,
    // No click, select or navigation takes this long here: one that hangs
    // fails with its own name instead of using up the whole test timeout
    // unnamed (work.spec.ts:60 once hung 180 s that way).
    actionTimeout: 30_000,
    navigationTimeout: 30_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: `node scripts/serve-dist.mjs ${port} dist`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 20_000,
  },
});
