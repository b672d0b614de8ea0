# Every target builds .venv on first use, so a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= /tmp/termnews-bench-corpus
BENCH_DOCS ?= 2000

.PHONY: run test lint format bench snapshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/termnews --demo

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

bench: $(STAMP)
	test -d $(CORPUS) || $(BIN)/python benchmarks/gen_corpus.py $(BENCH_DOCS) $(CORPUS)
	$(BIN)/python benchmarks/bench.py parse --corpus $(CORPUS)
	$(BIN)/python benchmarks/bench.py --corpus $(CORPUS)
	$(BIN)/python benchmarks/bench.py ui --corpus $(CORPUS)

snapshots: $(STAMP)
	$(BIN)/python -m pytest -q tests/tui --snapshot-update

clean:
	rm -rf $(VENV) build dist .pytest_cache
