# Computational Limits: the two set-up commands are `make book` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.9.30
STAMP := $(VENV)/.installed
JB_FLAGS := --builder html
STRICT := -W -n --keep-going
# Imports read compiled bytecode: installed packages are compiled once when installed, and the
# project's own modules are cached on first import even where the machine disables that
# (without it every chapter's kernel compiles arviz, pandas and scipy afresh: about 4 s each).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help env browser book book-strict chapter test test-fast lint format bench bench-build curate serve clean clean-cache clean-all

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/'

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

env: $(STAMP)  ## create .venv and install the pinned environment

book: $(STAMP)  ## build the executed HTML book strictly into _build/html
	$(BIN)/jupyter-book build . $(JB_FLAGS) $(STRICT)
	@echo "Book: $(CURDIR)/_build/html/index.html"

chapter: $(STAMP)  ## rerun one chapter: make chapter CH=book/question.md
	@test -n "$(CH)" || (echo "usage: make chapter CH=book/<chapter>.md" && exit 2)
	$(BIN)/jupyter-book build $(CH) $(JB_FLAGS)

browser:  ## install Debian's chromium for the browser tests if it is missing
	@test -x /usr/bin/chromium || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) browser  ## run the whole test suite (unit tests, strict book build, browser tests)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

test-fast: $(STAMP)  ## unit tests only (no book build, no browser)
	$(BIN)/pytest -m "not book and not browser"

lint: $(STAMP)  ## ruff
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP)  ## ruff format and fix
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

curate: $(STAMP)  ## rebuild data/ from ../shared/sources (override with COMPLIM_SOURCES)
	$(BIN)/python -m analysis.curate

bench: $(STAMP)  ## time every model fit and write reports/benchmark.{json,md}
	$(BIN)/python -m analysis.site.bench_fits

bench-build: $(STAMP)  ## time cold, warm and one-chapter book builds into reports/build-times.{json,md}
	$(BIN)/python -m analysis.site.bench_build

serve:  ## serve the built book on http://127.0.0.1:8000
	$(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory _build/html

clean:  ## remove the built site and Sphinx state (keeps the execution and posterior caches)
	rm -rf _build/html _build/.doctrees _generated

clean-cache:  ## remove the execution cache and the posterior cache
	rm -rf _build/.jupyter_cache .cache

clean-all: clean clean-cache  ## remove every build artefact and the virtual environment
	rm -rf _build $(VENV)
