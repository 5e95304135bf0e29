"""Three bands for every message: urgent help, a safety check-in, or the ordinary conversation.

One urgent score per message, from 0 to 1: the classifier's urgent probability (for the whole
message, or its strongest sentence when the classifier scored sentences one by one). The
phrase layer (`bot/urgent.py`, read sentence by sentence) puts a message straight in the
urgent band, and so does the classifier's own urgent choice when its score reaches the
`classifier_urgent` threshold. Weaker evidence gets the check-in instead of urgent help:

- the classifier chose an urgent intent but is unsure (score below `classifier_urgent`);
- a phrase matched or the classifier chose an urgent intent, but the message frames its
  alarming words as weaker evidence (`softened` in bot/words/urgent_help.yml: a question
  about what something means, play or a joke, someone else's death, a child already seen by
  a doctor). When the classifier gives a softened phrase almost nothing
  (below the near-miss threshold) the message carries on as a near miss instead, so a
  second near miss still moves up a band.

Below that:

- `check_in` at or above the check-in threshold: one present-tense question first
  ("are you and your children safe right now?"), with 999 under it;
- a near miss at or above the near-miss threshold: ordinary on its own, but two in a row, or
  one after the parent said they feel unsafe or can't cope, move up a band;
- `ordinary` below that.

The check-in is asked at most once per conversation, unless a later message scores higher
than the one that brought it. Thresholds live in config.yml (the UrgentHelpDetector's
settings), chosen on the dev lists. No Rasa here: the NLU component reads the message and
the conversation so far into these types and applies `decide`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

URGENT, CHECK_IN, ORDINARY = "urgent", "check_in", "ordinary"
BANDS = (ORDINARY, CHECK_IN, URGENT)


@dataclass(frozen=True)
class Thresholds:
    """Urgent score limits: check-in band at or above `check_in`; a near miss at or above
    `near_miss`; the classifier's own urgent choice is urgent help at or above `classifier_urgent`
    (below it, the check-in)."""

    check_in: float = 0.2
    near_miss: float = 0.1
    classifier_urgent: float = 0.0

    def __post_init__(self) -> None:
        if not 0 < self.near_miss <= self.check_in < 1:
            raise ValueError(
                f"need 0 < near_miss ({self.near_miss}) <= check_in ({self.check_in}) < 1"
            )
        if not 0 <= self.classifier_urgent < 1:
            raise ValueError(f"need 0 <= classifier_urgent ({self.classifier_urgent}) < 1")


@dataclass(frozen=True)
class SoFar:
    """What the earlier messages of this conversation tell (read from their stored bands)."""

    last_was_near_miss: bool = False  # the parent's previous message was a near miss or a check-in
    said_unsafe: bool = False  # an earlier message said they feel unsafe or can't cope
    checked_in_at: float | None = None  # the score that brought the check-in, if it was asked


@dataclass(frozen=True)
class Decision:
    band: str
    score: float
    near_miss: bool = False
    why: tuple[str, ...] = field(default_factory=tuple)  # short reasons, never the message's words


def urgent_score(
    classifier_probability: float, sentence_probabilities: list[float] | None = None
) -> float:
    """One score per message: the whole message's urgent probability, or its strongest sentence."""
    scores = [classifier_probability, *(sentence_probabilities or [])]
    return max(0.0, min(1.0, max(scores)))


def decide(
    score: float,
    thresholds: Thresholds,
    so_far: SoFar = SoFar(),
    *,
    phrase: bool = False,
    classifier_urgent: bool = False,
    asks_check_in: bool = False,
    softened: bool = False,
) -> Decision:
    """The band for one message.

    `phrase`: the phrase layer found urgent words in a sentence; `classifier_urgent`: the
    classifier itself chose an urgent intent; `asks_check_in`: the classifier read the message
    as the parent asking whether they are safe (intent `safety_check_in`); `softened`: the
    message frames its alarming words as weaker evidence (bot/urgent.py `softened`).
    """
    sure = classifier_urgent and score >= thresholds.classifier_urgent
    if phrase and not softened:
        return Decision(URGENT, score, why=("phrase",))
    if sure and not softened:
        return Decision(URGENT, score, why=("classifier",))
    near = score >= thresholds.near_miss or phrase or classifier_urgent
    if phrase:
        band, why = (
            (CHECK_IN, ["softened phrase"])
            if score >= thresholds.near_miss
            else (ORDINARY, ["softened phrase"])
        )
    elif classifier_urgent:
        band, why = CHECK_IN, ["softened classifier" if sure else "classifier unsure"]
    else:
        band, why = (CHECK_IN, ["score"]) if score >= thresholds.check_in else (ORDINARY, [])
    if asks_check_in and band == ORDINARY:
        band, why = CHECK_IN, ["asked"]
    if near and (so_far.last_was_near_miss or so_far.said_unsafe):
        band = BANDS[min(BANDS.index(band) + 1, len(BANDS) - 1)]
        why.append("two in a row" if so_far.last_was_near_miss else "after feeling unsafe")
    if band == CHECK_IN and so_far.checked_in_at is not None and score <= so_far.checked_in_at:
        band = ORDINARY
        why.append("already asked")
    return Decision(band, score, near_miss=near or band != ORDINARY, why=tuple(why))


def read_so_far(earlier: list[dict]) -> SoFar:
    """`earlier`: the `safety` results of this conversation's earlier messages, oldest first."""
    checked = [e.get("score", 0.0) for e in earlier if e.get("band") == CHECK_IN]
    return SoFar(
        last_was_near_miss=bool(earlier)
        and bool(earlier[-1].get("near_miss"))
        and earlier[-1].get("band") != URGENT,
        said_unsafe=any(e.get("said_unsafe") for e in earlier),
        checked_in_at=max(checked) if checked else None,
    )
