#!/usr/bin/env bash
# Start the action server, Rasa (REST channel only, no open HTTP API) and the web chat page.
# Ports: ACTIONS_PORT (5055), RASA_PORT (5005), WEB_PORT (8080). Ctrl+C stops all three.
# Conversations: SQLite, or PostgreSQL + a Redis lock store with DATABASE_URL / REDIS_URL
# (bot/endpoints.py, docs/deploy.md). CORS_ORIGINS: origins allowed to call Rasa (spaces
# between); SANIC_REQUEST_MAX_SIZE: Rasa's request size limit in bytes (64 KB).
set -euo pipefail
cd "$(dirname "$0")/.."
ACTIONS_PORT=${ACTIONS_PORT:-5055}
RASA_PORT=${RASA_PORT:-5005}
WEB_PORT=${WEB_PORT:-8080}
WEB_HOST=${WEB_HOST:-127.0.0.1}
export TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1
PY=.venv/bin/python
pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -f "${endpoints:-}"; }
trap stop EXIT INT TERM

.venv/bin/python -m bot validate >/dev/null   # a broken directory stops here, with every problem listed
endpoints=$(mktemp -t endpoints.XXXXXX.yml)   # only we can read it: it may hold passwords
$PY -m bot.endpoints --actions-url "http://127.0.0.1:${ACTIONS_PORT}/webhook" > "$endpoints"
read -r -a cors <<< "${CORS_ORIGINS:-http://127.0.0.1:8080}"

SANIC_HOST=127.0.0.1 .venv/bin/rasa run actions --port "$ACTIONS_PORT" --actions actions & pids+=($!)
SANIC_REQUEST_MAX_SIZE=${SANIC_REQUEST_MAX_SIZE:-65536} \
.venv/bin/rasa run --model models/assistant.tar.gz --port "$RASA_PORT" --interface 127.0.0.1 \
  --endpoints "$endpoints" --credentials credentials.yml --cors "${cors[@]}" & pids+=($!)
$PY -m bot.web.server --host "$WEB_HOST" --port "$WEB_PORT" --rasa-url "http://127.0.0.1:${RASA_PORT}" & pids+=($!)

echo "Waiting for Rasa to load the model..."
until curl -sf "http://127.0.0.1:${RASA_PORT}/" >/dev/null; do sleep 1; done
echo
echo "The assistant is ready:"
echo "  web chat:   http://${WEB_HOST}:${WEB_PORT}/"
echo "  REST:       curl -s -XPOST http://127.0.0.1:${RASA_PORT}/webhooks/rest/webhook -d '{\"sender\":\"me\",\"message\":\"hi\"}'"
echo "Press Ctrl+C to stop."
wait -n
