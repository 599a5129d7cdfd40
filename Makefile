# Souk: `make run` for the site with demo data, `make test` for the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help run test lint fmt messages bench bench-workspace bench-reviews bench-postgres

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# The venv is (re)installed when requirements.txt, the only install list, is newer than the stamp.
$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

run: export DEBUG := 1
run: $(STAMP) ## Install, migrate, load demo data and serve http://127.0.0.1:8000
	@bash .ci/system-packages run
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compilemessages --ignore=.venv -v0
	$(PY) manage.py seed_demo
	@bash .ci/dev-site

test: $(STAMP) ## Run the whole suite: checks, SQLite, PostgreSQL, the browser (installs what is missing)
	@bash .ci/test-suite

lint: $(STAMP) ## ruff, migrations up to date, Django's checks
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=1 $(PY) manage.py check

fmt: $(STAMP) ## Format and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP) ## Extract strings into locale/ar and locale/fr, then compile
	@bash .ci/system-packages run
	DEBUG=1 $(PY) manage.py makemessages -l ar -l fr --ignore=.venv --ignore=tests --ignore=bench
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

bench: $(STAMP) ## Seed 100,000 products, serve them with gunicorn, load five pages with wrk, check out
	$(PY) bench/run.py

bench-workspace: $(STAMP) ## Time each seller workspace page and the customs PDFs on the bench catalog
	$(PY) bench/workspace.py

bench-reviews: $(STAMP) ## Time product and cooperative pages with 200 reviews, cold and warm
	$(PY) bench/reviews.py

bench-postgres: $(STAMP) ## The same bench on a throwaway PostgreSQL cluster (seeded first)
	@bash bench/on-postgres
