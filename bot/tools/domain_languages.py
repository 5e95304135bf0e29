"""Write every domain response in every language into domain.yml, and check it is up to date.

Urgent help, quick exit and the main questions must reach a parent in their language even
when the action server is down, so they stay domain responses: for each language a parent can
use (bot.translations), each response gets a conditional variation on the `language` slot,
made from the language file (docs/languages.md). English stays the unconditioned default, so a
missing translation, or no `language` slot, says it in English. Button payloads and `custom`
come from English; only the words come from the file.

The generated lines sit between `# >>> languages` and `# <<< languages` marker lines: one
section at the end of each response, and one in the greeting for the language buttons (each
titled with that language's `choose`). Markers that are missing are added.

    python -m bot languages            write them
    python -m bot languages --check    exit 1 if domain.yml is out of date
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

from bot.tools.marked_sections import MarkedSections
from bot.tools.needs import DOMAIN, _load_yaml
from bot.translations import ENGLISH, Translations, translations

COMMAND = "python -m bot languages"
BEGIN = f"# >>> languages: generated from bot/words/languages/ by `{COMMAND}`; do not edit"
END = "# <<< languages"
MARKED = MarkedSections(BEGIN, END)
SLOT = "language"
CHOOSE_INTENT = "choose_language"
GREETING = "utter_greet"
GREETING_BUTTONS = f"{GREETING} buttons"
# Says which language the conversation is now in (the page reads `custom`); in a draft
# language it also carries the draft notice.
LANGUAGE_CHOSEN = "utter_language_chosen"

_RESPONSE = re.compile(r"^  (utter_\w+):\s*$")


def _flow(value: dict) -> str:
    """One line of YAML (JSON is YAML): every text on one line, newlines as \\n."""
    return json.dumps(value, ensure_ascii=False)


def choose_payload(code: str) -> str:
    """The payload of a language button, as written in domain.yml (Rasa turns {{ into {)."""
    return '/choose_language{{"language": "' + code + '"}}'


def _condition(code: str) -> list[dict]:
    return [{"type": "slot", "name": SLOT, "value": code}]


def variations(
    name: str, english: dict, t: Translations, problems: list[str] | None = None
) -> list[dict]:
    """The conditional variations of one response, one per language that translates it.

    A translation whose buttons don't match English in number is left out (English answers
    instead) and named in `problems`."""
    out = []
    for language in t.enabled_languages():
        code = language.code
        if code == ENGLISH:
            continue
        file = t.file(code)
        if name == LANGUAGE_CHOSEN:
            variant: dict = {"condition": _condition(code)}
            if t.is_draft(code) and file.get("draft_notice"):
                variant["text"] = str(file["draft_notice"])
            variant["custom"] = {
                **(english.get("custom") or {}),
                "language": code,
                "direction": language.direction,
            }
            out.append(variant)
            continue
        translated = (file.get("responses") or {}).get(name) or {}
        text = translated.get("text")
        if not text or not english.get("text"):
            continue
        if name == GREETING and t.is_draft(code) and file.get("draft_notice"):
            text = f"{file['draft_notice']}\n{text}"  # the first reply, when the greeting is
        variant = {"condition": _condition(code), "text": str(text)}
        buttons = english.get("buttons") or []
        if name == GREETING:
            buttons = []  # the greeting's buttons are the language buttons, added below
        titles = list(translated.get("buttons") or [])
        if buttons:
            if len(titles) != len(buttons):
                if problems is not None:
                    problems.append(
                        f"{code}.yml responses.{name}: {len(titles)} button titles, English has "
                        f"{len(buttons)}; English answers until they match"
                    )
                continue
            variant["buttons"] = [
                {"title": str(title), "payload": button["payload"]}
                for title, button in zip(titles, buttons, strict=True)
            ]
        if name == GREETING:
            choices = language_buttons(t, but=code)
            if choices:
                variant["buttons"] = choices
        if english.get("custom"):
            variant["custom"] = english["custom"]
        out.append(variant)
    return out


def language_buttons(t: Translations, but: str) -> list[dict]:
    """A button for each language a parent can use except `but`, titled in that language."""
    buttons = []
    for language in t.enabled_languages():
        if language.code == but:
            continue
        title = language.native if language.code == ENGLISH else t.line("choose", language.code)
        buttons.append(
            {"title": title or language.native, "payload": choose_payload(language.code)}
        )
    return buttons


def with_markers(text: str) -> str:
    """domain.yml's text with an (empty) generated section at the end of each response that
    has none yet."""
    lines = text.splitlines(keepends=True)
    has = MARKED.names(text)
    out: list[str] = []
    in_responses = False
    current: str | None = None
    last_content = -1

    def close() -> None:
        if current and current not in has and last_content >= 0:
            out.insert(last_content + 1, MARKED.block("    ", current))

    for line in lines:
        if re.match(r"^\S", line):
            if in_responses:
                close()
                current = None
            in_responses = line.startswith("responses:")
        elif in_responses:
            found = _RESPONSE.match(line)
            if found or re.match(r"^  \S", line):
                close()
                current = found.group(1) if found else None
                last_content = -1
        out.append(line)
        if in_responses and current and re.match(r"^    \S|^      ", line):
            last_content = len(out) - 1
    if in_responses:
        close()
    return "".join(out)


def domain_text(text: str, t: Translations, problems: list[str] | None = None) -> str:
    """domain.yml's text with every language section written from the language files."""
    text = with_markers(text)
    # The English responses, read with the generated variations left out.
    responses = (_load_yaml(MARKED.emptied(text)) or {}).get("responses") or {}

    def lines(_indent: str, name: str) -> list[str]:
        if name == GREETING_BUTTONS:
            buttons = language_buttons(t, but=ENGLISH)
            return ["buttons:", *(f"  - {_flow(b)}" for b in buttons)] if buttons else []
        english: dict = next((v for v in responses.get(name) or [] if not v.get("condition")), {})
        return [f"- {_flow(v)}" for v in variations(name, english, t, problems)]

    return MARKED.replace(text, lines)


def main(argv: list[str] | None = None, domain: Path = DOMAIN) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    problems: list[str] = []
    before = domain.read_text(encoding="utf-8")
    after = domain_text(before, translations(), problems)
    for problem in problems:
        print(problem, file=sys.stderr)
    yaml.safe_load(after)  # never write a domain that isn't YAML
    if check:
        if after != before:
            print(
                f"{domain.name} is out of date with the language files: run `{COMMAND}`",
                file=sys.stderr,
            )
            return 1
        print(f"{domain.name}: every response is up to date in {_named(translations())}")
        return 0
    if after != before:
        domain.write_text(after, encoding="utf-8")
        print(f"Wrote {domain}: responses in {_named(translations())}")
    else:
        print(f"{domain.name} was already up to date ({_named(translations())})")
    return 0


def _named(t: Translations) -> str:
    return ", ".join(language.name for language in t.enabled_languages())


if __name__ == "__main__":
    sys.exit(main())
