#!/usr/bin/env bash
# Runs every benchmark script against the configured DATABASE_URL (build the data first with `make scale`).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python manage.py portal_dirs  # var/ for the SQLite default
for script in benchmarks/bench_*.py; do
  echo "== $script"
  .venv/bin/python "$script"
done
