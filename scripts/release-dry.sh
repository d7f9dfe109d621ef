#!/usr/bin/env bash
# `pnpm release:dry`: a rehearsal of the release, touching nothing in the working tree. Builds the
# packages, runs the publish checks (publint + attw, the API reports), then clones HEAD into a temporary
# folder, runs `changeset version` there and `pnpm publish -r --dry-run` (scripts/release-rehearsal.mjs):
# each package's name, version, packed size and files, and its packed package.json checked for
# `workspace:` ranges. Uncommitted changes take part in the checks but not in the rehearsal.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
step() { echo; echo "-- release:dry: $1"; }

step "build"
pnpm exec turbo run build --filter='./packages/*' --output-logs=errors-only
step "publint + attw"
node scripts/package-check.mjs
step "API reports"
node scripts/api-report.mjs

step "changeset version in a clone of HEAD ($(git rev-parse --short HEAD))"
[ -z "$(git status --porcelain)" ] || echo "note: the working tree has uncommitted changes; the rehearsal uses HEAD"
clone=$(mktemp -d)
trap 'rm -rf "$clone"' EXIT
git clone -q --no-checkout "$root" "$clone"
git -C "$clone" checkout -q --detach "$(git rev-parse HEAD)"
# The clone installs from the store the workspace was installed from (pnpm publish resolves `workspace:`
# ranges through the installed links) and takes the build output that the checks above saw.
(cd "$clone" && pnpm install --frozen-lockfile --offline --ignore-scripts --silent)
for dist in packages/*/dist; do cp -r "$dist" "$clone/$dist"; done
(cd "$clone" && pnpm exec changeset version)

step "pnpm publish -r --dry-run"
node scripts/release-rehearsal.mjs "$clone"
