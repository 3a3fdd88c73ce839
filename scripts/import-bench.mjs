// The file import alone, N times per build, builds alternating in one run
// (no assertions; prints medians). Usage:
//   N=5 node scripts/import-bench.mjs FILE BASE_URL [BASE_URL…]
// `read`: file chosen → "Open this file?" painted; `open`: Open clicked →
// the workspace stored and painted (see bench-common.mjs).
import { launch, median, openWorkspace } from "./bench-common.mjs";

const [file, ...bases] = process.argv.slice(2);
if (!file || !bases.length) {
  console.error("usage: node scripts/import-bench.mjs FILE BASE_URL [BASE_URL…]");
  process.exit(2);
}
const runs = Number(process.env.N || 5);
const browser = await launch();
const got = new Map(bases.map((b) => [b, { read: [], open: [] }]));
for (let i = 0; i < runs; i++) {
  for (const base of bases) {
    // A fresh context each time: empty storage, as a first import.
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 900 } });
    const { read, open } = await openWorkspace(await context.newPage(), base, file);
    got.get(base).read.push(read);
    got.get(base).open.push(open);
    await context.close();
  }
}
await browser.close();
for (const [base, { read, open }] of got) {
  const r = median(read), o = median(open);
  console.log(`${base}: read ${r.toFixed(0)} ms, open ${o.toFixed(0)} ms, total ${(r + o).toFixed(0)} ms (medians of ${runs}; reads ${read.map((x) => x.toFixed(0)).join(" ")})`);
}
