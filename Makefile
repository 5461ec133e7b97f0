# Fengqiao — the commands a newcomer needs. See README.md and CONTRIBUTING.md.
PYTHON ?= python3.11
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup run test lint check bench clean

## setup: install system packages when missing and the pinned Python tree into .venv (idempotent)
setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-nodeps.txt pyproject.toml scripts/system-packages
	scripts/system-packages
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r requirements-nodeps.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

## run: migrate, load reference and demo data when empty, serve on 127.0.0.1:$(PORT)
run: setup
	$(BIN)/fengqiao bootstrap
	PORT=$(PORT) scripts/serve

## lint: ruff, mypy, Django's system checks and the migration check
lint: setup
	$(BIN)/ruff check fengqiao bench scripts
	$(BIN)/ruff format --check fengqiao bench scripts
	$(BIN)/mypy fengqiao
	$(BIN)/fengqiao check --fail-level WARNING
	$(BIN)/fengqiao makemigrations --check --dry-run

## test: the whole suite (lint first, then pytest, browser journeys included), one
## pytest process per core (pytest-xdist; a test file stays in one process)
test: lint
	$(BIN)/pytest -q -n auto --dist loadfile $(PYTEST_ARGS)

## bench: the benchmarks under bench/ (they print their figures)
bench: setup
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
