#!/usr/bin/env bash
# Runs the consumer projects against the packages `npx projen package-all` wrote to dist/:
#   bash test/consumers/run.sh [python] [java] [go]      (all three when none is named)
# Each consumer installs the freshly built package plus aws-cdk-lib 2.257.0, constructs 10 and,
# where one is published, cdk-nag 3 from its own registry, synthesizes the prod preset and checks it.
# Honours PIP_CACHE_DIR, MAVEN_LOCAL_REPO (default ~/.m2/repository), GOMODCACHE and GOCACHE.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
consumers="$root/test/consumers"
version="$(node -p "require('$root/package.json').version")"
export PYTHONDONTWRITEBYTECODE=1

built() {
  if [ ! -e "$1" ]; then
    echo "$1 is missing: run 'npx projen package-all' first" >&2
    exit 1
  fi
}

python_consumer() {
  local wheel="$root/dist/python/medflow_cognito_construct-$version-py3-none-any.whl"
  built "$wheel"
  local venv
  venv="$(mktemp -d)"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --no-input --disable-pip-version-check \
    -r "$consumers/python/requirements.txt" "$wheel"
  "$venv/bin/python" -m pytest -p no:cacheprovider -v "$consumers/python"
  rm -rf "$venv"
}

java_consumer() {
  built "$root/dist/java/com/medflow/cognito-construct/$version"
  local repo="${MAVEN_LOCAL_REPO:-$HOME/.m2/repository}"
  # Maven never re-reads a release version it has cached: drop the previous build's copy.
  rm -rf "$repo/com/medflow/cognito-construct"
  mvn --batch-mode --no-transfer-progress -f "$consumers/java/pom.xml" \
    -Dmaven.repo.local="$repo" -Dmedflow.version="$version" clean test
}

go_consumer() {
  built "$root/dist/go/medflowcognitoconstruct/go.mod"
  (cd "$consumers/go" && go test -count=1 -v ./...)
}

[ "$#" -gt 0 ] || set -- python java go
for language in "$@"; do
  case "$language" in
    python | java | go) "${language}_consumer" ;;
    *) echo "unknown consumer '$language'; expected python, java or go" >&2; exit 2 ;;
  esac
done
