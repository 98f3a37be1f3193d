#!/usr/bin/env bash
# Installs the system packages schedsim needs on a fresh Debian/Ubuntu machine:
# GNU GSL (random streams), zlib (.json.gz traces) and pkg-config.
# Safe to run repeatedly: it installs only what is missing.
set -euo pipefail

need=()
pkg-config --exists gsl 2>/dev/null || need+=(libgsl-dev)
pkg-config --exists zlib 2>/dev/null || need+=(zlib1g-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v chromium >/dev/null || need+=(chromium)

if [ ${#need[@]} -eq 0 ]; then
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
