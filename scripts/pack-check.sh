#!/usr/bin/env bash
# The consumer matrix. Packs every public package as `pnpm publish` would, installs the tarballs with npm
# into a copy of scripts/consumer/project outside the workspace (scripts/consumer/install-packed.sh),
# writes the README's example there, and uses the packages as consumers would (scripts/consumer/):
#   node.sh     fit y = 2x + 1 and save a model, as ESM and as CJS, on Node 20 and Node 22
#   types.sh    tsc on the README example: moduleResolution node16 (ESM and CJS) and bundler
#   browser.sh  Vite build of the README example, its size budget, a run in headless Chromium
# Each check prints its result; the script fails if any check failed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bash "$root/scripts/consumer/install-packed.sh" "$work"
for ext in ts mts cts; do node "$root/scripts/consumer/readme-example.mjs" >"$work/project/example.$ext"; done

failed=()
for check in node types browser; do
  bash "$root/scripts/consumer/$check.sh" "$work/project" || failed+=("$check")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "pack-check: FAILED: ${failed[*]}"
  exit 1
fi
