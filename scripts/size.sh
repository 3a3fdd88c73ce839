#!/usr/bin/env bash
# Prints raw / gzip / brotli sizes of the release build's wasm, js and css,
# then the wasm's size by crate (twiggy on the pre-opt wasm cargo built,
# which keeps its symbol names; installs twiggy on first use).
# Builds dist/ first unless --no-build.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
[ "${1:-}" = "--no-build" ] || trunk build --release >/dev/null 2>&1
node -e '
const fs = require("fs"), zlib = require("zlib"), path = require("path");
const rows = fs.readdirSync("dist").filter(f => /\.(wasm|js|css)$/.test(f)).sort();
const kind = f => f === "sw.js" ? "sw.js" : f.endsWith(".wasm") ? "wasm" : f.endsWith(".js") ? "js" : "css";
console.log(["file".padEnd(6), "raw".padStart(10), "gzip -9".padStart(10), "brotli".padStart(10)].join(" "));
let t = [0, 0, 0];
for (const f of rows) {
  const b = fs.readFileSync(path.join("dist", f));
  const g = zlib.gzipSync(b, { level: 9 }).length;
  const br = zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  t = [t[0] + b.length, t[1] + g, t[2] + br];
  console.log([kind(f).padEnd(6), String(b.length).padStart(10), String(g).padStart(10), String(br).padStart(10)].join(" "));
}
console.log(["total".padEnd(6), ...t.map(x => String(x).padStart(10))].join(" "));
'

# Size by crate: every function and data item of the pre-opt wasm, its
# shallow size, under the crate its (demangled) name starts with.
pre=target/wasm32-unknown-unknown/release/sales-tiers-app.wasm
if ! command -v twiggy >/dev/null; then
  echo "installing twiggy (about 3 minutes)" >&2
  cargo install twiggy --version 0.7.0 --locked >/dev/null 2>&1 || cargo install twiggy --version 0.7.0 >/dev/null
fi
twiggy top -n 1000000 --format json "$pre" | node -e '
let text = ""; process.stdin.on("data", (d) => (text += d)).on("end", () => {
  // Names and custom sections are not shipped (wasm-bindgen and wasm-opt drop them).
  const items = JSON.parse(text).filter((i) => !/subsection|custom section/.test(i.name));
  const total = items.reduce((s, i) => s + i.shallow_size, 0);
  const by = new Map();
  for (const { name, shallow_size } of items) {
    // "<serde_json::de::Deserializer<R> as ...>::fn" → serde_json; "core::fmt::…" → core; data and tables by kind.
    // "<F as tachys::…>::invoke" (a generic type) → the first crate named: tachys.
    const m = name.replace(/^(?:[<&(\s]|mut |dyn |impl )+/, "").match(/([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::/);
    const crate = m ? m[1] : /^data\[/.test(name) ? "(data)" : /^(code|elem|table|type|import|export)/.test(name) ? "(" + name.split(/[\[ ]/)[0] + ")" : "(other)";
    by.set(crate, (by.get(crate) || 0) + shallow_size);
  }
  console.log(`\npre-opt wasm by crate (${total} bytes, ${process.argv[1]})`);
  for (const [c, n] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`${c.padEnd(24)} ${String(n).padStart(10)} ${(100 * n / total).toFixed(1).padStart(5)} %`);
  }
});' "$pre"
