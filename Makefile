# `make run` and `make test` set up .venv themselves; the install step reruns
# only when pyproject.toml is newer than the stamp it leaves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test validate bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# ADMIN=name names the first administrator (else `users init` asks, or makes one up)
run: $(STAMP)
	$(BIN)/python -m coopplan users init $(if $(ADMIN),--name $(ADMIN))
	$(BIN)/streamlit run dashboard.py --server.port $(PORT)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

validate: $(STAMP)
	$(BIN)/python -m coopplan validate

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python benchmarks/bench_pages.py
	$(BIN)/python benchmarks/bench_reporting.py
	$(BIN)/python benchmarks/bench_browser.py
	$(BIN)/python benchmarks/bench_store.py
	$(BIN)/python benchmarks/bench_uploads.py
	$(BIN)/python benchmarks/bench_corpus.py
	$(BIN)/python benchmarks/bench_load.py
	$(BIN)/python benchmarks/bench_signin.py
	$(BIN)/python benchmarks/bench_attacks.py

clean:
	rm -rf $(VENV) .pytest_cache
