"""Count how a trained model does on urgent-help lists, printing counts only, never a line.

    python -m tests.nlu.count_urgent tests/heldout_fourteenth_author [more folders...]

Each folder holds danger.txt and ordinary.txt. For a sealed set this is the only safe way to
look: `pytest tests/nlu` does the same against the floors, and nothing here prints a message.
"""

import asyncio
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
URGENT = {"urgent_danger", "urgent_self_harm"}


def lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


async def count(folders: list[Path], model: Path) -> list[str]:
    from rasa.core.agent import Agent

    from bot.urgent import urgent_kind

    agent = Agent.load(str(model))
    report = []
    for folder in folders:
        danger, ordinary = lines(folder / "danger.txt"), lines(folder / "ordinary.txt")
        caught = sum([(await agent.parse_message(t))["intent"]["name"] in URGENT for t in danger])
        alarms = sum([(await agent.parse_message(t))["intent"]["name"] in URGENT for t in ordinary])
        phrases = sum(urgent_kind(t) in URGENT for t in danger)
        phrase_alarms = sum(urgent_kind(t) in URGENT for t in ordinary)
        report.append(f"{folder.name}: caught {caught}/{len(danger)}, false alarms {alarms}/{len(ordinary)} "
                      f"({phrase_alarms} from the phrase layer), phrase layer alone {phrases}/{len(danger)}")
    return report


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    import structlog

    # Rasa's debug lines quote each message; keep them off so nothing sealed is shown.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    logging.disable(logging.WARNING)
    sys.path.insert(0, str(ROOT))  # the custom NLU components are imported from the repo root
    for line in asyncio.run(count([Path(a) for a in argv], ROOT / "models" / "assistant.tar.gz")):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
