#!/usr/bin/env sh
# Creates deploy/airbyte-sandbox/sdk/.venv with the official Airbyte Python SDK pinned in
# requirements.txt, when it is missing or when requirements.txt changed since it was made
# (deploy/python-venv.sh does the work). Run by the airbyte-sandbox module's Maven build
# (generate-test-resources) for SdkConformanceTest; safe to run by hand.
#
#   deploy/airbyte-sandbox/sdk/ensure-venv.sh            # uses python3 from PATH, or $PYTHON
#   PYTHON=/usr/bin/python3.12 deploy/airbyte-sandbox/sdk/ensure-venv.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec sh "$here/../../python-venv.sh" "$here/.venv" "$here/requirements.txt" "the Airbyte SDK (airbyte-api)" \
    python -c 'import airbyte_api'
