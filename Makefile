# Quickstart: `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install db run serve test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Create or migrate the database (SQLite in instance/ unless DATABASE_URL is set), then load
# the sector pathways and the demo platforms (already-present rows are left as they are).
db: install
	$(BIN)/roadmap db upgrade
	$(BIN)/roadmap seed

run: db
	$(BIN)/roadmap run --host $(HOST) --port $(PORT)

# Production-style serving: several workers behind one database.
serve: db
	$(BIN)/gunicorn --workers 2 --bind $(HOST):$(PORT) wsgi:app

test: db
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check roadmap tests scripts benchmarks
	$(BIN)/ruff format --check roadmap tests scripts benchmarks
	$(BIN)/mypy

bench: install
	$(BIN)/python benchmarks/bench_goals.py
	$(BIN)/python benchmarks/bench_reconcile.py
	$(BIN)/python benchmarks/bench_dashboard.py

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .mypy_cache .hypothesis
