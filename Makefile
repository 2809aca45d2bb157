# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := app

.PHONY: run test install install-test db demo lint clean

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

lint: install-test
	$(BIN)/ruff check app tests config.py

clean:
	rm -rf $(VENV) instance/pasapas.sqlite*
