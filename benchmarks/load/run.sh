#!/usr/bin/env bash
# The load test, and the load test with a fault in the middle. Not part of `make test`.
#
#   bash benchmarks/load/run.sh                 # 100 users for 5 minutes, no fault
#   bash benchmarks/load/run.sh pg-restart      # PostgreSQL restarts at FAULT_AT
#   bash benchmarks/load/run.sh redis-stop      # Redis stops at FAULT_AT for REDIS_DOWN seconds
#   bash benchmarks/load/run.sh worker-kill     # the Celery worker is SIGKILLed at FAULT_AT, in the
#                                               # middle of the morning's 10,000 digests, and restarted
#   bash benchmarks/load/run.sh deadline-rush   # RUSH_OFFICERS (1,000) grassroots officers each submit their report
#                                               # within RUSH_SECONDS (600) of a period due today, while RUSH_HEADS
#                                               # (20) heads review (deadline_rush.py); USERS and DURATION are set
#                                               # from those
#
# It runs on its own PostgreSQL cluster (port 5433) and Redis (port 6380) on the loopback, so
# that restarting them never disturbs anything else, with production settings (DEBUG=0):
# gunicorn with 2 x cores + 1 workers as the README says, one Celery worker, one beat.
# The scale world (10,000 grassroots unions, `generate_scale`) is built once into the
# template database portal_scale; every run starts from a fresh copy (portal_load).
# Output: var/load/<time>-<scenario>/ (locust CSV and HTML, server logs, verify.txt).
# Every loop is bounded: locust stops after DURATION, waits are capped.
set -euo pipefail
cd "$(dirname "$0")/../.."
SCENARIO=${1:-none}
USERS=${USERS:-100}
SPAWN_RATE=${SPAWN_RATE:-10}
DURATION=${DURATION:-5m}
FAULT_AT=${FAULT_AT:-120}
REDIS_DOWN=${REDIS_DOWN:-60}
PORT=${PORT:-8765}
RUSH_OFFICERS=${RUSH_OFFICERS:-1000}
RUSH_SECONDS=${RUSH_SECONDS:-600}
RUSH_HEADS=${RUSH_HEADS:-20}
LOCUSTFILE=benchmarks/load/locustfile.py
PREPARE_ARGS=()
if [ "$SCENARIO" = deadline-rush ]; then
  # One locust user per officer, started at the rate that spreads their arrivals over RUSH_SECONDS; the heads first.
  LOCUSTFILE=benchmarks/load/deadline_rush.py
  PREPARE_ARGS=(--deadline-rush)
  USERS=$((RUSH_OFFICERS + RUSH_HEADS))
  SPAWN_RATE=$(python3 -c "print(round($RUSH_OFFICERS / $RUSH_SECONDS, 3))")
  DURATION=$((RUSH_SECONDS + 120))s
  export RUSH_OFFICERS RUSH_HEADS
fi
PG_PORT=${PG_PORT:-5433}
REDIS_PORT=${REDIS_PORT:-6380}
PG_VERSION=$(ls /etc/postgresql | sort -n | tail -1)
OUT=var/load/$(date +%Y%m%d-%H%M%S)-$SCENARIO
mkdir -p "$OUT/mail"
PG=postgres://postgres@127.0.0.1:$PG_PORT

# --- the load generator lives in its own virtualenv (its pins must not move the portal's)
[ -x .venv/bin/python ] || REQUIREMENTS=requirements-dev.txt bash scripts/bootstrap.sh
if [ ! -x var/load-venv/bin/locust ]; then
  python3 -m venv var/load-venv
  var/load-venv/bin/pip install -q -r benchmarks/load/requirements.txt
fi

# --- PostgreSQL and Redis of the load test's own
if ! pg_lsclusters -h | awk '{print $2}' | grep -qx load; then
  pg_createcluster "$PG_VERSION" load -p "$PG_PORT" -- --auth=trust >/dev/null
  echo "max_connections = 200" >> "/etc/postgresql/$PG_VERSION/load/postgresql.conf"
fi
pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" load start 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p "$PG_PORT" -q && break; sleep 1; done
start_redis() {
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /tmp --logfile "$PWD/$OUT/redis.log"
  for _ in $(seq 1 30); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && return; sleep 0.2; done
}
redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || start_redis
redis-cli -p "$REDIS_PORT" flushall >/dev/null

if ! psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -lqt | cut -d'|' -f1 | grep -qw portal_scale; then
  echo "Building the scale world (10,000 grassroots unions) into portal_scale…"
  createdb -h 127.0.0.1 -p "$PG_PORT" -U postgres portal_scale
  DATABASE_URL=$PG/portal_scale .venv/bin/python manage.py migrate -v 0
  DATABASE_URL=$PG/portal_scale .venv/bin/python manage.py generate_scale --grassroots 10000
