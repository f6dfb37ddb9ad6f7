#!/usr/bin/env bash
# Prepares a fresh Debian machine for the portal: system packages, the
# virtualenv with pinned requirements, compiled translations. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "Cần Python 3.11 trở lên (Debian 12 có sẵn). Python hiện có: $("$PYTHON" --version 2>&1 || echo 'không có')." >&2
  echo "Python 3.11 or newer is required." >&2
  exit 1
fi

# System libraries: WeasyPrint (Pango), the Times-New-Roman-metric font, gettext,
# and for the test suite Chromium. Installed only when missing.
APT_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 gettext python3-venv ${EXTRA_APT_PACKAGES:-}"
missing=""
for pkg in $APT_PACKAGES; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "Cài gói hệ thống:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
REQS=${REQUIREMENTS:-requirements.txt}
stamp=".venv/.installed-$(cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)-$(basename "$REQS")"
if [ ! -f "$stamp" ]; then
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r "$REQS"
  touch "$stamp"
fi
.venv/bin/python manage.py compilemessages -v 0 --ignore=.venv
.venv/bin/python manage.py portal_dirs  # var/ and the folders below it: settings create none
