"""Language files for tests: a complete one made from English (every text marked, not
translated) in a folder with the fixture language list. Never a real translation."""

from __future__ import annotations

import copy
import functools
import shutil
from pathlib import Path

import yaml

from bot.translation_check import english_source
from bot.translations import Translations

FIXTURES = Path(__file__).parent / "fixtures" / "languages"
ROOT = Path(__file__).resolve().parents[2]


def marked(value, code: str):
    """English with a marker on every text: keys, placeholders and numbers stay the same."""
    if isinstance(value, dict):
        return {k: marked(v, code) for k, v in value.items()}
    if isinstance(value, str):
        return f"{code.upper()}: {value}"
    return value


@functools.cache
def _english() -> dict:
    return english_source(ROOT, Translations())


def english() -> dict:
    """What every language file is checked against (bot.translation_check.english_source), read
    once per test run: a fresh copy each call, so a test may change it."""
    return copy.deepcopy(_english())


def complete_file(code: str = "pl", state: str = "draft") -> dict:
    """Every key English has, each text marked with the code, buttons as titles: a fresh copy
    each call, so a test may change it."""
    return copy.deepcopy(_complete_file(code, state))


@functools.cache
def _complete_file(code: str, state: str) -> dict:
    english = _english()
    responses = {}
    for name, variant in english["responses"].items():
        said = {"text": marked(variant["text"], code)}
        if variant.get("buttons") and name != "utter_greet":
            said["buttons"] = [marked(b["title"], code)[:40] for b in variant["buttons"]]
        responses[name] = said
    review = (
        {"state": "reviewed", "by": "A. Tester (test fixture)", "on": "2026-12-01", "note": "x"}
        if state == "reviewed"
        else {"state": "draft", "by": None, "on": None, "note": "Test fixture."}
    )
    return {
        "language": code,
        "review": review,
        "draft_notice": f"{code.upper()}: This translation is new. In an emergency, call 999.",
        "choose": f"{code.upper()} choose",
        "responses": responses,
        "needs": marked(english["needs"], code),
        "replies": marked(english["replies"], code),
        "sensitive_needs": {
            need: {"acknowledge": marked(w["acknowledge"], code)}
            for need, w in english["sensitive_needs"].items()
        },
        "referral": marked(english["referral"], code),
        "page": marked(english["page"], code),
        "speaks": f"{code.upper()}: They speak {{language}}.",
        "interpreters": f"{code.upper()}: They can book an interpreter.",
        "quick_exit": [f"{code}-exit", f"{code} leave now"],
        "forget_words": f"{code} forget me",
        "urgent_phrases": {
            "urgent_danger": [rf"\b{code} danger phrase\b"],
            "urgent_medical": [],
            "urgent_self_harm": [],
            "not_urgent": [rf"\b{code} danger phrase in a film\b"],
        },
    }


def folder_with(tmp_path: Path, files: dict[str, dict]) -> Path:
    """A folder holding the fixture languages.yml and ur.yml plus the given files."""
    folder = tmp_path / "languages"
    shutil.copytree(FIXTURES, folder)
    for code, data in files.items():
        (folder / f"{code}.yml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return folder


def translations_in(folder: Path) -> Translations:
    return Translations(folder / "languages.yml", folder)
