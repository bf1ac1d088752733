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

# Production serving (README "Deploying"): gunicorn with $(WORKERS) workers against the database
# of DATABASE_URL, in production mode (ROADMAP_ENV=production: ROADMAP_SECRET_KEY must be set),
# every other setting from the environment. Migrates first; never loads the demo data. The app
# logs one line per request itself (ROADMAP_LOG_LEVEL), so gunicorn keeps no access log.
# GUNICORN_CMD_ARGS adds gunicorn options (e.g. "--timeout 60").
WORKERS ?= 2
serve: install
	@test -n "$$DATABASE_URL" || { echo "make serve: set DATABASE_URL, e.g. postgresql+psycopg://roadmap@127.0.0.1:5432/roadmap" >&2; exit 2; }
	ROADMAP_ENV=production $(BIN)/roadmap db upgrade
	ROADMAP_ENV=production $(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) 'roadmap:create_app()'

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
