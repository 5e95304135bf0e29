#!/usr/bin/env bash
# Start the action server, Rasa (REST channel only, no open HTTP API) and the web chat page
# under supervisor (scripts/supervisord.conf): each restarts on its own if it dies, and a
# process that can't start stops this script with its log. Ctrl+C stops all three.
# Ports: ACTIONS_PORT (5055), RASA_PORT (5005), WEB_PORT (8080); WEB_HOST (127.0.0.1).
# Conversations: SQLite, or PostgreSQL + a Redis lock store with DATABASE_URL / REDIS_URL
# (bot/endpoints.py, docs/deploy.md). CORS_ORIGINS: origins allowed to call Rasa (spaces
# between); SANIC_REQUEST_MAX_SIZE: Rasa's request size limit in bytes (64 KB), given to Rasa
# only: the action server receives whole conversations from Rasa, which can be larger.
# RASA_WORKERS: Rasa processes sharing the port (default: 2 on a machine with more than one
# core, else 1); `scripts/run.sh --one-process` (or `make run WORKERS=1`) runs just one.
# RUN_DIR (build/run): logs, the control socket, endpoints.yml and the web server's cookie
# key, readable by their owner only. STARTUP_TIMEOUT (600 s): how long to wait for Rasa.
# CONVERSATIONS_DB (conversations.db): the SQLite file when DATABASE_URL is not set.
set -euo pipefail
cd "$(dirname "$0")/.."
export REPO=$PWD
export ACTIONS_PORT=${ACTIONS_PORT:-5055} RASA_PORT=${RASA_PORT:-5005}
export WEB_PORT=${WEB_PORT:-8080} WEB_HOST=${WEB_HOST:-127.0.0.1}
export MODEL=${MODEL:-models/assistant.tar.gz}
export RUN_DIR=${RUN_DIR:-$REPO/build/run}
export CORS_ORIGINS=${CORS_ORIGINS:-http://127.0.0.1:8080}
export RASA_REQUEST_MAX_SIZE=${SANIC_REQUEST_MAX_SIZE:-65536}
unset SANIC_REQUEST_MAX_SIZE
cores=$(nproc 2>/dev/null || echo 1)
export RASA_WORKERS=${RASA_WORKERS:-$([ "$cores" -gt 1 ] && echo 2 || echo 1)}
[ "${1:-}" = "--one-process" ] && RASA_WORKERS=1
export TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1
# The public web server runs in its own small environment (.venv-web) when it is set up.
if [ -x .venv-web/bin/python ]; then export WEB_PYTHON=$REPO/.venv-web/bin/python; else export WEB_PYTHON=$REPO/.venv/bin/python; fi
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-600}
PY=.venv/bin/python

$PY -m bot validate >/dev/null   # a broken directory stops here, with every problem listed
umask 077
mkdir -p "$RUN_DIR" && chmod 700 "$RUN_DIR"
$PY -m bot.endpoints --actions-url "http://127.0.0.1:${ACTIONS_PORT}/webhook" --sqlite "${CONVERSATIONS_DB:-conversations.db}" \
  --workers "$RASA_WORKERS" > "$RUN_DIR/endpoints.yml"
# The key that signs conversation cookies: kept, so a restarted web server continues chats.
if [ -z "${WEB_SECRET:-}" ]; then
  [ -s "$RUN_DIR/web-secret" ] || $PY -c 'import secrets; print(secrets.token_hex(32))' > "$RUN_DIR/web-secret"
  WEB_SECRET=$(cat "$RUN_DIR/web-secret")
fi
export WEB_SECRET
# The family mentors' sign-in code for /mentor (bot/web/mentor_auth.py), kept like the key.
if [ -z "${MENTOR_TOKEN:-}" ]; then
  [ -s "$RUN_DIR/mentor-token" ] || $PY -c 'import secrets; print(secrets.token_urlsafe(24))' > "$RUN_DIR/mentor-token"
  MENTOR_TOKEN=$(cat "$RUN_DIR/mentor-token")
fi
export MENTOR_TOKEN

ctl() { .venv/bin/supervisorctl -c scripts/supervisord.conf "$@"; }
.venv/bin/supervisord -c scripts/supervisord.conf & supervisor=$!
stop() { kill -TERM "$supervisor" 2>/dev/null || true; wait "$supervisor" 2>/dev/null || true; }
trap stop EXIT INT TERM

fail() {  # $1: the program that could not start
  echo >&2
  echo "The assistant could not start: '$1' keeps failing. The end of its log ($RUN_DIR/$1.log):" >&2
  tail -n 25 "$RUN_DIR/$1.log" >&2 || true
  exit 1
}

echo "Waiting for Rasa to load the model..."
deadline=$((SECONDS + STARTUP_TIMEOUT))
# --max-time: a process that accepts but never answers must not hang the start-up check.
until curl -sf --max-time 3 "http://127.0.0.1:${RASA_PORT}/" >/dev/null \
    && curl -sf --max-time 3 "http://${WEB_HOST}:${WEB_PORT}/api/config" >/dev/null; do
  kill -0 "$supervisor" 2>/dev/null || { echo "supervisord stopped: see $RUN_DIR/supervisord.log" >&2; exit 1; }
  status=$(ctl status 2>/dev/null || true)   # supervisorctl exits non-zero while any program is down
  for program in actions rasa web; do
    if grep -q "^$program .*FATAL" <<< "$status"; then fail "$program"; fi
  done
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "Rasa did not answer within ${STARTUP_TIMEOUT} s." >&2; fail rasa
  fi
  sleep 1
done
echo
echo "The assistant is ready:"
echo "  web chat:   http://${WEB_HOST}:${WEB_PORT}/"
echo "  REST:       curl -s -XPOST http://127.0.0.1:${RASA_PORT}/webhooks/rest/webhook -d '{\"sender\":\"me\",\"message\":\"hi\"}'"
echo "  mentors:    http://${WEB_HOST}:${WEB_PORT}/mentor (sign-in code in $RUN_DIR/mentor-token)"
echo "  logs:       $RUN_DIR/{actions,rasa,web}.log"
echo "Press Ctrl+C to stop."
wait "$supervisor"
