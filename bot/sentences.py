"""Split what a parent wrote into the sentences and clauses a person would read one by one.

A long message ("my daughter's had a hard week... anyway is there a food bank near her?") is
read sentence by sentence, so a need or a danger buried in the middle is not diluted by the
rest. Used by the understanding model and the urgent layer alike.
"""

from __future__ import annotations

import re

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
# A need read in one sentence is offered next only when the model was at least this sure of it.
SURE_OF_A_NEED = 0.5
MIN_WORDS_TO_SPLIT_CLAUSES = 12
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
            pieces.extend(p.strip(" ,;:") for p in _CLAUSE_START.split(sentence) if p.strip(" ,;:"))
        else:
            pieces.append(sentence)
    if len(pieces) > MAX_PIECES:
        pieces = pieces[: MAX_PIECES - 1] + [" ".join(pieces[MAX_PIECES - 1 :])]
    return pieces or [text]


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
