"""Turn services and choices into short chat messages a parent can read on a phone."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bot.directory import Area, Service
from bot.search import today_hours

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
    return yaml.safe_load(WORDS_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def sensitive_needs() -> dict[str, dict]:
    """Needs acknowledged before the area question, with the lines for their first page."""
    return yaml.safe_load(SENSITIVE_PATH.read_text(encoding="utf-8"))


def acknowledgement(need: str | None) -> Reply | None:
    """'Thank you for telling me. You deserve to feel safe.' for a sensitive need, else None."""
    words_for_need = sensitive_needs().get(need or "")
    return Reply(words_for_need["acknowledge"]) if words_for_need else None


def say(key: str, **values: str) -> str:
    return words()[key].format(**values)


def intent_payload(intent: str, **entities: str) -> str:
    return f"/{intent}{json.dumps(entities)}" if entities else f"/{intent}"


def service_message(service: Service, now: dt.datetime | None = None) -> Reply:
    """Name exactly as in the directory, what they do, how to reach them, when they're open."""
    lines = [service.name + (f" {say('service_sample')}" if service.is_sample else "")]
    lines.append(say("service_text", description=service.description))
    for phone in service.phones[:2]:
        lines.append(
            phone.description
            if phone.type == "text" and phone.description
            else say("service_call", number=phone.number)
        )
    if not service.phones and service.url:
        lines.append(say("service_web", url=service.url))
    elif not service.phones and service.email:
        lines.append(say("service_email", email=service.email))
    lines.append(today_hours(service, now))
    lines.append(say("service_self_referral") if service.self_referral else say("service_referral"))
    return Reply("\n".join(line for line in lines if line))


def which_area(areas: list[Area], place: str | None = None, postcode: bool = False) -> Reply:
    """Ask which area, with a button for each it could be: never a guess.

    `postcode`: a postcode district shared with another council; `place`: a name that could
    be more than one place ("Clifton"); neither: places in different areas were named.
    """
    if postcode:
        text = say("which_area", area=areas[0].name)
        buttons = [
            (
                say("which_area_yes", area=areas[0].name),
                intent_payload("inform_area", area=areas[0].id),
            )
        ]
    else:
        text = say("which_place", place=place) if place else say("which_of_these")
        buttons = [(area.name, intent_payload("inform_area", area=area.id)) for area in areas]
    buttons += [
        (say("which_area_no"), intent_payload("inform_area")),
        (say("skip"), intent_payload("rather_not_say")),
    ]
    return Reply(text, tuple(buttons))


def next_steps(more: bool, other_need: tuple[str, str] | None, text: str | None = None) -> Reply:
    """other_need: (need id, short label) named earlier but not yet shown."""
    buttons = []
    if more:
        buttons.append((say("next_more"), intent_payload("more_services")))
    if other_need:
        buttons.append(
            (say("next_other_need", need=other_need[1]), intent_payload(f"need_{other_need[0]}"))
        )
    buttons += [
        (say("next_note"), intent_payload("referral_note")),
        (say("next_something_else"), intent_payload("find_support")),
        (say("next_change_area"), intent_payload("change_area")),
        (say("next_done"), intent_payload("goodbye")),
    ]
    return Reply(text or say("next_question"), tuple(buttons))


def not_understood(likely: list[tuple[str, str]]) -> Reply:
    """The fallback: the likeliest needs ((need id, short label)) as buttons, then the rest.

    It asks for a tap or a word, never for the whole story again."""
    buttons = [(label, intent_payload(f"need_{need}")) for need, label in likely]
    buttons += [
        (say("not_understood_other"), intent_payload("find_support")),
        (say("not_understood_urgent"), intent_payload("urgent_danger")),
        (say("skip"), intent_payload("rather_not_say")),
    ]
    return Reply(say("not_understood"), tuple(buttons))


def talk_to_person(area: Area | None) -> Reply | None:
    """How to reach a person at the partnership; None when we don't know the area yet."""
    if area is None:
        return None
    contact = area.contact
    if contact is None:
        return Reply(say("person_none"))
    lines = [say("person_intro", name=contact.name)]
    if contact.phone:
        lines.append(say("person_phone", phone=contact.phone))
    if contact.hours:
        lines.append(say("person_hours", hours=contact.hours))
    if contact.url:
        lines.append(say("person_web", url=contact.url))
    if contact.status == "example":
        lines.append(say("service_sample"))
    return Reply("\n".join(lines))
