"""Per-language dev figures from the trained model: for each language's dev lists
(tests/dev/danger_<code>.txt and ordinary_<code>.txt; English's danger.txt and ordinary.txt),
how many lines get urgent help, the safety check-in or the ordinary conversation first, and how
many are read as a request that ends or clears the chat (quick exit, forget me, start again).

    python -m bot.tools.language_dev_counts [code ...]

Dev lists only: the held-out sets are counted by bot.tools.urgent_counts and
bot.tools.conversation_counts.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from pathlib import Path

from bot.tools.urgent_counts import CommandLoop, band_of, load_model, messages, quiet_rasa_logs

DEV = Path(__file__).resolve().parents[2] / "tests" / "dev"
CLEARS = {"quick_exit", "forget_me", "forget_confirmed", "start_again"}
CODES = ("en", "pl", "ur", "ro", "pt", "es", "ar", "ru", "uk")


def dev_list(kind: str, code: str) -> Path:
    return DEV / (f"{kind}.txt" if code == "en" else f"{kind}_{code}.txt")


def line(code: str, understand) -> str:
    """One language's figures, one line."""
    parts = []
    for kind in ("danger", "ordinary"):
        path = dev_list(kind, code)
        if not path.is_file():
            continue
        texts = messages(path)
        bands: Counter[str] = Counter()
        clears = 0
        for text in texts:
            parse = understand(text)
            bands[band_of(parse)] += 1
            clears += parse["intent"]["name"] in CLEARS
        parts.append(
            f"{kind} {len(texts)}: urgent {bands['urgent']}, check-in {bands['check-in']}, "
            f"ordinary {bands['ordinary']}, ends/clears {clears}"
        )
    return f"{code} | " + " | ".join(parts)


def main(argv: list[str]) -> int:
    quiet_rasa_logs()
    logging.disable(logging.WARNING)
    loop = CommandLoop()
    agent = load_model(loop)
    try:
        for code in argv or CODES:
            print(line(code, lambda text: loop.run(agent.parse_message(text))), flush=True)
    finally:
        loop.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
