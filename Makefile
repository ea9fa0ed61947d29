# Two commands on a fresh Debian machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# WeasyPrint's system libraries, a fallback font, and poppler for the tests' pdftotext.
RUNTIME_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
TEST_PACKAGES := poppler-utils

.PHONY: demo test bench lint system system-test clean

demo: system $(VENV)/.installed
	$(BIN)/kitgen generate examples/roles -o out --force --jobs 2

test: system system-test $(VENV)/.installed-test
	$(BIN)/ruff check kitgen tests $(wildcard benchmarks)
	$(BIN)/ruff format --check kitgen tests $(wildcard benchmarks)
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: system $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py

system:
	@PACKAGES="$(RUNTIME_PACKAGES)" sh .ci/system-packages.sh

system-test:
	@PACKAGES="$(TEST_PACKAGES)" sh .ci/system-packages.sh

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) out dist build .pytest_cache .mypy_cache .ruff_cache .hypothesis
