# DTIS — make install | demo | test | lint | bench
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench messages guide-screenshots

install: $(STAMP)

# Re-installs only when the dependency list or the lock file changed.
$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

demo: install
	DTIS_DEBUG=1 $(BIN)/dtis migrate --noinput
	DTIS_DEBUG=1 $(BIN)/dtis seed-demo
	@echo "DTIS đang chạy tại http://127.0.0.1:8000 — đăng nhập bằng một tài khoản ở trên."
	DTIS_DEBUG=1 $(BIN)/dtis runserver 127.0.0.1:8000

test: install
	$(BIN)/python tests/run.py

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

bench: install
	$(BIN)/python tests/bench/run.py

# Refresh the Vietnamese catalogue after changing UI strings (needs GNU gettext).
messages: install
	cd src/dtis && ../../$(BIN)/dtis makemessages -l vi --no-obsolete --no-location
	$(BIN)/python -m dtis.core.i18n_build

# Take the user guide's pictures again from the demo (tests/e2e/test_guide_screenshots.py).
guide-screenshots: install
	DTIS_GUIDE_SHOTS_DIR=$(CURDIR)/src/dtis/static/dtis/guide/anh $(BIN)/python -m pytest -q -p no:cacheprovider tests/e2e/test_guide_screenshots.py
