"""Spot messages that need urgent help, without relying on the classifier's confidence.

The phrase lists live in `bot/words/urgent_help.yml`, and each language a parent can use adds
its own (`urgent_phrases` and `quick_exit` in bot/words/languages/<code>.yml); this module only
applies them, to the whole message and to each of its sentences (`bot/sentences.py`), so one
danger line inside a long ordinary message is still found. Every language's phrases apply to
every message: a parent may write in any of them whatever the conversation's language.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from bot.letters import without_marks
from bot.sentences import split_sentences
from bot.yaml_files import read_yaml

PHRASES_PATH = Path(__file__).resolve().parent / "words" / "urgent_help.yml"
# The urgent intents' names: the one place they are spelled (domain.yml and data/nlu use them).
DANGER = "urgent_danger"  # danger from a person
MEDICAL = "urgent_medical"  # a baby or child seriously ill or injured now
SELF_HARM = "urgent_self_harm"  # thoughts of suicide, self-harm or harming the baby
QUICK_EXIT = "quick_exit"
HELP_NOW = "help_now"  # "I need help now": the urgent reply that fits what came before
# Every intent that gets urgent help first, in the order the phrase lists are checked.
URGENT_INTENTS = (DANGER, MEDICAL, SELF_HARM)


class UrgentPhrases:
    def __init__(self, data: dict):
        self._spellings = {
            re.compile(rf"\b{re.escape(k)}\b"): v for k, v in (data.get("spellings") or {}).items()
        }
        self._innocent = [re.compile(p) for p in data.get("not_urgent") or []]
        # Danger is checked first, then a child's medical emergency: if more than one fits,
        # 999 comes first in every urgent reply anyway.
        self._lists = [
            (name, [re.compile(p) for p in data.get(name) or []]) for name in URGENT_INTENTS
        ]
        self.exit_words = tuple(exit_word(w) for w in data.get(QUICK_EXIT) or [])
        self._past = [re.compile(p) for p in data.get("danger_in_the_past") or []]
        self._now = [re.compile(p) for p in data.get("danger_now") or []]
        self._unsafe = [re.compile(p) for p in data.get("unsafe_or_not_coping") or []]
        self._softened = [re.compile(p) for p in data.get("softened") or []]
        self._joking = [
            [re.compile(p) for p in data.get(name) or []] for name in ("joking", "joking_threat")
        ]
        self._not_joking = [re.compile(p) for p in data.get("not_joking") or []]
        self._normalised = lru_cache(maxsize=64)(self._normalise)

    def normalise(self, text: str) -> str:
        """The message as the patterns read it (lower case, marks and punctuation dropped,
        known misspellings corrected). One message is read this way by several checks, so
        the last few results are kept."""
        return self._normalised(text)

    def _normalise(self, text: str) -> str:
        text = without_marks(unicodedata.normalize("NFC", text))
        text = text.lower().replace("\u2019", "'").replace("'", "").replace("`", "")
        text = re.sub(r"[^\w\s]+", " ", text)
        text = re.sub(r"\s+", " ", text).strip()
        for pattern, spelling in self._spellings.items():
            text = pattern.sub(spelling, text)
        return text

    def classify(self, text: str) -> str | None:
        """Return 'urgent_danger', 'urgent_medical', 'urgent_self_harm', 'quick_exit', or None."""
        if not text or not text.strip():
            return None
        if self.is_exit(text):
            return QUICK_EXIT
        return self._urgent_in(self.normalise(text[:5000]))

    def _urgent_in(self, plain: str) -> str | None:
        """The urgent intent whose phrases a normalised text holds, or None."""
        for pattern in self._innocent:
            plain = pattern.sub(" ", plain)
        for name, patterns in self._lists:
            if any(p.search(plain) for p in patterns):
                if name != SELF_HARM and self._only_in_the_past(plain):
                    continue  # "he strangled me last year": the classifier decides (usually the abuse services)
                return name
        return None

    def is_exit(self, text: str) -> bool:
        """The whole message is one of the quick-exit words ("exit", "Leave!", " get me out ")."""
        return exit_word(text[:100]) in self.exit_words

    def classify_each_sentence(self, text: str) -> str | None:
        """The urgent intent for the whole message or any one of its sentences, or None.

        Context that spans sentences still counts: when the whole message says the danger is
        only in the past, or holds an idiom or reassurance from `not_urgent` ("I said no",
        "she's fine 10 mins later"), a sentence on its own does not overrule that. Quick exit is only
        ever the whole message ("stop" inside a longer message is not a request to leave).
        """
        kind = self.classify(text)
        if kind is not None or not text:
            return kind
        whole = self.normalise(text[:5000])
        if self._only_in_the_past(whole) or self.has_idiom(text):
            return None
        # A sentence that reads the same as the whole message (most messages are one
        # sentence) was just checked; a quick exit is never a sentence's answer.
        read = {whole}
        for sentence in split_sentences(text[:5000]):
            plain = self.normalise(sentence)  # split_sentences gives no empty pieces
            if plain in read:
                continue
            read.add(plain)
            kind = self._urgent_in(plain)
            if kind in URGENT_INTENTS:
                return kind
        return None

    def says_unsafe(self, text: str) -> bool:
        """The parent says they feel unsafe or can't cope (`unsafe_or_not_coping`): a near miss
        after this moves up a band (bot/safety.py)."""
        plain = self.normalise(text[:5000]) if text else ""
        return any(p.search(plain) for p in self._unsafe)

    def softened(self, text: str) -> bool:
        """The message frames its alarming words as weaker evidence (`softened`: a question for
        information, play or a joke, someone else's death, a child already seen by a doctor).
        Its alarm gets the safety check-in rather than the urgent reply (bot/safety.py)."""
        plain = self.normalise(text[:5000]) if text else ""
        return any(p.search(plain) for p in self._softened) or self._joking_only(plain)

    def _joking_only(self, plain: str) -> bool:
        """The parent jokes about harming someone themselves (`joking` and `joking_threat` both
        match), with no self-harm words, no sign the danger is here (`danger_now`) and nobody
        else said to be joking (`not_joking`)."""
        return (
            all(any(p.search(plain) for p in patterns) for patterns in self._joking)
            and not any(p.search(plain) for p in self._not_joking)
            and not any(p.search(plain) for p in self._now)
            and self._urgent_in(plain) != SELF_HARM
        )

    def has_idiom(self, text: str) -> bool:
        """An idiom or reassurance that only looks urgent ("the death of me", "but he's fine
        now"): what a word-based classifier most often mistakes for danger. The caller has
        already found no urgent phrase (classify), so this doesn't look again."""
        plain = self.normalise(text[:5000]) if text else ""
        return any(p.search(plain) for p in self._innocent)

    def _only_in_the_past(self, plain: str) -> bool:
        return any(p.search(plain) for p in self._past) and not any(
            p.search(plain) for p in self._now
        )


def exit_word(text: str) -> str:
    """How a message is compared with the quick-exit words: lower case, spaces and
    punctuation trimmed at both ends, runs of spaces made one. chat.js does the same."""
    return re.sub(r"\s+", " ", re.sub(r"^[\W_]+|[\W_]+$", "", text.lower()))


# The lists a language file's `urgent_phrases` adds to.
LANGUAGE_LISTS = (*URGENT_INTENTS, "not_urgent")


def with_languages(english: dict, translations) -> dict:
    """The English phrase data with each usable language's urgent phrases, `not_urgent`
    look-alikes and quick-exit words added (bot.translations.Translations)."""
    data = dict(english)
    for language in translations.enabled_languages():
        file = translations.file(language.code)
        phrases = file.get("urgent_phrases") or {}
        for name in LANGUAGE_LISTS:
            data[name] = [*(data.get(name) or []), *(phrases.get(name) or [])]
        data[QUICK_EXIT] = [*(data.get(QUICK_EXIT) or []), *(file.get("quick_exit") or [])]
    return data


@lru_cache(maxsize=1)
def urgent_phrases(path: Path = PHRASES_PATH) -> UrgentPhrases:
    """English's phrases and every usable language's, compiled once."""
    from bot.translations import translations

    english = read_yaml(path)
    return UrgentPhrases(with_languages(english, translations()))


def urgent_kind(text: str) -> str | None:
    return urgent_phrases().classify(text)


def exit_words() -> tuple[str, ...]:
    """The quick-exit words of every language a parent can use, for the server and the page."""
    return urgent_phrases().exit_words


def urgent_kind_in_sentences(text: str) -> str | None:
    """The urgent intent the phrase layer finds in the message or any one sentence of it."""
    return urgent_phrases().classify_each_sentence(text)


def says_unsafe(text: str) -> bool:
    return urgent_phrases().says_unsafe(text)


def has_idiom(text: str) -> bool:
    return urgent_phrases().has_idiom(text)


def softened(text: str) -> bool:
    return urgent_phrases().softened(text)
