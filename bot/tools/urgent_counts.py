"""Count how a trained model does on urgent-help lists, printing counts only, never a line.

    python -m bot.tools.urgent_counts tests/heldout/15-fifteenth-author [more folders...]

Each folder holds danger.txt and ordinary.txt. For each list it counts the three bands of the
first reply (bot/safety.py): urgent help, the safety check-in, or the ordinary conversation.
When the folder's meta.yml says `language: <code>`, each line is sent as a parent's first
message in that language (no button), and it also counts the lines whose first reply would
be in that language (the `language_detected` entity the pipeline set).
For a sealed set this is the only safe way to look. `pytest tests/nlu` and
`python -m bench.configs.nlu_eval` count with the same functions.
"""

import asyncio
import logging
import sys
from collections import Counter
from pathlib import Path

from bot.urgent import HELP_NOW, URGENT_INTENTS

ROOT = Path(__file__).resolve().parents[2]
# Intents whose first reply is urgent help ("I need help now" gets it too).
URGENT = {*URGENT_INTENTS, HELP_NOW}
CHECK_IN = "safety_check_in"


def messages(path: Path) -> list[str]:
    """One message per non-empty line."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def how_many_urgent(texts: list[str], understand) -> int:
    """How many the whole pipeline (`understand`: text -> parse result) sends to urgent help."""
    return sum(understand(text)["intent"]["name"] in URGENT for text in texts)


def how_many_by_phrases(texts: list[str]) -> int:
    """How many the phrase layer alone (whole message and each sentence) sends to urgent help."""
    from bot.urgent import urgent_kind_in_sentences

    return sum(urgent_kind_in_sentences(text) in URGENT for text in texts)


def band_of(parse: dict) -> str:
    """The band of the first reply to one parsed message."""
    intent = parse["intent"]["name"]
    return "urgent" if intent in URGENT else "check-in" if intent == CHECK_IN else "ordinary"


def bands(texts: list[str], understand) -> Counter:
    """How many of `texts` get urgent help, the safety check-in, or the ordinary conversation first."""
    return Counter(band_of(understand(text)) for text in texts)


def set_language(folder: Path) -> str | None:
    """The language a set is written in (meta.yml `language:`), or None for English."""
    import yaml

    meta = folder / "meta.yml"
    if not meta.is_file():
        return None
    code = (yaml.safe_load(meta.read_text(encoding="utf-8")) or {}).get("language")
    return None if not code or code == "en" else str(code)


def in_language(parse: dict, code: str) -> bool:
    """The parse sets the conversation's language to `code` (its first reply is in it)."""
    return any(
        e.get("entity") == "language_detected" and e.get("value") == code
        for e in parse.get("entities") or []
    )


def report(folder: Path, understand) -> str:
    danger, ordinary = messages(folder / "danger.txt"), messages(folder / "ordinary.txt")
    code = set_language(folder)
    if code:
        parses = {text: understand(text) for text in [*danger, *ordinary]}
        understand = parses.__getitem__
    on_danger, on_ordinary = bands(danger, understand), bands(ordinary, understand)
    line = (
        f"{folder.name}: danger {len(danger)}: urgent {on_danger['urgent']}, check-in {on_danger['check-in']}, "
        f"ordinary {on_danger['ordinary']} | ordinary {len(ordinary)}: urgent {on_ordinary['urgent']} "
        f"({how_many_by_phrases(ordinary)} from the phrase layer), check-in {on_ordinary['check-in']}, "
        f"ordinary {on_ordinary['ordinary']} | phrase layer alone on danger {how_many_by_phrases(danger)}"
    )
    if code:
        line += (
            f" | first reply in {code}: danger {sum(in_language(understand(t), code) for t in danger)}"
            f"/{len(danger)}, ordinary {sum(in_language(understand(t), code) for t in ordinary)}"
            f"/{len(ordinary)}"
        )
    return line


def quiet_rasa_logs() -> None:
    """Unconfigured, structlog prints Rasa's debug lines, which quote each message: held-out
    lines would then show (in a failing test's output too) and stop being unseen."""
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def load_model(loop, action_endpoint=None):
    """The trained model, loaded on `loop` (anything with `run(coroutine)`, e.g. tests.asyncio_thread.LoopThread);
    custom actions go to `action_endpoint` (an EndpointConfig) when one is given."""
    sys.path.insert(0, str(ROOT))  # the custom NLU components are imported from the repo root
    from rasa.core.agent import Agent

    return loop.run(_load(Agent, ROOT / "models" / "assistant.tar.gz", action_endpoint))


def count_folders(argv: list[str], report_on, usage: str) -> int:
    """The command line of a counting tool: `report_on(folder, understand)` for each folder
    named, with the trained model; `usage` when none is."""
    if not argv:
        print(usage)
        return 2
    quiet_rasa_logs()
    logging.disable(logging.WARNING)
    loop = CommandLoop()
    agent = load_model(loop)
    try:
        for folder in argv:
            print(report_on(Path(folder), lambda text: loop.run(agent.parse_message(text))))
    finally:
        loop.close()
    return 0


def main(argv: list[str]) -> int:
    return count_folders(argv, report, __doc__ or "")


class CommandLoop:
    """An event loop on this thread, for the command line (no other loop is running there)."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()

    def run(self, coroutine):
        return self._loop.run_until_complete(coroutine)

    def close(self) -> None:
        self._loop.close()


async def _load(agent_class, path: Path, action_endpoint=None):
    return agent_class.load(str(path), action_endpoint=action_endpoint)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
