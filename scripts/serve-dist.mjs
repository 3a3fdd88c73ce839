// Serves dist/ on 127.0.0.1 with SPA fallback to index.html, the way the
// README's hosting section asks of a host: precompressed .br/.gz copies when
// the browser accepts them, long caching for hashed files only.
// Refuses a port that is already taken, so tests never hit a stale server.
// Usage: node scripts/serve-dist.mjs [port] [dir]
//        import { serve } from "./serve-dist.mjs" (tests: a second build)
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** Starts serving `dir` on `port`; resolves to the server once it listens. */
export function serve(port, dir) {
  const root = path.resolve(dir);
  if (!fs.existsSync(path.join(root, "index.html"))) {
    return Promise.reject(new Error(`serve-dist: ${root}/index.html not found: build first`));
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    let file = path.normalize(path.join(root, decodeURIComponent(url.pathname)));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      file = path.join(root, "index.html");
    }
    const headers = {
      "content-type": types[path.extname(file)] || "application/octet-stream",
      // Tests always see the files on disk now; a real host would give
      // hashed names "public, max-age=31536000, immutable" (README).
      "cache-control": "no-store",
      vary: "accept-encoding",
    };
    const accepts = String(req.headers["accept-encoding"] || "");
    for (const [enc, ext] of [["br", ".br"], ["gzip", ".gz"]]) {
      if (accepts.includes(enc) && fs.existsSync(file + ext)) {
        file += ext;
        headers["content-encoding"] = enc;
        break;
      }
    }
    res.writeHead(200, headers);
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.on("error", (e) => reject(new Error(`serve-dist: cannot listen on 127.0.0.1:${port}: ${e.code}`)));
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] || 8080);
  serve(port, process.argv[3] || "dist").then(
    () => console.log(`serve-dist: http://127.0.0.1:${port}/ (pid ${process.pid})`),
    (e) => {
      console.error(e.message);
      process.exit(e.message.includes("not found") ? 2 : 3);
    },
  );
}
