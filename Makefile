# The two commands of the quick start: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo test lint format bench clean messages

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) messages

messages: $(STAMP)
	$(BIN)/python scripts/compile_messages.py

## make demo: install, migrate the embedded SQLite database, load the demo federation, serve it.
demo: install
	$(BIN)/congdoan demo --host $(HOST) --port $(PORT)

## make test: lint, types, checks, every test on SQLite and on PostgreSQL, browser tests.
test: install
	scripts/test.sh

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy congdoan

format: install
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

## make bench: benchmarks on a throwaway PostgreSQL (see docs/benchmarks.md).
bench: install
	scripts/bench.sh

clean:
	rm -rf $(VENV) var artifacts
