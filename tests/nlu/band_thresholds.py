"""Choose the check-in and near-miss thresholds on the dev lists (never on a sealed set).

    python -m tests.nlu.band_thresholds

For each candidate threshold it prints how many messages of each dev list would get the
safety check-in (messages that already get urgent help are left out). Counts only. The lists
are tests/urgent/dev_*.txt and the open authors' sets (measured once, then used to find gaps).
"""

import logging
import sys
from pathlib import Path

from tests.nlu.count_urgent import URGENT, load_model, messages, quiet_rasa_logs

ROOT = Path(__file__).resolve().parents[2]
DANGER_LISTS = [ROOT / "tests/urgent/dev_danger.txt"] + [
    ROOT / f"tests/heldout_{a}_author/danger.txt" for a in ("second", "third", "fourth", "sixth", "seventh", "eighth")]
ORDINARY_LISTS = [ROOT / f"tests/urgent/{n}.txt" for n in ("dev_ordinary", "dev_everyday_alarm_words",
                                                            "dev_look_alikes_realistic")] + [
    ROOT / f"tests/heldout_{a}_author/ordinary.txt" for a in ("second", "third", "fourth", "sixth", "seventh", "eighth")]
CANDIDATES = (0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)


def scores(texts, understand) -> list[float | None]:
    """Each message's urgent score, or None when its first reply is already urgent help."""
    out = []
    for text in texts:
        parse = understand(text)
        out.append(None if parse["intent"]["name"] in URGENT else (parse.get("safety") or {}).get("score", 0.0))
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
                print(f"{kind:8} {path.parent.name}/{path.name}: {len(found)} lines, {len(found) - len(missed)} urgent; "
                      f"not urgent with score {row}")
    finally:
        loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
