#!/usr/bin/env bash
# Train one bench variant (the whole model, as `make train` does) and score it.
#   bench/configs/run.sh NAME        -> /tmp/nlu-models/NAME.tar.gz, NAME.json, NAME.time
set -euo pipefail
cd "$(dirname "$0")/../.."
name=$1; out=${NLU_BENCH_OUT:-/tmp/nlu-models}; mkdir -p "$out"
start=$(date +%s.%N)
.venv/bin/rasa train --config "bench/configs/$name.yml" --fixed-model-name "$name" --out "$out" --force >"$out/$name.log" 2>&1
end=$(date +%s.%N)
echo "$end - $start" | bc > "$out/$name.time"
.venv/bin/python -m bench.configs.nlu_eval "$out/$name.tar.gz" --heldout --json "$out/$name.json" 2>/dev/null \
  | grep -E "^(dev_|heldout_|load)|^    \{" || true
echo "train $(cat "$out/$name.time") s"
