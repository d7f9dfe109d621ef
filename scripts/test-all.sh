#!/usr/bin/env bash
# The full check behind `pnpm test:all`: format, lint, typecheck, build, every test, the publish checks
# and release rehearsal (`pnpm release:dry`), and the consumer matrix on the packed tarballs.
# GL tests of @fbt/gpu need an X server: without DISPLAY, vitest runs under xvfb-run when it is installed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
step() { echo; echo "== $1"; }

step "format (prettier --check)"
pnpm exec prettier --check . --log-level warn
step "lint (eslint)"
pnpm exec turbo run lint --output-logs=errors-only
step "build (tsup)"
pnpm exec turbo run build --output-logs=errors-only
step "typecheck (tsc)"
pnpm exec turbo run typecheck --output-logs=errors-only

step "tests (vitest)"
report=$(mktemp -d)/vitest.json
runner=()
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then runner=(xvfb-run -a); fi
status=0
"${runner[@]}" pnpm exec vitest run --reporter=default --reporter=json --outputFile="$report" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "$report" || true
[ "$status" -eq 0 ] || exit "$status"

step "main job: quick tier offline without Fashion-MNIST, then with it, then report rebuilt"
bash scripts/repro-smoke.sh

step "release rehearsal (publint + attw, API reports, changeset version + pnpm publish --dry-run in a clone)"
bash scripts/release-dry.sh
step "consumer matrix (packed tarballs: Node 20/22 ESM + CJS, tsc node16/bundler, Vite + Chromium, size)"
bash scripts/pack-check.sh
