#!/usr/bin/env bash
# Builds the reference app for the start-up goal (bench/minimal: a minimal
# Leptos 0.8 counter, same toolchain, profile and flags as the app) into
# target/minimal-dist. Run scripts/setup.sh first (trunk, wasm-bindgen, wasm-opt).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
# The app's locked versions (cargo drops what the counter does not use);
# the app's target directory, so the shared crates are built once.
[ -f bench/minimal/Cargo.lock ] || cp Cargo.lock bench/minimal/Cargo.lock
cd bench/minimal
CARGO_TARGET_DIR="$PWD/../../target" trunk build --release --dist "$PWD/../../target/minimal-dist"
