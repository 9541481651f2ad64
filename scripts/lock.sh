#!/usr/bin/env bash
# Regenerate constraints.txt: every package the app and its tests install, pinned, from a
# fresh virtual environment. The README's test command and .ci/run install with
# `-c constraints.txt`, so one commit gives the same result next month. Upgrading the pins
# is a commit of its own: run this, run `bash .ci/run`, commit constraints.txt alone.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$PY -m venv "$work/venv"
"$work/venv/bin/pip" install -q --upgrade pip
"$work/venv/bin/pip" install -q -e ".[test]"
{
  echo "# Pinned versions of everything 'pip install -e .[test]' brings (scripts/lock.sh)."
  echo "# Python $($PY -c 'import platform; print(platform.python_version())'), made $(date -u +%Y-%m-%d)."
  "$work/venv/bin/pip" freeze --exclude-editable | grep -v '^fieldwelfare' | LC_ALL=C sort -f
} > constraints.txt
echo "constraints.txt: $(grep -vc '^#' constraints.txt) packages pinned"
