#!/usr/bin/env bash
# Prints raw / gzip / brotli sizes of the release build's wasm, js and css.
# Builds dist/ first unless --no-build.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
[ "${1:-}" = "--no-build" ] || trunk build --release >/dev/null 2>&1
node -e '
const fs = require("fs"), zlib = require("zlib"), path = require("path");
const rows = fs.readdirSync("dist").filter(f => /\.(wasm|js|css)$/.test(f)).sort();
const kind = f => f.endsWith(".wasm") ? "wasm" : f.endsWith(".js") ? "js" : "css";
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
