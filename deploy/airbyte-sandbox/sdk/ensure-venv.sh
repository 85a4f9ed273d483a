#!/usr/bin/env sh
# Creates deploy/airbyte-sandbox/sdk/.venv with the official Airbyte Python SDK pinned in
# requirements.txt, when it is missing or when requirements.txt changed since it was made (a stamp
# file holds the requirements it was made from). Run by the airbyte-sandbox module's Maven build
# (generate-test-resources) for SdkConformanceTest; safe to run by hand.
#
#   deploy/airbyte-sandbox/sdk/ensure-venv.sh            # uses python3 from PATH, or $PYTHON
#   PYTHON=/usr/bin/python3.12 deploy/airbyte-sandbox/sdk/ensure-venv.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
venv="$here/.venv"
requirements="$here/requirements.txt"
stamp="$venv/.requirements.stamp"
python=${PYTHON:-python3}

fail() {
    echo "ensure-venv: $*" >&2
    exit 1
}

if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && cmp -s "$requirements" "$stamp"; then
    echo "ensure-venv: the Airbyte SDK is ready ($venv)"
    exit 0
fi

command -v "$python" >/dev/null 2>&1 || fail "'$python' was not found. The Airbyte SDK check needs \
Python 3.10 or newer with the venv module: install it (e.g. 'apt-get install python3 python3-venv', \
'brew install python@3.12', or https://www.python.org/downloads/) or point PYTHON at it, then build \
again (or skip the module's tests with -DskipTests)."

"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
    || fail "$("$python" --version 2>&1) is too old: airbyte-api 1.0.1 needs Python 3.10 or newer (set PYTHON=/path/to/python3.x)."
"$python" -c 'import venv, ensurepip' 2>/dev/null \
    || fail "$("$python" --version 2>&1) has no venv/ensurepip module: install it (e.g. 'apt-get install python3-venv')."

echo "ensure-venv: creating $venv with $("$python" --version 2>&1) and $(grep -E '^[a-z]' "$requirements" | tr '\n' ' ')"
rm -rf "$venv"
"$python" -m venv "$venv" || fail "could not create the virtual environment $venv"
if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"; then
    rm -rf "$venv"
    fail "pip could not install $requirements: airbyte-api comes from PyPI (https://pypi.org); \
check the network or a PIP_INDEX_URL mirror, then build again."
fi
"$venv/bin/python" -c 'import airbyte_api' >/dev/null 2>&1 \
    || { rm -rf "$venv"; fail "airbyte-api was installed but does not import"; }
cp "$requirements" "$stamp"
echo "ensure-venv: the Airbyte SDK is ready ($venv)"
