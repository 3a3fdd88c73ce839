#!/usr/bin/env bash
# Runs every test: core and CLI (native), browser tests (wasm-bindgen-test
# in headless Chromium), and end-to-end tests (Playwright + Chromium against
# the release build). Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
. scripts/env.sh

logs=$(mktemp -d)
step() { printf '\n\033[1;34m== %s ==\033[0m\n' "$*"; }

step "native: core and CLI (unit, property, integration)"
# Core on its own first: it must build and pass without features other
# members would switch on (chrono's clock, for one).
cargo test -p sales-tiers-core 2>&1 | tee "$logs/native.log"
cargo test -p sales-tiers-cli 2>&1 | tee -a "$logs/native.log"
cargo clippy -p sales-tiers-core -p sales-tiers-cli --all-targets -- -D warnings
# The web app (and its browser tests) as they are built: for wasm.
cargo clippy -p sales-tiers --target wasm32-unknown-unknown --all-targets -- -D warnings

step "browser: wasm-bindgen-test in headless Chromium"
cargo test --target wasm32-unknown-unknown -p sales-tiers --test browser 2>&1 | tee "$logs/browser.log"

step "release build (trunk, wasm-opt -Oz)"
trunk build --release 2>&1 | tail -n 3

step "end-to-end: Playwright + Chromium"
port=${E2E_PORT:-8091}
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "port $port is taken: a stale server would test old code. Free it or set E2E_PORT." >&2
  exit 1
fi
E2E_PORT=$port npx playwright test 2>&1 | tee "$logs/e2e.log"

sum() { grep -hoE "$1" "$2" | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }'; }
native=$(sum 'test result: ok\. [0-9]+ passed' "$logs/native.log")
browser=$(sum 'test result: ok\. [0-9]+ passed' "$logs/browser.log")
e2e=$(sum '^ *[0-9]+ passed' "$logs/e2e.log")
echo
echo "native $native, browser $browser, end-to-end $e2e"
echo "all: $((native + browser + e2e)) passed, 0 failed"
