# The two commands of the README:   make run   and   make test
# Both set up everything they need (virtualenv, packages, database) on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
AXE := .cache/axe/node_modules/axe-core/axe.min.js
AXE_VERSION := 4.14.1
PG_URL ?= postgres://postgres@127.0.0.1:5432/civic
SOURCE_PATH := site:plugins/core:plugins/participation:plugins/consultation:plugins/budget
REQUIREMENTS := requirements/site.txt requirements/dev.txt $(wildcard requirements/plugin-*.txt) \
	$(wildcard requirements/oracle*.txt)

.PHONY: run test test-sqlite test-postgres test-plugins-alone test-oldest checks lint format bench clean

$(STAMP): $(REQUIREMENTS)
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.txt
	@for extra in $(wildcard requirements/plugin-*.txt); do $(PY) -m pip install --quiet -r $$extra || exit 1; done
	@if [ -f requirements/oracle.txt ]; then $(PY) -m pip install --quiet -r requirements/oracle.txt; fi
	@# Test oracles under a licence we do not ship: installed for the tests only, without their
	@# optional proprietary dependencies.
	@if [ -f requirements/oracle-nodeps.txt ]; then $(PY) -m pip install --quiet --no-deps -r requirements/oracle-nodeps.txt; fi
	touch $(STAMP)

# axe-core audits accessibility in the browser tests; without npm those audits are skipped
# (and fail in CI, where npm is present).
$(AXE):
	@if command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix .cache/axe axe-core@$(AXE_VERSION); \
	else echo "npm not found: the accessibility audits will be skipped"; fi

## make run: the whole product on its embedded defaults (SQLite, task cluster, demo content)
run: $(STAMP)
	DEBUG=$${DEBUG:-1} $(MANAGE) migrate --noinput
	DEBUG=$${DEBUG:-1} $(MANAGE) load_demo
	DEBUG=$${DEBUG:-1} $(MANAGE) run_demo

## make test: lint, import contracts, migrations check, the whole suite, then each plugin alone
test: $(STAMP) checks test-sqlite test-plugins-alone

test-sqlite: $(STAMP) $(AXE)
	$(BIN)/pytest

## make test-postgres: the whole suite again on PostgreSQL (PG_URL=... to change the server)
test-postgres: $(STAMP) $(AXE)
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

test-plugins-alone: $(STAMP)
	$(BIN)/pytest --ds=tests.settings.participation_only tests/participation -m "not browser"
	$(BIN)/pytest --ds=tests.settings.consultation_only tests/consultation -m "not browser"
	$(BIN)/pytest --ds=tests.settings.budget_only tests/budget -m "not browser"

## make test-oldest: the wheel test (each plugin in a `wagtail start` site) on the oldest
## Django and Wagtail that pyproject.toml admits
OLDEST := .venv-oldest
$(OLDEST)/.installed: requirements/dev.txt requirements/site.txt requirements/oldest.txt
	test -d $(OLDEST) || $(PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/python -m pip install --quiet --upgrade pip
	$(OLDEST)/bin/python -m pip install --quiet -r requirements/dev.txt
	@for extra in $(wildcard requirements/plugin-*.txt); do $(OLDEST)/bin/python -m pip install --quiet -r $$extra || exit 1; done
	$(OLDEST)/bin/python -m pip install --quiet -r requirements/oldest.txt
	touch $@

test-oldest: $(OLDEST)/.installed
	$(OLDEST)/bin/python -c "import django, wagtail; print('Django', django.__version__, 'Wagtail', wagtail.__version__)"
	$(OLDEST)/bin/pytest tests/packaging -m slow

checks: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=$(SOURCE_PATH) $(BIN)/lint-imports --no-logo --no-cache
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	DEBUG=1 $(MANAGE) spectacular --validate --fail-on-warn --file /dev/null

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make bench: every benchmark script (bench/_*.py are their shared helpers)
bench: $(STAMP)
	@for script in $(filter-out bench/_%,$(wildcard bench/*.py)); do \
		echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) $(OLDEST) var .cache .pytest_cache .ruff_cache build dist
