# Targets named in README.md.
.PHONY: run test test-sqlite test-postgres lint messages scale bench load

run:            ## set up, load the demo and run web + worker + beat on SQLite
	bash scripts/run.sh

test: lint      ## ruff first (seconds), then the whole suite on PostgreSQL + Redis, then again on SQLite
	bash scripts/services.sh
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 bash scripts/test.sh -q
	# The Chromium journeys (about 10 minutes) drive the pages, not the database: they ran in the pass above, and
	# `make test-sqlite` runs them on SQLite too. This keeps CI's two passes well inside its time limit.
	bash scripts/test.sh -q -m "not browser"

test-sqlite:
	bash scripts/test.sh -q

lint:           ## ruff check and ruff format --check (the pinned ruff of requirements-dev.txt); fails on any finding
	REQUIREMENTS=requirements-dev.txt bash scripts/bootstrap.sh
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

messages:
	.venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=var
	.venv/bin/python manage.py compilemessages --ignore=.venv

scale:          ## the benchmark world: 10,000 grassroots unions and every app's data
	.venv/bin/python manage.py portal_dirs
	.venv/bin/python manage.py generate_scale --grassroots 10000 --years 4

bench:
	bash benchmarks/run.sh

load:           ## 100 users for 5 minutes against gunicorn + PostgreSQL + Redis at 10,000 unions (see README)
	bash benchmarks/load/run.sh
