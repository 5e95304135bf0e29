"""What a family mentor reads about a service: a compact card, a "why it matched" line and
the full details on demand, all in words (no day codes, file names or statuses).

Also how a mentor's own words for an area, a language, a day or a need become the ids a
search uses, in any case, with a clear error that lists the valid choices.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.directory import DAYS, NATIONAL, Area, Directory, Service
from bot.search import LONDON, Filters, clock, count_services, language_match

WORDS_PATH = Path(__file__).resolve().parent / "words" / "mentor.yml"
STALE_AFTER_DAYS = 183  # about six months
_FILE_NAME = re.compile(r"\s*\([^()]*\.(?:md|ya?ml|json|csv)\)")


@lru_cache(maxsize=1)
def words() -> dict:
    """The mentor view's words (bot/words/mentor.yml)."""
    return yaml.safe_load(WORDS_PATH.read_text(encoding="utf-8"))


class ChoiceError(ValueError):
    """A mentor's choice that matches nothing; the message lists the valid choices."""


def _pick(text: str, choices: dict[str, str], what: str) -> str:
    """The id whose id or name is `text` (any case); else ChoiceError listing every choice."""
    wanted = text.strip().casefold()
    for ident, name in choices.items():
        if wanted in (ident.casefold(), name.casefold()):
            return ident
    listing = ", ".join(
        f"{name} ({ident})" if name.casefold() != ident.casefold() else name
        for ident, name in choices.items()
    )
    raise ChoiceError(f"Unknown {what} {text.strip()!r}. Choose one of: {listing}.")


def area_choice(directory: Directory, text: str) -> str:
    """'Bradford', 'bradford' or 'BRADFORD' -> 'bradford'."""
    return _pick(text, {a.id: a.name for a in directory.areas.values()}, "area")


def need_choice(directory: Directory, text: str) -> str:
    """A need id or its short label, in any case -> the need id."""
    return _pick(text, {n.id: n.short_label for n in directory.needs.values()}, "need")


def languages(directory: Directory) -> dict[str, str]:
    """Every language some service speaks: code -> name, by name."""
    return directory.language_names


def language_choice(directory: Directory, text: str) -> str:
    """'Urdu', 'ur' or 'UR' -> 'ur'."""
    return _pick(text, languages(directory), "language")


def day_choice(text: str) -> str:
    """'saturday', 'Sat', 'sa' or 'SA' -> 'SA'."""
    wanted = text.strip().casefold()
    for code, day in words()["days"].items():
        if wanted in (code.casefold(), day["name"].casefold(), day["short"].casefold()):
            return code
    names = ", ".join(day["name"] for day in words()["days"].values())
    raise ChoiceError(f"Unknown day {text.strip()!r}. Choose one of: {names}.")


def day_name(code: str) -> str:
    return words()["days"][code]["name"]


# ------------------------------------------------------------------------------ in words


def _days_in_words(days: tuple[str, ...]) -> str:
    """('MO','TU','WE','TH','FR') -> 'Mon to Fri'; ('MO','WE') -> 'Mon, Wed'."""
    short = words()["days"]
    positions = sorted(DAYS.index(d) for d in days)
    if len(positions) > 2 and positions == list(range(positions[0], positions[-1] + 1)):
        return f"{short[DAYS[positions[0]]]['short']} to {short[DAYS[positions[-1]]]['short']}"
    return ", ".join(short[DAYS[p]]["short"] for p in positions)


def hours_in_words(service: Service) -> str:
    """'Mon to Fri 9am to 5pm; Sat 10am to 1pm', or that the hours aren't known."""
    if not service.schedules:
        return words()["hours_unknown"]
    if _always_open(service):
        return words()["open_every_day"]
    return "; ".join(
        f"{_days_in_words(s.byday)} {clock(s.opens_at)} to {clock(s.closes_at)}"
        for s in service.schedules
    )


def _today_or_next(service: Service, now: dt.datetime) -> str:
    """'Open now until 5pm', 'Opens today at 4pm', or 'Next open Thu 4pm to 7pm'."""
    today, hhmm = DAYS[now.weekday()], now.strftime("%H:%M")
    for opens, closes in sorted(service.hours_on(today)):
        if opens <= hhmm < closes:
            return f"Open now until {clock(closes)}"
        if hhmm < opens:
            return f"Opens today at {clock(opens)}"
    for ahead in range(1, 8):
        day = DAYS[(now.weekday() + ahead) % 7]
        if service.hours_on(day):
            return "Next open " + _hours_on_day(service, day).removeprefix("Open ")
    return hours_in_words(service)


