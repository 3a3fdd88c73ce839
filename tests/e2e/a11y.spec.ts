// Accessibility: an axe-core scan (axe-core from npm, injected into the
// page) of every route in both languages, with an open dialog and the
// pipeline's board view too, finds nothing critical or serious. A failure
// lists each rule with the page and the nodes it flagged.
import type { Page } from "@playwright/test";
import axe from "axe-core";
import fs from "node:fs";
import { test, expect, open } from "./helpers";

type Node = { target: string[]; failureSummary?: string; html: string };
type Violation = { id: string; impact: string | null; help: string; nodes: Node[] };
type Finding = { view: string; rule: string; impact: string; help: string; nodes: Node[] };

/** The sidebar's pages (`NAV` in src/app.rs), each with what shows its data has rendered. */
const ROUTES: [string, string][] = [
  ["/", "[data-testid=tree-row]"],
  ["/chart", "[data-testid=chart-node]"],
  ["/people", "[data-testid=person-row]"],
  ["/tiers", "[data-testid=tier]"],
  ["/grades", "[data-testid=assessment]"],
  ["/targets", "[data-testid=target-row]"],
  ["/budget", "[data-testid=budget-row]"],
  ["/capacity", "[data-testid=capacity-row]"],
  ["/scenarios", "[data-testid=create-scenario]"],
  ["/customers", "[data-testid=customer-row]"],
  ["/work", "[data-testid=stale-row]"],
  ["/pipeline", "[data-testid=open-opp]"],
  ["/forecast", "[data-testid=forecast-row]"],
  ["/scorecards", "[data-testid=score-row]"],
  ["/payouts", "[data-testid=summary-row]"],
  ["/data", "[data-testid=ws-name]"],
  ["/no-such-page", "[data-testid=not-found]"],
];

/** Runs axe on the page as it is now; every rule axe has (WCAG 2.x A/AA and best practice). */
async function scan(page: Page, view: string): Promise<Finding[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axe.source });
  const violations: Violation[] = await page.evaluate(async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const r = await (window as any).axe.run(document, { resultTypes: ["violations"] });
    return r.violations;
  });
  return violations.map((v) => ({ view, rule: v.id, impact: v.impact ?? "none", help: v.help, nodes: v.nodes }));
}

function report(findings: Finding[]): string {
  return findings
    .map((f) => {
      const nodes = f.nodes.slice(0, 5).map((n) => `    ${n.target.join(" ")}  ${n.html.slice(0, 160)}`);
      const more = f.nodes.length > 5 ? [`    … and ${f.nodes.length - 5} more`] : [];
      return [`${f.impact} ${f.rule} on ${f.view} (${f.nodes.length} nodes): ${f.help}`, ...nodes, ...more].join("\n");
    })
    .join("\n");
}

/** Rule → impact, views and node count, printed so a run shows what is left. */
function summary(findings: Finding[]): string {
  const by = new Map<string, { impact: string; views: Set<string>; nodes: number }>();
  for (const f of findings) {
    const e = by.get(f.rule) ?? { impact: f.impact, views: new Set(), nodes: 0 };
    e.views.add(f.view);
    e.nodes += f.nodes.length;
    by.set(f.rule, e);
  }
  return [...by].map(([rule, e]) => `${e.impact} ${rule}: ${e.views.size} views, ${e.nodes} nodes`).join("\n") || "no violations";
}

