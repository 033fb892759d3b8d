# Two commands do all the set-up:  make run   and   make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := booking

.PHONY: run test test-thorough lint translations messages test-postgres browser-deps migrate outbox clean bench bench-growth bench-deps

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements.txt
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

# The translation catalogues, compiled (booking/translations/<lang>/LC_MESSAGES/messages.mo).
CATALOGUES := $(wildcard booking/translations/*/LC_MESSAGES/messages.po)
translations: $(VENV)/.installed $(CATALOGUES:.po=.mo)
%.mo: %.po
	$(BIN)/pybabel compile -i $< -o $@

## make messages: extract patient-facing text into messages.pot and merge it into each catalogue
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 -k lazy_pgettext:1c,2 --no-location --sort-output --project clinic-booking --version 0.1.0 -o booking/translations/messages.pot .
	$(BIN)/pybabel update -i booking/translations/messages.pot -d booking/translations --no-fuzzy-matching --ignore-obsolete

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

# Local settings for the demo: a random secret key, cookies over plain http.
instance/config.py:
	mkdir -p instance
	$(PYTHON) -c "import secrets; print('SECRET_KEY = ' + repr(secrets.token_hex(32))); print('# The local demo is served over plain http://127.0.0.1'); print('SESSION_COOKIE_SECURE = False')" > $@

## make run: install, migrate the SQLite database in instance/, load the demo, serve on :5000
run: $(VENV)/.installed translations instance/config.py
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	$(BIN)/flask run --host $(HOST) --port $(PORT)

## make test: install (with test tools and Debian's chromium), lint, and run every test
test: $(VENV)/.installed-dev translations browser-deps lint
	$(BIN)/pytest

## make test-thorough: every test again with many more Hypothesis examples (the `thorough` profile, tests/hypothesis_profiles.py)
test-thorough: $(VENV)/.installed-dev translations browser-deps
	HYPOTHESIS_PROFILE=thorough $(BIN)/pytest

## make lint: ruff (lint and import order) and mypy (strict on the pure rules and queries)
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy

## make test-postgres: the database tests again, on PostgreSQL
test-postgres: $(VENV)/.installed-dev translations
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test} $(BIN)/pytest -m db

# Browser tests drive Debian's chromium; Playwright never downloads a browser.
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "note: /usr/bin/chromium is missing, browser tests will be skipped (sudo apt-get install chromium)"; \
	  fi; \
	fi

## make outbox: run the mail worker (see README for cron and systemd)
outbox: $(VENV)/.installed translations instance/config.py
	$(BIN)/flask outbox work

## make bench: benchmarks (bench/README.md). SCALE=10000 (or SCALES=10000,100000), DB=sqlite,postgres,
## BENCH_ARGS="--duration 30"; results in bench/results/<date>.md and .png
SCALE ?= 10000
SCALES ?= $(SCALE)
DB ?= sqlite,postgres
BENCH_ARGS ?=
bench: $(VENV)/.installed-bench bench-deps
	$(BIN)/python -m bench.run --engines $(DB) --scales $(SCALES) $(BENCH_ARGS)

## make bench-growth: the 10k / 100k / 1M series on PostgreSQL and 10k / 100k on SQLite, in one run
bench-growth: $(VENV)/.installed-bench bench-deps
	$(BIN)/python -m bench.run --engines postgres --scales 10000,100000,1000000 $(BENCH_ARGS)
	$(BIN)/python -m bench.run --engines sqlite --scales 10000,100000 $(BENCH_ARGS)

$(VENV)/.installed-bench: $(VENV)/.installed-dev bench/requirements.txt
	$(BIN)/pip install --disable-pip-version-check -q -r bench/requirements.txt
	touch $@

# Load comes from Debian's wrk (a C program, so the load generator stays cheap).
bench-deps:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else \
	    echo "wrk is missing: sudo apt-get install wrk" >&2; exit 1; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
