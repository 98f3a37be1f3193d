# schedsim — the two commands of the README, and a few helpers.
#   make demo   set up, build (release) and run the bundled demo
#   make test   set up and run the whole test suite (Swift, then Python)
#   make mutate apply scripts/mutate.py's hand-written mutations one at a time (slow; not in make test)
SHELL := /bin/bash
SWIFT ?= swift
DEMO_OUT ?= demo-out
BIN := .build/release/schedsim

.PHONY: demo test setup build release bench clean notebooks mutate chaos

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release --product schedsim

demo: release
	@bash scripts/demo.sh $(BIN) $(DEMO_OUT)

# Swift tests of every module, then the Dask bridge's pytest suite (it installs its
# pinned dask/distributed and uses the debug schedsim binary built by swift test).
test: setup
	$(SWIFT) test
	SCHEDSIM_BIN=$(CURDIR)/.build/debug/schedsim bash scripts/python-tests.sh

# Mutation testing (docs/testing.md): every mutation must make a test fail.
mutate: setup
	python3 scripts/mutate.py

# Seeded chaos runs (Tests/ChaosTests): N runs from seed SEED, every check on.
N ?= 10000
SEED ?= 1000000
chaos: setup
	SCHEDSIM_CHAOS_RUNS=$(N) SCHEDSIM_CHAOS_SEED=$(SEED) $(SWIFT) test --filter ChaosTests.longRun

bench: setup
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark --no-progress

# Regenerate the notebooks' inputs with schedsim, execute them, export HTML and Markdown.
notebooks: release
	@bash scripts/notebooks.sh $(BIN)

clean:
	rm -rf .build $(DEMO_OUT)
