# The two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock requirements-dev.lock | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# Without an explicit SECRET_KEY, `make run` uses one generated once into var/ (which
# manage.py also reads by itself, so the commands README.md shows work as printed).
SERVE_ENV = SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}"

.PHONY: install run test test-sqlite test-browser lint format check lock lock-upgrade \
	clean distclean lighthouse \
	bench bench-quick reliability scale-demo backup restore eval-linking

install: $(STAMP)

$(STAMP): requirements.lock requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	rm -f $(VENV)/.installed-* && touch $@

var/secret_key: | $(STAMP)
	mkdir -p var
	umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

run: $(STAMP) var/secret_key
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(BIN)/python manage.py load_seed
	$(SERVE_ENV) $(BIN)/python manage.py setup_roles --verbosity 0
	@echo "Serving the portal at http://$(HOST):$(PORT)/ with the job worker (Ctrl-C stops both)"
	@echo "First editor account (in another terminal, then sign in at /admin/):"
	@echo "    $(BIN)/python manage.py createsuperuser"
	$(SERVE_ENV) WEB_BIND=$(HOST):$(PORT) exec $(BIN)/honcho --no-colour start --procfile Procfile

# SQLite pass, then PostgreSQL pass (a throwaway server when one can be started).
test: $(STAMP)
	scripts/test

test-sqlite: $(STAMP)
	scripts/test --sqlite-only

# Only the browser tests (Chromium at /usr/bin/chromium or $CHROMIUM_PATH); make test runs them too.
test-browser: $(STAMP)
	$(BIN)/pytest -m browser

# The linker and the suggester measured on the annotated corpus in evaluation/: precision and
# recall per mention, per class of difficulty and per position, then every error. A throwaway
# SQLite database, whatever DATABASE_URL says; exits 0 whatever the figures (the floors are
# tests: evaluation/tests/test_floors.py). JSON=FILE also writes the figures there.
eval-linking: $(STAMP)
	$(BIN)/python evaluation/run.py $(if $(JSON),--json $(JSON))

# Lighthouse scores of the main pages on a local production-like server (needs Chromium and
# Node.js 18.16+ with npm, which it installs from Debian when run as root; not part of
# `make test`). LIGHTHOUSE_MIN=90 make lighthouse lowers the bar.
lighthouse: $(STAMP)
	scripts/lighthouse

# Benchmarks (scripts that print figures; not tests, not CI): HTTP load with wrk, search
# latency, page weight, on corpora of 1k and 100k articles cached in var/bench/;
# bench-quick: 1k articles, short runs. Measured run times: bench/README.md.
bench: $(STAMP)
	bench/run_all.sh

bench-quick: $(STAMP)
	bench/run_all.sh --quick

# Load and faults (bench/reliability.py): 64 connections for 60 s, editor saves, killed
# workers and a PostgreSQL outage under load (run time: README's "Load and faults"). The
# test suite runs the short form (--short) in its PostgreSQL pass.
reliability: $(STAMP)
	$(BIN)/python bench/reliability.py

# Scale-out on 127.0.0.1 (bench/scale_demo.py): PostgreSQL primary and streaming replica,
# Redis, two gunicorn instances behind nginx; load, failover, Redis and the replica
# stopped. Installs nginx and redis-server when missing (as root). The test suite runs
# the short form (--short) in its PostgreSQL pass.
scale-demo: $(STAMP)
	$(BIN)/python bench/scale_demo.py

# The database and the uploaded media in one 0600 archive (var/backups/portal-<UTC time>.tar
# or FILE=...), and back: README "Backups". ENV_FILE=/etc/portal/portal.env names the
# service's environment. Operator targets install nothing: they run the existing .venv
# and stop with a one-line message without it.
backup:
	scripts/backup $(FILE)

restore:
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/portal-....tar" >&2; exit 2; }
	scripts/restore $(FILE)

# ruff, then the import contracts in pyproject.toml (apps -> portal only downward, no circles).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache --no-logo

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Checks read no database and create none: an in-memory SQLite one stands in.
check: $(STAMP)
	DEBUG=1 DATABASE_URL=sqlite://:memory: $(BIN)/python manage.py check
	DEBUG=1 DATABASE_URL=sqlite://:memory: $(BIN)/python manage.py makemigrations --check --dry-run

# Re-pin after editing the dependencies in pyproject.toml: the pins of the locks stay
# unless pyproject.toml's requirements need others (scripts/lock.py); lock-upgrade moves
# every pin to its newest release that pyproject.toml allows. Both need the package index.
lock:
	$(PYTHON) scripts/lock.py

lock-upgrade:
	$(PYTHON) scripts/lock.py --upgrade

# Build artefacts only: the virtualenv, collected static files, tool caches, Lighthouse's
# node_modules. var/ (database, uploads, backups, the local secret key, benchmark
# corpora) stays; distclean removes it too, back to a fresh clone.
clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache tools/lighthouse/node_modules
	find . -name __pycache__ -type d -not -path './var/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf var
