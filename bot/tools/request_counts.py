"""Count how a trained model reads requests to leave, delete the chat or start again, printing
counts only, never a line.

    python -m bot.tools.request_counts tests/heldout/28-requests-author [more folders...]

Each folder holds `requests.yml` (a list of messages under each of quick_exit, forget_me and
start_again, written in a parent's own words) and `not_requests.txt` (ordinary messages that
use the same kinds of words: "I want to leave him", "we're starting weaning again"). For the
requests it counts those read as that request; for the ordinary messages, those that would
leave the chat (quick exit, which deletes it), clear what was said (start again) or ask to
delete it (forget me, which asks first). `pytest tests/nlu` counts with the same functions.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

from bot.tools.urgent_counts import count_folders, messages

REQUESTS = ("quick_exit", "forget_me", "start_again")
# What an ordinary message read as each request would do to the conversation.
CONSEQUENCE = {"quick_exit": "leave", "start_again": "clear", "forget_me": "ask to delete"}


def requests_of(folder: Path) -> dict[str, list[str]]:
    """The requests of one set, by intent."""
    data = yaml.safe_load((folder / "requests.yml").read_text(encoding="utf-8")) or {}
    return {
        intent: [str(m).strip() for m in data.get(intent) or [] if str(m).strip()]
        for intent in REQUESTS
    }


def recognised(requests: dict[str, list[str]], understand) -> Counter:
    """How many of each request's messages are read as that request."""
    return Counter(
        {
            intent: sum(understand(text)["intent"]["name"] == intent for text in texts)
            for intent, texts in requests.items()
        }
    )


def consequences(texts: list[str], understand) -> Counter:
    """How many ordinary messages would leave, clear or ask to delete the conversation."""
    found: Counter = Counter({what: 0 for what in CONSEQUENCE.values()})
    for text in texts:
        intent = understand(text)["intent"]["name"]
        if intent in CONSEQUENCE:
            found[CONSEQUENCE[intent]] += 1
    return found


def report(folder: Path, understand) -> str:
    requests = requests_of(folder)
    ordinary = messages(folder / "not_requests.txt")
    kept, done = recognised(requests, understand), consequences(ordinary, understand)
    read = ", ".join(f"{intent} {kept[intent]}/{len(texts)}" for intent, texts in requests.items())
    total = sum(len(texts) for texts in requests.values())
    return (
        f"{folder.name}: requests read as asked {sum(kept.values())}/{total} ({read}) | "
        f"ordinary {len(ordinary)}: would leave {done['leave']}, clear {done['clear']}, "
        f"ask to delete {done['ask to delete']}"
    )


def main(argv: list[str]) -> int:
    return count_folders(argv, report, __doc__ or "")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
