"""Only a clear request leaves, deletes the chat or starts again.

Quick exit and "forget me, yes delete it" delete the whole conversation, and "start again"
clears everything said; "forget me" asks first. A classifier's reading of one of these from
an ordinary message ("kkk", "de novo sem dinheiro", "pode fechar a porta?") would lose what a
parent told us, in any language. So such a reading counts only when the message
- is short (`max_words`), names no need or area (no `need` or `area` entity, no need
  reading of 0.15 or more),
- the classifier is sure enough (`min_confidence`),
- and, unless the message reads as English and the request is one the English head reads
  alone (`read_alone_in_english`), holds one of that reading's words in some language
  (bot/words/clear_requests.yml). The English head learnt these requests from many English
  examples; the other languages' drafts and messages too short to tell ("kkk") did not.
Otherwise the classifier's next reading is taken. A message that is one of the quick-exit
words as a whole is left to the phrase layer (bot/urgent.py), which leaves at once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.letters import ARABIC_SCRIPT, one_form
from bot.sentences import NEED_INTENT_PREFIX
from bot.yaml_files import read_yaml

PATH = Path(__file__).resolve().parent / "words" / "clear_requests.yml"
# A need reading at least this sure means the message is about a need, not a request to leave.
NEED_COMPETES = 0.15
# A message naming a need or an area ("apaga isso, quero dizer Lambeth") is telling us something.
NAMED = ("need", "area")


def plain(text: str) -> str:
    """A message as the words are compared: lower case, accents and marks dropped, letters typed
    in several ways made one, punctuation made spaces, one space between words."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = one_form(text)
    text = re.sub(r"[^\w\s]+|_", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _pattern(word: str) -> re.Pattern:
    word = plain(word)
    if ARABIC_SCRIPT.search(word):
        return re.compile(re.escape(word))
    return re.compile(rf"(?<!\w){re.escape(word)}")


@dataclass(frozen=True)
class ClearRequests:
    """The words and limits of bot/words/clear_requests.yml."""

    words: dict[str, tuple[re.Pattern, ...]]
    max_words: dict[str, int]
    min_confidence: float
    read_alone_in_english: frozenset[str] = frozenset()

    @classmethod
    def from_data(cls, data: dict) -> ClearRequests:
        words = {}
        for intent, by_language in (data.get("words") or {}).items():
            listed = [w for ws in (by_language or {}).values() for w in ws or []]
            words[intent] = tuple(_pattern(w) for w in dict.fromkeys(listed) if plain(w))
        return cls(
            words=words,
            max_words={k: int(v) for k, v in (data.get("max_words") or {}).items()},
            min_confidence=float(data.get("min_confidence", 0.5)),
            read_alone_in_english=frozenset(data.get("read_alone_in_english") or ()),
        )

    def guarded(self, intent: str | None) -> bool:
        """This reading ends, deletes or clears the conversation (or asks to)."""
        return intent in self.words

    def is_clear(
        self,
        intent: str,
        confidence: float,
        text: str,
        ranking=(),
        entities=(),
        english: bool = False,
    ) -> bool:
        """The classifier's reading `intent` of `text` is a clear request (see the module);
        `english`: the message reads as English."""
        if not self.guarded(intent):
            return True
        said = plain(text or "")
        if not said or confidence < self.min_confidence:
            return False
        if len(said.split()) > self.max_words.get(intent, 8):
            return False
        if any(e.get("entity") in NAMED for e in entities or ()):
            return False
        if any(
            str(r.get("name") or "").startswith(NEED_INTENT_PREFIX)
            and float(r.get("confidence") or 0.0) >= NEED_COMPETES
            for r in ranking or ()
        ):
            return False
        if english and intent in self.read_alone_in_english:
            return True
        return any(p.search(said) for p in self.words[intent])

    def instead(self, ranking) -> dict:
        """The reading to take when the classifier's was not a clear request: its best one that
        ends nothing, or nlu_fallback."""
        for r in ranking or ():
            if not self.guarded(r.get("name")):
                return {"name": r.get("name"), "confidence": float(r.get("confidence") or 0.0)}
        return {"name": "nlu_fallback", "confidence": 1.0}


@lru_cache(maxsize=1)
def clear_requests(path: Path = PATH) -> ClearRequests:
    """The words of every language, read once."""
    return ClearRequests.from_data(read_yaml(path) or {})
