"""Check each language file against English (docs/languages.md), for `python -m bot.language`.

Every key English has is there and nothing else; `{placeholders}` are the same; every phone
number and short code is the same and in the same order; buttons are as many as English's,
each at most 40 characters; each message fits a phone screen as English must; the review
state is draft, or reviewed by someone on a date; the urgent phrases are regular expressions.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.translations import DRAFT, ENGLISH, REVIEWED, Translations

MAX_BUTTON = 40
# The numbers and short codes a parent may dial or text (helplines.md), longest first so
# "116 123" is one number, plus any other UK phone number.
_NUMBERS = re.compile(
    r"(?<![\d\w])(?:0\d{2,4}(?: ?\d){6,8}|116 123|85258|999|111|55|SHOUT|PANDAS)(?![\d\w])"
)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
TOP_LEVEL = (
    "language",
    "review",
    "draft_notice",
    "choose",
    "responses",
    "needs",
    "replies",
    "sensitive_needs",
    "referral",
    "page",
    "speaks",
    "interpreters",
    "quick_exit",
    "forget_words",
    "urgent_phrases",
)
URGENT_LISTS = ("urgent_danger", "urgent_medical", "urgent_self_harm", "not_urgent")
# Lines each file writes itself, checked against these English models.
OWN_LINES = {
    "draft_notice": "This translation is new and may have mistakes. In an emergency, call 999.",
    "speaks": "They speak {language}.",
    "interpreters": "They can book an interpreter.",
}


def numbers(text: str) -> list[str]:
    """The phone numbers and short codes in a text, in order."""
    return _NUMBERS.findall(text)


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def english_responses(domain: dict) -> dict[str, dict]:
    """Each domain response's English variation (the one with no condition) that has text."""
    out = {}
    for name, variants in (domain.get("responses") or {}).items():
        english = next((v for v in variants if not v.get("condition")), None)
        if english and english.get("text"):
            out[name] = english
    return out


