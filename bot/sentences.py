"""Split what a parent wrote into the sentences and clauses a person would read one by one.

A long message ("my daughter's had a hard week... anyway is there a food bank near her?") is
read sentence by sentence, so a need or a danger buried in the middle is not diluted by the
rest. Used by the understanding model and the urgent layer alike.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from bot.yaml_files import read_yaml

# Sentence ends, line breaks, and chat-style separators ("..", " - ", "/", "|").
_SENTENCE_END = re.compile(
    r"(?<=[.!?\u061F\u06D4])\s+|\n+|\s*(?:\.\.+|\u2026)\s*|\s+[-\u2013\u2014|]\s+"
)
# In a long run with no punctuation, these words usually start a new thought.
_CLAUSE_START = re.compile(
    r"\s+(?=(?:but|also|and also|plus|anyway|btw|so now|and now|because|cos|coz|as well as|"
    r"on top of that|and i|and she|and he|and we|and my|and the baby|and the kids)\b)",
    re.IGNORECASE,
)
NEED_INTENT_PREFIX = "need_"
READING_WORDS = Path(__file__).resolve().parent / "words" / "reading.yml"
# A need read in one sentence is offered next only when the model was at least this sure of it.
SURE_OF_A_NEED = 0.5
MIN_WORDS_TO_SPLIT_CLAUSES = 12
MIN_CLAUSE_WORDS = 3  # a shorter clause is read with the one after it
MAX_PIECES = 20


def split_sentences(text: str) -> list[str]:
    """Return the message's sentences (and clauses of long unpunctuated runs), in order.

    Never returns an empty list for non-empty text; pieces are stripped and non-empty.
    """
    text = (text or "").strip()
    if not text:
        return []
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        sentence = sentence.strip(" ,;:")
        if not sentence:
            continue
        if len(sentence.split()) >= MIN_WORDS_TO_SPLIT_CLAUSES:
            pieces.extend(_clauses(sentence))
        else:
            pieces.append(sentence)
    if len(pieces) > MAX_PIECES:
        pieces = pieces[: MAX_PIECES - 1] + [" ".join(pieces[MAX_PIECES - 1 :])]
    return pieces or [text]


def _clauses(sentence: str) -> list[str]:
    """A long unpunctuated sentence's clauses; a clause of one or two words ("Me" of "Me and
    my little boy have been...", "I" of "I also have...") stays with the words after it."""
    clauses: list[str] = []
    carry = ""
    for part in _CLAUSE_START.split(sentence):
        part = f"{carry} {part}".strip(" ,;:") if carry else part.strip(" ,;:")
        if not part:
            continue
        if len(part.split()) < MIN_CLAUSE_WORDS:
            carry = part
            continue
        carry = ""
        clauses.append(part)
    if carry:
        if clauses:
            clauses[-1] = f"{clauses[-1]} {carry}"
        else:
            clauses.append(carry)
    return clauses


def needs_in_sentences(
    sentence_intents: list[dict] | None, sure: float = SURE_OF_A_NEED
) -> list[str]:
    """The need ids the message's sentences named (the `sentence_intents` the understanding
    model attaches), in the order they were said, each once, when the model was sure enough."""
    needs = []
    for sentence in sentence_intents or []:
        intent = str(sentence.get("intent") or "")
        if intent.startswith(NEED_INTENT_PREFIX) and float(sentence.get("confidence") or 0) >= sure:
            needs.append(intent[len(NEED_INTENT_PREFIX) :])
    return list(dict.fromkeys(needs))


# A message's own reading stands when its best intent is at least this sure; below it, a
# sentence at least this sure of a need chooses the need (the need buried in a long story).
SURE_OF_THE_MESSAGE = 0.8


def urgent_probability(ranking: list[dict], urgent_intents) -> float:
    """The urgent intents' share of one ranking (an urgent first choice already holds the share)."""
    if ranking and ranking[0].get("name") in urgent_intents:
        return float(ranking[0].get("confidence") or 0.0)
    return sum(
        float(r.get("confidence") or 0.0) for r in ranking if r.get("name") in urgent_intents
    )


def read_by_sentence(
    whole: list[dict],
    sentences: list[tuple[str, list[dict]]],
    urgent_intents,
    sure: float = SURE_OF_THE_MESSAGE,
) -> tuple[list[dict], list[dict]]:
    """Combine the whole message's ranking with its sentences' rankings.

    Returns the message's ranking and its `sentence_intents` (text, intent, confidence,
    urgent probability per sentence). The whole message's reading stands when it is urgent
    (urgent help is never talked down by a calmer sentence) or at least `sure`; otherwise the
    sentence surest of a need, if it is at least `sure`, gives the message its need (the
    earlier sentence when two are as sure).
    """
    read = [
        (text, str(ranking[0].get("name")), float(ranking[0].get("confidence") or 0.0), ranking)
        for text, ranking in sentences
        if ranking
    ]
    reported = [
        {
            "text": text,
            "intent": intent,
            "confidence": confidence,
            "urgent_probability": urgent_probability(ranking, urgent_intents),
        }
        for text, intent, confidence, ranking in read
    ]
    ranking = _read_whole(whole, read, urgent_intents, sure)
    return _added_need_second(ranking, read, sure), reported


@cache
def _added_need() -> re.Pattern:
    words = read_yaml(READING_WORDS)["added_need_words"]
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def added_to_another_need(text: str) -> bool:
    """Whether a sentence names its need as an addition ("is there a food bank too")."""
    return bool(_added_need().search(text or ""))


def _added_need_second(ranking: list[dict], read: list, sure: float) -> list[dict]:
    """A need every sure sentence of which says "too" or "in the meantime" is the second
    need: the need another sentence names as surely, without such a word, comes first."""
    top = ranking[0] if ranking else None
    if top is None or not str(top.get("name")).startswith(NEED_INTENT_PREFIX):
        return ranking
    mine = [
        text for text, intent, confidence, _ in read if intent == top["name"] and confidence >= sure
    ]
    if not mine or not all(added_to_another_need(text) for text in mine):
        return ranking
    first = next(
        (
            (intent, confidence)
            for text, intent, confidence, _ in read
            if intent.startswith(NEED_INTENT_PREFIX)
            and intent != top["name"]
            and confidence >= sure
            and not added_to_another_need(text)
        ),
        None,
    )
    if first is None:
        return ranking
    # At least as confident as the need it goes before, so the fallback sees no doubt.
    chosen = {"name": first[0], "confidence": max(first[1], float(top.get("confidence") or 0))}
    return [chosen, *[r for r in ranking if r.get("name") != chosen["name"]]]


def _read_whole(whole, read, urgent_intents, sure) -> list[dict]:
    """The message's ranking from its own reading and its sentences' (read_by_sentence)."""
    top = whole[0] if whole else None
    if (
        top is None
        or top.get("name") in urgent_intents
        or float(top.get("confidence") or 0) >= sure
    ):
        return whole
    needs = [
        (confidence, intent)
        for _, intent, confidence, _ in read
        if intent.startswith(NEED_INTENT_PREFIX) and confidence >= sure
    ]
    if not needs:
        return whole
    confidence, intent = max(needs, key=lambda n: n[0])  # max keeps the first of equals
    if intent == top.get("name"):
        return whole
    chosen = {"name": intent, "confidence": confidence}
    return [chosen, *[r for r in whole if r.get("name") != chosen["name"]]]
