#!/usr/bin/env bash
# Install-by-name rehearsal for the packages `npx projen package-all` wrote to dist/:
#
#   bash test/consumers/run.sh [npm] [python] [java] [go]      (all four when none is named)
#
# Each language's package is published to a local registry on this machine, with the release's own
# publishing tool (publib, at the version the release workflow runs) where it works offline, and a fresh
# consumer project then installs it by name, as a user would after the first release:
#   npm     verdaccio on 127.0.0.1, published with publib-npm; consumers run
#           `npm install @medflow/cognito-construct` on the lowest (2.257.0) and the newest aws-cdk-lib
#           the npm registry serves; on the newest, cdk-nag 3 and MedflowHealthcareChecks run as
#           validation plugins, on the lowest cdk-nag 2 runs as Aspects.
#   python  pypiserver on 127.0.0.1, published with publib-pypi (twine); `pip install medflow.cognito-construct`.
#   java    a local Maven repository, published with publib-maven (maven deploy:deploy-file); the consumer
#           POM names only com.medflow:cognito-construct:<version> and pins aws-cdk-lib.
#   go      a file-based Go module proxy (GOPROXY=file://...; publib-golang pushes to a Git host and cannot
#           run offline); `go get github.com/medflow/cognito-construct-go/medflowcognitoconstruct@v<version>`.
# Servers listen on 127.0.0.1 only, on a free port; each is stopped by its PID when the script exits.
# Nothing is published anywhere else. Dependencies other than the library come from the public registries.
# Honours PIP_CACHE_DIR, MAVEN_LOCAL_REPO (default ~/.m2/repository), GOMODCACHE and GOCACHE.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
consumers="$root/test/consumers"
version="$(node -p "require('$root/package.json').version")"
export PYTHONDONTWRITEBYTECODE=1 NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false NPM_CONFIG_UPDATE_NOTIFIER=false

# The lowest aws-cdk-lib the library supports (its peer range starts there); the newest is asked of npm.
LOWEST_CDK=2.257.0

work="$(mktemp -d)"
pids=()
stop_servers() {
  local status=$?
  for pid in "${pids[@]}"; do
    if kill "$pid" 2>/dev/null; then wait "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$work"
  exit "$status"
}
trap stop_servers EXIT

