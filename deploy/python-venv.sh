#!/usr/bin/env sh
# Creates a Python virtual environment from a pinned requirements.txt, when it is missing or when
# requirements.txt changed since it was made (a stamp file holds the requirements it was made from).
# Shared by deploy/dbt/ensure-venv.sh (dbt) and deploy/airbyte-sandbox/sdk/ensure-venv.sh (the
# official Airbyte SDK); call those.
#
#   deploy/python-venv.sh <venv dir> <requirements.txt> <what> <check command...>
#   <what>: what the venv holds, for the messages ("dbt"); <check command>: run with the venv's
#   bin/ first on PATH, it must succeed for the venv to count as ready (e.g. dbt --version).
#   PYTHON=/usr/bin/python3.12 picks the interpreter (python3 from PATH by default).
set -eu

venv=$1
requirements=$2
what=$3
shift 3
stamp="$venv/.requirements.stamp"
python=${PYTHON:-python3}

fail() {
    echo "ensure-venv: $*" >&2
    exit 1
}

ready() {
    PATH="$venv/bin:$PATH" "$@" >/dev/null 2>&1
}

if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && cmp -s "$requirements" "$stamp" && ready "$@"; then
    echo "ensure-venv: $what is ready ($venv)"
    exit 0
fi

command -v "$python" >/dev/null 2>&1 || fail "'$python' was not found. $what needs Python 3.10 or newer \
with the venv module: install it (e.g. 'apt-get install python3 python3-venv', 'brew install python@3.12', \
or https://www.python.org/downloads/) or point PYTHON at it, then build again."

"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
    || fail "$("$python" --version 2>&1) is too old: $what needs Python 3.10 or newer (set PYTHON=/path/to/python3.x)."
"$python" -c 'import venv, ensurepip' 2>/dev/null \
    || fail "$("$python" --version 2>&1) has no venv/ensurepip module: install it (e.g. 'apt-get install python3-venv')."

echo "ensure-venv: creating $venv with $("$python" --version 2>&1) and $(grep -E '^[a-z]' "$requirements" | tr '\n' ' ')"
rm -rf "$venv"
"$python" -m venv "$venv" || fail "could not create the virtual environment $venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"; then
    rm -rf "$venv"
    fail "pip could not install $requirements ($what) from PyPI (https://pypi.org); check the network \
or a PIP_INDEX_URL mirror, then build again."
fi
ready "$@" || { rm -rf "$venv"; fail "$what was installed but '$*' does not run"; }
cp "$requirements" "$stamp"
echo "ensure-venv: $what is ready ($venv)"
