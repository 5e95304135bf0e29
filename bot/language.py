"""Check everything the assistant can say against conversation.md: `python -m bot.language`.

Reads every response in domain.yml, every template in bot/words/replies.yml, and every
message the actions build (a sample of each kind, plus each service in the directory). Each
language file in bot/words/languages/ is checked against English (bot/translation_check.py).
Each problem names the message and the rule it broke; the exit code is 1 if there are any.

Readability uses the Flesch-Kincaid grade level (FKGL), with phone numbers, times and web
addresses left out because they are read, not parsed. The limit is grade 6, a UK reading
age of about 11; a message of one or two short sentences is judged by sentence length alone,
because FKGL is noisy on very little text.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.replies import Reply

ROOT = Path(__file__).resolve().parent.parent
RULES_PATH = Path(__file__).resolve().parent / "words" / "language_rules.yml"
_NOT_WORDS = re.compile(r"https?://\S+|\b\d[\d :.-]*\d\b|\b\d\b|\(.*?\)")


@dataclass(frozen=True)
class Problem:
    where: str
    rule: str

    def __str__(self) -> str:
        return f"{self.where}: {self.rule}"


def syllables(word: str) -> int:
    word = word.lower().strip(".,!?;:'\"")
    if not word:
        return 0
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(count, 1)


def readability(text: str) -> tuple[float, int, int]:
    """(FKGL, sentences, longest sentence in words) for the words in text."""
    plain = _NOT_WORDS.sub(" ", text)
    sentences = [s for s in re.split(r"[.!?\n]+", plain) if re.search(r"[A-Za-z]", s)]
    words = [w for w in re.findall(r"[A-Za-z']+", plain)]
    if not sentences or not words:
        return 0.0, 0, 0
    longest = max(len(re.findall(r"[A-Za-z']+", s)) for s in sentences)
    grade = (
        0.39 * len(words) / len(sentences) + 11.8 * sum(map(syllables, words)) / len(words) - 15.59
    )
    return grade, len(sentences), longest


class LanguageCheck:
    def __init__(self, rules: dict):
        self.rules = rules
        self.banned = [(re.compile(b["pattern"], re.IGNORECASE), b["why"]) for b in rules["banned"]]
        self.skips = {t.lower() for t in rules["skip_titles"]}
        self.glossary = [
            (re.compile(g["instead_of"], re.IGNORECASE), g["say"], g.get("where", "text"))
            for g in rules.get("glossary") or []
        ]

    def check(
        self, where: str, reply: Reply, judge_reading: bool = True, whole: bool = True
    ) -> list[Problem]:
        """whole=False for a template that is only part of a message (its buttons are added in code)."""
        text, problems = reply.text, []
        for pattern, why in self.banned:
            found = pattern.search(text)
            if found:
                problems.append(Problem(where, f"banned wording '{found.group(0)}' ({why})"))
        for pattern, name, place in self.glossary:
            for said in [text] if place == "text" else [title for title, _ in reply.buttons]:
                found = pattern.search(said)
                if found:
                    problems.append(
                        Problem(where, f"'{found.group(0)}': the glossary says '{name}'")
                    )
        if len(text) > self.rules["max_characters"]:
            problems.append(
                Problem(
                    where,
                    f"{len(text)} characters, more than a phone screen ({self.rules['max_characters']})",
                )
            )
        if text.count("\n") + 1 > self.rules["max_lines"]:
            problems.append(
                Problem(
                    where, f"{text.count(chr(10)) + 1} lines, more than {self.rules['max_lines']}"
                )
            )
        if "?" in text and whole:
            if not reply.buttons:
                problems.append(Problem(where, "a question with no buttons"))
            elif not any(title.lower() in self.skips for title, _ in reply.buttons):
                problems.append(
                    Problem(where, "a question with no way to skip (e.g. a 'Skip' button)")
                )
        if judge_reading:
            grade, sentences, longest = readability(text)
            if longest > self.rules["max_words_per_sentence"]:
                problems.append(
                    Problem(
                        where,
                        f"a sentence of {longest} words (limit {self.rules['max_words_per_sentence']})",
                    )
                )
            if sentences >= 3 and grade > self.rules["max_grade"]:
                problems.append(
                    Problem(
                        where, f"reading grade {grade:.1f} (FKGL; limit {self.rules['max_grade']})"
                    )
                )
        return problems


def acknowledged_before_asking(rules: dict, root: Path = ROOT) -> list[Problem]:
    """Run the conversation for each sensitive need told without an area: an acknowledgement
    must come before the area question (conversation.md: acknowledge, then ask)."""
    from bot.conversation import ASK_AREA, Signposting, Turn
    from bot.directory import load_directory

    wanted = rules.get("acknowledge_before_asking") or {}
    opening = re.compile(wanted.get("acknowledgement", "^$"))
    signposting = Signposting(load_directory(root / "services_directory.yml"), postcodes={})
    problems = []
    for need in wanted.get("needs") or []:
        said = signposting.next(Turn(intent=f"need_{need}", need=need)).say
        before = said[: said.index(ASK_AREA)] if ASK_AREA in said else said
        if ASK_AREA not in said or not any(
            isinstance(m, Reply) and opening.search(m.text) for m in before
        ):
            problems.append(
                Problem(
                    f"conversation: need '{need}' told without an area",
                    f"the area question comes without an acknowledgement first ({opening.pattern})",
                )
            )
    return problems


def everything_said(root: Path = ROOT) -> list[tuple[str, Reply, bool, bool]]:
    """(where, message, judge reading?, whole message?) for all the assistant can say."""
    from bot.conversation import Signposting
    from bot.directory import load_directory
    from bot.replies import (
        next_steps,
        not_understood,
        service_message,
        talk_to_person,
        which_area,
        words,
    )

    said: list[tuple[str, Reply, bool, bool]] = []
    domain = yaml.safe_load((root / "domain.yml").read_text(encoding="utf-8"))
    for name, variants in domain.get("responses", {}).items():
        for position, variant in enumerate(variants):
            if variant.get("condition"):
                continue  # another language's variation: bot.translation_check checks it
            buttons = tuple((b["title"], b["payload"]) for b in variant.get("buttons", []))
            said.append(
                (
                    f"domain.yml {name}[{position}]",
                    Reply(variant.get("text", ""), buttons),
                    True,
                    True,
                )
            )
    for key, template in words().items():
        said.append((f"bot/words/replies.yml {key}", Reply(template), True, False))
    directory = load_directory(root / "services_directory.yml")
    area = next(iter(directory.areas.values()))
    said.append(("action reply: which area", which_area([area], postcode=True), True, True))
    said.append(
        ("action reply: which of these", which_area(list(directory.areas.values())[:2]), True, True)
    )
    said.append(
        (
            "action reply: which place",
            which_area(list(directory.areas.values())[:2], "Clifton"),
            True,
            True,
        )
    )
    said.append(("action reply: next steps", next_steps(True, ("food", "Food")), True, True))
    likely = [(n.id, n.short_label) for n in list(directory.needs.values())[:3]]
    said.append(("action reply: not understood", not_understood(likely), True, True))
    for area in directory.areas.values():
        reply = talk_to_person(area)
        if reply:
            said.append((f"action reply: talk to a person ({area.id})", reply, False, True))
    for service in directory.services.values():
        if service.shown_to_parents:
            said.append(
                (
                    f"services_directory.yml service '{service.id}' (as shown in chat)",
                    service_message(service),
                    False,
                    True,
                )
            )
            said.append(
                (
                    f"services_directory.yml service '{service.id}' description",
                    Reply(service.description),
                    True,
                    True,
                )
            )
    said.extend(_referral_messages(directory))
    from bot.replies import sensitive_needs

    for need, words_for_need in sensitive_needs().items():
        said.append(
            (
                f"bot/words/sensitive_needs.yml {need}",
                Reply(words_for_need["acknowledge"]),
                True,
                False,
            )
        )
    Signposting(directory)  # the places index must build from the same data
    return said


def _referral_messages(directory) -> list[tuple[str, Reply, bool, bool]]:
    """Every question of the referral note, and a note with every line filled in."""
    from bot.referral import Context, next_messages, words

    steps = list(words()["steps"])
    context = Context(
        needs=tuple(n.short_label for n in directory.needs.values())[:3],
        services=tuple(s.name for s in directory.services.values())[:3],
    )
    states = [{}, {"consent": "no"}]
    for position in range(len(steps) + 1):
        states.append(
            {
                "consent": "yes",
                **{
                    step: next(iter(words()["steps"][step]["options"])) for step in steps[:position]
                },
            }
        )
    return [
        (f"bot/words/referral.yml (state {state})", reply, True, True)
        for state in states
        for reply in next_messages(state, context)
    ]


def main() -> int:
    rules = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    checker = LanguageCheck(rules)
    said = everything_said()
    problems = [
        p for where, reply, judge, whole in said for p in checker.check(where, reply, judge, whole)
    ]
    problems += acknowledged_before_asking(rules)
    from bot.translation_check import check_files
    from bot.translations import translations

    in_languages, summary = check_files(ROOT, translations(), rules)
    for problem in [*map(str, problems), *in_languages]:
        print(problem)
    for line in summary:
        print(f"  {line}", file=sys.stderr)
    print(
        f"language check: {len(said)} messages, {len(problems) + len(in_languages)} problem(s)",
        file=sys.stderr,
    )
    return 1 if problems or in_languages else 0


if __name__ == "__main__":
    sys.exit(main())
