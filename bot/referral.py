"""The tell-it-once note: what would help, and how to get in touch - never a history.

The note's choices travel in the buttons' payloads, not in slots, so nothing of the note is
stored on the server: each button carries the choices made so far, e.g.
`/referral_note{"note": "how=text;language=ur"}`. The private tracker store redacts these
payloads and the note itself before anything is saved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.replies import Reply
from bot.translations import ENGLISH, translations

WORDS_PATH = Path(__file__).resolve().parent / "words" / "referral.yml"
NOTE_INTENT = "referral_note"
NOTE_ENTITY = "note"


@lru_cache(maxsize=1)
def words() -> dict:
    return yaml.safe_load(WORDS_PATH.read_text(encoding="utf-8"))


def decode(state: str | None) -> dict[str, str]:
    pairs = (part.split("=", 1) for part in (state or "").split(";") if "=" in part)
    return {key: value for key, value in pairs}


def encode(state: dict[str, str]) -> str:
    return ";".join(f"{key}={value}" for key, value in state.items())


def payload(state: dict[str, str]) -> str:
    return f"/{NOTE_INTENT}{json.dumps({NOTE_ENTITY: encode(state)})}"


def is_note_payload(text: str) -> bool:
    return text.startswith(f"/{NOTE_INTENT}")


@dataclass(frozen=True)
class Context:
    """What the conversation already knows: need labels (in the parent's language, and in
    English for the note's English copy) and names of services shown."""

    needs: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    english_needs: tuple[str, ...] = ()


def words_in(lang: str | None) -> dict:
    """referral.yml in the parent's language, English wherever a line isn't translated."""
    return translations().section("referral", lang) if lang else words()


def next_messages(state: dict[str, str], context: Context, lang: str | None = None) -> list[Reply]:
    """The next question, or the note itself once every step is answered or skipped."""
    w = words_in(lang)
    if state.get("consent") != "yes":
        if state.get("consent") == "no":
            return [Reply(w["declined"])]
        return [
            Reply(
                w["consent"]["question"],
                (
                    (w["consent"]["accept"], payload({"consent": "yes"})),
                    (w["consent"]["decline"], payload({"consent": "no"})),
                ),
            )
        ]
    for step, spec in w["steps"].items():
        if step not in state:
            options = [
                (label[0].upper() + label[1:], payload({**state, step: key}))
                for key, label in spec["options"].items()
            ]
            return [
                Reply(spec["question"], (*options, (w["skip"], payload({**state, step: "skip"}))))
            ]
    return [Reply(w["shown"]), note(state, context, lang)]


def note_lines(
    state: dict[str, str], context: Context, lang: str | None = None
) -> list[tuple[str, str]]:
    """(line key, text) for every line the parent hasn't removed."""
    w = words_in(lang)
    dropped = set(state.get("drop", "").split(","))
    lines = []
    if context.needs:
        lines.append(("needs", w["needs_line"].format(needs="; ".join(context.needs))))
    if context.services:
        lines.append(("services", w["services_line"].format(services="; ".join(context.services))))
    for step, spec in w["steps"].items():
        choice = spec["options"].get(state.get(step, ""))
        if choice:
            lines.append((step, spec["line"].format(choice=choice)))
    return [(key, text) for key, text in lines if key not in dropped]


def note(state: dict[str, str], context: Context, lang: str | None = None) -> Reply:
    """The note in the parent's language, with buttons to remove each line. In another language
    the same note follows in English, for a mentor or service who reads only English."""
    w = words_in(lang)
    lines = note_lines(state, context, lang)
    text = _text(w, lines)
    if lang and lang != ENGLISH:
        english = Context(context.english_needs or context.needs, context.services)
        text += "\n\n" + _text(words(), note_lines(state, english))
    labels = {
        "needs": w["needs_label"],
        "services": w["services_label"],
        **{k: s["label"] for k, s in w["steps"].items()},
    }
    dropped = [d for d in state.get("drop", "").split(",") if d]
    buttons = [
        (
            w["remove"].format(label=labels[key]),
            payload({**state, "drop": ",".join([*dropped, key])}),
        )
        for key, _ in lines
    ]
    return Reply(text, (*buttons, (w["done"], "/thanks")))


def _text(w: dict, lines: list[tuple[str, str]]) -> str:
    return "\n".join([w["title"], *(text for _, text in lines), w["closing"]])
