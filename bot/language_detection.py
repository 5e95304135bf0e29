"""Find the parent's language from their first messages, offline, when no button was pressed.

lingua (lingua-language-detector, its models ship in the wheel) is restricted to the
languages a parent can use; it was chosen by measuring (bench/results-languages.md). Urdu
written in Latin letters ("mujhe madad chahiye"), which detectors read as English or Spanish,
is found by its common words (bot/words/language_detection.yml). A short message ("ok",
"hello") or a mixed one (mostly English with a few words of another language) changes
nothing: the conversation stays in the language it is in.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from bot.yaml_files import read_yaml

SETTINGS_PATH = Path(__file__).resolve().parent / "words" / "language_detection.yml"
ENGLISH = "en"
_WORD = re.compile(r"[^\W\d_]+")
# The detector remembers its answers for this many recent messages (several components ask).
RECENT = 256
# lingua's names for the languages listed in bot/words/languages.yml.
LINGUA_NAMES = {
    "en": "ENGLISH",
    "pl": "POLISH",
    "ur": "URDU",
    "ro": "ROMANIAN",
    "pt": "PORTUGUESE",
    "es": "SPANISH",
    "ar": "ARABIC",
    "pa": "PUNJABI",
    "bn": "BENGALI",
}


@lru_cache(maxsize=1)
def settings(path: Path = SETTINGS_PATH) -> dict:
    return read_yaml(path)


def romanised(text: str, codes: tuple[str, ...], config: dict | None = None) -> str | None:
    """The language whose Latin-letter words make up enough of the message, or None."""
    config = config or settings()
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return None
    for code, rule in (config.get("romanised") or {}).items():
        if code not in codes:
            continue
        known = set(rule["words"])
        found = sum(1 for w in words if w in known)
        if found >= rule["min_words"] and found / len(words) >= rule["min_share"]:
            return code
    return None


class LanguageDetector:
    """Detects one of `codes` (English included) in a message; None when it can't tell."""

    def __init__(self, codes: tuple[str, ...], config: dict | None = None):
        from lingua import Language, LanguageDetectorBuilder

        self.config = config or settings()
        self.codes = tuple(dict.fromkeys((ENGLISH, *codes)))
        known = [c for c in self.codes if c in LINGUA_NAMES]
        self._by_language = {getattr(Language, LINGUA_NAMES[c]): c for c in known}
        builder = LanguageDetectorBuilder.from_languages(*self._by_language)
        self._lingua = builder.with_preloaded_language_models().build()
        self._recent: dict[str, str | None] = {}

    def confidences(self, text: str) -> list[tuple[str, float]]:
        """(code, confidence) for every language, likeliest first (lingua alone)."""
        return [
            (self._by_language[value.language], value.value)
            for value in self._lingua.compute_language_confidence_values(text)
        ]

    def detect(self, text: str) -> str | None:
        """The message's language when it is clear, else None. English is a result too.

        Several components ask about the same message, so the last answers are kept."""
        if text in self._recent:
            return self._recent[text]
        if len(self._recent) >= RECENT:
            self._recent.clear()
        found = self._recent[text] = self._detect(text)
        return found

    def _detect(self, text: str) -> str | None:
        found = romanised(text, self.codes, self.config)
        if found:
            return found
        letters = sum(len(w) for w in _WORD.findall(text))
        if letters < self.config["min_letters"]:
            return None
        ranked = self.confidences(text)
        if not ranked:
            return None
        code, confidence = ranked[0]
        if code == ENGLISH:
            return code
        if confidence < self.config["min_confidence"]:
            return None
        if self.english_share(text) >= self.config["max_english_share"]:
            return None  # mostly English with a few words of another language
        return code

    def english_share(self, text: str) -> float:
        """The share of the message's characters lingua reads as English, part by part."""
        parts = self._lingua.detect_multiple_languages_of(text)
        total = sum(p.end_index - p.start_index for p in parts)
        english = sum(
            p.end_index - p.start_index
            for p in parts
            if self._by_language.get(p.language) == ENGLISH
        )
        return english / total if total else 0.0


@lru_cache(maxsize=4)
def detector(codes: tuple[str, ...]) -> LanguageDetector:
    """One detector per set of languages, built once (lingua's models take a second to load)."""
    return LanguageDetector(codes)


def reads_as_english(text: str, codes: tuple[str, ...]) -> bool:
    """With more than one language to use, the detector finds this message to be English."""
    return len(codes) > 1 and detector(codes).detect(text[:1000]) == ENGLISH


def language_to_set(
    text: str, current: str | None, earlier_messages: int, codes: tuple[str, ...]
) -> str | None:
    """The language the conversation should move to after this message, or None to stay.

    Only while nothing set the language yet (`current` is None: no button, no picker, nothing
    detected) and only in the first messages; a button press ("/...") is never read."""
    if current or not text or text.startswith("/") or len(codes) < 2:
        return None
    if earlier_messages >= settings()["first_messages"]:
        return None
    found = detector(codes).detect(text[:1000])
    return found if found and found != ENGLISH else None
