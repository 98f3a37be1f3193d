#!/usr/bin/env bash
# Install the Dask bridge's pinned dependencies and run its pytest tests.
#   bash scripts/python-tests.sh [pytest args...]
# The tests use the schedsim binary: $SCHEDSIM_BIN, else .build/debug/schedsim
# (built here if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
"$PYTHON" -m pip install --quiet --disable-pip-version-check \
    "dask==2026.8.0" "distributed==2026.8.0" "pytest>=7"
if [[ -z "${SCHEDSIM_BIN:-}" && ! -x .build/debug/schedsim && ! -x .build/release/schedsim ]]; then
    swift build --product schedsim
fi
cd python
exec "$PYTHON" -m pytest -q -p no:logging -p no:cacheprovider "$@"