built() {
  if [ ! -e "$1" ]; then
    echo "$1 is missing: run 'npx projen package-all' first" >&2
    exit 1
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for URL PID LOG: polls URL until it answers, failing when the server exits or after 60 s.
wait_for() {
  local url="$1" pid="$2" log="$3"
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the server for $url exited:" >&2; cat "$log" >&2; exit 1
    fi
    sleep 0.5
  done
  echo "no answer from $url after 60 s:" >&2; cat "$log" >&2; exit 1
}

random_secret() {
  python3 -c 'import secrets; print(secrets.token_urlsafe(24))'
}

# verdaccio and publib, pinned in registries/package-lock.json.
tools=""
registry_tools() {
  if [ -z "$tools" ]; then
    tools="$consumers/registries/node_modules/.bin"
    if [ ! -x "$tools/verdaccio" ] || [ ! -x "$tools/publib-npm" ] \
      || [ "$consumers/registries/package-lock.json" -nt "$consumers/registries/node_modules/.package-lock.json" ]; then
      (cd "$consumers/registries" && npm ci --silent --no-fund --no-audit)
    fi
  fi
}

# ---------------------------------------------------------------------------------------------- npm
npm_registry=""
start_npm_registry() {
  registry_tools
  local dir="$work/verdaccio" port token
  port="$(free_port)"
  mkdir -p "$dir/home"
  # The @medflow scope is served from local storage only (no uplink): what the consumers install is
  # what was published here.
  cat > "$dir/config.yaml" <<EOF
storage: $dir/storage
auth:
  htpasswd:
    file: $dir/htpasswd
    max_users: 1
uplinks: {}
packages:
  '@medflow/*':
    access: \$all
    publish: \$authenticated
  '**':
    access: \$all
    publish: \$authenticated
log: { type: stdout, format: pretty, level: warn }
EOF
  "$tools/verdaccio" --config "$dir/config.yaml" --listen "127.0.0.1:$port" > "$dir/verdaccio.log" 2>&1 &
  pids+=("$!")
  wait_for "http://127.0.0.1:$port/-/ping" "$!" "$dir/verdaccio.log"
  echo "verdaccio (PID ${pids[-1]}) on http://127.0.0.1:$port/"
  token="$(curl -fsS -X PUT -H 'content-type: application/json' \
    -d "{\"name\":\"rehearsal\",\"password\":\"$(random_secret)\"}" \
    "http://127.0.0.1:$port/-/user/org.couchdb.user:rehearsal" | node -p 'JSON.parse(require("fs").readFileSync(0, "utf-8")).token')"
  # publib-npm writes the token into ~/.npmrc: it gets a home of its own.
  HOME="$dir/home" NPM_REGISTRY="127.0.0.1:$port" DISABLE_HTTPS=1 NPM_TOKEN="$token" NPM_ACCESS_LEVEL=public \
    "$tools/publib-npm" "$root/dist/js"
  npm_registry="http://127.0.0.1:$port/"
  curl -fsS "${npm_registry}@medflow%2fcognito-construct" | node -e '
    const doc = JSON.parse(require("fs").readFileSync(0, "utf-8"));
    if (!doc.versions[process.argv[1]]) { console.error("verdaccio does not list version " + process.argv[1]); process.exit(1); }
    console.log("verdaccio serves @medflow/cognito-construct " + Object.keys(doc.versions).join(", "));' "$version"
}

# npm_app NAME CDK_VERSION CHECK...: a fresh consumer on aws-cdk-lib CDK_VERSION that installs the library
# by name, compiles the consumer sources and runs each CHECK (dist/CHECK.js).
npm_app() {
  local name="$1" cdk="$2" nag="$3"; shift 3
  local app="$work/npm-$name"
  mkdir -p "$app"
  cp -r "$consumers/npm/." "$app/"
  # Only the @medflow scope comes from the local registry; everything else from the npm registry.
  printf '@medflow:registry=%s\n' "$npm_registry" > "$app/.npmrc"
  echo "--- npm consumer '$name': aws-cdk-lib $cdk, $nag"
  (
    cd "$app"
    npm install --silent --save-exact "aws-cdk-lib@$cdk" "constructs@^10.5.1" "$nag" "typescript@~5.9.0" "@types/node@^24"
    npm install @medflow/cognito-construct
    # Compile only this variant's checks: the cdk-nag 2 and 3 APIs differ.
    node -e 'const checks = process.argv.slice(1).map((c) => `src/${c}.ts`);
      require("fs").writeFileSync("tsconfig.variant.json", JSON.stringify({ extends: "./tsconfig.json", include: [], files: checks }));' "$@"
    npx tsc -p tsconfig.variant.json
    # Each check runs in a directory of its own: the prod preset's replacement guard writes its lock file there.
    for check in "$@"; do
      mkdir "run-$check"
      (cd "run-$check" && EXPECTED_LIBRARY_VERSION="$version" EXPECTED_CDK_VERSION="$cdk" node "../dist/$check.js")
    done
  )
}

npm_consumer() {
  built "$root/dist/js/cognito-construct@$version.jsii.tgz"
  [ -n "$npm_registry" ] || start_npm_registry
  local newest
  newest="$(npm view aws-cdk-lib@latest version)"
  echo "aws-cdk-lib: lowest supported $LOWEST_CDK, newest on the npm registry $newest"
  npm_app lowest "$LOWEST_CDK" "cdk-nag@^2" usage nag-v2
  npm_app newest "$newest" "cdk-nag@^3" usage plugins
}

# ------------------------------------------------------------------------------------------- python
pypi_index=""
start_pypi_registry() {
  registry_tools
  local dir="$work/pypiserver" port
  port="$(free_port)"
  mkdir -p "$dir/packages" "$dir/home"
  python3 -m venv "$dir/venv"
  "$dir/venv/bin/python" -m pip install --quiet --no-input --disable-pip-version-check -r "$consumers/registries/requirements.txt"
  # Uploads need no password here (-a . -P .); names it does not hold are redirected to PyPI.
  "$dir/venv/bin/pypi-server" run --interface 127.0.0.1 --port "$port" -a . -P . "$dir/packages" > "$dir/pypiserver.log" 2>&1 &
  pids+=("$!")
  wait_for "http://127.0.0.1:$port/simple/" "$!" "$dir/pypiserver.log"
  echo "pypiserver (PID ${pids[-1]}) on http://127.0.0.1:$port/"
  # publib-pypi installs twine with `pip install --user`: it gets a home of its own.
  HOME="$dir/home" PIP_BREAK_SYSTEM_PACKAGES=1 TWINE_REPOSITORY_URL="http://127.0.0.1:$port/" \
    TWINE_USERNAME=rehearsal TWINE_PASSWORD="$(random_secret)" TWINE_NON_INTERACTIVE=1 \
    "$tools/publib-pypi" "$root/dist/python"
  pypi_index="http://127.0.0.1:$port/simple/"
}

python_consumer() {
  built "$root/dist/python/medflow_cognito_construct-$version-py3-none-any.whl"
  [ -n "$pypi_index" ] || start_pypi_registry
  local venv="$work/python-consumer"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --no-input --disable-pip-version-check \
    --index-url "$pypi_index" -r "$consumers/python/requirements.txt" "medflow.cognito-construct==$version"
  "$venv/bin/python" -m pip show medflow.cognito-construct aws-cdk-lib | grep -E '^(Name|Version):'
  (cd "$work" && "$venv/bin/python" -m pytest -p no:cacheprovider -v "$consumers/python")
}

# --------------------------------------------------------------------------------------------- java
maven_repository=""
publish_maven() {
  registry_tools
  local repo="$work/maven-repository"
  mkdir -p "$repo" "$work/maven-home"
  # publib-maven deploys every POM under dist/java with `mvn deploy:deploy-file` to a repository that is
  # not Maven Central when MAVEN_SERVER_ID names another server; here, a directory.
  HOME="$work/maven-home" MAVEN_SERVER_ID=medflow-rehearsal MAVEN_REPOSITORY_URL="file://$repo" \
    MAVEN_USERNAME=rehearsal MAVEN_PASSWORD="$(random_secret)" \
    MAVEN_OPTS="-Dmaven.repo.local=${MAVEN_LOCAL_REPO:-$HOME/.m2/repository}" \
    "$tools/publib-maven" "$root/dist/java"
  built "$repo/com/medflow/cognito-construct/$version/cognito-construct-$version.jar"
  maven_repository="$repo"
}

java_consumer() {
  built "$root/dist/java/com/medflow/cognito-construct/$version"
  [ -n "$maven_repository" ] || publish_maven
  local local_repo="${MAVEN_LOCAL_REPO:-$HOME/.m2/repository}" app="$work/java-consumer"
  # Maven never re-reads a release version it has cached: drop the previous build's copy.
  rm -rf "$local_repo/com/medflow/cognito-construct"
  mkdir -p "$app"
  cp -r "$consumers/java/pom.xml" "$consumers/java/src" "$app/"
  # The repository stands in for Maven Central; it is given in settings, not in the consumer's POM.
  cat > "$work/maven-settings.xml" <<EOF
<settings>
  <profiles>
    <profile>
      <id>medflow-rehearsal</id>
      <repositories>
        <repository>
          <id>medflow-rehearsal</id>
          <url>file://$maven_repository</url>
        </repository>
      </repositories>
    </profile>
  </profiles>
  <activeProfiles>
    <activeProfile>medflow-rehearsal</activeProfile>
  </activeProfiles>
</settings>
EOF
  mvn --batch-mode --no-transfer-progress -s "$work/maven-settings.xml" -f "$app/pom.xml" \
    -Dmaven.repo.local="$local_repo" -Dmedflow.version="$version" test
}

# ----------------------------------------------------------------------------------------------- go
go_proxy=""
publish_go() {
  built "$root/dist/go/medflowcognitoconstruct/go.mod"
  go_proxy="$work/goproxy"
  python3 "$consumers/go-proxy-publish.py" "$root/dist/go/medflowcognitoconstruct" "v$version" "$go_proxy"
}

go_consumer() {
  [ -n "$go_proxy" ] || publish_go
  local app="$work/go-consumer" module=github.com/medflow/cognito-construct-go/medflowcognitoconstruct
  mkdir -p "$app"
  cp "$consumers/go/go.mod" "$consumers/go/go.sum" "$consumers/go/"*.go "$app/"
  (
    cd "$app"
    # The library comes from the local proxy, everything else from the public one. The checksum
    # database cannot know an unreleased module, so it is not asked about this one.
    export GOPROXY="file://$go_proxy,https://proxy.golang.org" GONOSUMDB=github.com/medflow GOFLAGS=-mod=mod
    go get "$module@v$version"
    go list -m "$module" github.com/aws/aws-cdk-go/awscdk/v2
    go test -count=1 -v ./...
  )
}

[ "$#" -gt 0 ] || set -- npm python java go
for language in "$@"; do
  case "$language" in
    npm | python | java | go) "${language}_consumer" ;;
    *) echo "unknown consumer '$language'; expected npm, python, java or go" >&2; exit 2 ;;
  esac
done
