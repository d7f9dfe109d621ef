#!/usr/bin/env bash
# Packs every public package as npm would publish it, installs the tarballs with npm into a project
# outside the workspace, and runs a script there as ESM and as CJS that fits y = 2x + 1.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tarballs" "$work/project"

for pkg in tensor autograd surrogates layers datasets gpu; do
  (cd "$root/packages/$pkg" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
done
ls "$work/tarballs"

cd "$work/project"
echo '{ "name": "fbt-pack-check", "version": "0.0.0", "private": true }' > package.json
# --omit=optional: the native `gl` build is optional; @fbt/gpu must still import without it.
npm install --omit=optional --no-audit --no-fund --loglevel=error "$work"/tarballs/*.tgz
cp "$root"/scripts/pack-check/fit* .
node fit.mjs
node fit.cjs
