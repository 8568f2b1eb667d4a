# CM Ethics: the two commands are `make book` and `make test`. Everything else is a convenience.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.cmethics-installed
PORT   ?= 8000
# The book's notebooks run on the venv's kernel: put the venv first on PATH for every recipe.
export PATH := $(CURDIR)/$(BIN):$(PATH)
# uv's version is taken from the lock, so the installer is pinned like everything else.
UV_VERSION := $(shell sed -n 's/^uv==\([0-9.]*\).*/\1/p' requirements.lock)
UV     := $(BIN)/uv
# The one command that writes the lock; `make lock-check` runs the same into a temporary file.
LOCK_COMPILE = $(UV) pip compile pyproject.toml --extra book --extra lab --extra test --extra dev \
	--universal --python-version 3.11 --no-header

.PHONY: help setup book test test-fast lab app serve data lint typecheck format lock lock-check \
	vendor hub-tools clean

help:
	@echo "make book    build the HTML book strictly (creates .venv on first run)"
	@echo "make test    run the whole test suite, the book build and browser tests included"
	@echo "make test-fast  everyday tier: every test except the book build and the browser (< 2 min)"
	@echo "make lab     open the exercises in JupyterLab"
	@echo "make app     serve the exercises code-free with Voila"
	@echo "make serve   serve the built book on http://127.0.0.1:$(PORT)"
	@echo "make data    regenerate the corpus tables in data/ from data/raw/"
	@echo "make lint    ruff check, format check, lock check and type check (mypy)"
	@echo "make lock    regenerate requirements.lock (and hub/requirements.txt) from pyproject.toml"
	@echo "make lock-check  fail when requirements.lock is not what make lock would write"
	@echo "make vendor  refetch the pinned widget JavaScript from npm into vendor/"
	@echo "make hub-tools  install configurable-http-proxy (npm) for the JupyterHub test"

setup: $(STAMP)

$(UV):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"

$(STAMP): requirements.lock pyproject.toml | $(UV)
	# sync, not install: the venv holds exactly the lock, so a package removed from it goes away.
	# --compile-bytecode: write .pyc files now, so that imports stay fast even where
	# PYTHONDONTWRITEBYTECODE is set (pandas alone otherwise recompiles for ~1 s per process).
	$(UV) pip sync --python $(BIN)/python --quiet --compile-bytecode requirements.lock
	$(UV) pip install --python $(BIN)/python --quiet --no-deps -e .
	$(BIN)/python -m compileall -q src
	@touch $@

book: $(STAMP)
	$(BIN)/python tools/book_cache.py _build
	$(BIN)/jupyter-book build . -n -W --keep-going
	@echo
	@echo "The book is built: $(CURDIR)/_build/html/index.html"

# The hub test (tests/test_hub.py) needs configurable-http-proxy from npm: installed first where
# npm is present; without npm (or the registry) that test is skipped and says why.
test: $(STAMP)
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --silent --no-print-directory hub-tools \
		|| echo "configurable-http-proxy could not be installed: the hub test will be skipped"; fi
	$(BIN)/python -m pytest

# Everyday tier: skips the strict book build and every Chromium test (tests/test_browser.py,
# test_escaping_book.py, test_links.py, test_voila.py, the built-guide checks).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not book and not browser and not hub"

# etc/jupyter holds the server's pre-save hook (cmethics.save_hook): a saved exercise notebook
# says "Run All Cells" where its widgets were, not "model not found".
lab: $(STAMP)
	JUPYTER_CONFIG_PATH=$(CURDIR)/etc/jupyter $(BIN)/jupyter lab --notebook-dir=exercises

# Voilà with the course's template (share/jupyter/voila/templates/cmethics): no CDN requests.
app: $(STAMP)
	JUPYTER_PATH=$(CURDIR)/share/jupyter $(BIN)/voila exercises --template=cmethics \
		--port=8866 --no-browser --Voila.ip=127.0.0.1

serve: book
	@echo "Serving the book on http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

data: $(STAMP)
	$(BIN)/python -m cmethics.corpus

lint: $(STAMP) lock-check typecheck
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Only uv is needed (not the installed venv), so a lock can be made before the first setup.
lock: | $(UV)
	$(LOCK_COMPILE) -o requirements.lock
	$(BIN)/python hub/make_requirements.py

# Recompile from a copy of the lock (its pins are kept as preferences, so a new release on the
# index does not count as a difference) and diff: any output means pyproject.toml moved on.
lock-check: | $(UV)
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; cp requirements.lock "$$tmp/lock"; \
	$(LOCK_COMPILE) --quiet -o "$$tmp/lock"; \
	diff -u requirements.lock "$$tmp/lock" \
		|| { echo "requirements.lock does not match pyproject.toml: run make lock"; exit 1; }

# configurable-http-proxy, JupyterHub's proxy, at the version of tools/hub/package-lock.json,
# into tools/hub/node_modules (git-ignored); only the hub test uses it.
HUB_PROXY := tools/hub/node_modules/.bin/configurable-http-proxy
hub-tools: $(HUB_PROXY)

$(HUB_PROXY): tools/hub/package.json tools/hub/package-lock.json
	cd tools/hub && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

vendor:
	cd tools/vendor && npm ci --no-audit --no-fund --ignore-scripts
	$(PYTHON) tools/vendor/copy_vendor.py

clean:
	rm -rf _build
