# Marquee: `make run` sets up and serves the demo site; `make test` runs every test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: help install run demo test lint format quality bench clean

help:
	@echo "make run     set up (virtualenv, requirements, SQLite, demo content) and serve http://$(HOST):$(PORT)"
	@echo "make test    run the whole test suite (DATABASE_URL picks the database; SQLite by default)"
	@echo "             one test: make test PYTEST_ARGS='tests/test_varnish.py -k purge'"
	@echo "make lint    ruff, djhtml, ESLint, Stylelint and makemigrations --check"
	@echo "make format  ruff format and fix, djhtml"
	@echo "make quality Lighthouse on the home, a review and the search page (Debian's Chromium)"

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(BIN)/.installed

# ESLint, Stylelint and Lighthouse, pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

# The scheduler (scheduled publishing and expiry) runs beside the dev server and
# stops with it.
run: demo
	@echo ""
	@echo "Marquee is starting on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@$(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Two processes for everything but the browser tests, which then run on their own
# (a browser driving the admin is timing-sensitive on a busy two-core machine).
test: install
	./scripts/install-system-packages
	$(BIN)/python -m pytest -n 2 -m "not browser" $(PYTEST_ARGS) || [ $$? -eq 5 ]  # 5: PYTEST_ARGS chose none
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS) || [ $$? -eq 5 ]

TEMPLATE_DIRS := templates core blog home search delivery

lint: install node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check $$(find $(TEMPLATE_DIRS) -name '*.html')
	npx eslint static/js
	npx stylelint "static/css/**/*.css"
	DJANGO_SETTINGS_MODULE=settings.test $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml $$(find $(TEMPLATE_DIRS) -name '*.html')

quality: install node_modules/.installed
	bash scripts/lighthouse

clean:
	rm -rf $(VENV) node_modules db.sqlite3 media staticfiles lighthouse .pytest_cache .ruff_cache
