"""The three bands of the first reply on every English urgent dev list, counts only.

    python -m bench.configs.urgent_bands_dev

Each line of tests/dev/{danger,outside_c_danger,ordinary,everyday_alarm_words,
look_alikes_realistic,outside_c_ordinary}.txt is sent as a first message to the trained model
(models/assistant.tar.gz); for each list it prints how many got urgent help, the safety
check-in or the ordinary conversation, and how many of the urgent ones the phrase layer found.
Reads tests/dev only.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LISTS = (
    "danger",
    "outside_c_danger",
    "ordinary",
    "everyday_alarm_words",
    "look_alikes_realistic",
    "outside_c_ordinary",
)


def main() -> int:
    from bot.tools.urgent_counts import (
        CommandLoop,
        band_of,
        load_model,
        messages,
        quiet_rasa_logs,
    )
    from bot.urgent import urgent_kind_in_sentences

    quiet_rasa_logs()
    logging.disable(logging.WARNING)
    loop = CommandLoop()
    agent = load_model(loop)
    try:
        for name in LISTS:
            texts = messages(ROOT / "tests" / "dev" / f"{name}.txt")
            bands = Counter()
            for text in texts:
                band = band_of(loop.run(agent.parse_message(text)))
                bands[band] += 1
                if band == "urgent" and urgent_kind_in_sentences(text) is not None:
                    bands["phrase"] += 1
            print(
                f"{name} ({len(texts)}): urgent {bands['urgent']} ({bands['phrase']} phrase), "
                f"check-in {bands['check-in']}, ordinary {bands['ordinary']}"
            )
    finally:
        loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
