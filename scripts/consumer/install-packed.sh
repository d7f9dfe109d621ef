#!/usr/bin/env bash
# Usage: install-packed.sh WORK: packs every public package into WORK/tarballs as `pnpm publish` would
# (scripts/pack.mjs; the packages must be built) and installs the tarballs with npm into WORK/project,
# a copy of scripts/consumer/project outside the workspace: what an npm user gets. Prints the tarballs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$1"
node "$root/scripts/pack.mjs" "$work/tarballs" | xargs -n1 basename | tr '\n' ' '
echo
cp -r "$root/scripts/consumer/project" "$work/project"
# --omit=optional: the native `gl` build is optional; @fbt/gpu must still import without it.
(cd "$work/project" && npm install --omit=optional --no-audit --no-fund --loglevel=error "$work"/tarballs/*.tgz)
