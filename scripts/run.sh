#!/usr/bin/env bash
# The README's first command: set up, migrate, load the demo and run the portal
# with a Celery worker and exactly one beat (Procfile, run by honcho).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py load_demo_campaign
echo
echo "Cổng chạy tại http://127.0.0.1:8000  (Ctrl+C để dừng). E-mail gửi đi được ghi vào var/mail/."
export PYTHONUNBUFFERED=1  # so that honcho shows the worker and beat logs as they happen
exec .venv/bin/honcho -f Procfile start
