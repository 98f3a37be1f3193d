#!/usr/bin/env bash
# The bundled demo: what `make demo` runs after building schedsim in release mode.
set -euo pipefail
BIN=${1:-.build/release/schedsim}
OUT=${2:-demo-out}
mkdir -p "$OUT"
TRACE=traces/native/diamond.json
echo "== schedsim info $TRACE"
"$BIN" info "$TRACE"
