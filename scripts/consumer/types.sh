#!/usr/bin/env bash
# Usage: types.sh PROJECT: type-checks the README example against the packed packages' declarations with
# the workspace's TypeScript, as a consumer's tsc would: moduleResolution node16 from an ES module
# (example.mts) and from a CommonJS one (example.cts), and moduleResolution bundler (example.ts).
set -euo pipefail
tsc="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/node_modules/.bin/tsc"
cd "$1"
status=0
for resolution in node16 bundler; do
  if out=$("$tsc" -p "tsconfig.$resolution.json" 2>&1); then
    echo "types, moduleResolution $resolution ($(node -p "require('./tsconfig.$resolution.json').files.join(', ')")): ok, TypeScript $("$tsc" -v | cut -d' ' -f2)"
  else
    echo "types, moduleResolution $resolution: FAILED"
    sed 's/^/  /' <<<"$out"
    status=1
  fi
done
exit "$status"
