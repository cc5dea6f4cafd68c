# Two commands for a fresh machine (Python 3, make, git, apt):
#   make preview   build the site into site/ and serve a live preview on 127.0.0.1:8000
#   make test      run the whole test suite (unit, build, browser and accessibility tests)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Material 9.7+ prints a banner about MkDocs 2.0 on every run; it is noise for editors.
export NO_MKDOCS_2_WARNING := 1
STAMP  := $(VENV)/.installed

.PHONY: preview serve build check check-content check-schemas coverage schemas snapshot test test-fast bench system-deps node-deps clean

$(STAMP): pyproject.toml requirements.lock
	@# Debian/Ubuntu ship venv separately (python3-venv); install it when venv cannot start.
	$(PYTHON) -m venv $(VENV) 2>/dev/null || { rm -rf $(VENV); $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[test]'
	touch $@

## Build the public site into site/ (atomically: a failed build keeps the old site/).
build: $(STAMP)
	$(BIN)/dossier build --site-dir site

## Build, then serve the editor preview (full article texts, coverage marks) with live reload.
preview: build
	@echo "Public site built in $(CURDIR)/site/ (open site/index.html)."
	@echo "Live preview: http://$(HOST):$(PORT)/  (rebuilds when content/, seeds/, site_theme/, generator/newsdossier/templates/ or generator/newsdossier/theme/ change)"
	$(BIN)/mkdocs serve --dev-addr $(HOST):$(PORT)

serve: preview

## Validate all content without building; prints every problem as path:line:col.
## Also fails when content/schemas/*.json are out of date (fix: make schemas).
check: check-content check-schemas

check-content: $(STAMP)
	$(BIN)/dossier check

check-schemas: $(STAMP)
	$(BIN)/dossier schemas --check

## Per source: the share of article paragraphs cited at least once.
coverage: $(STAMP)
	$(BIN)/dossier check --coverage

## Regenerate the JSON Schemas for editor autocompletion after changing generator/newsdossier/schema.py.
schemas: $(STAMP)
	$(BIN)/dossier schemas

## Debian packages the browser tests need, only those missing (chromium, node/npm for axe-core,
## java for the Nu HTML checker, DejaVu fonts); a Node.js from another source is kept as it is.
system-deps:
	@bash .ci/system-deps

## Rewrite the golden snapshot of the mini fixture's site (tests/snapshots/mini/) and the broken
## fixture's problem list (tests/snapshots/problems-broken.txt) after an intended change of the
## output; review it with 'git diff tests/snapshots/' and commit it with the change.
snapshot: $(STAMP)
	$(BIN)/python tests/snapshot.py
	$(BIN)/python tests/test_model.py

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node-deps: system-deps node_modules/.installed

## The whole test suite, as CI runs it.
test: $(STAMP) node-deps
	$(BIN)/python -m pytest

## Everything but the browser tests (for quick local iterations).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser"

## Benchmark: core, full build and plain MkDocs at 10/100/1,000/3,000 articles, preview rebuild,
## reading the git history (500 scripted commits on 100 synthetic articles, 200 on the real dossier)
## and save-to-visible against a running mkdocs serve at 1,000 and 3,000 articles
## (about 13 minutes; quicker: make bench BENCH_ARGS="--sizes 10,100 --runs 3 --no-history").
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf site .site-* $(VENV) node_modules .pytest_cache .hypothesis build dist generator/*.egg-info *.egg-info