fi
dropdb -h 127.0.0.1 -p "$PG_PORT" -U postgres --if-exists portal_load
createdb -h 127.0.0.1 -p "$PG_PORT" -U postgres -T portal_scale portal_load

# --- production settings on the loopback (the TLS proxy is imagined, see locustfile.py)
export DATABASE_URL=$PG/portal_load REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0 DEBUG=0 \
  SECRET_KEY=load-test-only-$(date +%s%N) ALLOWED_HOSTS=127.0.0.1,localhost \
  EMAIL_URL="filemail://$PWD/$OUT/mail" LOG_FORMAT=json DJANGO_SETTINGS_MODULE=campaign_portal.settings
.venv/bin/python manage.py collectstatic --noinput -v 0
.venv/bin/python benchmarks/load/prepare.py "$OUT/manifest.json" "${PREPARE_ARGS[@]}"

WORKERS=$((2 * $(nproc) + 1))
.venv/bin/gunicorn campaign_portal.wsgi -w "$WORKERS" -b "127.0.0.1:$PORT" --timeout 30 \
  > "$OUT/web.log" 2>&1 &
WEB=$!
# The node name marks this worker, so that the kills below never reach another celery process (e.g. a test's).
start_worker() { .venv/bin/celery -A campaign_portal worker -c 2 -n "loadtest@%h" >> "$OUT/worker.log" 2>&1 & }
start_worker
.venv/bin/celery -A campaign_portal beat -s "$OUT/beat-schedule" > "$OUT/beat.log" 2>&1 &
BEAT=$!
stop_all() {
  kill "$WEB" "$BEAT" 2>/dev/null || true
  pkill -f "worker -c 2 -n loadtest@" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop_all EXIT
for _ in $(seq 1 60); do curl -sf -o /dev/null -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT/health/" && break; sleep 1; done

fault() {
  sleep "$FAULT_AT"
  case "$SCENARIO" in
    pg-restart)
      echo "$(date -Is) restarting PostgreSQL" >> "$OUT/faults.log"
      pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" load restart -m fast
      echo "$(date -Is) PostgreSQL is back" >> "$OUT/faults.log" ;;
    redis-stop)
      echo "$(date -Is) stopping Redis for ${REDIS_DOWN}s" >> "$OUT/faults.log"
      redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
      # Reminders recorded while the broker is away must still go out, once, when it returns.
      .venv/bin/python benchmarks/load/mail_check.py record-outage "$OUT/outage-reminders.json" \
        >> "$OUT/faults.log" 2>&1
      sleep "$REDIS_DOWN"
      start_redis
      echo "$(date -Is) Redis is back" >> "$OUT/faults.log" ;;
    worker-kill)
      echo "$(date -Is) SIGKILL to the worker and its children ($(pgrep -f 'worker -c 2 -n loadtest@' | wc -l) processes), $(ls "$OUT/mail" | wc -l) mail files so far" >> "$OUT/faults.log"
      pkill -9 -f "worker -c 2 -n loadtest@" || true
      sleep 5
      start_worker
      echo "$(date -Is) worker restarted" >> "$OUT/faults.log" ;;
  esac
}
case "$SCENARIO" in none|deadline-rush) ;; *) fault & FAULT=$! ;; esac

echo "Load: $USERS users for $DURATION against gunicorn -w $WORKERS (scenario: $SCENARIO) → $OUT"
MANIFEST=$OUT/manifest.json RESULTS_FILE=$OUT/results.json var/load-venv/bin/locust \
  -f "$LOCUSTFILE" --headless -u "$USERS" -r "$SPAWN_RATE" -t "$DURATION" \
  --host "http://127.0.0.1:$PORT" --csv "$OUT/stats" --html "$OUT/report.html" --only-summary \
  --stop-timeout 30 > "$OUT/locust.txt" 2>&1 || true
[ -n "${FAULT:-}" ] && wait "$FAULT"
# The worker signs what was filed at its own (lower) priority; it keeps going until that backlog is done.
.venv/bin/python benchmarks/load/verify.py --wait-signed "${SIGNING_WAIT:-600}" "$OUT/manifest.json" \
  | tee "$OUT/signing.txt"
case "$SCENARIO" in
  redis-stop) .venv/bin/python benchmarks/load/mail_check.py outage "$OUT/outage-reminders.json" "$OUT/mail" \
                | tee "$OUT/mail-check.txt" || true ;;
  worker-kill) .venv/bin/python benchmarks/load/mail_check.py once "$OUT/mail" | tee "$OUT/mail-check.txt" || true ;;
esac
stop_all
trap - EXIT

.venv/bin/python benchmarks/load/summary.py "$OUT" | tee "$OUT/summary.txt"
.venv/bin/python benchmarks/load/verify.py "$OUT/manifest.json" "$OUT/results.json" | tee "$OUT/verify.txt"
