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
NOTEBOOKS=(01-compare-policies 02-anatomy-of-a-run 03-simulated-vs-real)
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
    unset SCHEDSIM_COMPARE_DIR SCHEDSIM_RUN_DIR SCHEDSIM_RUN_GRAPH SCHEDSIM_VALIDATE_DIR
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

# 1. Comparing policies: every policy replay knows, on the bundled Dask traces, three seeds with
# duration noise (without noise the seed changes nothing). Built from replay runs, in the shape
# of a compare folder (summary.csv with run_id; the runs' logs under runs/RUN_ID/).
if has replay; then
    policies="$("$BIN" replay --help | sed -n 's/.*Scheduling policy: \([^.]*\)\..*/\1/p' | tr -d ' ' | tr ',' ' ')"
    policies="${policies:-dask}"
    compare="$INPUTS/compare"
    mkdir -p "$compare/runs"
    run_id=0
    for trace in "$ROOT"/traces/dask/*.json; do
        for policy in $policies; do
            for seed in 1 2 3; do
                run_id=$((run_id + 1))
                "$BIN" replay "$trace" --cluster 4x2 --policy "$policy" --seed "$seed" --noise-cv 0.2 \
                    --out "$compare/runs/$run_id" >/dev/null || true
                if [ ! -f "$compare/summary.csv" ]; then
                    echo "run_id,$(head -n 1 "$compare/runs/$run_id/summary.csv")" >"$compare/summary.csv"
                fi
                echo "$run_id,$(sed -n 2p "$compare/runs/$run_id/summary.csv")" >>"$compare/summary.csv"
            done
        done
    done
    export SCHEDSIM_COMPARE_DIR="inputs/compare"
    echo "notebooks: compare input from $run_id replay runs (policies: $policies)" >&2
else
    echo "notebooks: no 'replay' command: notebook 1 uses fixtures/compare (synthetic numbers)" >&2
fi

# 3. Simulated versus real: needs the real executor's validate command.
if has validate && "$BIN" validate "$RUN_TRACE" --cluster 2x2 --out "$INPUTS/validate" >/dev/null 2>&1 \
    && [ -f "$INPUTS/validate/validation.csv" ]; then
    export SCHEDSIM_VALIDATE_DIR="inputs/validate"
else
    echo "notebooks: no usable 'validate' command: notebook 3 uses fixtures/validate (a stand-in real run)" >&2
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
