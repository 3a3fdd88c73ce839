import { test as base, expect, Browser, Locator, Page } from "@playwright/test";

/**
 * The time the app starts at in every test. `SALES_TIERS_NOW` (RFC 3339,
 * e.g. 2027-03-31T23:30:00Z, or YYYY-MM-DD meaning its midnight UTC, as the
 * CLI reads it) runs the suite on that day; without it, the real current
 * time. A malformed value stops the run rather than quietly testing today.
 */
export function clockStart(): Date {
  const v = process.env.SALES_TIERS_NOW?.trim();
  if (!v) return new Date();
  const date = /^\d{4}-\d{2}-\d{2}$/.test(v);
  const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v);
  const t = new Date(date ? `${v}T00:00:00Z` : v);
  if (!(date || rfc3339) || Number.isNaN(t.getTime())) {
    throw new Error(`SALES_TIERS_NOW=${v}: not an RFC 3339 time or a YYYY-MM-DD date`);
  }
  return t;
}

/**
 * Every spec imports `test` from here: each test's browser context runs on
 * Playwright's fake clock, installed before the first page loads and
 * started at `clockStart()`. Time then flows on by itself (the autosave
 * debounce and other timers fire as usual), in every page and across
 * reloads of the context.
 */
export const test = base.extend({
  context: async ({ context }, use) => {
    await context.clock.install({ time: clockStart() });
    await use(context);
  },
});
export { expect };

/** The page's current time, on the injected clock. */
export async function pageNow(page: Page): Promise<Date> {
  return new Date(await page.evaluate(() => Date.now()));
}

/** The page's "today" as the app sees it (UTC, YYYY-MM-DD). */
export async function today(page: Page): Promise<string> {
  return (await pageNow(page)).toISOString().slice(0, 10);
}

/**
 * The app's fiscal "now": the fiscal year and quarter of its today, with the
 * year's and the quarter's bounds ([start, end) as YYYY-MM-DD), in the
 * workspace's calendar.
 */
export async function fiscalNow(page: Page, fyStartMonth: number) {
  const day = await today(page);
  const [y, m] = day.split("-").map(Number);
  const year = m >= fyStartMonth ? y : y - 1;
  const index = (m - fyStartMonth + 12) % 12;
  const quarter = Math.floor(index / 3) + 1;
  const monthStart = (k: number) => new Date(Date.UTC(year, fyStartMonth - 1 + k, 1)).toISOString().slice(0, 10);
  return {
    today: day,
    year,
    yearStart: monthStart(0),
    yearEnd: monthStart(12),
    quarter,
    key: `q${quarter}`,
    start: monthStart((quarter - 1) * 3),
    end: monthStart(quarter * 3),
    completeQuarters: quarter - 1,
  };
}

/** Opens the app and waits for the wasm to render. */
export async function open(page: Page, path = "/") {
  await page.goto(path);
  await expect(page.getByTestId("workspace-name")).toBeVisible();
}

/** Waits until autosave has written the latest edit. */
export async function saved(page: Page) {
  await expect(page.getByTestId("save-state")).toHaveClass(/saved/);
}

/** Types into a field as a person does: click, select what is there, type over it. */
export async function typeInto(field: Locator, text: string) {
  await field.click();
  await field.press("ControlOrMeta+A");
  if (text === "") await field.press("Delete");
  else await field.pressSequentially(text);
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
  await typeInto(input, name);
  await input.press("Enter");
  await input.blur();
  await expect(page.getByTestId("workspace-name")).toHaveText(name);
}

/**
 * The stored document, rebuilt in the page from localStorage the way the
 * storage protocol defines it (core/src/store/log.rs), as an independent
 * check of the stored format: every chunk ("sales-tiers:j:…" journal
 * entries and "sales-tiers:b:…" bucket versions, each in two replicas) is
 * unpacked with the browser's own inflater ("st1:<len>:" + raw deflate
 * packed 15 bits per UTF-16 unit), its header line read, and per cell the
 * state with the highest (lamport, writer) stamp of the newest complete
 * epoch kept. Returns the document in the file format's shape (`data`).
 */
