#!/usr/bin/env bash
# Builds and serves the app on http://127.0.0.1:8080 (installs what is missing first).
# The first visit opens a demo workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. scripts/env.sh
port=${PORT:-8080}
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "port $port is already in use: stop the other server or set PORT=…" >&2
  exit 1
fi
echo "Sales Tiers: building, then serving on http://127.0.0.1:$port/"
exec trunk serve --release --port "$port" --address 127.0.0.1