def _always_open(service: Service) -> bool:
    return all(service.hours_on(day) == [("00:00", "24:00")] for day in DAYS)


def _hours_on_day(service: Service, day: str) -> str:
    times = ", ".join(f"{clock(a)} to {clock(b)}" for a, b in sorted(service.hours_on(day)))
    return f"Open {words()['days'][day]['short']} {times}"


def _years(months: int) -> str:
    if months and months % 12 == 0:
        return f"{months // 12} year{'s' if months // 12 != 1 else ''}"
    return f"{months} month{'s' if months != 1 else ''}"


def ages_in_words(service: Service) -> str:
    """'For a child under 4', 'For a child aged 6 months to 2 years', or ''."""
    low, high = service.minimum_age_months, service.maximum_age_months
    if low is None and high is None:
        return ""
    if high is None:
        return f"For a child aged {_years(low)} or older" if low else ""
    top = f"under {(high + 1) // 12}" if (high + 1) % 12 == 0 else f"up to {_years(high)}"
    if not low:
        return f"For a child {top}" if top.startswith("under") else f"For a child aged {top}"
    return f"For a child aged {_years(low)} to {top.removeprefix('up to ')}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def cost_in_words(service: Service) -> str:
    """'Free' or the first part of the fee, e.g. '£3.50 a week' (the details have the rest)."""
    if service.free:
        return "Free"
    first = re.split(r"(?<=[a-z0-9])\.\s|,\s", service.fees_description, maxsplit=1)[0].rstrip(".")
    return first.split(" for ", 1)[0]


def source_in_words(service: Service) -> str:
    """Where the entry came from, without file names."""
    return _FILE_NAME.sub("", service.source)


def filter_words(filters: Filters, directory: Directory) -> list[str]:
    """Each filter in use, as a mentor would say it: 'Open on Saturday', 'Urdu: spoken or interpreter'."""
    values = {
        "language": languages(directory).get(filters.language or "", filters.language),
        "child_age_months": _years(filters.child_age_months)
        if filters.child_age_months is not None
        else "",
        "open_on": day_name(filters.open_on) if filters.open_on else "",
    }
    return [
        words()["filters"][name].format(value=values.get(name, "")) for name in filters.active()
    ]


def is_stale(service: Service, today: dt.date | None = None) -> bool:
    """Not checked for over six months."""
    today = today or dt.datetime.now(LONDON).date()
    return (today - service.assured_date).days > STALE_AFTER_DAYS


def why_it_matched(
    service: Service, filters: Filters, now: dt.datetime, directory: Directory
) -> str:
    """One scannable line: 'Open Sat 10am to 1pm · £3.50 a week · refer yourself · Urdu spoken'."""
    w = words()
    if not service.schedules:
        hours = w["hours_unknown"]
    elif _always_open(service):
        hours = w["open_every_day"]
    elif filters.open_on:
        hours = _hours_on_day(service, filters.open_on)
    elif filters.open_now:
        hours = "Open now until " + clock(
            next(
                b
                for a, b in sorted(service.hours_on(DAYS[now.weekday()]))
                if a <= now.strftime("%H:%M") < b
            )
        )
    else:
        hours = _today_or_next(service, now)
    parts = [
        hours,
        cost_in_words(service),
        w["refer_yourself"] if service.self_referral else w["needs_referral"],
    ]
    if filters.language:
        match = language_match(service, filters.language)
        parts.append(
            w["spoken"].format(
                language=languages(directory).get(filters.language, filters.language)
            )
            if match == "spoken"
            else w["interpreter"]
        )
    if filters.pregnant and service.pregnant:
        parts.append("open in pregnancy")
    if filters.child_age_months is not None and ages_in_words(service):
        parts.append(ages_in_words(service).removeprefix("For a "))
    return " · ".join(p for p in parts if p)


