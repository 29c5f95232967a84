# The two commands a newcomer needs: `make run` and `make test`. Everything else is here
# so those two can install what is missing on a fresh machine (Python 3.11+, Node 20+, git).

.DEFAULT_GOAL := help
SHELL := /bin/bash
PORT ?= 8000
UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PYTHON := .venv/bin/python
MANAGE := $(PYTHON) manage.py

.PHONY: help run serve test install lint format migrate demo worker check-deploy production-smoke bench \
	loadtest clean

help: ## Show the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-17s %s\n", $$1, $$2}'

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python python3
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: .venv/.synced node_modules/.installed ## Install what is missing (uv, Python and npm packages)

migrate: install ## Apply database migrations
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable

demo: migrate ## Load demo data (safe to run twice)
	$(MANAGE) seed_demo

# Emailed links and the certificate's verification address name the port served, unless
# STEPWISE_SITE_URL is set.
run: export STEPWISE_SITE_URL ?= http://127.0.0.1:$(PORT)
run: migrate ## Serve on http://127.0.0.1:$(PORT) with demo data and a task worker
	$(MANAGE) seed_demo --if-empty
	@echo "Stepwise: http://127.0.0.1:$(PORT)  (Ctrl-C stops it)"
	@trap 'kill 0' EXIT; \
	  $(MANAGE) db_worker --interval 1 & \
	  $(MANAGE) runserver 127.0.0.1:$(PORT)

# Collected, hashed and compressed static files (minutes on a busy machine): again only when
# a static file changed.
STATIC_MANIFEST := $(or $(STEPWISE_DATA_DIR),data)/static/staticfiles.json
$(STATIC_MANIFEST): node_modules/.installed $(shell find stepwise -path '*/static/*' -type f)
	DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=collectstatic-only \
	  $(MANAGE) collectstatic --noinput --verbosity 0
	@touch $@

# Production's server and settings over plain HTTP on loopback, for measuring: gunicorn as
# gunicorn.conf.py sets it up, config.settings.serve_local (refuses any host but loopback).
# A throwaway secret key each time: sessions end when it stops.
serve: export DJANGO_SETTINGS_MODULE = config.settings.serve_local
serve: export DJANGO_ALLOWED_HOSTS = 127.0.0.1,localhost
serve: export STEPWISE_SITE_URL ?= http://127.0.0.1:$(PORT)
serve: export DJANGO_SECRET_KEY ?= $(shell openssl rand -hex 32)
serve: install $(STATIC_MANIFEST) ## Serve with production's server and settings over plain HTTP on loopback (measuring)
	$(MANAGE) migrate --noinput --verbosity 0
	$(MANAGE) createcachetable
	@echo "Stepwise (production server, plain HTTP, loopback only): $$STEPWISE_SITE_URL"
	exec .venv/bin/gunicorn config.wsgi --bind 127.0.0.1:$(PORT)

# 50 simulated users for 60 s against `make serve` on the PostgreSQL database DATABASE_URL
# names, which must hold seed_bench data (README, "Measuring the production server").
LOADTEST_ARGS ?= --users 50 --seconds 60
loadtest: install ## Load-test `make serve` with locust; figures into bench/results.md
	$(PYTHON) -m bench.loadtest $(LOADTEST_ARGS)

worker: install ## Run only the background task worker
	$(MANAGE) db_worker

test: install ## Run every test (browser tests need Debian's chromium: apt-get install chromium)
	$(PYTHON) -m pytest $(PYTEST_ARGS)

lint: install ## Check code style and the layers between apps (pyproject.toml)
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

format: install ## Format the code
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

check-deploy: install ## Django's deployment checks with production settings
	DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=$$(openssl rand -hex 32) \
	  DJANGO_ALLOWED_HOSTS=stepwise.example STEPWISE_SITE_URL=https://stepwise.example \
	  $(MANAGE) check --deploy --fail-level WARNING

production-smoke: install ## Follow the README's production steps, serve under gunicorn, fetch pages
	.ci/production-smoke

bench: install ## Run the benchmarks under bench/ and update bench/results.md
	$(PYTHON) -m bench

clean: ## Remove installed packages and the local database
	rm -rf .venv .tools node_modules data
