#!/usr/bin/env bash
# Benchmarks, as figures (no pass/fail):
#   1. native engine benches (criterion): load/validate/save/edit, grading, subtree move
#   2. release bundle sizes (raw / gzip / brotli)
#   3. in-browser timings with a 1,000-person workspace (Chromium, Playwright):
#      import (compact and readable files), start (also at the demo's 77
#      people, and as a ratio to a minimal Leptos app), edits and
#      keystrokes, sidebar navigation to every page (also at 77 people), and
#      the exchange (send a branch, review and apply a merge)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
cargo bench -p sales-tiers-core --bench workspace -- --noplot "$@" 2>&1 | grep -vE "^(Gnuplot|Benchmarking .*: (Warming|Collecting|Analyzing))"
bash scripts/size.sh
# 1,000 people with ~20,000 deals and no logged activities (a year of
# them does not fit a browser's storage: such a file is refused); the daily
# work bench takes 200 people with a year of activities.
cargo run -q --release -p sales-tiers-cli -- --lang en demo --people 1000 --no-activities -o target/bench-1000.json
# The same workspace as the app exports it (compact): what an import reads.
cargo run -q --release -p sales-tiers-cli -- --lang en demo --people 1000 --no-activities --compact -o target/bench-1000c.json
cargo run -q --release -p sales-tiers-cli -- --lang en demo --people 200 -o target/bench-200-work.json
cargo run -q --release -p sales-tiers-cli -- --lang en demo -o target/bench-77.json
port=${BENCH_PORT:-8095}
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "port $port is taken; set BENCH_PORT" >&2
  exit 1
fi
# The start-up goal's reference: a minimal Leptos counter, same toolchain.
bash scripts/minimal-app.sh >/dev/null 2>&1
node scripts/serve-dist.mjs "$port" dist >/dev/null &
server=$!
node scripts/serve-dist.mjs "$((port + 1))" target/minimal-dist >/dev/null &
minimal=$!
trap 'kill $server $minimal 2>/dev/null' EXIT
sleep 1
node scripts/browser-bench.mjs "http://127.0.0.1:$port" target/bench-1000c.json
node scripts/import-bench.mjs target/bench-1000.json "http://127.0.0.1:$port"
for f in target/bench-1000.json target/bench-77.json; do
  MINIMAL="http://127.0.0.1:$((port + 1))" node scripts/start-bench.mjs "http://127.0.0.1:$port" "$f"
done
node scripts/nav-bench.mjs "http://127.0.0.1:$port" target/bench-77.json
node scripts/nav-bench.mjs "http://127.0.0.1:$port" target/bench-1000.json
node scripts/exchange-bench.mjs "http://127.0.0.1:$port" target/bench-1000.json
node scripts/seal-bench.mjs "http://127.0.0.1:$port" target/bench-1000.json
node scripts/memory-bench.mjs "http://127.0.0.1:$port" target/bench-1000.json
node scripts/work-bench.mjs "http://127.0.0.1:$port" target/bench-200-work.json
