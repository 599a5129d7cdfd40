# Souk: `make run` for the site with demo data, `make test` for the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help run test lint fmt messages bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

run: $(STAMP) ## Install, migrate, load demo data and serve http://127.0.0.1:8000
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv -v0
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP) ## Run the whole suite: SQLite, PostgreSQL and the browser
	$(BIN)/pytest

lint: $(STAMP) ## ruff, migrations up to date, Django's checks
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=1 $(PY) manage.py check

fmt: $(STAMP) ## Format and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP) ## Extract strings into locale/ar and locale/fr, then compile
	DEBUG=1 $(PY) manage.py makemessages -l ar -l fr --ignore=.venv --ignore=tests --ignore=bench
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv
