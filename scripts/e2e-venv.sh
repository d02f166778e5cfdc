#!/usr/bin/env bash
# Creates .venv-e2e/ with the Python tools of the template checks and the end-to-end rehearsal,
# pinned in test/e2e/requirements.txt: cfn-lint and moto[server]. Reinstalls only when the pins change.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-e2e
REQUIREMENTS=test/e2e/requirements.txt
PYTHON="${PYTHON:-python3}"
STAMP="$VENV/.requirements"
if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && cmp -s "$REQUIREMENTS" "$STAMP"; then
  exit 0
fi
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' 2>/dev/null; then
  echo "Python 3.9 or later is needed for cfn-lint and moto; set PYTHON to its path (found: $("$PYTHON" --version 2>&1 || echo none))." >&2
  exit 1
fi
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
cp "$REQUIREMENTS" "$STAMP"
echo "$VENV: $("$VENV/bin/cfn-lint" --version), moto $("$VENV/bin/python" -c 'import moto; print(moto.__version__)')"
