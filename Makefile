# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := app

.PHONY: run test test-postgres install install-test db demo lint load bench lighthouse screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"

db: install
	$(BIN)/flask db upgrade

demo: db
	$(BIN)/flask demo create

run: demo
	@echo "Pas à pas : http://$(HOST):$(PORT)"
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/pytest

# The whole suite again on a throwaway PostgreSQL server (installed from Debian's packages if missing).
test-postgres: install-test
	TEST_DATABASE_URL=$$(bash .ci/postgres.sh) $(BIN)/pytest

# 200 participants for 60 s on SQLite and PostgreSQL, with and without faults: docs/reliability.md.
load: install-test
	$(BIN)/pip install --quiet -e ".[deploy,load]"
	$(BIN)/python -m tests.load.run

# Serving (wrk), reports over 10,000 learners and 1,000,000 attempts, content and growth, on SQLite and
# PostgreSQL, on 127.0.0.1 (about 22 minutes): tables printed and written to docs/benchmarks.md.
bench: install-test
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/pip install --quiet -e ".[deploy,bench]"
	$(BIN)/python -m tests.bench.run

# Lighthouse (mobile) scores of the login, home, lesson and quiz-result pages: a measurement, not a test.
lighthouse: install-test
	command -v lighthouse >/dev/null || npm install -g lighthouse
	$(BIN)/python -m tests.tools.lighthouse

# The README's screenshots, at 360 px, into docs/.
screenshots: install-test
	$(BIN)/python -m tests.tools.screenshots

lint: install-test
	$(BIN)/ruff check app tests config.py

clean:
	rm -rf $(VENV) instance/pasapas.sqlite*
