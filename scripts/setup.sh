#!/usr/bin/env bash
# Installs what schedsim needs on a fresh Debian/Ubuntu machine: GNU GSL (random
# streams), zlib (.json.gz traces), pkg-config, Chromium (the report's browser
# test) through apt-get, and the pinned Python packages of the analysis notebooks
# (requirements-notebooks.txt) through pip. The Dask bridge's packages are
# installed by scripts/python-tests.sh. Safe to run repeatedly: it installs only
# what is missing.
set -euo pipefail

need=()
pkg-config --exists gsl 2>/dev/null || need+=(libgsl-dev)
pkg-config --exists zlib 2>/dev/null || need+=(zlib1g-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v chromium >/dev/null || need+=(chromium)

install_python_packages() {
    local python=${PYTHON:-python3}
    if ! command -v "$python" >/dev/null 2>&1; then
        echo "setup: $python not found; the notebook tests will be skipped" >&2
        return 0
    fi
    if ! "$python" -c "import nbconvert, nbclient, nbformat, ipykernel, pandas, matplotlib" >/dev/null 2>&1; then
        echo "setup: pip install -r requirements-notebooks.txt" >&2
        "$python" -m pip install --quiet --disable-pip-version-check -r "$(dirname "$0")/../requirements-notebooks.txt"
    fi
}

if [ ${#need[@]} -eq 0 ]; then
    install_python_packages
    exit 0
fi

echo "setup: installing ${need[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "setup: need root or sudo to install ${need[*]} (apt-get)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${need[@]}" >/dev/null
if ! pkg-config --exists gsl; then
    echo "setup: libgsl-dev installed but pkg-config cannot find gsl" >&2
    exit 1
fi
install_python_packages
