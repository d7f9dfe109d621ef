#!/usr/bin/env bash
# Usage: browser.sh PROJECT: builds the README example (PROJECT/example.ts, page index.html) with Vite
# against the packed packages, holds the bundle to the size budget in PROJECT/.size-limit.json (copied
# from scripts/consumer/project/) and runs it in headless Chromium. Without /usr/bin/chromium the run
# is skipped with the reason, except under CI=true (.ci/run installs Debian's chromium), where that fails.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$1"
if ! out=$("$root/node_modules/.bin/vite" build --logLevel warn 2>&1); then
  echo "browser: FAILED, vite build"
  sed 's/^/  /' <<<"$out"
  exit 1
fi
# size-limit runs from the workspace root, where its plugin (@size-limit/file) is a devDependency.
size_json=$(cd "$root" && node_modules/.bin/size-limit --json --config "$OLDPWD/.size-limit.json" || true)
if ! node -e '
  const [check] = JSON.parse(process.argv[1]);
  const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
  const verdict = check.passed ? "ok" : "FAILED, over the budget in scripts/consumer/project/.size-limit.json";
  console.log(`size: ${kB(check.size)} gzipped, budget ${kB(check.sizeLimit)} (${check.name}): ${verdict}`);
  process.exit(check.passed ? 0 : 1);
' "$size_json"; then
  exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
  reason="/usr/bin/chromium not found (apt-get install -y chromium)"
  if [ "${CI:-}" = true ]; then echo "browser: FAILED, $reason"; exit 1; fi
  echo "browser: skipped, $reason"
  exit 0
fi
node "$here/browser-run.mjs" dist
