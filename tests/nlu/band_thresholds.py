"""Choose the check-in and near-miss thresholds on the dev lists (never on a sealed set).

    python -m tests.nlu.band_thresholds

For each candidate threshold it prints how many messages of each dev list would get the
safety check-in (messages that already get urgent help are left out), and how many the
classifier alone chose an urgent intent for with a score below each candidate bar for its
own urgent choice (`classifier_urgent_threshold`: below it they get the check-in). Counts only. The lists
are tests/dev/ and the held-out sets used while tuning (measured once, then used to find gaps).
"""

import logging
import sys
from pathlib import Path

from bot.tools.heldout_sets import heldout_sets
from bot.tools.urgent_counts import URGENT, load_model, messages, quiet_rasa_logs
from bot.urgent import URGENT_INTENTS, urgent_kind_in_sentences

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests" / "dev"
OPEN_SETS = [
    s.folder for s in heldout_sets() if not s.sealed and (s.folder / "danger.txt").exists()
]
DANGER_LISTS = [DEV / "danger.txt", DEV / "outside_c_danger.txt"] + [
    folder / "danger.txt" for folder in OPEN_SETS
]
ORDINARY_LISTS = [
    DEV / f"{n}.txt"
    for n in ("ordinary", "everyday_alarm_words", "look_alikes_realistic", "outside_c_ordinary")
] + [folder / "ordinary.txt" for folder in OPEN_SETS]
CANDIDATES = (0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
BARS = (0.4, 0.5, 0.6, 0.7, 0.8)


def scores(texts, understand) -> tuple[list[float | None], list[float]]:
    """Each message's urgent score, or None when its first reply is already urgent help; and
    the scores of the messages whose urgent intent came from the classifier alone."""
    out, classifier_only = [], []
    for text in texts:
        parse = understand(text)
        safety = parse.get("safety") or {}
        out.append(None if parse["intent"]["name"] in URGENT else safety.get("score", 0.0))
        if safety.get("held_intent") in URGENT_INTENTS and urgent_kind_in_sentences(text) is None:
            classifier_only.append(safety.get("score", 0.0))
    return out, classifier_only


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
                found, classifier_only = scores(messages(path), understand)
                missed = [s for s in found if s is not None]
                row = " ".join(f">={t:g}:{sum(s >= t for s in missed)}" for t in CANDIDATES)
                bars = " ".join(f"<{b:g}:{sum(s < b for s in classifier_only)}" for b in BARS)
                print(
                    f"{kind:8} {path.parent.name}/{path.name}: {len(found)} lines, {len(found) - len(missed)} urgent; "
                    f"not urgent with score {row}; classifier alone chose urgent "
                    f"{len(classifier_only)}, with score {bars}"
                )
    finally:
        loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
