#!/usr/bin/env bash
# Runs every benchmark script against the configured DATABASE_URL (build the data first with `make scale`), with
# the production settings (DEBUG=0: see benchmarks/_harness.py), then prints one table of every figure beside its
# target and keeps it in benchmarks/RESULTS.md (benchmarks/results.py).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG=0
export BENCH_RESULTS="${BENCH_RESULTS:-var/bench/results.jsonl}"
.venv/bin/python manage.py portal_dirs  # var/ for the SQLite default
mkdir -p "$(dirname "$BENCH_RESULTS")"
: > "$BENCH_RESULTS"
# The manifest static storage of production needs the collected files (and their manifest) to render a page.
.venv/bin/python manage.py collectstatic --noinput -v 0
failed=()
for script in benchmarks/bench_*.py; do
  echo "== $script"
  .venv/bin/python "$script" || failed+=("$(basename "$script")")
done
.venv/bin/python benchmarks/results.py "$BENCH_RESULTS" benchmarks/RESULTS.md "${failed[@]}"
