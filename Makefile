# Every target builds .venv on first use, so a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= /tmp/termnews-bench-corpus
CORPUS_100K ?= /tmp/termnews-corpus-100k
# Real-shaped copy: the Reuters-21578 SGML files (downloaded separately), converted once.
REUTERS ?=
REAL_CORPUS ?= /tmp/termnews-reuters-wire

.PHONY: run test lint format bench bench-100k bench-scale bench-real snapshots clean

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
	$(BIN)/ruff check src tests benchmarks docs
	$(BIN)/ruff format --check src tests benchmarks docs
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks docs
	$(BIN)/ruff check --fix src tests benchmarks docs

# The targets are set at 20,000 stories; bench-100k adds the 100,000-story figures.
bench: $(STAMP)
	test -d $(CORPUS) || $(BIN)/python benchmarks/gen_corpus.py 20000 $(CORPUS)
	$(BIN)/python benchmarks/bench.py parse --corpus $(CORPUS)
	$(BIN)/python benchmarks/bench.py --corpus $(CORPUS)
	$(BIN)/python benchmarks/bench.py ui --corpus $(CORPUS) --skip-100k
	$(BIN)/python benchmarks/bench.py fetch
	$(BIN)/python benchmarks/bench.py peer --corpus $(CORPUS)

bench-100k: $(STAMP)
	test -d $(CORPUS_100K) || $(BIN)/python benchmarks/gen_corpus.py 100000 $(CORPUS_100K)
	$(BIN)/python benchmarks/bench.py --corpus $(CORPUS_100K) --build-rounds 1
	$(BIN)/python benchmarks/bench.py ui --corpus $(CORPUS) --corpus-100k $(CORPUS_100K)

# Build, size, open, memory and query costs at 20k, 100k and 300k stories, fitted and
# extrapolated to 1M (tens of minutes; not part of `make bench`).
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/bench.py scale

# `make bench-real REUTERS=DIR`: the same figures on Reuters-21578 turned into wire stories,
# with the parser's field accuracy on them.
bench-real: $(STAMP)
	test -n "$(REUTERS)" || { echo "make bench-real REUTERS=DIR (the Reuters-21578 .sgm files)"; exit 2; }
	test -d $(REAL_CORPUS) || $(BIN)/python benchmarks/reuters_to_wire.py $(REUTERS) $(REAL_CORPUS)
	$(BIN)/python benchmarks/score_reuters.py $(REUTERS)
	$(BIN)/python benchmarks/bench.py --corpus $(REAL_CORPUS)
	$(BIN)/python benchmarks/bench.py ui --corpus $(REAL_CORPUS) --skip-100k

snapshots: $(STAMP)
	$(BIN)/python -m pytest -q tests/tui --snapshot-update

clean:
	rm -rf $(VENV) build dist .pytest_cache
