// Trunk's post-build hook (Trunk.toml): finishes the static build.
// - Writes the build's id into sw.js, so a new build is a new service
//   worker (the browser installs it and the open app offers a reload).
// - Release builds: writes .gz and .br copies of the wasm, js and css
//   beside them, for hosts that serve precompressed files (README,
//   "Hosting"). The originals stay for hosts that do not.
// Usage: run by trunk (TRUNK_STAGING_DIR, TRUNK_PROFILE), or
//        node scripts/post-build.mjs <dir> [--compress]
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import crypto from "node:crypto";

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2] || "dist";
const compress = process.env.TRUNK_PROFILE === "release" || process.argv.includes("--compress");
const built = fs.readdirSync(dir).filter((f) => /\.(wasm|js|css)$/.test(f) && f !== "sw.js").sort();

// The hashed names change with every change to what they hold.
const id = crypto.createHash("sha256").update(built.join("\n")).digest("hex").slice(0, 16);
const sw = path.join(dir, "sw.js");
const before = fs.readFileSync(sw, "utf8");
const after = before.replace(/const BUILD = "[^"]*";/, `const BUILD = "${id}";`);
if (after === before && !before.includes(`"${id}"`)) throw new Error("post-build: sw.js has no BUILD line to stamp");
fs.writeFileSync(sw, after);

if (compress) {
  for (const f of built) {
    const file = path.join(dir, f);
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(bytes, { level: 9 }));
    fs.writeFileSync(
      `${file}.br`,
      zlib.brotliCompressSync(bytes, {
        params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
      }),
    );
  }
}
console.log(`post-build: sw.js build ${id}${compress ? `, .gz and .br copies of ${built.length} files` : ""}`);
