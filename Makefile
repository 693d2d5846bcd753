# Two entry points: `make serve` (the site, live) and `make test` (every check, then the strict build).
# Both install what they need into .venv, once, from requirements.lock (pinned).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.installed

.PHONY: serve test build bench lock clean

$(READY): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

serve: $(READY)
	$(BIN)/mkdocs serve

# The site is built only after every test passed (make stops at the first failing command).
test: $(READY)
	$(BIN)/python -m pytest
	$(BIN)/mkdocs build --strict

build: $(READY)
	$(BIN)/mkdocs build --strict

bench: $(READY)
	$(BIN)/python benchmarks/training_speed.py

lock: $(READY)
	$(BIN)/python -m pip freeze --exclude-editable | sed '1i # Exact versions installed by make (pip install -r requirements.lock). Regenerate with make lock.' > requirements.lock

clean:
	rm -rf $(VENV) site .cache
