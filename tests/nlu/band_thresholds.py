"""Choose the check-in and near-miss thresholds on the dev lists (never on a sealed set).

    python -m tests.nlu.band_thresholds

For each candidate threshold it prints how many messages of each dev list would get the
safety check-in (messages that already get urgent help are left out). Counts only. The lists
are tests/dev/ and the held-out sets used while tuning (measured once, then used to find gaps).
"""

import logging
import sys
from pathlib import Path

from bot.tools.heldout_sets import heldout_sets
from bot.tools.urgent_counts import URGENT, load_model, messages, quiet_rasa_logs

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests" / "dev"
OPEN_SETS = [
    s.folder for s in heldout_sets() if not s.sealed and (s.folder / "danger.txt").exists()
]
DANGER_LISTS = [DEV / "danger.txt"] + [folder / "danger.txt" for folder in OPEN_SETS]
ORDINARY_LISTS = [
    DEV / f"{n}.txt" for n in ("ordinary", "everyday_alarm_words", "look_alikes_realistic")
] + [folder / "ordinary.txt" for folder in OPEN_SETS]
CANDIDATES = (0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)


def scores(texts, understand) -> list[float | None]:
    """Each message's urgent score, or None when its first reply is already urgent help."""
    out = []
    for text in texts:
        parse = understand(text)
        out.append(
            None
            if parse["intent"]["name"] in URGENT
            else (parse.get("safety") or {}).get("score", 0.0)
        )
    return out


def main() -> int:
    from tests.asyncio_thread import LoopThread

    quiet_rasa_logs()
    logging.disable(logging.WARNING)
    loop = LoopThread()
    agent = load_model(loop)
    understand = lambda text: loop.run(agent.parse_message(text))  # noqa: E731
    try:
        for kind, lists in (("danger", DANGER_LISTS), ("ordinary", ORDINARY_LISTS)):
            for path in lists:
                found = scores(messages(path), understand)
                missed = [s for s in found if s is not None]
                row = " ".join(f">={t:g}:{sum(s >= t for s in missed)}" for t in CANDIDATES)
                print(
                    f"{kind:8} {path.parent.name}/{path.name}: {len(found)} lines, {len(found) - len(missed)} urgent; "
                    f"not urgent with score {row}"
                )
    finally:
        loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
