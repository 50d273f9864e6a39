# Casebook: two commands on a fresh clone.
#   make run   set up, migrate a SQLite database, seed it if empty, serve http://127.0.0.1:8000/
#   make test  set up and run the whole test suite (DATABASE_URL selects PostgreSQL)
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test setup lint format migrate seed check clean bench bench-chart load outage twohosts backup restore
DB ?= sqlite
SCALE ?= 1

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

setup: $(VENV)/.synced

migrate: setup
	$(PY) manage.py migrate --no-input

# Adds new fixture rows and updates rows nobody has changed since seeding; reports, and keeps,
# every curated difference (manage.py seed --overwrite-curated to write over them).
seed: migrate
	$(PY) manage.py seed

# Seeds only an empty database (a fresh clone): an existing one is served as it is.
run: migrate
	$(PY) manage.py seed --if-empty
	$(PY) manage.py runserver 127.0.0.1:8000

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

# Casebook, cold and warm, against Datasette; DB=postgres puts Casebook on PostgreSQL, SCALE=0.1
# (or 10) another size of the synthetic data set (benchmarks/README.md). Saves its results in
# benchmarks/results/<db>-scale<S>.json for make bench-chart.
bench: setup
	@command -v wrk >/dev/null || { echo "installing wrk from Debian's packages"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(UV) sync --frozen --python $(PYTHON) --group bench --inexact
	DB=$(DB) SCALE=$(SCALE) $(PY) benchmarks/bench.py

# benchmarks/growth.svg: each page's cold p95 at every scale measured, from the results that
# make bench saved (benchmarks/results/<db>-scale<S>.json).
bench-chart: setup
	$(PY) benchmarks/bench.py --chart

# Sixty seconds of mixed load at 64 connections against gunicorn on PostgreSQL, then slow
# clients through nginx (deploy/nginx/) while /healthz must keep answering.
load: setup
	@{ command -v nginx >/dev/null || test -x /usr/sbin/nginx; } && command -v wrk >/dev/null || { \
	  echo "installing nginx and wrk from Debian's packages"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light wrk >/dev/null; }
	cd benchmarks && PATH="$$PATH:/usr/sbin" ../$(PY) load.py

# Two gunicorn hosts on one PostgreSQL and one Redis (CASEBOOK_CACHE_URL): a page cached by one
# is served by the other, an edit through one is seen at once through the other.
twohosts: setup
	cd benchmarks && ../$(PY) twohosts.py

# Stop PostgreSQL under a running gunicorn, check for 503s, start it, check it recovers.
outage: setup
	cd benchmarks && ../$(PY) outage.py

# The whole database to one file (DATABASE_URL decides: pg_dump -Fc, or SQLite's backup API).
# BACKUP_FILE=… chooses the file; by default backups/casebook-<UTC time>.dump or .sqlite3.
backup: setup
	$(PY) manage.py backup $(if $(BACKUP_FILE),--output "$(BACKUP_FILE)")

# Load BACKUP_FILE into the (empty) database DATABASE_URL names, then bring it up to date.
restore: setup
	@test -n "$(BACKUP_FILE)" || { echo "Say which backup: make restore BACKUP_FILE=backups/…"; exit 2; }
	$(PY) manage.py restore "$(BACKUP_FILE)"
	$(PY) manage.py migrate --no-input
	$(PY) manage.py check_public

clean:
	rm -rf $(VENV) $(TOOLS) db.sqlite3
