#!/usr/bin/env bash
# The bundled demo: what `make demo` runs after building schedsim in release mode.
#
# Replays a bundled real trace (the WfCommons epigenomics run: 1,695 tasks,
# 24 GB of intermediate files) on a simulated 8-worker x 4-thread cluster with a
# max-min fair network, under nine scheduling policies (the static planners with
# exact and with 30 %-noisy estimates) and three seeds of 10 % duration noise;
# prints the comparison table; writes summary.csv, every run's CSV logs and two
# HTML reports (the comparison, and the task stream of the Dask policy's run).
set -euo pipefail
BIN=${1:-.build/release/schedsim}
OUT=${2:-demo-out}
TRACE=traces/wfcommons/epigenomics-chameleon-ilmn-6seq-50k-001.json
POLICIES=dask,dask-nosteal,dask-noqueue,heft,blevel,least-loaded,locality,round-robin,random

rm -rf "$OUT"
mkdir -p "$OUT"
echo "== schedsim info $TRACE"
"$BIN" info "$TRACE"
echo
ARGS=(--policies "$POLICIES" --info exact,user:0.3 --cluster 8x4 --network maxmin --seeds 1-3 --noise-cv 0.1 --logs --out "$OUT")
echo "== schedsim compare $TRACE ${ARGS[*]}"
"$BIN" compare "$TRACE" "${ARGS[@]}"
echo
"$BIN" report "$OUT" -o "$OUT/report.html"
first_dask_run=$(ls -d "$OUT"/runs/*-dask-s1 | head -n 1)
"$BIN" report "$first_dask_run" -o "$OUT/dask-run.html"
echo
echo "Logs:    $OUT/summary.csv and $OUT/runs/<run>/{tasks,transitions,transfers,workers,summary}.csv"
echo "Reports: $OUT/report.html (policies compared), $OUT/dask-run.html (task stream of the dask run, seed 1)"
