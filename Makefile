# Two commands on a fresh Debian machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# WeasyPrint's system libraries and a fallback font.
RUNTIME_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
# The PDF engines the tests fill and check kits with: poppler (pdftotext, pdftoppm, and
# poppler-glib for the system Python), qpdf, and Node.js with npm for pdf.js; Chromium for
# the HTML output in a real browser (Playwright drives it; it downloads no browser); a
# Japanese font a test copies into a template (README, "Other scripts").
TEST_PACKAGES := poppler-utils qpdf python3 python3-gi gir1.2-poppler-0.18 nodejs chromium fonts-ipafont-gothic
ENGINES := tests/engines

.PHONY: demo test bench gallery messages lint system system-test clean

demo: system $(VENV)/.installed
	$(BIN)/kitgen generate examples/roles -o out --force --jobs 2 --brief
	@echo "kits in out/; kitgen is installed in $(VENV), not on your PATH. Next:"
	@echo "  $(BIN)/kitgen --help"
	@echo "  or: source $(BIN)/activate, then kitgen --help"

test: system system-test $(VENV)/.installed-test $(ENGINES)/node_modules/.installed
	$(BIN)/ruff check kitgen tests $(wildcard benchmarks)
	$(BIN)/ruff format --check kitgen tests $(wildcard benchmarks)
	$(BIN)/mypy
	$(BIN)/pytest -q

# docs/gallery/: a picture of the first pages of every example kit (after a template change)
gallery: system system-test $(VENV)/.installed
	$(BIN)/python scripts/gallery.py

# kitgen/locale: extract the labels from the code and templates, merge them into each
# language's catalog (then translate what `pytest tests/test_i18n.py` reports missing)
messages: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F kitgen/locale/babel.cfg -o kitgen/locale/kitgen.pot \
		--no-location --sort-output --omit-header .
	for lang in de fr es; do $(BIN)/pybabel update -i kitgen/locale/kitgen.pot -d kitgen/locale \
		-D kitgen -l $$lang --no-fuzzy-matching --ignore-obsolete; done

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

# pdf.js (Firefox's PDF engine) from the committed lock file; its optional native canvas
# is only for drawing, which the tests do not ask of pdf.js.
$(ENGINES)/node_modules/.installed: $(ENGINES)/package-lock.json
	npm ci --prefix $(ENGINES) --omit=optional --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) out dist build .pytest_cache .mypy_cache .ruff_cache .hypothesis $(ENGINES)/node_modules
