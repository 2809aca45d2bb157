# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := app

# Installing is done once: these files mark it done, and pyproject.toml changing redoes it.
INSTALLED := $(VENV)/.installed
INSTALLED_TEST := $(VENV)/.installed-test

.PHONY: run dev test test-fast test-postgres db demo demo-reset lint load bench bench-footprint lighthouse screenshots clean

$(BIN)/python:
	@echo "==> Creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(BIN)/python
	@echo "==> Installing Pas à pas and its libraries (a minute or two, once)"
	$(BIN)/pip install --progress-bar on -e .
	@touch $@

$(INSTALLED_TEST): pyproject.toml $(INSTALLED)
	@echo "==> Installing the test tools (once)"
	$(BIN)/pip install --progress-bar on -e ".[test]"
	@touch $@

db: $(INSTALLED)
	@echo "==> Preparing the database (instance/pasapas.sqlite)"
	$(BIN)/flask db upgrade

demo: db
	@echo "==> Demo accounts and some activity for the facilitator screens"
	$(BIN)/flask demo create
	$(BIN)/flask demo activity

# gunicorn with gunicorn.conf.py, as in production (the development server would log every path).
run: demo
	@echo "==> Pas à pas : http://$(HOST):$(PORT)  (Ctrl+C pour arrêter)"
	$(BIN)/gunicorn -c gunicorn.conf.py --bind $(HOST):$(PORT)

# Flask's development server: reloads on every edit of the code, the templates or the lessons.
dev: demo
	$(BIN)/flask run --debug --host $(HOST) --port $(PORT)

# The demo from the start again: a new database, demo accounts and activity (nothing reinstalled).
demo-reset: $(INSTALLED)
	rm -f instance/pasapas.sqlite instance/pasapas.sqlite-wal instance/pasapas.sqlite-shm
	$(MAKE) --no-print-directory demo

test: $(INSTALLED_TEST)
	$(BIN)/pytest

# Everything but the browser tests: the edit loop (the whole suite stays in CI).
test-fast: $(INSTALLED_TEST)
	$(BIN)/pytest -m "not browser"

# The whole suite again on a throwaway PostgreSQL server (installed from Debian's packages if missing).
test-postgres: $(INSTALLED_TEST)
	TEST_DATABASE_URL=$$(bash .ci/postgres.sh) $(BIN)/pytest

# 200 participants for 60 s on SQLite and PostgreSQL, with and without faults: docs/reliability.md.
load: $(INSTALLED_TEST)
	$(BIN)/pip install --quiet -e ".[deploy,load]"
	$(BIN)/python -m tests.load.run

# Serving (wrk), footprint, reports over 10,000 learners and 1,000,000 attempts, content and growth, on
# SQLite and PostgreSQL, on 127.0.0.1 (about 25 minutes): tables printed and written to docs/benchmarks.md.
bench: $(INSTALLED_TEST)
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/pip install --quiet -e ".[deploy,bench]"
	$(BIN)/python -m tests.bench.run

# Only the footprint part (about 3 minutes): start-up, memory of every process, first-visit weights.
bench-footprint: $(INSTALLED_TEST)
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python -m tests.bench.run --parts footprint --databases sqlite

# Lighthouse (mobile) scores of the login, home, lesson and quiz-result pages: a measurement, not a test.
lighthouse: $(INSTALLED_TEST)
	command -v lighthouse >/dev/null || npm install -g lighthouse
	$(BIN)/python -m tests.tools.lighthouse

# The README's screenshots, at 360 px, into docs/.
screenshots: $(INSTALLED_TEST)
	$(BIN)/python -m tests.tools.screenshots

lint: $(INSTALLED_TEST)
	$(BIN)/ruff check app tests config.py

clean:
	rm -rf $(VENV) instance/pasapas.sqlite*