export async function storedData(page: Page): Promise<any> {
  // The document comes back as one JSON string: Playwright's own transfer
  // of the object took ~1.1 s of the call's 1.4 s on the demo.
  const json = await page.evaluate(async () => {
    const unpack = async (raw: string): Promise<string | null> => {
      if (!raw.startsWith("st1:")) return null;
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
      try {
        const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
        return await new Response(stream).text();
      } catch {
        return null;
      }
    };
    type Chunk = { header: any; states: any[] };
    const chunks: Chunk[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i)!;
      if (!k.startsWith("sales-tiers:j:") && !k.startsWith("sales-tiers:b:")) continue;
      const text = await unpack(localStorage.getItem(k)!);
      if (!text) continue;
      const nl = text.indexOf("\n");
      try {
        chunks.push({ header: JSON.parse(text.slice(0, nl)), states: JSON.parse(text.slice(nl + 1)) });
      } catch {
        /* a damaged chunk: the app quarantines it */
      }
    }
    if (!chunks.length) return "null";
    // The newest complete epoch: every bucket present, highest stamp.
    const epochs = new Map<string, { max: number; buckets: Set<number>; of: number }>();
    for (const c of chunks) {
      const e = epochs.get(c.header.epoch) ?? { max: 0, buckets: new Set<number>(), of: c.header.buckets };
      for (const s of c.states) e.max = Math.max(e.max, s[2]);
      if (c.header.kind === "b") e.buckets.add(c.header.bucket);
      epochs.set(c.header.epoch, e);
    }
    const complete = [...epochs].filter(([, e]) => e.buckets.size === e.of).sort((a, b) => b[1].max - a[1].max);
    if (!complete.length) return "null";
    const epoch = complete[0][0];
    const newest = new Map<string, any[]>();
    const later = (a: any[], b: any[]) => a[2] > b[2] || (a[2] === b[2] && a[3] > b[3]);
    for (const c of chunks.filter((c) => c.header.epoch === epoch)) {
      for (const s of c.states) {
        const key = `${s[0]}|${s[1]}`;
        const old = newest.get(key);
        if (!old || later(s, old)) newest.set(key, s);
      }
    }
    // Sections with no record yet are empty, as in a file.
    const data: any = { plan: { targets: {}, budgets: {} } };
    for (const s of ["units", "people", "tiers", "grades", "customers", "opportunities", "stages", "scorecards", "incentive_plans", "categories", "tools", "scenarios"]) data[s] = {};
    for (const [section, id, , , value] of newest.values()) {
      if (value === null) continue;
      const [top, sub] = section.split(".");
      const home = sub ? (data[top] ??= {}) : data;
      const name = sub ?? top;
      if (id === null) home[name] = value;
      else (home[name] ??= {})[id] = value;
    }
    return JSON.stringify(data);
  });
  return JSON.parse(json);
}

/** Workspace name as stored. */
export async function storedWorkspaceName(page: Page): Promise<string> {
  return (await storedData(page))?.settings.workspace_name ?? "";
}

export type Lang = "en" | "zh";
export type Text = { zh: string; en: string };
/** A two-language text as the UI shows it (falls back to the other side). */
export const textIn = (t: Text, lang: Lang) => {
  const [first, second] = lang === "zh" ? [t.zh, t.en] : [t.en, t.zh];
  return first.trim() ? first : second;
};

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Facts about the stored organisation, computed from the document itself,
 * so tests compare the page with the data instead of with numbers copied
 * from one run of the demo. Mirrors the documented rules: people who have
 * left are not counted; a unit without a manager in post is a vacancy.
 */
