"""Time understanding alone, message by message: `python -m bench.configs.parse_latency MODEL`.

Loads the model once, parses every line of the dev lists (tests/dev/nlu.yml, tests/dev/*.yml:
short, long and text-speak messages) three times, and prints p50 / p95 / max milliseconds per
message and the process's peak memory. Run it on one core for the budget (issue 13: p95 30 ms):
`farm-bench -n 1 --pin 0 -- sh -c 'exec .venv/bin/python -m bench.configs.parse_latency MODEL >>/tmp/FILE 2>&1'`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(model: str) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.disable(logging.WARNING)
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    from rasa.core.agent import Agent

    from bench.configs.nlu_eval import nlu_examples

    texts = [
        t for path in sorted((ROOT / "tests/dev").glob("*.yml")) for t, _ in nlu_examples(path)
    ]
    agent = Agent.load(model)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(agent.parse_message("hello"))
    times = []
    for _ in range(3):
        for text in texts:
            start = time.perf_counter()
            loop.run_until_complete(agent.parse_message(text))
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p50, p95 = times[len(times) // 2], times[int(len(times) * 0.95)]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{len(texts)} messages x 3: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms; "
        f"peak RSS {peak_mb:.0f} MB; load average {os.getloadavg()[0]:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
