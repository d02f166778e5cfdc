#!/usr/bin/env bash
# API compatibility: jsii-diff of the compiled assembly (.jsii) against the latest released version.
#
# The release workflow tags every version it publishes as v<version>. The baseline is the newest such
# tag reachable from HEAD, so the first release sets it and every later compile compares against the
# release before it. Until a release exists there is nothing to compare with, and the check says so.
# Deliberate breaking changes are listed, each with its reason, in .compatignore.
set -euo pipefail
cd "$(dirname "$0")/.."
name="$(node -p "require('./package.json').name")"
tag="$(git describe --tags --abbrev=0 --match 'v[0-9]*.[0-9]*.[0-9]*' 2>/dev/null || true)"
if [ -z "$tag" ]; then
  echo "compat: $name has no release tag (v<version>) yet; the first release sets the jsii-diff baseline."
  exit 0
fi
baseline="${tag#v}"
echo "compat: jsii-diff against $name@$baseline (tag $tag)"
exec npx jsii-diff "npm:$name@$baseline" --keys --ignore-file .compatignore