export class Org {
  constructor(readonly data: any, readonly lang: Lang = "en") {}
  get units(): any[] {
    return Object.values(this.data.units);
  }
  get people(): any[] {
    return Object.values(this.data.people);
  }
  /** People who have not left. */
  get current(): any[] {
    return this.people.filter((p) => p.status !== "left");
  }
  get tiers(): any[] {
    return Object.values(this.data.tiers as Record<string, any>).sort((a, b) => a.order - b.order);
  }
  name(record: { name: Text }): string {
    return textIn(record.name, this.lang);
  }
  unit(id: string): any {
    return this.data.units[id];
  }
  unitNamed(name: string): any {
    const u = this.units.find((x) => this.name(x) === name);
    if (!u) throw new Error(`no unit named ${name}`);
    return u;
  }
  root(): any {
    return this.units.find((u) => u.parent === null || u.parent === undefined);
  }
  /** Children in tree order (position, then id). */
  children(id: string): any[] {
    return this.units.filter((u) => u.parent === id).sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
  }
  /** The unit and everything below it. */
  subtree(id: string): Set<string> {
    const out = new Set<string>([id]);
    for (const c of this.children(id)) for (const x of this.subtree(c.id)) out.add(x);
    return out;
  }
  /** People who have not left, in the unit or below it. */
  members(id: string): any[] {
    const units = this.subtree(id);
    return this.current.filter((p) => units.has(p.unit));
  }
  headcount(id: string): number {
    return this.members(id).length;
  }
  vacancies(id: string): number {
    return [...this.subtree(id)].filter((u) => {
      const m = this.unit(u).manager;
      return !m || !this.data.people[m] || this.data.people[m].status === "left";
    }).length;
  }
  /** The first region (a child of the root) with teams below it, and its first team. */
  regionAndTeam(): { region: string; team: string } {
    const region = this.children(this.root().id).find((r) => this.children(r.id).length > 0);
    return { region: this.name(region), team: this.name(this.children(region.id)[0]) };
  }
  /** A person of the bottom tier (a rep) in the unit, active, not its manager. */
  repIn(unitId: string): any {
    const bottom = this.tiers[this.tiers.length - 1].id;
    const manager = this.unit(unitId).manager;
    const rep = this.people.find((p) => p.unit === unitId && p.tier === bottom && p.status === "active" && p.id !== manager);
    if (!rep) throw new Error(`no active rep in ${this.name(this.unit(unitId))}`);
    return rep;
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The stored organisation, with names in `lang`. */
export async function storedOrg(page: Page, lang: Lang = "en"): Promise<Org> {
  const data = await storedData(page);
  if (!data) throw new Error("nothing stored yet");
  return new Org(data, lang);
}

/** A sidebar link; it carries "view as" and the year in its query when they are set. */
export function navLink(page: Page, path: string) {
  return page.locator(`nav.sidebar a[href='${path}'], nav.sidebar a[href^='${path}?']`);
}

/** Follows a sidebar link. */
export async function goto(page: Page, path: string) {
  await navLink(page, path).click();
}

/**
 * A team of the demo, its region and an active rep of it, read from the
 * stored data; leaves the page on the forecast with people shown, where the
 * rep must be listed under the team.
 */
export async function teamRep(page: Page): Promise<{ rep: string; team: string; region: string }> {
  const org = await storedOrg(page);
  const { region, team } = org.regionAndTeam();
  const rep = org.name(org.repIn(org.unitNamed(team).id));
  await goto(page, "/forecast");
  await page.getByTestId("show-people").check();
  await expect(page.locator(`[data-testid=forecast-row][data-name="${rep}"]`)).toHaveCount(1);
  return { rep, team, region };
}

/**
 * A new customer owned by `rep` and a deal for it closing on the app's today,
 * entered through the customer and pipeline forms; `stage` as labelled in the
 * form (the default stage when left out).
 */
export async function addDeal(page: Page, d: { rep: string; team: string; customer: string; deal: string; amount: string; stage?: string }) {
  await goto(page, "/customers");
  await page.getByTestId("add-customer").click();
  await typeInto(page.getByTestId("customer-name"), d.customer);
  await page.getByTestId("customer-owner").selectOption({ label: `${d.rep} · ${d.team}` });
  await page.getByTestId("save-customer").click();
  await typeInto(page.getByTestId("customer-search"), d.customer);
  await expect(page.getByTestId("customer-row")).toHaveCount(1);
  await goto(page, "/pipeline");
  await page.getByTestId("add-opportunity").click();
  await typeInto(page.getByTestId("opp-name"), d.deal);
  await typeInto(page.getByTestId("opp-customer"), d.customer);
  await page.getByTestId("opp-owner").selectOption({ label: `${d.rep} · ${d.team}` });
  await typeInto(page.getByTestId("opp-amount"), d.amount);
  // A date input takes its value whole (typing digits depends on the locale's field order).
  await page.getByTestId("opp-close").fill(await today(page));
  if (d.stage) await page.getByTestId("opp-stage").selectOption({ label: d.stage });
  await page.getByTestId("save-opportunity").click();
  await expect(page.getByTestId("opportunity-form")).toHaveCount(0);
}

/** Thousands-separated money or count as shown ("1,234.50", "−6,000.00") → a number. */
export const num = (s: string | null) => Number((s || "").replace(/,/g, "").replace("−", "-").trim());
/** The figure a cell shows, read from its text. Not `innerText`: a long
 * table's row the app has just put in is skipped by the browser
 * (`content-visibility: auto`) until its next frame decides it is in view,
 * and until then Chromium gives it no inner text at all. */
export const figure = async (cell: Locator) => num(await cell.textContent());
/** The same in minor units (cents), exactly. */
export const cents = (s: string | null) => Math.round(num(s) * 100);
/** Whole units as the tables show them: "2,094,400". */
export const grouped = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 0 });

