# The two commands: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test bench setup lint browser clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 13), f"Python 3.13 is needed (see .python-version), not {sys.version.split()[0]}"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	# Reference data (constituencies, the Senate's groups, senators): production needs it too.
	$(BIN)/python manage.py load_reference
	# Images moved into the library by a migration need their copies drawn (only missing ones).
	$(BIN)/python manage.py rebuild_renditions --verbosity 0
	# Articles trashed more than 30 days ago go for good (in production: daily, from cron).
	$(BIN)/python manage.py purge_trash --verbosity 0
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: setup
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The browser test drives Debian's chromium; install it when missing and we may.
browser:
	@command -v chromium >/dev/null || [ "$$(id -u)" != 0 ] || \
		(apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

test: $(VENV)/.installed browser
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python manage.py load_demo --verbosity 0
	$(BIN)/python -m tests.bench

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm
