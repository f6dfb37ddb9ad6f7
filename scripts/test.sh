#!/usr/bin/env bash
# The README's second command: set up and run the whole test suite, on
# PostgreSQL (DATABASE_URL) and Redis (REDIS_URL) when given, else on SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
# chromium for the browser journeys, softhsm2 for the PKCS#11 signing tests (a token in a temporary folder).
EXTRA_APT_PACKAGES="chromium softhsm2 ${EXTRA_APT_PACKAGES:-}" REQUIREMENTS=requirements-dev.txt bash scripts/bootstrap.sh
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
.venv/bin/python -m pytest "$@"
