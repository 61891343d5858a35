# Two commands set everything up: `make run` starts the chat app, `make test` runs the test suite.
# Both create .venv and install the pinned requirements on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The browser tests drive Debian's Chromium; Playwright's own browser download needs a network we lack.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench index screenshot clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python app.py

$(CHROMIUM):
	$(SUDO) apt-get install -y chromium || ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium)

test: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest

# Speed and memory, each figure beside its floor; about ten minutes.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

# docs/screenshot.png, taken by the browser test after it asks a question and opens the sources.
screenshot: $(STAMP) $(CHROMIUM)
	QA_SCREENSHOT=docs/screenshot.png $(BIN)/python -m pytest tests/test_browser.py -k quote_speaker_place

index: $(STAMP)
	$(BIN)/qa index

clean:
	rm -rf $(VENV)
