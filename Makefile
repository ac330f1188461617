# outpour: every target sets up what it needs. Only python3 (>= 3.11) and make are assumed.
#
# Environments come from uv.lock (uv, pinned below, is installed into .tools/ with pip): a new upstream release cannot
# change what `make test` or `make demo` installs. Refresh the lock deliberately with `make lock`; `make test-latest`
# and `make test-lowest` resolve the newest releases and the declared floors instead, to show drift before it bites.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
UV_VERSION := 0.13.9
UV := $(TOOLS)/bin/uv
# Use the machine's python3; never download an interpreter.
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)
export UV_PROJECT_ENVIRONMENT := $(VENV)

# What the demo imports: the CLI (click, rich), uvicorn and Jinja (its OpenAPI pages' files ship with outpour; the
# `demo` group's swagger-ui-py is only for the docs' local-assets example).
DEMO_SYNC := --no-default-groups --extra cli --extra standard --extra jinja --group demo

.PHONY: demo test test-latest test-lowest lint typecheck pytest pytest-general bench mutation install lock docs dist clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Everything: the package with all its extras and the dev groups (tests, type checkers, linters, docs), exactly as locked.
install: | $(UV)
	@echo "make: installing outpour with all extras and the test, typing, lint, docs and demo tools from uv.lock into $(VENV)"
	$(UV) sync --locked --all-extras --group dev --quiet

demo: | $(UV)
	@echo "make: installing outpour with the extras the demo uses (cli, standard, jinja, demo group) from uv.lock into $(VENV)"
	$(UV) sync --locked --inexact $(DEMO_SYNC) --quiet
	$(BIN)/outpour run --app examples.demo.app:app --host 127.0.0.1 --port 8000

lock: | $(UV)
	$(UV) lock

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy
	$(BIN)/pyright

# The browser tests drive Debian's Chromium: scripts/install-chromium.sh installs it with apt-get (as root or with
# password-less sudo) when /usr/bin/chromium is missing, and says so. Without it the browser tests skip (fail in CI).
pytest: install
	-sh scripts/install-chromium.sh
	$(BIN)/pytest --cov --cov-report=term-missing $(ARGS)
	$(MAKE) --no-print-directory pytest-general

# The client-level suites again with every specialisation of the request path off (docs/dev/general-path.md): a fast
# path is a copy of the general one until these prove them equal.
GENERAL_SUITES := tests/unit/app tests/unit/response tests/unit/dto tests/unit/events tests/unit/plugins tests/unit/security \
	tests/examples tests/unit/openapi tests/docs
pytest-general: install
	OUTPOUR_GENERAL_PATH=1 $(BIN)/pytest -q -p no:cacheprovider $(GENERAL_SUITES)

test: lint typecheck pytest

# Drift checks, not part of `make test`: the same suite on the newest releases of every dependency, and on the lowest
# releases the package's own ranges (and the dev groups' floors) admit. Each in its own environment.
test-latest: | $(UV)
	rm -rf .venv-latest
	$(UV) venv --quiet .venv-latest
	$(UV) pip install --quiet --python .venv-latest --resolution highest -e ".[full]" --group dev
	.venv-latest/bin/pytest -p no:cacheprovider -q $(ARGS)

test-lowest: | $(UV)
	rm -rf .venv-lowest
	$(UV) venv --quiet .venv-lowest
	$(UV) pip install --quiet --python .venv-lowest --resolution lowest-direct -e ".[full]" --group dev
	.venv-lowest/bin/pytest -p no:cacheprovider -q $(ARGS)

bench: | $(UV)
	$(UV) sync --locked --inexact --all-extras --group dev --group bench --quiet
	$(BIN)/python -m benchmarks.run $(ARGS)

# Mutation testing of the request-path modules (docs/dev/general-path.md), not part of `make test`: mutmut (the
# `mutation` group) in a scratch copy of the tree (.mutation/), one mutant at a time, each against only the tests of its
# module that call the mutated function. ARGS picks other modules, tests or a cap, e.g.
# ARGS="outpour/_plan.py --tests tests/unit/app/test_params.py --max-children 2" (see scripts/mutation.py).
mutation: | $(UV)
	$(UV) sync --locked --inexact --all-extras --group dev --group mutation --quiet
	$(BIN)/python -m scripts.mutation $(ARGS)

# The docs into site/; strict: a warning (broken link, missing snippet, page not in the nav) fails the build.
docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

# The sdist and the wheel into dist/ (uv build, with the hatchling backend), then twine's check of their metadata and
# README. tests/e2e/test_dist.py builds them the same way, installs the wheel into a fresh venv and serves the README's
# first example from it.
dist: install
	rm -rf dist
	$(UV) build --out-dir dist
	$(BIN)/twine check --strict dist/*

clean:
	rm -rf $(VENV) $(TOOLS) dist .venv-latest .venv-lowest .mutation .pytest_cache .mypy_cache .ruff_cache .coverage site
