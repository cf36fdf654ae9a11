# Two commands on a fresh Debian/Ubuntu machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test test-voices lint bench bench-export bench-ui screenshots install-desktop system-run system-test clean-cache

run: system-run $(STAMP_RUN)
	$(BIN)/python -m app

test: system-test $(STAMP_TEST)
	$(BIN)/ruff check app tests tools benchmarks
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# Every bundled meditation at every length with the neural voice (about 4 minutes on 2 cores);
# `make test` speaks the three most at risk.
test-voices: system-test $(STAMP_TEST)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m neuralvoice tests/library/test_bundled_real_voice.py

lint: $(STAMP_TEST)
	$(BIN)/ruff check app tests tools benchmarks

bench: system-run $(STAMP_RUN)
	$(BIN)/python benchmarks/bench_render.py

bench-export: system-run $(STAMP_RUN)
	$(BIN)/python benchmarks/bench_export.py


system-run:
	@tools/install-system-packages.sh run

system-test:
	@tools/install-system-packages.sh test

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Kindred needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@ $(STAMP_RUN)

clean-cache:
	rm -rf .pytest_cache .ruff_cache

screenshots: system-test $(STAMP_TEST)
	xvfb-run -a -s "-screen 0 1400x900x24" $(BIN)/python tools/screenshots.py

bench-ui: system-test $(STAMP_TEST)
	xvfb-run -a -s "-screen 0 1400x900x24" $(BIN)/python benchmarks/bench_ui.py

install-desktop: system-run $(STAMP_RUN)
	$(BIN)/kindred install-desktop
