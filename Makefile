# COMPASS Dashboard. Two commands for a fresh machine:
#   make run    create .venv, install requirements, prepare the database, serve on http://127.0.0.1:8050
#   make test   the same .venv plus test tools (and Debian's chromium when root), then every test
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed

.PHONY: run db serve test lint browsers wrk bench translations clean

run: db serve

$(RUNTIME_STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): $(RUNTIME_STAMP) requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## Migrate and fill whichever database DATABASE_URL selects (default: instance/compass.db).
db: $(RUNTIME_STAMP)
	$(VENV)/bin/flask --app app prepare-db

serve: $(RUNTIME_STAMP)
	$(PY) app.py

## Headless browser tests need Debian's chromium and chromium-driver (nothing downloads a browser).
browsers:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "Installing Debian's chromium and chromium-driver..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else \
		echo "Browser tests need Debian's chromium and chromium-driver:"; \
		echo "  sudo apt-get install -y chromium chromium-driver"; \
		exit 1; \
	fi

## Load generator for `make bench` (Debian's wrk).
wrk:
	@if command -v wrk >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "Installing Debian's wrk..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else \
		echo "The benchmark needs Debian's wrk:"; \
		echo "  sudo apt-get install -y wrk"; \
		exit 1; \
	fi

## Benchmark (needs PostgreSQL and Redis on 127.0.0.1); BENCH_ROWS=10000 make bench for a quick run.
bench: $(DEV_STAMP) browsers wrk
	$(PY) -m bench.run

test: $(DEV_STAMP) browsers
	$(PY) -m pytest

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## Re-extract UI strings after changing them; then translate the new entries in the .po file.
translations: $(DEV_STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg --no-default-keywords -k t -k N_ -k _ -k plural:1,2 --no-location --sort-output --omit-header -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
