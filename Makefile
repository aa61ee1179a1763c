# Idea Jam: `make run` (set up, migrate, seed the demo, serve) and `make test` (set up, run every test).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := app:create_app

.PHONY: run test setup deps browser translations extract-messages update-messages serve clean

run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask jam seed-demo
	$(BIN)/python wsgi.py

test: setup browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: deps translations

deps: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# Browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

translations: deps
	$(BIN)/pybabel compile -d app/translations

extract-messages: deps
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o app/translations/messages.pot app

update-messages: extract-messages
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i app/translations/messages.pot -d app/translations

clean:
	rm -rf $(VENV) test-artifacts

# Live-update benchmark (bench/realtime/): vote-to-client latency, memory per connection, the vote
# rate 1,000 clients keep up with, and 5,000 connections, under eventlet and gevent, against a bare
# python-socketio broadcast. Writes docs/PERFORMANCE.md (~15 min); QUICK=1 for a smoke run.
.PHONY: bench-realtime
bench-realtime: setup
	$(BIN)/python -m bench.realtime

# Ranking benchmark (bench/ranking/): which sort finds the true top ideas of a simulated jam —
# net votes, Wilson, "best" and pairwise (random vs adaptive pairs), with position bias and
# herding. Drives app/domain/ranking.py; writes docs/RANKING.md and docs/ranking.png (<1 min).
.PHONY: bench-ranking
bench-ranking: setup
	$(BIN)/python -m bench.ranking

# Dashboards at jam scale (bench/dashboard/): the campaign and site dashboards (pages and API) and
# the ideas leaderboard on SQLite files seeded with 1k, 10k and 46k ideas by `flask jam seed-scale`
# (cached in test-artifacts/), against a bare Flask route on the same eventlet server; writes
# docs/PERFORMANCE.md (~20 min, plus ~3 min of seeding the first time); QUICK=1 for a smoke run.
.PHONY: bench-dashboard
bench-dashboard: setup
	$(BIN)/python -m bench.dashboard

# CPU per request, in-process (bench/cpu/): campaign, idea, home and profile pages in English and
# Chinese, a vote and an anonymous page, each beside a bare Flask-SQLAlchemy read and insert in the
# same process; no network, CPU time only. Writes docs/PERFORMANCE.md (~3 min with the demo seed).
.PHONY: bench-cpu
bench-cpu: setup
	$(BIN)/python -m bench.cpu

# Every page at jam scale (bench/http/): campaign pages (top, newest, trending), an idea page with
# 300 comments, vote and comment POSTs, the API idea list, search in English and Chinese and a
# profile page at 1k, 10k and 46k ideas on SQLite, beside bare Flask routes (JSON hello, one-row
# read, one-row insert) on the same stack; then 1, 2 and 4 processes on PostgreSQL + Redis behind
# nginx (installed by the benchmark when missing). Writes docs/PERFORMANCE.md (~35 min, plus
# seeding the first time); QUICK=1 for a smoke run.
.PHONY: bench-http
bench-http: setup
	$(BIN)/python -m bench.http

# An IBM Innovation Jam sized crowd (150,000 people, 46,000 ideas, 1,000,000 votes, 200,000
# comments) in the configured, empty database, in a few minutes; IDEAS=1000 for a smaller one.
.PHONY: seed-scale
seed-scale: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask jam seed-scale --ideas $(or $(IDEAS),46000)

# Fuzzing at full size (docs/SECURITY.md): 1,000 generated cases per API operation (schemathesis,
# from /api/v1/openapi.json) and per domain function and form (hypothesis); then the bad-input
# suite over every route, form field and socket event with its long list of values, on SQLite and
# PostgreSQL, printing requests, answers >= 500 and tracebacks per database. CI runs fewer.
.PHONY: fuzz
fuzz: setup
	FUZZ_EXAMPLES=1000 $(BIN)/python -m pytest -q tests/api/test_fuzz.py tests/domain/test_fuzz_domain.py
	FUZZ_EXAMPLES=1000 $(BIN)/python -m pytest -q -s tests/http/test_bad_input.py tests/sockets/test_bad_input.py

# Themes benchmark (bench/themes/): similar-idea look-ups (p50/p99) and theme refreshes in one
# campaign of 46,000 ideas, beside a dict look-up and a no-op request, and how late the event
# loop runs during a refresh. Writes its section of docs/PERFORMANCE.md (~10 min).
.PHONY: bench-themes
bench-themes: setup
	$(BIN)/python -m bench.themes

.PHONY: bench-composer
bench-composer: setup
	$(BIN)/python -m bench.composer