/** Panels, dialogs and views a page opens, each scanned open. */
const STATES: [string, string, (page: Page) => Promise<void>][] = [
  ["person dialog", "/", async (page) => {
    await page.getByTestId("member").first().click();
    await expect(page.locator("[role=dialog]")).toBeVisible();
  }],
  ["org row panel", "/", async (page) => {
    await page.getByTestId("row-actions").nth(1).click();
    await page.getByTestId("act-move").click();
    await expect(page.getByTestId("row-panel")).toBeVisible();
  }],
  ["cascade panel", "/targets", async (page) => {
    await page.getByTestId("split").first().click();
    await expect(page.getByTestId("cascade-panel")).toBeVisible();
  }],
  ["headcount form", "/capacity", async (page) => {
    await page.getByTestId("edit-headcount").first().click();
    await expect(page.getByTestId("headcount-form")).toBeVisible();
  }],
  ["tier editor", "/tiers", async (page) => {
    await page.getByTestId("tier-edit").first().click();
    await expect(page.getByTestId("tier-form")).toBeVisible();
  }],
  ["grade editor", "/grades", async (page) => {
    await page.getByTestId("grade-edit").first().click();
    await expect(page.getByTestId("grade-editor")).toBeVisible();
  }],
  ["customer dialog", "/customers", async (page) => {
    await page.getByTestId("customer-row").first().click();
    await expect(page.locator("[role=dialog]")).toBeVisible();
  }],
  ["opportunity dialog", "/pipeline", async (page) => {
    await page.getByTestId("open-opp").first().click();
    await expect(page.locator("[role=dialog]")).toBeVisible();
  }],
  ["stage editor", "/pipeline", async (page) => {
    await page.getByTestId("edit-stages").click();
    await expect(page.locator("[role=dialog]")).toBeVisible();
  }],
  ["log activity", "/work", async (page) => {
    await page.getByTestId("stale-log").first().click();
    await expect(page.getByTestId("activity-form")).toBeVisible();
  }],
  ["new task", "/work", async (page) => {
    await page.getByTestId("new-task").click();
    await expect(page.getByTestId("task-form")).toBeVisible();
  }],
  ["home as a table", "/", async (page) => {
    await page.getByTestId("toggle-table").click();
    await expect(page.getByTestId("months-table")).toBeVisible();
  }],
  ["pipeline board", "/pipeline?view=kanban", async (page) => {
    await expect(page.getByTestId("kanban-card").first()).toBeVisible();
  }],
  ["manager's call", "/forecast", async (page) => {
    await page.getByTestId("override").first().click();
    await expect(page.locator("[role=dialog]")).toBeVisible();
  }],
  ["scorecard detail", "/scorecards", async (page) => {
    await page.getByTestId("score-row").first().click();
    await expect(page.locator("[role=dialog]")).toBeVisible();
  }],
  ["plan editor", "/payouts", async (page) => {
    await page.getByTestId("edit-plan").first().click();
    await expect(page.getByTestId("plan-editor")).toBeVisible();
  }],
  ["pool weights", "/payouts", async (page) => {
    await page.getByTestId("pool-weights").first().click();
    await expect(page.getByTestId("pool-weights-editor")).toBeVisible();
  }],
];

const blocking = (f: Finding) => f.impact === "critical" || f.impact === "serious";

for (const lang of ["zh", "en"] as const) {
  test(`axe: no critical or serious violation on any page in ${lang}, a dialog and the board included`, async ({ page }) => {
    test.setTimeout(180_000);
    const findings: Finding[] = [];
    await open(page, "/");
    await page.getByTestId(`lang-${lang}`).click();
    await expect(page.getByTestId(`lang-${lang}`)).toHaveAttribute("aria-pressed", "true");
    for (const [path, ready] of ROUTES) {
      await page.goto(path);
      await expect(page.locator(ready).first()).toBeAttached();
      findings.push(...(await scan(page, `${path} (${lang})`)));
    }
    for (const [view, path, act] of STATES) {
      await page.goto(path);
      await act(page);
      findings.push(...(await scan(page, `${view} (${lang})`)));
    }

    console.log(`axe (${lang}):\n${summary(findings)}`);
    // AXE_REPORT=dir writes every finding, moderate and minor included, as JSON.
    if (process.env.AXE_REPORT) {
      fs.mkdirSync(process.env.AXE_REPORT, { recursive: true });
      fs.writeFileSync(`${process.env.AXE_REPORT}/axe-${lang}.json`, JSON.stringify(findings, null, 1));
    }
    const bad = findings.filter(blocking);
    expect(bad, report(bad)).toEqual([]);
  });
}
