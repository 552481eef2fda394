# gk-desktop — the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
# Re-install when the project's dependencies change.
STAMP_RUN := $(VENV)/.stamp-run
STAMP_TEST := $(VENV)/.stamp-test

# Qt offscreen needs these; a real display needs the RUN list too (libcups2: the print dialog).
# poppler-utils (pdftotext, pdffonts, pdftoppm) and qpdf check the printed documents in the tests.
SYS_TEST := libglib2.0-0 libegl1 libgl1 libdbus-1-3 libfontconfig1 libxkbcommon0 poppler-utils qpdf
SYS_RUN := $(SYS_TEST) libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libcups2

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-long bench demo lint translations sysdeps-run sysdeps-test clean

run: sysdeps-run $(STAMP_RUN)
	$(VENV)/bin/gk-desktop $(ARGS)

test: sysdeps-test $(STAMP_TEST)
	QT_QPA_PLATFORM=offscreen $(VPY) -m pytest -q $(PYTEST_ARGS)

# Long reliability runs (many kill -9 trials, long property runs); not part of `make test`.
test-long: sysdeps-test $(STAMP_TEST)
	GK_LONG=1 QT_QPA_PLATFORM=offscreen $(VPY) -m pytest -q -m slow $(PYTEST_ARGS)

bench: sysdeps-test $(STAMP_TEST)
	QT_QPA_PLATFORM=offscreen $(VPY) benchmarks/run.py

translations: $(STAMP_TEST)
	$(VPY) scripts/translations.py

sysdeps-run:
	@scripts/ensure-system-deps $(PYTHON) $(SYS_RUN)

sysdeps-test:
	@scripts/ensure-system-deps $(PYTHON) $(SYS_TEST)

$(VPY):
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip

$(STAMP_RUN): $(VPY) pyproject.toml
	$(VPY) -m pip install -q -e .
	touch $@

$(STAMP_TEST): $(VPY) pyproject.toml
	$(VPY) -m pip install -q -e '.[test]'
	touch $@ $(STAMP_RUN)

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .hypothesis
