# outpour: every target sets up what it needs. Only python3 (>= 3.11) and make are assumed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench install docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[full]" --group dev
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/outpour run --app examples.demo.app:app --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/pyright

# The browser tests need Debian's Chromium: the script installs it when missing and never fails (it says why).
pytest: $(STAMP)
	-sh scripts/install-chromium.sh
	$(BIN)/pytest --cov --cov-report=term-missing

test: lint typecheck pytest

$(VENV)/.bench-installed: $(STAMP)
	$(BIN)/pip install --quiet --group bench
	touch $(VENV)/.bench-installed

bench: $(VENV)/.bench-installed
	$(BIN)/python -m benchmarks.run $(ARGS)

# The docs into site/; strict: a warning (broken link, missing snippet, page not in the nav) fails the build.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage site
