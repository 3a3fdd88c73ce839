// Serves dist/ on 127.0.0.1 with SPA fallback to index.html, the way the
// README's hosting section asks of a host: precompressed .br/.gz copies when
// the browser accepts them, long caching for hashed files only.
// Refuses a port that is already taken, so tests never hit a stale server.
// SERVE_DELAY_MS=N answers every request N ms late, as a real host's round
// trip does (benches: what a start waits for from the network).
// SERVE_LOG=1 prints each request's path ("request: /path"), for tests.
// Usage: [SERVE_DELAY_MS=N] [SERVE_LOG=1] node scripts/serve-dist.mjs [port] [dir]
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

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

const port = Number(process.argv[2] || 8080);
const root = path.resolve(process.argv[3] || "dist");
if (!fs.existsSync(path.join(root, "index.html"))) {
  console.error(`serve-dist: ${root}/index.html not found: build first`);
  process.exit(2);
}
const delay = Number(process.env.SERVE_DELAY_MS || 0);
const server = http.createServer((req, res) => (delay > 0 ? setTimeout(answer, delay, req, res) : answer(req, res)));
function answer(req, res) {
  const url = new URL(req.url, "http://localhost");
  if (process.env.SERVE_LOG === "1") console.log(`request: ${url.pathname}`);
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
}
server.on("error", (e) => {
  console.error(`serve-dist: cannot listen on 127.0.0.1:${port}: ${e.code}`);
  process.exit(3);
});
server.listen(port, "127.0.0.1", () => console.log(`serve-dist: http://127.0.0.1:${port}/ (pid ${process.pid})`));
