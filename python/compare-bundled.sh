#!/usr/bin/env bash
# Simulation (schedsim, dask policy) vs real Dask (LocalCluster, worker processes) for every bundled trace.
#   bash python/compare-bundled.sh [OUT]   (default OUT=dask-compare; prints and writes OUT/comparison.csv)
# Dask captures run at their own speed on their recorded shape (2 workers x 1 thread). Other traces are
# scaled so their critical path takes 3 s and their outputs total at most 50 MB, on 2 workers x 2 threads.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-dask-compare}"
mkdir -p "$OUT"
export PYTHONPATH="$HERE${PYTHONPATH:+:$PYTHONPATH}"
ROOT="$(dirname "$HERE")"
rows=()
run() {  # name trace args...
    local name="$1" trace="$2"; shift 2
    python3 -m schedsim_dask validate "$trace" --out "$OUT/$name" "$@" >"$OUT/$name.log" 2>&1 || { echo "$name: failed, see $OUT/$name.log" >&2; return; }
    local scales; scales="$(grep '^# time scale' "$OUT/$name.log" | sed 's/^# //')"
    rows+=("$(tail -n 1 "$OUT/$name/comparison.csv"),\"$scales\"")
    echo "${rows[-1]}"
}
for t in "$ROOT"/traces/dask/*.json; do run "dask-$(basename "$t" .json)" "$t" --workers 2 --threads 1 --time-scale 1; done
run native-diamond "$ROOT/traces/native/diamond.json" --workers 2 --threads 2 --time-scale 1
for t in "$ROOT"/traces/dax/*.xml "$ROOT"/traces/stg/*.stg "$ROOT"/traces/wfcommons/*.json; do
    run "$(basename "$(dirname "$t")")-$(basename "${t%.*}")" "$t" --workers 2 --threads 2 --target-seconds 3 --max-bytes 5e7
done
{ head -n 1 "$(ls "$OUT"/*/comparison.csv | head -n 1)" | sed 's/$/,scales/'; printf '%s\n' "${rows[@]}"; } >"$OUT/comparison.csv.partial"
mv "$OUT/comparison.csv.partial" "$OUT/comparison.csv"
