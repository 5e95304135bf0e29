"""The chat page's words in each language the partnership has turned on.

English is `bot/words/page.yml`. Another language's words are the `page:` section of its
file, `bot/words/languages/<code>.yml` (docs/languages.md), and any key it lacks stays in
English. The page lists a language when `bot/words/languages.yml` has it enabled and its
file exists, so a partnership turns one on or off in data and a new one needs no code.

Two placeholders are filled here, from the same language's file: `{exit_word}` (the first
of its `quick_exit` words) and `{forget_words}` (what to type to delete the chat). English
takes them from `bot/words/urgent_help.yml` and its entry in `languages.yml`. `{number}` and
`{keyword}` stay: the page makes them into links.

`PAGE_LANGUAGES_DIR` names another folder of language files (the browser tests' fixtures
when the real files are not there).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

from bot.urgent import exit_word, exit_words

WORDS_DIR = Path(__file__).resolve().parents[1] / "words"
LANGUAGES_PATH = WORDS_DIR / "languages.yml"
PAGE_PATH = WORDS_DIR / "page.yml"
LANGUAGE_FILES = Path(os.environ.get("PAGE_LANGUAGES_DIR") or WORDS_DIR / "languages")
ENGLISH = "en"


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    native: str
    direction: str  # "ltr" or "rtl"


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


@lru_cache(maxsize=1)
def _listed() -> tuple[dict, ...]:
    return tuple(e for e in _load(LANGUAGES_PATH).get("languages") or [] if isinstance(e, dict))


@cache
def language_file(code: str) -> dict:
    """The language's file, `bot/words/languages/<code>.yml`, or {} when there is none."""
    path = LANGUAGE_FILES / f"{code}.yml"
    return _load(path) if code != ENGLISH and path.is_file() else {}


@lru_cache(maxsize=1)
def page_languages() -> tuple[Language, ...]:
    """The languages the page offers, in `languages.yml` order: English, then each enabled
    language that has its file."""
    out = []
    for entry in _listed():
        code = str(entry.get("code", ""))
        if not entry.get("enabled") or (code != ENGLISH and not language_file(code)):
            continue
        direction = "rtl" if entry.get("direction") == "rtl" else "ltr"
        out.append(Language(code, str(entry["name"]), str(entry["native"]), direction))
    if not any(lang.code == ENGLISH for lang in out):
        out.insert(0, Language(ENGLISH, "English", "English", "ltr"))
    return tuple(out)


def language(code: str | None) -> Language:
    """The page language for `code`; English when it is not one the page offers."""
    languages = page_languages()
    return next((lang for lang in languages if lang.code == code), languages[0])


def _english_entry() -> dict:
    return next((e for e in _listed() if e.get("code") == ENGLISH), {})


def _quick_exit(code: str) -> list[str]:
    if code == ENGLISH:
        return list(exit_words())
    words = language_file(code).get("quick_exit")
    return [w for w in words if isinstance(w, str) and w.strip()] if isinstance(words, list) else []


def page_exit_words() -> tuple[str, ...]:
    """Every page language's quick-exit words, each once: typed alone, any of them leaves."""
    seen: dict[str, None] = {}
    for lang in page_languages():
        for word in _quick_exit(lang.code):
            seen.setdefault(exit_word(word), None)
    return tuple(w for w in seen if w)


@cache
def page_words(code: str) -> dict[str, str]:
    """The page's words in `code` (English for any key its file lacks), placeholders filled."""
    lang = language(code)
    words = {k: str(v) for k, v in _load(PAGE_PATH).items()}
    own = language_file(lang.code).get("page")
    if isinstance(own, dict):
        words.update({k: v for k, v in own.items() if k in words and isinstance(v, str) and v})
    exits = _quick_exit(lang.code) or _quick_exit(ENGLISH)
    forget = language_file(lang.code).get("forget_words") or _english_entry().get("forget_words")
    fill = {"{exit_word}": exits[0] if exits else "", "{forget_words}": str(forget or "")}
    for key, text in words.items():
        for placeholder, value in fill.items():
            text = text.replace(placeholder, value)
        words[key] = text
    return words


def note_titles() -> list[str]:
    """The referral note's title in every page language (the page offers its copy tools)."""
    return sorted({page_words(lang.code)["note_title"] for lang in page_languages()})
