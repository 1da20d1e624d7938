# Puente — the two commands of the quick start are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
export PORT
# Test processes (pytest-xdist): one per core, at most 4; TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
XDIST := -n $(TEST_WORKERS) --maxprocesses 4

.PHONY: help install demo serve test test-fast e2e lint format messages openapi bench clean

help:
	@echo "make demo     create .venv, install, migrate, seed the bilingual demo and serve on http://127.0.0.1:$(PORT)"
	@echo "make test     create .venv if needed, install, run the whole test suite"
	@echo "make lint     ruff, format check, mypy, Django checks, makemigrations --check"
	@echo "make serve    serve the existing database on PORT (default 8000)"
	@echo "make messages extract and compile the Spanish translations"
	@echo "make openapi  rewrite docs/openapi.json from the running code"

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/puente demo --port $(PORT)

serve: $(STAMP)
	$(BIN)/puente serve --port $(PORT)

test: $(STAMP)
	$(BIN)/pytest $(XDIST)

test-fast: $(STAMP)
	$(BIN)/pytest -m "not e2e" -x -q

e2e: $(STAMP)
	$(BIN)/pytest $(XDIST) -m e2e

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=puente.settings.base $(BIN)/puente check --fail-level WARNING
	SECRET_KEY=$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))") ALLOWED_HOSTS=puente.example.org DJANGO_SETTINGS_MODULE=puente.settings.production $(BIN)/puente check --deploy --fail-level WARNING
	DJANGO_SETTINGS_MODULE=puente.settings.base $(BIN)/puente makemigrations --check --dry-run
	$(BIN)/python tools/check_translations.py

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

messages: $(STAMP)
	$(BIN)/python tools/messages.py

openapi: $(STAMP)
	DJANGO_SETTINGS_MODULE=puente.settings.test $(BIN)/python tools/write_openapi.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
