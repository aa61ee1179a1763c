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
