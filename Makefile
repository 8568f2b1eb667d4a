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

.PHONY: help setup book test lab app serve data lint format lock vendor clean

help:
	@echo "make book    build the HTML book strictly (creates .venv on first run)"
	@echo "make test    run the whole test suite, the book build and browser tests included"
	@echo "make lab     open the exercises in JupyterLab"
	@echo "make app     serve the exercises code-free with Voila"
	@echo "make serve   serve the built book on http://127.0.0.1:$(PORT)"
	@echo "make data    regenerate the corpus tables in data/ from data/raw/"
	@echo "make lint    ruff check and format check"
	@echo "make lock    regenerate requirements.lock (and hub/requirements.txt) from pyproject.toml"
	@echo "make vendor  refetch the pinned widget JavaScript from npm into vendor/"

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	# --compile-bytecode: write .pyc files now, so that imports stay fast even where
	# PYTHONDONTWRITEBYTECODE is set (pandas alone otherwise recompiles for ~1 s per process).
	$(BIN)/uv pip install --python $(BIN)/python --quiet --compile-bytecode -r requirements.lock
	$(BIN)/uv pip install --python $(BIN)/python --quiet --no-deps -e .
	$(BIN)/python -m compileall -q src
	@touch $@

book: $(STAMP)
	$(BIN)/python tools/book_cache.py _build
	$(BIN)/jupyter-book build . -n -W --keep-going
	@echo
	@echo "The book is built: $(CURDIR)/_build/html/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=exercises

# Voilà with the course's template (share/jupyter/voila/templates/cmethics): no CDN requests.
app: $(STAMP)
	JUPYTER_PATH=$(CURDIR)/share/jupyter $(BIN)/voila exercises --template=cmethics \
		--port=8866 --no-browser --Voila.ip=127.0.0.1

serve: book
	@echo "Serving the book on http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

data: $(STAMP)
	$(BIN)/python -m cmethics.corpus

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra book --extra lab --extra test --extra dev \
		--universal --python-version 3.11 --no-header -o requirements.lock
	$(BIN)/python hub/make_requirements.py

vendor:
	cd tools/vendor && npm ci --no-audit --no-fund --ignore-scripts
	$(PYTHON) tools/vendor/copy_vendor.py

clean:
	rm -rf _build
