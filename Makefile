# `make run` and `make test` set up .venv themselves; the install step reruns
# only when pyproject.toml is newer than the stamp it leaves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test validate bench clean freeze-test-data

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
	$(BIN)/mypy
	# the tests in worker processes, one a core (pytest-xdist), a test file to one worker
	$(BIN)/python -m pytest -m "not browser" -n auto --dist loadfile
	# the real-browser tests in processes of their own: Playwright's sync API leaves an
	# event loop in the main thread, which the in-process server tests (anyio) cannot share.
	# They mostly wait (on the served app, on chromium), so two workers even on one core;
	# a module to one worker, so that its tests share its served app in their order.
	$(BIN)/python -m pytest -m browser -n 2 --dist loadscope
	# the fast part again over a generated plan with other ids (the property tests make their own records)
	$(BIN)/python -m tests.second_plan -x --ignore=tests/test_fuzz.py -n auto --dist loadfile

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
	$(BIN)/python benchmarks/bench_history.py
	$(BIN)/python benchmarks/bench_interactions.py
	$(BIN)/python benchmarks/bench_capacity.py
	$(BIN)/python benchmarks/bench_evidence.py
	$(BIN)/python benchmarks/bench_attacks.py
	$(BIN)/python benchmarks/bench_notify.py

# The tests run over their own frozen copy of the plan (tests/data/plan), so data/ can
# be replaced by the official plan. To take today's committed data/ as the tests' plan
# again (then fix the tests that name what changed):
freeze-test-data:
	rm -rf tests/data/plan && mkdir -p tests/data/plan
	git archive HEAD data | tar -x --strip-components=1 -C tests/data/plan

clean:
	rm -rf $(VENV) .pytest_cache
