#!/usr/bin/env bash
# Seconds from `rasa run` start to the first REST reply ("hi"), for one model:
#   bench/configs/startup.sh MODEL [PORT]
# Conversations go to a throwaway SQLite file; no action server is needed for a greeting.
set -euo pipefail
cd "$(dirname "$0")/../.."
model=$1; port=${2:-5197}
tmp=$(mktemp -d)
.venv/bin/python -m bot.endpoints --actions-url "http://127.0.0.1:5999/webhook" --sqlite "$tmp/c.db" > "$tmp/endpoints.yml"
start=$(date +%s.%N)
TF_CPP_MIN_LOG_LEVEL=2 .venv/bin/rasa run --model "$model" --port "$port" --interface 127.0.0.1 \
  --endpoints "$tmp/endpoints.yml" --credentials credentials.yml >"$tmp/rasa.log" 2>&1 &
pid=$!
until curl -sf -XPOST "http://127.0.0.1:$port/webhooks/rest/webhook" -H 'Content-Type: application/json' \
      -d '{"sender":"startup-bench","message":"hi"}' -o "$tmp/reply.json"; do
  kill -0 "$pid" 2>/dev/null || { echo "rasa run exited"; tail -5 "$tmp/rasa.log"; exit 1; }
  sleep 0.2
done
end=$(date +%s.%N)
first=$(echo "$end - $start" | bc)
t0=$(date +%s.%N)
for i in $(seq 1 20); do
  curl -sf -XPOST "http://127.0.0.1:$port/webhooks/rest/webhook" -H 'Content-Type: application/json' \
    -d "{\"sender\":\"startup-bench-$i\",\"message\":\"is this chat private, will anyone see what i write\"}" >/dev/null
done
t1=$(date +%s.%N)
echo "first reply after ${first} s; then $(echo "($t1 - $t0) * 50" | bc) ms per turn (20 REST turns)"
kill "$pid"; wait "$pid" 2>/dev/null || true
rm -rf "$tmp"
