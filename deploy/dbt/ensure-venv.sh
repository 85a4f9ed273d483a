#!/usr/bin/env sh
# Creates deploy/dbt/.venv with the dbt pinned in requirements.txt, when it is missing or when
# requirements.txt changed since it was made (deploy/python-venv.sh does the work).
# Run by transform-service's Maven build (generate-test-resources); safe to run by hand.
#
#   deploy/dbt/ensure-venv.sh            # uses python3 from PATH, or $PYTHON
#   PYTHON=/usr/bin/python3.12 deploy/dbt/ensure-venv.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec sh "$here/../python-venv.sh" "$here/.venv" "$here/requirements.txt" dbt dbt --version