def details(service: Service, directory: Directory) -> list[tuple[str, str]]:
    """The full entry, label by label, in words."""
    areas = ", ".join(
        words()["national"] if a == NATIONAL else directory.areas[a].name
        for a in service.service_areas
    )
    phones = "; ".join(
        ("Text " if p.type == "text" else "")
        + p.number
        + (f" ({p.description})" if p.description else "")
        for p in service.phones
    )
    who = " ".join(
        _sentence(x)
        for x in (
            service.eligibility_description,
            ages_in_words(service),
            {True: "Open in pregnancy", False: "Not in pregnancy", None: ""}[service.pregnant],
        )
        if x
    )
    hours = service.schedule_description
    if not service.schedules and "check" not in hours.lower():
        hours = f"{words()['hours_unknown']}. {hours}"
    rows = [
        ("What it is", service.description),
        ("Organisation", service.organization),
        ("Needs", ", ".join(directory.needs[n].short_label for n in service.needs)),
        ("Covers", areas),
        ("Phone", phones),
        ("Website", service.url),
        ("Email", service.email),
        ("Hours", hours),
        ("Cost", service.fees_description),
        (
            "Referral",
            ("Parents can refer themselves. " if service.self_referral else "Needs a referral. ")
            + service.application_process,
        ),
        ("Who can use it", who),
        (
            "Languages",
            ". ".join(
                x
                for x in (
                    ", ".join(name for _, name in service.languages),
                    service.interpretation_services,
                )
                if x
            ),
        ),
        ("Accessibility", service.accessibility),
        (
            "Last checked",
            f"{service.assured_date.day} {service.assured_date:%B %Y} ({source_in_words(service)})",
        ),
    ]
    return [(label, value) for label, value in rows if value]


def _tel(number: str) -> str:
    return "tel:" + number.replace(" ", "")


def card(service: Service, filters: Filters, now: dt.datetime, directory: Directory) -> dict:
    """A service as the mentor page shows it: compact line, links, flags and details."""
    return {
        "id": service.id,
        "name": service.name,
        "local": not service.is_national,
        "sample": service.is_sample,
        "stale": is_stale(service, now.date()),
        "hours_known": bool(service.schedules),
        "why": why_it_matched(service, filters, now, directory),
        "calls": [
            {"number": p.number, "href": _tel(p.number)}
            for p in service.phones
            if p.type == "voice"
        ],
        "texts": [
            {
                "number": p.number,
                "href": "sms:" + p.number.replace(" ", ""),
                "description": p.description,
            }
            for p in service.phones
            if p.type == "text"
        ],
        "web": service.url,
        "details": details(service, directory),
    }


def text_card(service: Service, filters: Filters, now: dt.datetime, directory: Directory) -> str:
    """The same card for the command line: name and flags, why it matched, then the details."""
    flags = [words()["sample"]] if service.is_sample else []
    if is_stale(service, now.date()):
        flags.append(words()["stale"])
    lines = [
        service.name + "".join(f"  [{flag}]" for flag in flags),
        "  " + why_it_matched(service, filters, now, directory),
    ]
    lines += [f"    {label}: {value}" for label, value in details(service, directory)]
    return "\n".join(lines)


@dataclass(frozen=True)
class Hint:
    """Dropping one filter would give `count` services."""

    filter: str
    count: int


def hints(
    directory: Directory, need: str, area: str | None, filters: Filters, now: dt.datetime
) -> list[Hint]:
    """For a search with no results: each single filter whose dropping gives results, most first."""
    found = []
    for name, label in zip(filters.active(), filter_words(filters, directory), strict=True):
        count = count_services(directory, need, area, filters.without(name), now)
        if count:
            found.append(Hint(label, count))
    return sorted(found, key=lambda h: -h.count)


def hint_text(found: list[Hint]) -> str:
    """'No services match all these filters. Without "Open on Saturday": 3 service(s).'"""
    w = words()
    if not found:
        return f"{w['no_results']} {w['no_hint']}"
    return " ".join(
        [w["no_results"], *(w["drop_hint"].format(filter=h.filter, count=h.count) for h in found)]
    )


def partnership_contact(area: Area | None) -> dict | None:
    """The area's partnership: name, phone, hours; `sample` when the contact isn't real yet."""
    if area is None or area.contact is None:
        return None
    c = area.contact
    return {
        "name": c.name,
        "phone": c.phone,
        "hours": c.hours,
        "url": c.url,
        "email": c.email,
        "sample": c.status == "example",
        "directory_email": c.directory_email,
    }
