"""Turn services and choices into short chat messages a parent can read on a phone."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.directory import Area, Service
from bot.search import language_match, today_hours
from bot.translations import translations
from bot.yaml_files import read_yaml

WORDS_PATH = Path(__file__).resolve().parent / "words" / "replies.yml"
SENSITIVE_PATH = Path(__file__).resolve().parent / "words" / "sensitive_needs.yml"


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[tuple[str, str], ...] = field(default=())  # (title, payload)

    def as_message(self) -> dict:
        message: dict = {"text": self.text}
        if self.buttons:
            message["buttons"] = [{"title": t, "payload": p} for t, p in self.buttons]
        return message


@lru_cache(maxsize=1)
def words() -> dict[str, str]:
    return read_yaml(WORDS_PATH)


@lru_cache(maxsize=1)
def sensitive_needs() -> dict[str, dict]:
    """Needs acknowledged before the area question, with the lines for their first page."""
    return read_yaml(SENSITIVE_PATH)


def acknowledgement(need: str | None, lang: str | None = None) -> Reply | None:
    """'Thank you for telling me. You deserve to feel safe.' for a sensitive need, else None."""
    if (need or "") not in sensitive_needs():
        return None
    return Reply(translations().text("sensitive_needs", f"{need}.acknowledge", lang))


def say(key: str, lang: str | None = None, **values: str) -> str:
    """One line of replies.yml in the parent's language (English when it has no translation)."""
    return translations().text("replies", key, lang).format(**values)


def intent_payload(intent: str, **entities: str) -> str:
    return f"/{intent}{json.dumps(entities)}" if entities else f"/{intent}"


def service_message(
    service: Service, now: dt.datetime | None = None, lang: str | None = None
) -> Reply:
    """Name exactly as in the directory, what they do, how to reach them, when they're open.

    In another language the name and description stay as the directory has them (unless it
    has a description in that language), and a line says when they speak the parent's
    language or can book an interpreter."""
    lines = [service.name + (f" {say('service_sample', lang)}" if service.is_sample else "")]
    description = dict(service.descriptions).get(lang or "", service.description)
    lines.append(say("service_text", lang, description=description))
    lines.append(language_line(service, lang) or "")
    for phone in service.phones[:2]:
        lines.append(
            phone.description
            if phone.type == "text" and phone.description
            else say("service_call", lang, number=phone.number)
        )
    if not service.phones and service.url:
        lines.append(say("service_web", lang, url=service.url))
    elif not service.phones and service.email:
        lines.append(say("service_email", lang, email=service.email))
    lines.append(today_hours(service, now))
    lines.append(
        say("service_self_referral", lang)
        if service.self_referral
        else say("service_referral", lang)
    )
    return Reply("\n".join(line for line in lines if line))


def language_line(service: Service, lang: str | None) -> str | None:
    """'They speak Urdu.' or 'They can book an interpreter.' in the parent's language; None
    in English, or when the service does neither."""
    t = translations()
    if t.offered(lang) is None:
        return None
    match = language_match(service, lang or "")
    if match == "spoken":
        return t.line("speaks", lang, language=t.languages[lang or ""].native)
    if match == "interpreter":
        return t.line("interpreters", lang)
    return None


def which_area(
    areas: list[Area], place: str | None = None, postcode: bool = False, lang: str | None = None
) -> Reply:
    """Ask which area, with a button for each it could be: never a guess.

    `postcode`: a postcode district shared with another council; `place`: a name that could
    be more than one place ("Clifton"); neither: places in different areas were named.
    """
    if postcode:
        text = say("which_area", lang, area=areas[0].name)
        buttons = [
            (
                say("which_area_yes", lang, area=areas[0].name),
                intent_payload("inform_area", area=areas[0].id),
            )
        ]
    else:
        text = say("which_place", lang, place=place) if place else say("which_of_these", lang)
        buttons = [(area.name, intent_payload("inform_area", area=area.id)) for area in areas]
    buttons += [
        (say("which_area_no", lang), intent_payload("inform_area")),
        (say("skip", lang), intent_payload("rather_not_say")),
    ]
    return Reply(text, tuple(buttons))


def next_steps(
    more: bool,
    other_need: tuple[str, str] | None,
    text: str | None = None,
    lang: str | None = None,
) -> Reply:
    """other_need: (need id, short label) named earlier but not yet shown."""
    buttons = []
    if more:
        buttons.append((say("next_more", lang), intent_payload("more_services")))
    if other_need:
        buttons.append(
            (
                say("next_other_need", lang, need=other_need[1]),
                intent_payload(f"need_{other_need[0]}"),
            )
        )
    buttons += [
        (say("next_note", lang), intent_payload("referral_note")),
        (say("next_something_else", lang), intent_payload("find_support")),
        (say("next_change_area", lang), intent_payload("change_area")),
        (say("next_done", lang), intent_payload("goodbye")),
    ]
    return Reply(text or say("next_question", lang), tuple(buttons))


def not_understood(likely: list[tuple[str, str]], lang: str | None = None) -> Reply:
    """The fallback: the likeliest needs ((need id, short label)) as buttons, then the rest.

    It asks for a tap or a word, never for the whole story again."""
    buttons = [(label, intent_payload(f"need_{need}")) for need, label in likely]
    buttons += [
        (say("not_understood_other", lang), intent_payload("find_support")),
        (say("not_understood_urgent", lang), intent_payload("urgent_danger")),
        (say("skip", lang), intent_payload("rather_not_say")),
    ]
    return Reply(say("not_understood", lang), tuple(buttons))


def talk_to_person(area: Area | None, lang: str | None = None) -> Reply | None:
    """How to reach a person at the partnership; None when we don't know the area yet."""
    if area is None:
        return None
    contact = area.contact
    if contact is None:
        return Reply(say("person_none", lang))
    lines = [say("person_intro", lang, name=contact.name)]
    if contact.phone:
        lines.append(say("person_phone", lang, phone=contact.phone))
    if contact.hours:
        lines.append(say("person_hours", lang, hours=contact.hours))
    if contact.url:
        lines.append(say("person_web", lang, url=contact.url))
    if contact.status == "example":
        lines.append(say("service_sample", lang))
    return Reply("\n".join(lines))
