# Stepping Up: `make run` starts the portal on a fresh clone; `make test` runs the whole suite.
# Stamp files make each step run only when its inputs change, so both commands are cheap the second time.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
NHSUK := node_modules/nhsuk-frontend/dist/nhsuk

.PHONY: run test install assets system-packages check-services lint typecheck bench clean

run: install
	@mkdir -p var/broker/queue var/broker/processed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_framework --shipped
	$(BIN)/python manage.py load_opportunities
	$(BIN)/python manage.py seed_demo --scale small
	$(BIN)/python scripts/run_dev.py --port $(PORT)

test: install system-packages
	$(BIN)/python scripts/check_services.py
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy apps config
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -p no:cacheprovider $(PYTEST_ARGS)

install: $(VENV)/.installed static/vendor/.built

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Built front-end files are copied, never committed. nhsuk-frontend's CSS asks for /assets/…, served from webroot.
static/vendor/.built: node_modules/.installed
	rm -rf static/vendor
	mkdir -p static/vendor/nhsuk static/vendor/htmx static/vendor/webroot
	cp $(NHSUK)/nhsuk-frontend.min.css $(NHSUK)/nhsuk-frontend.min.css.map static/vendor/nhsuk/
	cp $(NHSUK)/nhsuk-frontend.min.js $(NHSUK)/nhsuk-frontend.min.js.map static/vendor/nhsuk/
	cp -r $(NHSUK)/assets static/vendor/webroot/assets
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	@touch $@

assets: static/vendor/.built

# Debian packages the suite needs: Chromium for the browser tests, Pango/HarfBuzz for PDF rendering.
system-packages:
	@sh scripts/ensure_system_packages.sh

check-services: $(VENV)/.installed
	$(BIN)/python scripts/check_services.py

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy apps config

clean:
	rm -rf $(VENV) node_modules static/vendor var
