# Vigie — every install step lives here, so a fresh machine needs nothing but Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VIGIE := $(BIN)/vigie
export VIGIE_DATA ?= $(CURDIR)/var
VIGIE_PORT ?= 8000

.PHONY: demo demo-reset test install install-dev messages lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when the project's dependencies change.
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed messages
install-dev: $(VENV)/.installed-dev messages

# Translation catalogues are compiled in Python (Babel): no GNU gettext needed.
messages: $(VENV)/.installed
	$(VIGIE) i18n_compile

demo: install
	mkdir -p "$(VIGIE_DATA)"
	VIGIE_DEMO=1 $(VIGIE) migrate --noinput
	VIGIE_DEMO=1 $(VIGIE) collectstatic --noinput --verbosity 0
	VIGIE_DEMO=1 $(VIGIE) seed --demo --initial-persons 700
	VIGIE_DEMO=1 $(VIGIE) serve --port $(VIGIE_PORT)

demo-reset:
	rm -rf "$(VIGIE_DATA)"
	$(MAKE) demo

test: install-dev
	$(BIN)/pytest -q -p no:cacheprovider

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var build *.egg-info
