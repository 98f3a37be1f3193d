#!/usr/bin/env bash
# Runs the analysis notebooks in notebooks-export/ and exports them to HTML and Markdown.
#
#   scripts/notebooks.sh [SCHEDSIM]       regenerate inputs with the schedsim binary SCHEDSIM
#                                         (default .build/release/schedsim), execute every notebook
#                                         on them and export .html and .md (+ figures) next to it
#   scripts/notebooks.sh --test           execute every notebook on its fixtures in a scratch
#                                         folder (nothing in the repository changes)
#
# Needs the Python packages of requirements-notebooks.txt; without them it prints a message
# saying what to install and exits 0 ("skipped"). Inputs a command cannot make yet (compare,
# validate) fall back to the fixtures in notebooks-export/fixtures, with a message.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BOOKS="$ROOT/notebooks-export"
NOTEBOOKS=(01-compare-policies 02-anatomy-of-a-run 03-simulated-vs-real 04-runtime-vs-scheduler)
PYTHON="${PYTHON:-python3}"

if ! "$PYTHON" -c "import nbconvert, nbclient, nbformat, ipykernel, pandas, matplotlib" >/dev/null 2>&1; then
    echo "notebooks: skipped: Python packages missing; install them with: pip install -r requirements-notebooks.txt" >&2
    exit 0
fi

# execute NOTEBOOK OUTDIR: run it with the kernel in notebooks-export/ (so fixtures/ resolves).
execute() {
    "$PYTHON" -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
        --ExecutePreprocessor.kernel_name=python3 --log-level=WARN \
        --output-dir "$2" --output "$1.ipynb" "$BOOKS/$1.ipynb"
}

if [ "${1:-}" = "--test" ]; then
    # Fixtures only: inputs named in the environment would make the test depend on the caller.
    unset SCHEDSIM_COMPARE_DIR SCHEDSIM_RUN_DIR SCHEDSIM_RUN_GRAPH SCHEDSIM_VALIDATE_DIR SCHEDSIM_RUNTIME_DIR
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' EXIT
    passed=0 failed=0
    for book in "${NOTEBOOKS[@]}"; do
        # Fixtures are found relative to the kernel's folder: run from notebooks-export.
        if (cd "$BOOKS" && execute "$book" "$scratch") >"$scratch/$book.log" 2>&1; then
            echo "notebooks: $book ok"
            passed=$((passed + 1))
        else
            echo "notebooks: $book FAILED:" >&2
            tail -n 30 "$scratch/$book.log" >&2
            failed=$((failed + 1))
        fi
    done
    echo "notebooks: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
fi

BIN="${1:-$ROOT/.build/release/schedsim}"
if [ ! -x "$BIN" ]; then
    echo "notebooks: $BIN is not an executable schedsim binary (run: swift build -c release --product schedsim)" >&2
    exit 1
fi
INPUTS="$BOOKS/inputs"
rm -rf "$INPUTS"
mkdir -p "$INPUTS"
has() { "$BIN" "$1" --help >/dev/null 2>&1; }

# 2. Anatomy of one run: a replay of a bundled Dask trace, and its graph for the critical path.
RUN_TRACE="$ROOT/traces/dask/delayed_tree.json"
if has replay; then
    "$BIN" replay "$RUN_TRACE" --cluster 2x2 --sample-interval 10ms --out "$INPUTS/run" >/dev/null
    "$BIN" convert "$RUN_TRACE" "$INPUTS/run/graph.json" >/dev/null 2>&1
    export SCHEDSIM_RUN_DIR="inputs/run"   # relative to notebooks-export, where the kernel runs
else
    echo "notebooks: this schedsim has no 'replay' command: notebook 2 uses fixtures/run" >&2
fi

