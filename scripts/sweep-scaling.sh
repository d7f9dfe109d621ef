#!/usr/bin/env bash
# Measures a sweep through the BullMQ queue with 1 and then 2 worker processes, back to back, on this
# machine: a private redis-server on a free loopback port, the same sweep (default: the quick tier's
# LeNet-5 runs) into fresh results directories, and the wall-time ratio. Usage:
#   bash scripts/sweep-scaling.sh [run arguments…]   (default: lenet-rect jamming --quick)
# e.g. bash scripts/sweep-scaling.sh jamming --configs 'mnist-*'   (8 default-tier LeNet-5 runs)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cli=(node "$root/apps/repro/dist/cli.js")
if [ $# -gt 0 ]; then sweep_args=("$@"); else sweep_args=(lenet-rect jamming --quick); fi
work=$(mktemp -d)
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --dir "$work" --logfile "$work/redis.log"
workers=()
cleanup() { kill "${workers[@]}" 2>/dev/null || true; redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

sweep() { # $1: worker processes, $2: redis db
  local url="redis://127.0.0.1:$port/$2" n=$1
  workers=()
  for _ in $(seq "$n"); do "${cli[@]}" worker --queue "$url" --concurrency 1 >"$work/worker-$2-$RANDOM.log" 2>&1 & workers+=($!); done
  local start
  start=$(date +%s%N)
  "${cli[@]}" run "${sweep_args[@]}" --queue "$url" --out "$work/results-$n" >"$work/submit-$n.log"
  local elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
  kill "${workers[@]}" 2>/dev/null || true
  wait "${workers[@]}" 2>/dev/null || true
  grep '^trained' "$work/submit-$n.log" >&2
  echo "$elapsed"
}
echo "sweep: ${sweep_args[*]}; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
one=$(sweep 1 1)
two=$(sweep 2 2)
cmp -s "$work/results-1/REPORT.md" "$work/results-2/REPORT.md" && same=yes || same='no (timing columns differ)'
node -e 'const [a, b, same] = process.argv.slice(1); console.log(`1 worker: ${(a / 1000).toFixed(1)} s\n2 workers: ${(b / 1000).toFixed(1)} s\nratio: ${(a / b).toFixed(2)}x\nsame REPORT.md: ${same}`)' "$one" "$two" "$same"
