#!/usr/bin/env bash
# Usage: node.sh PROJECT: in PROJECT (the packed packages installed), runs the fit as ESM and as CJS on
# Node 20 (the `engines` floor) and Node 22. A Node that cannot be had is skipped with the reason, except
# under CI=true, where that fails.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$1"
status=0
for major in 20 22; do
  # On success node-bin.sh prints only the path; on failure only the reason.
  if ! bin=$(bash "$here/node-bin.sh" "$major" 2>&1); then
    if [ "${CI:-}" = true ]; then echo "node $major: FAILED, $bin"; status=1; else echo "node $major: skipped, $bin"; fi
    continue
  fi
  "$bin" fit.mjs || status=1
  "$bin" fit.cjs || status=1
done
exit "$status"