/** Exchange between managers: a second browser on the same injected clock. */
export async function otherBrowser(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext();
  await ctx.clock.install({ time: clockStart() });
  return ctx.newPage();
}

/** The regions (children of the root) of a stored document, by order. */
export function regionsOf(data: any): any[] {
  const units = Object.values(data.units) as any[];
  const root = units.find((u) => !u.parent);
  return units.filter((u) => u.parent === root.id).sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
}

/** Picks "who am I" on the Data page. */
export async function iAm(page: Page, person: string) {
  await goData(page);
  await page.getByTestId("who-am-i").selectOption(person);
  await expect(page.getByTestId("who-am-i")).toHaveValue(person);
}

/** Downloads what a click writes and returns its path and suggested name. */
export async function download(page: Page, click: () => Promise<void>): Promise<{ file: string; name: string }> {
  const [d] = await Promise.all([page.waitForEvent("download"), click()]);
  return { file: (await d.path())!, name: d.suggestedFilename() };
}

/**
 * Another app of this origin fills localStorage: stores `${prefix}${n}` items of
 * each size in turn until the quota refuses one, numbering from `from`;
 * returns the next number.
 */
export async function fillStore(page: Page, prefix: string, sizes: number[], from = 0): Promise<number> {
  return page.evaluate(
    ([prefix, sizes, from]) => {
      let n = from;
      for (const size of sizes) {
        const s = "x".repeat(size);
        for (;;) {
          try {
            localStorage.setItem(`${prefix}${n}`, s);
            n++;
          } catch {
            break;
          }
        }
      }
      return n;
    },
    [prefix, sizes, from] as [string, number[], number],
  );
}

/** Removes the items `fillStore` stored under `prefix`, numbered below `n`. */
export async function freeStore(page: Page, prefix: string, n: number): Promise<void> {
  await page.evaluate(
    ([prefix, n]) => {
      for (let i = 0; i < n; i++) localStorage.removeItem(`${prefix}${i}`);
    },
    [prefix, n] as [string, number],
  );
}

/** Errors the page throws (a panic in the wasm shows as one), from now on. */
export function errorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}
