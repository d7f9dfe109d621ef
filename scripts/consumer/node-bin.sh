#!/usr/bin/env bash
# Usage: node-bin.sh MAJOR: prints the path of a Node.js MAJOR binary: this machine's `node` when it is
# that major, else the npm package node@MAJOR (a binary from the npm registry), installed once into
# ${XDG_CACHE_HOME:-~/.cache}/fbt/node-MAJOR. Exits 1 with the reason on stderr when neither can be had.
set -euo pipefail
major=$1
if [ "$(node -p 'process.versions.node.split(".")[0]')" = "$major" ]; then
  command -v node
  exit 0
fi
dir="${XDG_CACHE_HOME:-$HOME/.cache}/fbt/node-$major"
bin="$dir/node_modules/.bin/node"
if ! [ -x "$bin" ] || [ "$("$bin" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" != "$major" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  if ! log=$(npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "node@$major" 2>&1); then
    echo "npm install node@$major failed: $(grep -m 2 'npm error' <<<"$log" | tr '\n' ' ')" >&2
    exit 1
  fi
fi
echo "$bin"