# 1. Comparing policies: `schedsim compare` on the bundled Dask traces, every policy, three seeds
# with duration noise (without noise the seed changes only random policies). Without a compare
# command, the same grid from replay runs, gathered into a compare-shaped folder.
compare="$INPUTS/compare"
if has compare && "$BIN" compare "$ROOT"/traces/dask/*.json --policies all --cluster 4x2 --seeds 1-3 \
        --noise-cv 0.2 --jobs 2 --no-progress --out "$compare" >/dev/null && [ -f "$compare/summary.csv" ]; then
    export SCHEDSIM_COMPARE_DIR="inputs/compare"
    echo "notebooks: compare input from schedsim compare ($(($(wc -l <"$compare/summary.csv") - 1)) runs)" >&2
elif has replay; then
    rm -rf "$compare"
    mkdir -p "$compare/runs"
    run_id=0
    for trace in "$ROOT"/traces/dask/*.json; do
        for seed in 1 2 3; do
            run_id=$((run_id + 1))
            "$BIN" replay "$trace" --cluster 4x2 --seed "$seed" --noise-cv 0.2 --out "$compare/runs/$run_id" >/dev/null || true
            if [ ! -f "$compare/summary.csv" ]; then
                echo "run_id,$(head -n 1 "$compare/runs/$run_id/summary.csv")" >"$compare/summary.csv"
            fi
            echo "$run_id,$(sed -n 2p "$compare/runs/$run_id/summary.csv")" >>"$compare/summary.csv"
        done
    done
    export SCHEDSIM_COMPARE_DIR="inputs/compare"
    echo "notebooks: no 'compare' command: compare input from $run_id replay runs (policy dask)" >&2
else
    echo "notebooks: no 'compare' or 'replay' command: notebook 1 uses fixtures/compare (synthetic numbers)" >&2
fi

# 3. Simulated versus real: needs the real executor's validate command.
if has validate && "$BIN" validate "$RUN_TRACE" --cluster 2x2 --policy dask --time-scale 1 --out "$INPUTS/validate" >/dev/null 2>&1 \
    && [ -f "$INPUTS/validate/validation.csv" ]; then
    export SCHEDSIM_VALIDATE_DIR="inputs/validate"
else
    echo "notebooks: no usable 'validate' command: notebook 3 uses fixtures/validate (a stand-in real run)" >&2
fi

# 4. Runtime versus scheduler (Böhm & Beránek, WORKS 2020): policies dask, random and heft under the
# runtime model at scale 1 (dask), 0.1 (profile files on base dask: scheduler-scale and
# worker-scale 0.1, and each side alone) and 0 (ideal), on millisecond-task graphs: real captures
# of the suite and generated graphs with 1 ms tasks; one `schedsim compare` per cluster (2x1, the captures' own
# size, and 8x4). --set would apply to every profile of the grid, hence the files.
runtime="$INPUTS/runtime"
mkdir -p "$runtime/graphs"
# profile NAME SCHEDULER-SCALE WORKER-SCALE: a profile file on top of the built-in dask profile.
profile() {
    cat >"$runtime/$1.yaml" <<PROFILE
format: schedsim-runtime/1
name: $1
source: the built-in dask profile, scheduler costs x$2, worker costs x$3 (scripts/notebooks.sh)
base: dask
parameters:
  scheduler-scale: "$2"
  worker-scale: "$3"
PROFILE
}
profile dask-x0.1 0.1 0.1
profile dask-scheduler-x0.1 0.1 1
profile dask-worker-x0.1 1 0.1
runtime_graphs=()
for workload in array_sum anomaly_mean map_overlap delayed_tree_1ms df_shuffle; do
    runtime_graphs+=("$ROOT/traces/dask/suite/$workload-sat1.1-run1.json.gz")
done
if has generate; then
    gen() { name="$1"; shift; "$BIN" generate "$@" --seed 1 -o "$runtime/graphs/$name.json" >/dev/null && runtime_graphs+=("$runtime/graphs/$name.json"); }
    gen gen_array_sum array-sum --param blocks=24 --param split-every=4 --duration constant:0.001 --size constant:100000
    gen gen_bag bag --param partitions=256 --param steps=3 --duration constant:0.001 --size constant:100000
    gen gen_groupby_tree groupby-tree --param partitions=256 --param split-every=8 --duration constant:0.001 --size constant:100000
fi
runtime_ok=1
for cluster in 2x1 8x4; do
    if ! { has compare && "$BIN" compare "${runtime_graphs[@]}" --policies dask,random,heft \
            --runtime "dask,$runtime/dask-x0.1.yaml,$runtime/dask-scheduler-x0.1.yaml,$runtime/dask-worker-x0.1.yaml,ideal" --cluster "$cluster" --seeds 1-3 \
            --jobs 2 --no-progress --out "$runtime/$cluster" >/dev/null && [ -f "$runtime/$cluster/summary.csv" ]; }; then
        runtime_ok=0
    fi
done
if [ "$runtime_ok" -eq 1 ]; then
    export SCHEDSIM_RUNTIME_DIR="inputs/runtime"
    echo "notebooks: runtime input from schedsim compare ($(cat "$runtime"/*/summary.csv | grep -vc '^run_id') runs)" >&2
else
    echo "notebooks: no usable 'compare' with --runtime: notebook 4 uses fixtures/runtime" >&2
fi

cd "$BOOKS"
for book in "${NOTEBOOKS[@]}"; do
    echo "notebooks: running $book" >&2
    execute "$book" "$BOOKS"
    rm -rf "$BOOKS/${book}_files"   # figures of an earlier export
    "$PYTHON" -m nbconvert --to html --log-level=WARN "$BOOKS/$book.ipynb"
    "$PYTHON" -m nbconvert --to markdown --log-level=WARN "$BOOKS/$book.ipynb"
done
echo "notebooks: wrote $(cd "$BOOKS" && ls ./*.html ./*.md | tr '\n' ' ')" >&2
