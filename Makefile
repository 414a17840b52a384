# The two commands: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint typecheck migrations-check pytest pytest-sqlite pytest-postgres \
        install setup demo messages bench clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

# --- make run ---------------------------------------------------------------------
RUN_ENV := DEBUG=$${DEBUG:-0} HTTPS=$${HTTPS:-0} SD_DEV_SECRET=1 LOG_JSON=$${LOG_JSON:-0} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost,$(HOST)} \
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}

setup: $(STAMP)
	@$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	@$(RUN_ENV) $(BIN)/python manage.py migrate --noinput -v1
	@$(RUN_ENV) $(BIN)/python manage.py load_plastek

demo: setup
	@$(RUN_ENV) $(BIN)/python manage.py load_demo
	@$(RUN_ENV) $(BIN)/python manage.py classifier_train

run: demo
	@echo ""
	@echo "Служба поддержки Plas-Tek: http://$(HOST):$(PORT)/  (API: http://$(HOST):$(PORT)/api/v1/docs)"
	@echo "Остановить: Ctrl-C"
	@$(RUN_ENV) SD_HOST=$(HOST) SD_PORT=$(PORT) PATH=$(CURDIR)/$(BIN):$$PATH \
		$(BIN)/honcho start -f Procfile

# --- make test --------------------------------------------------------------------
PG_URL = $(shell $(BIN)/python scripts/find_postgres.py)
PYTEST_ARGS ?=
PYTEST := $(BIN)/python -m pytest -n 2 -rs $(PYTEST_ARGS)

test: $(STAMP)
	@./scripts/install_system_parts.sh
	@$(MAKE) --no-print-directory lint typecheck migrations-check
	@$(MAKE) --no-print-directory pytest-sqlite
	@$(MAKE) --no-print-directory pytest-postgres

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	DEBUG=1 $(BIN)/mypy src/servicedesk

migrations-check: $(STAMP)
	DEBUG=1 DATABASE_URL=sqlite:///:memory: $(BIN)/python manage.py makemigrations --check --dry-run

pytest-sqlite: $(STAMP)
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(PYTEST)

pytest-postgres: $(STAMP)
	@url="$(PG_URL)"; \
	if [ -z "$$url" ]; then \
	  if [ -n "$$CI" ]; then echo "CI: PostgreSQL is required but not reachable" >&2; exit 1; fi; \
	  echo "== PostgreSQL: no DATABASE_URL and no local server on 127.0.0.1:5432; PostgreSQL run skipped =="; \
	else \
	  echo "== tests on PostgreSQL ($${url%%@*}@…) =="; \
	  DATABASE_URL="$$url" $(PYTEST); \
	fi

pytest: pytest-sqlite

messages: $(STAMP)
	cd src/servicedesk && ../../$(BIN)/python ../../manage.py makemessages -l ru -l en --ignore=.venv
	cd src/servicedesk && ../../$(BIN)/python ../../manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache .hypothesis
