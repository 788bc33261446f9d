# The two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock requirements-dev.lock | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# Without an explicit SECRET_KEY, `make run` uses one generated once into var/.
SERVE_ENV = SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}"

.PHONY: install run test test-sqlite test-browser lint format check lock clean lighthouse \
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
	@echo "Serving the portal at http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	@echo "First editor account: $(BIN)/python manage.py createsuperuser, then sign in at /admin/"
	$(SERVE_ENV) exec $(BIN)/gunicorn portal.wsgi --bind $(HOST):$(PORT) --workers 2 \
		--access-logfile - --forwarded-allow-ips 127.0.0.1

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
# Node.js; not part of `make test`). LIGHTHOUSE_MIN=90 make lighthouse lowers the bar.
lighthouse: $(STAMP)
	scripts/lighthouse

# Benchmarks (scripts that print figures; not tests, not CI): HTTP load with wrk, search
# latency, page weight, on corpora of 1k and 100k articles cached in var/bench/. See
# bench/README.md: the first full run builds the corpora (about 40 minutes), later runs
# about 30; bench-quick (1k articles, short runs) takes about 5.
bench: $(STAMP)
	bench/run_all.sh

bench-quick: $(STAMP)
	bench/run_all.sh --quick

# Load and faults (bench/reliability.py): 64 connections for 60 s, editor saves, killed
# workers and a PostgreSQL outage under load, about 3 minutes. The test suite runs the
# short form (--short) in its PostgreSQL pass.
reliability: $(STAMP)
	$(BIN)/python bench/reliability.py

# Scale-out on 127.0.0.1 (bench/scale_demo.py): PostgreSQL primary and streaming replica,
# Redis, two gunicorn instances behind nginx; load, failover, Redis and the replica
# stopped, about 3 minutes. Installs nginx and redis-server when missing (as root). The
# test suite runs the short form (--short) in its PostgreSQL pass.
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

check: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py check
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

# Re-pin after changing the dependencies in pyproject.toml.
lock:
	rm -rf var/lock-venv && $(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
		print('\n'.join(p['dependencies'])); open('var/dev.in', 'w').write('\n'.join(p['optional-dependencies']['dev']))" \
		> var/runtime.in
	var/lock-venv/bin/pip install --quiet -r var/runtime.in
	{ echo "# Runtime dependencies, fully pinned (direct ones are listed in pyproject.toml)."; \
	  echo "# Regenerate: make lock"; \
	  var/lock-venv/bin/pip freeze --all --exclude pip; } > requirements.lock
	var/lock-venv/bin/pip install --quiet -r var/dev.in
	{ echo "# Test and lint tools, fully pinned, on top of the runtime lock."; \
	  echo "-r requirements.lock"; \
	  var/lock-venv/bin/pip freeze --all --exclude pip | grep -vxFf requirements.lock; } \
	  > requirements-dev.lock
	rm -rf var/lock-venv var/runtime.in var/dev.in

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
