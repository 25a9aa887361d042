# zapdesk — `make run` (embedded: SQLite, embedded Redis, one worker, waitress on
# 127.0.0.1:8080) and `make test` (the whole suite) work on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8080
PYTEST_ARGS ?=

.PHONY: run test test-embedded test-services bench install browser clean lint

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/zapdesk run --host $(HOST) --port $(PORT)

# Debian's Chromium for the browser tests (never a browser download).
browser:
	@scripts/ensure-test-deps.sh

test: $(STAMP) browser
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) build *.egg-info
