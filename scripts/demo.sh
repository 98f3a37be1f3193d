#!/usr/bin/env bash
# The bundled demo: what `make demo` runs after building schedsim in release mode.
# Replays a bundled real trace (a WfCommons epigenomics run, 1,695 tasks) on a
# simulated 8-worker cluster and writes CSV logs to $OUT.
set -euo pipefail
BIN=${1:-.build/release/schedsim}
OUT=${2:-demo-out}
TRACE=traces/wfcommons/epigenomics-chameleon-ilmn-6seq-50k-001.json
mkdir -p "$OUT"
echo "== schedsim info $TRACE"
"$BIN" info "$TRACE"
echo
echo "== schedsim replay $TRACE --cluster 8x4 --network maxmin --seed 1 --out $OUT/replay"
"$BIN" replay "$TRACE" --cluster 8x4 --network maxmin --seed 1 --out "$OUT/replay"
