"""The assistant's words in the parent's language, with English wherever a translation is missing.

English is the source: domain.yml's responses and the files in bot/words/. Each other language
is one file, bot/words/languages/<code>.yml, with the same keys (docs/languages.md), and
bot/words/languages.yml says which languages a partnership has turned on. A language is offered
only when it is turned on and its file is there. Lookups take the language code from the
`language` slot; None, "en" or a language that isn't offered means English.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.yaml_files import read_yaml

WORDS = Path(__file__).resolve().parent / "words"
LANGUAGES_PATH = WORDS / "languages.yml"
FILES_DIR = WORDS / "languages"
ENGLISH = "en"
# The sections of a language file that translate one of the English files in bot/words/.
ENGLISH_FILES = {
    "replies": "replies.yml",
    "sensitive_needs": "sensitive_needs.yml",
    "referral": "referral.yml",
    "page": "page.yml",
}
DRAFT, REVIEWED = "draft", "reviewed"


@dataclass(frozen=True)
class Language:
    """One line of languages.yml."""

    code: str
    name: str  # in English, e.g. "Polish"
    native: str  # in the language itself, e.g. "Polski"
    direction: str  # "ltr" or "rtl"
    enabled: bool


def _read(path: Path) -> Any:
    return read_yaml(path)


class Translations:
    """The languages list and every language file in one folder (tests point at a copy)."""

    def __init__(self, languages_path: Path = LANGUAGES_PATH, files_dir: Path = FILES_DIR):
        self.languages_path = Path(languages_path)
        self.files_dir = Path(files_dir)
        listed = (_read(self.languages_path) or {}).get("languages") or []
        self.languages = {
            str(item["code"]): Language(
                code=str(item["code"]),
                name=str(item["name"]),
                native=str(item["native"]),
                direction=str(item.get("direction") or "ltr"),
                enabled=bool(item.get("enabled")),
            )
            for item in listed
        }
        self._files: dict[str, dict] = {}
        for code in self.languages:
            path = self.file_path(code)
            if code != ENGLISH and path.is_file():
                self._files[code] = _read(path) or {}
        self._english = {section: _read(WORDS / name) for section, name in ENGLISH_FILES.items()}

    def file_path(self, code: str) -> Path:
        return self.files_dir / f"{code}.yml"

    def enabled_languages(self) -> list[Language]:
        """The languages a parent can use: turned on in languages.yml and, other than
        English, with a language file. English comes first."""
        return [
            language
            for language in self.languages.values()
            if language.enabled and (language.code == ENGLISH or language.code in self._files)
        ]

    def enabled_codes(self) -> list[str]:
        return [language.code for language in self.enabled_languages()]

    def turned_on_without_file(self) -> list[str]:
        """Languages turned on in languages.yml whose file isn't there yet (not offered)."""
        return [
            code
            for code, language in self.languages.items()
            if language.enabled and code != ENGLISH and code not in self._files
        ]

    def offered(self, lang: str | None) -> str | None:
        """`lang` when a parent can use it and it isn't English, else None (English)."""
        if not lang or lang == ENGLISH:
            return None
        language = self.languages.get(lang)
        return lang if language and language.enabled and lang in self._files else None

    def file(self, lang: str) -> dict:
        """The whole language file (empty for English or a language with no file)."""
        return self._files.get(lang, {})

    def english(self, section: str) -> Any:
        """The English source of a section: replies, sensitive_needs, referral or page."""
        return self._english[section]

    def section(self, section: str, lang: str | None) -> Any:
        """A section (replies, sensitive_needs, referral or page) in `lang`, each missing key
        filled from English, nested keys too."""
        english = self._english[section]
        code = self.offered(lang)
        if code is None:
            return english
        return _fill(english, self._files[code].get(section))

    def text(self, section: str, key: str, lang: str | None) -> str:
        """One text of a section, e.g. text("replies", "skip", "pl"); dots reach into nested
        keys ("steps.how.question"). English when the translation is missing or empty."""
        value: Any = self.section(section, lang)
        for part in key.split("."):
            value = value[part]
        return str(value)

    def need_label(self, need: str, field: str, lang: str | None, english: str) -> str:
        """A need's `short_label` or `label` in `lang`; `english` (the directory's) otherwise."""
        code = self.offered(lang)
        if code is None:
            return english
        translated = ((self._files[code].get("needs") or {}).get(need) or {}).get(field)
        return str(translated) if translated else english

    def line(self, key: str, lang: str | None, **values: str) -> str | None:
        """A top-level line of the language file (speaks, interpreters, draft_notice,
        choose, forget_words), filled in; None for English or when the file has none."""
        code = self.offered(lang)
        if code is None:
            return None
        value = self._files[code].get(key)
        return str(value).format(**values) if value else None

    def is_draft(self, lang: str | None) -> bool:
        """True when the language's translation has not been reviewed by a fluent speaker."""
        code = self.offered(lang) or (lang if lang in self._files else None)
        if code is None:
            return False
        return ((self._files[code].get("review") or {}).get("state") or DRAFT) != REVIEWED

    def draft_languages(self) -> list[str]:
        """Turned-on languages whose translation is still a draft."""
        return [lang.code for lang in self.enabled_languages() if self.is_draft(lang.code)]

    def list_of(self, key: str, lang: str) -> list:
        """A list in one language file (quick_exit), empty when there is none."""
        return list(self.file(lang).get(key) or [])


def _fill(english: Any, translated: Any) -> Any:
    """`translated` where it has a non-empty value of the same kind, English elsewhere."""
    if isinstance(english, dict):
        translated = translated if isinstance(translated, dict) else {}
        return {key: _fill(value, translated.get(key)) for key, value in english.items()}
    if translated is None or translated == "" or isinstance(translated, (dict, list)):
        return english
    return translated


@lru_cache(maxsize=1)
def translations() -> Translations:
    """The project's languages. LANGUAGE_FILES points at another folder of language files
    (tests use one); a languages.yml in that folder replaces the project's list."""
    folder = os.environ.get("LANGUAGE_FILES")
    if not folder:
        return Translations()
    listed = Path(folder) / "languages.yml"
    return Translations(listed if listed.is_file() else LANGUAGES_PATH, Path(folder))


def enabled_languages() -> list[Language]:
    """The languages a parent can use, English first."""
    return translations().enabled_languages()


def text(section: str, key: str, lang: str | None) -> str:
    """One text in the parent's language, English when it is missing (Translations.text)."""
    return translations().text(section, key, lang)


def is_draft(lang: str | None) -> bool:
    """True when `lang`'s translation is still a draft (its parent sees a one-line notice)."""
    return translations().is_draft(lang)