class FileCheck:
    """The problems of one language file, each a line naming the file, the key and the rule."""

    def __init__(self, code: str, data: Any, english: dict[str, Any], rules: dict):
        self.code, self.data, self.english, self.rules = code, data, english, rules
        self.problems: list[str] = []

    def problem(self, where: str, rule: str) -> None:
        self.problems.append(f"bot/words/languages/{self.code}.yml {where}: {rule}")

    def run(self) -> list[str]:
        data = self.data
        if not isinstance(data, dict):
            self.problem("(file)", "not a mapping of keys")
            return self.problems
        self.keys("", set(TOP_LEVEL), set(data))
        if data.get("language") != self.code:
            self.problem("language", f"should be {self.code!r}, the file's name")
        self.review(data.get("review"))
        for key, model in OWN_LINES.items():
            self.text(key, model, data.get(key), needs_placeholders=key == "speaks")
        self.text("choose", "English", data.get("choose"))
        if data.get("choose") and len(str(data["choose"])) > MAX_BUTTON:
            self.problem("choose", f"a button title longer than {MAX_BUTTON} characters")
        self.text("forget_words", "forget me", data.get("forget_words"))
        self.responses(data.get("responses"))
        self.needs(data.get("needs"))
        for section in ("replies", "referral", "page"):
            self.nested(section, self.english[section], data.get(section))
        acknowledgements = {
            need: {"acknowledge": words["acknowledge"]}
            for need, words in self.english["sensitive_needs"].items()
        }
        self.nested("sensitive_needs", acknowledgements, data.get("sensitive_needs"))
        self.draft_greeting(data)
        self.quick_exit(data.get("quick_exit"))
        self.urgent(data.get("urgent_phrases"))
        return self.problems

    def keys(self, where: str, wanted: set[str], found: set[str]) -> None:
        prefix = f"{where}." if where else ""
        for key in sorted(wanted - found, key=str):
            self.problem(f"{prefix}{key}", "missing (English has it)")
        for key in sorted(found - wanted, key=str):
            self.problem(f"{prefix}{key}", "not in English (nothing extra)")

    def review(self, review: Any) -> None:
        if not isinstance(review, dict) or review.get("state") not in (DRAFT, REVIEWED):
            self.problem("review.state", f"'{DRAFT}' or '{REVIEWED}'")
            return
        if review["state"] == REVIEWED and not (review.get("by") and review.get("on")):
            self.problem("review", "a reviewed file says who reviewed it (by) and when (on)")

    def text(self, where: str, english: str, said: Any, needs_placeholders: bool = True) -> None:
        """One translated text against its English."""
        if not isinstance(said, str) or not said.strip():
            self.problem(where, "missing or empty")
            return
        if needs_placeholders and placeholders(said) != placeholders(english):
            self.problem(
                where,
                f"placeholders {sorted(placeholders(said))}, English has {sorted(placeholders(english))}",
            )
        if numbers(said) != numbers(english):
            self.problem(
                where, f"numbers {numbers(said)}, English has {numbers(english)} (same, same order)"
            )
        limit = self.rules["max_characters_translated"]
        if len(said) > limit:
            self.problem(where, f"{len(said)} characters, more than a phone screen ({limit})")
        if said.count("\n") + 1 > self.rules["max_lines"]:
            self.problem(
                where, f"{said.count(chr(10)) + 1} lines, more than {self.rules['max_lines']}"
            )

    def responses(self, responses: Any) -> None:
        english = self.english["responses"]
        if not isinstance(responses, dict):
            self.problem("responses", "a mapping of response names")
            return
        self.keys("responses", set(english), set(responses))
        for name, model in english.items():
            said = responses.get(name)
            if not isinstance(said, dict):
                continue
            where = f"responses.{name}"
            self.keys(
                where, {"text", "buttons"} if self._buttons(name, model) else {"text"}, set(said)
            )
            self.text(f"{where}.text", model["text"], said.get("text"))
            wanted = self._buttons(name, model)
            titles = said.get("buttons") or []
            if len(titles) != len(wanted):
                self.problem(
                    f"{where}.buttons", f"{len(titles)} buttons, English has {len(wanted)}"
                )
            for position, title in enumerate(titles):
                if not isinstance(title, str) or not title.strip():
                    self.problem(f"{where}.buttons[{position}]", "an empty title")
                elif len(title) > MAX_BUTTON:
                    self.problem(
                        f"{where}.buttons[{position}]",
                        f"{len(title)} characters, more than {MAX_BUTTON}",
                    )

    @staticmethod
    def _buttons(name: str, model: dict) -> list:
        # The greeting's buttons are the language buttons, titled by each file's `choose`.
        return [] if name == "utter_greet" else list(model.get("buttons") or [])

    def needs(self, needs: Any) -> None:
        english = self.english["needs"]
        if not isinstance(needs, dict):
            self.problem("needs", "a mapping of need ids")
            return
        self.keys("needs", set(english), set(needs))
        for need, labels in english.items():
            said = needs.get(need)
            if not isinstance(said, dict):
                continue
            self.keys(f"needs.{need}", {"short_label", "label"}, set(said))
            for field in ("short_label", "label"):
                self.text(f"needs.{need}.{field}", labels[field], said.get(field))
            if isinstance(said.get("short_label"), str) and len(said["short_label"]) > MAX_BUTTON:
                self.problem(
                    f"needs.{need}.short_label", f"a button title longer than {MAX_BUTTON}"
                )

    def nested(self, where: str, english: Any, said: Any) -> None:
        """Same keys all the way down; each text checked against its English."""
        if isinstance(english, dict):
            if not isinstance(said, dict):
                self.problem(where, "missing, or not a mapping like English")
                return
            wanted = {
                k for k in english if not (where == "sensitive_needs" and k == "first_page_lines")
            }
            self.keys(where, wanted, set(said))
            for key in wanted & set(said):
                self.nested(f"{where}.{key}", english[key], said[key])
        elif isinstance(english, str):
            self.text(where, english, said)

    def draft_greeting(self, data: dict) -> None:
        """A draft language's greeting starts with its notice: the two must fit together."""
        review: dict = data["review"] if isinstance(data.get("review"), dict) else {}
        responses: dict = data["responses"] if isinstance(data.get("responses"), dict) else {}
        greeting = (responses.get("utter_greet") or {}).get("text")
        notice = data.get("draft_notice")
        if review.get("state") == REVIEWED or not isinstance(greeting, str) or not notice:
            return
        both = f"{notice}\n{greeting}"
        limit = self.rules["max_characters_translated"]
        if len(both) > limit:
            self.problem(
                "responses.utter_greet.text",
                f"{len(both)} characters with the draft notice before it, more than a phone "
                f"screen ({limit})",
            )

    def quick_exit(self, words: Any) -> None:
        if (
            not isinstance(words, list)
            or not words
            or not all(isinstance(w, str) and w.strip() for w in words)
        ):
            self.problem("quick_exit", "a list of words that end the chat at once")

    def urgent(self, phrases: Any) -> None:
        if not isinstance(phrases, dict):
            self.problem("urgent_phrases", "a mapping with " + ", ".join(URGENT_LISTS))
            return
        self.keys("urgent_phrases", set(URGENT_LISTS), set(phrases))
        for name in URGENT_LISTS:
            for position, pattern in enumerate(phrases.get(name) or []):
                try:
                    re.compile(str(pattern))
                except re.error as error:
                    self.problem(
                        f"urgent_phrases.{name}[{position}]", f"not a regular expression ({error})"
                    )


def english_source(root: Path, t: Translations) -> dict[str, Any]:
    """What every language file is checked against: domain responses, need labels, word files."""
    from bot.directory import load_directory

    domain = yaml.safe_load((root / "domain.yml").read_text(encoding="utf-8"))
    directory = load_directory(root / "services_directory.yml")
    return {
        "responses": english_responses(domain),
        "needs": {
            n.id: {"short_label": n.short_label, "label": n.label} for n in directory.needs.values()
        },
        **{
            section: t.english(section)
            for section in ("replies", "sensitive_needs", "referral", "page")
        },
    }


def check_files(root: Path, t: Translations, rules: dict) -> tuple[list[str], list[str]]:
    """(problems, one summary line per language) for every language file there is."""
    english = english_source(root, t)
    problems, summary = [], []
    for code, language in t.languages.items():
        if code == ENGLISH:
            continue
        path = t.file_path(code)
        if not path.is_file():
            state = "turned on, no file yet (not offered)" if language.enabled else "off, no file"
            summary.append(f"{code} {language.name}: {state}")
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found = FileCheck(code, data, english, rules).run()
        problems += found
        review = (data or {}).get("review") or {}
        state = (
            f"reviewed by {review.get('by')} on {review.get('on')}"
            if review.get("state") == REVIEWED
            else "DRAFT (parents see its notice)"
        )
        summary.append(
            f"{code} {language.name}: {'on' if language.enabled else 'off'}, {state}, "
            f"{len(found)} problem(s)"
        )
    return problems, summary
