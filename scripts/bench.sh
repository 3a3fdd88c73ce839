#!/usr/bin/env bash
# Native engine benchmarks (criterion) and the release bundle size.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
cargo bench -p sales-tiers-core --bench workspace -- --noplot "$@" 2>&1 | grep -vE "^(Gnuplot|Benchmarking .*: (Warming|Collecting|Analyzing))"
bash scripts/size.sh
