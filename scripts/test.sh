#!/usr/bin/env bash
# The README's second command: set up and run the whole test suite, on
# PostgreSQL (DATABASE_URL) and Redis (REDIS_URL) when given, else on SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRA_APT_PACKAGES="chromium ${EXTRA_APT_PACKAGES:-}" REQUIREMENTS=requirements-dev.txt bash scripts/bootstrap.sh
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
.venv/bin/python -m pytest "$@"
