#!/usr/bin/env bash
# Builds tools/template-oracle/template-oracle, the Go program that renders templates with the
# real text/template + sprig + ESO functions for Ferry's differential template tests.
# Skips the build when the binary is newer than every Go source and go.mod/go.sum.
# Usage: scripts/build-oracle.sh [--force]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/tools/template-oracle"
bin="$dir/template-oracle"

if ! command -v go >/dev/null 2>&1; then
  echo "build-oracle: go is not installed; the template differential tests need Go >= 1.24" >&2
  exit 2
fi

if [[ "${1:-}" != "--force" && -x "$bin" ]]; then
  stale=0
  for f in "$dir"/*.go "$dir/go.mod" "$dir/go.sum"; do
    if [[ -e "$f" && "$f" -nt "$bin" ]]; then
      stale=1
      break
    fi
  done
  if [[ "$stale" == 0 ]]; then
    exit 0
  fi
fi

echo "build-oracle: building $bin" >&2
cd "$dir"
# go.sum is committed; -mod=mod would let the build rewrite it, so pin the default.
GOFLAGS= go build -buildvcs=false -trimpath -o "$bin" .
