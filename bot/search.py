"""Find services for a need, nearest first: what a parent or a family mentor asks for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from zoneinfo import ZoneInfo

from bot.directory import DAYS, NATIONAL, Directory, Service

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Filters:
    """What a mentor can narrow by; the chat uses none of them.

    A language matches a service that speaks it or books interpreters. Hours that aren't
    known never count as open: with a time filter such services stay in the results, after
    every service known to be open, so a mentor can call to check.
    """

    free: bool = False
    self_referral: bool = False
    language: str | None = None  # an ISO 639 code, e.g. "ur"
    pregnant: bool = False
    child_age_months: int | None = None
    open_now: bool = False
    open_on: str | None = None  # MO..SU

    def allow(self, service: Service, now: dt.datetime) -> bool:
        """True when the service passes every filter (unknown hours pass a time filter)."""
        if self.free and not service.free:
            return False
        if self.self_referral and not service.self_referral:
            return False
        if self.language and language_match(service, self.language) is None:
            return False
        if self.pregnant and service.pregnant is False:
            return False
        if self.child_age_months is not None:
            low, high = service.minimum_age_months, service.maximum_age_months
            if (low is not None and self.child_age_months < low) or (
                high is not None and self.child_age_months > high
            ):
                return False
        return not self.has_time or self.open_when_asked(service, now) is not False

    def open_when_asked(self, service: Service, now: dt.datetime) -> bool | None:
        """Open on the day asked for, or now (without a day): True, False, or None when not known."""
        return service.open_on(self.open_on) if self.open_on else service.open_at(now)

    @property
    def has_time(self) -> bool:
        return self.open_now or bool(self.open_on)

    def active(self) -> list[str]:
        """The names of the filters in use, in the order a mentor sets them."""
        return [
            f.name
            for f in fields(self)
            if getattr(self, f.name) is not None and getattr(self, f.name) is not False
        ]

    def without(self, name: str) -> Filters:
        """The same filters with one dropped."""
        return replace(self, **{name: getattr(NO_FILTERS, name)})


NO_FILTERS = Filters()


def language_match(service: Service, code: str) -> str | None:
    """'spoken' when the service speaks the language, 'interpreter' when it books
    interpreters, None when neither."""
    if any(spoken == code for spoken, _ in service.languages):
        return "spoken"
    if service.interpretation_services:
        return "interpreter"
    return None


def find_services(
    directory: Directory,
    need: str,
    area: str | None = None,
    filters: Filters = NO_FILTERS,
    now: dt.datetime | None = None,
    limit: int | None = None,
) -> list[Service]:
    """Services for `need`: local ones first (when an area is known), then national ones.

    Within each group, services open now (or on the day asked for) come first, then those
    whose hours aren't listed, then those closed (left out when a time filter is set); the
    directory's order breaks ties, so partnerships control it.
    `limit` returns only the first that many (the same ones, in the same order), and stops
    looking once they are certain: a page of a 100,000-service directory needn't rank it all.
    """
    now = now or dt.datetime.now(LONDON)
    day, hhmm = (
        (filters.open_on, None) if filters.open_on else (DAYS[now.weekday()], now.strftime("%H:%M"))
    )
    found: list[Service] = []
    for group in _groups(directory, need, area):
        wanted = None if limit is None else limit - len(found)
        if wanted is not None and wanted <= 0:
            break
        matching = group if filters == NO_FILTERS else (s for s in group if filters.allow(s, now))
        found.extend(_open_first(matching, day, hhmm, wanted))
    return found if limit is None else found[:limit]


def count_services(
    directory: Directory,
    need: str,
    area: str | None,
    filters: Filters,
    now: dt.datetime | None = None,
) -> int:
    """How many services `find_services` would give, without building the list."""
    now = now or dt.datetime.now(LONDON)
    return sum(
        1 for group in _groups(directory, need, area) for s in group if filters.allow(s, now)
    )


@dataclass(frozen=True)
class Page:
    """One page of a search: its services and whether more follow."""

    services: list[Service]
    more: bool


def find_page(
    directory: Directory,
    need: str,
    area: str | None,
    filters: Filters = NO_FILTERS,
    now: dt.datetime | None = None,
    start: int = 0,
    size: int = 20,
) -> Page:
    """Services `start` to `start + size` of `find_services`: only what is shown is ranked."""
    found = find_services(directory, need, area, filters, now, limit=start + size + 1)
    return Page(found[start : start + size], len(found) > start + size)


def _groups(directory: Directory, need: str, area: str | None) -> list[list[Service]]:
    return ([directory.listed(need, area)] if area and area != NATIONAL else []) + [
        directory.listed(need, NATIONAL)
    ]


def open_line_on_first_page(
    services: list[Service], lines: list[str], now: dt.datetime, page: int
) -> list[Service]:
    """The same services, with a line that is open now on the first `page` of them.

    When nothing on the first page is open at `now`, the `lines` (directory ids, in order)
    come to the front; if none of them is open now either, the first service in the list
    that is. Nothing is added or lost, so later pages still show each service once.
    """
    if not services or any(s.open_at(now) for s in services[:page]):
        return services
    front = [s for line in lines for s in services if s.id == line]
    if not any(s.open_at(now) for s in front):
        front = [s for s in services if s.open_at(now)][:1]
    return front + [s for s in services if s not in front]


def _open_first(services, day: str, hhmm: str | None, wanted: int | None) -> list[Service]:
    """Open (now, or on `day` when `hhmm` is None), then hours not listed, then closed; a
    stable partition."""
    opened: list[Service] = []
    unknown: list[Service] = []
    closed: list[Service] = []
    for service in services:
        if not service.schedules:
            if wanted is None or len(unknown) < wanted:  # never more than a page of each kind
                unknown.append(service)
            continue
        for schedule in service.schedules:
            if day in schedule.byday and (
                hhmm is None or schedule.opens_at <= hhmm < schedule.closes_at
            ):
                opened.append(service)
                break
        else:
            if wanted is None or len(closed) < wanted:
                closed.append(service)
            continue
        if wanted is not None and len(opened) >= wanted:
            return opened  # the first `wanted` open ones come first whatever follows
    return opened + unknown + closed


def today_hours(service: Service, now: dt.datetime | None = None) -> str:
    """'Open now until 5pm', 'Opens today at 1pm', or the written schedule when hours aren't listed."""
    now = now or dt.datetime.now(LONDON)
    if not service.schedules:
        return service.schedule_description
    if all(service.hours_on(day) == [("00:00", "24:00")] for day in DAYS):
        return "Open 24 hours, every day"
    today = DAYS[now.weekday()]
    hhmm = now.strftime("%H:%M")
    for opens, closes in sorted(service.hours_on(today)):
        if opens <= hhmm < closes:
            return f"Open now until {clock(closes)}"
        if hhmm < opens:
            return f"Opens today at {clock(opens)}"
    return f"Closed now. {service.schedule_description}"


def clock(hhmm: str) -> str:
    """'17:30' -> '5:30pm', '24:00' -> 'midnight': how times are said in the UK."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    if hours in (0, 24) and minutes == 0:
        return "midnight"
    if hours == 12 and minutes == 0:
        return "midday"
    suffix = "am" if hours < 12 else "pm"
    hours = hours % 12 or 12
    return f"{hours}{suffix}" if minutes == 0 else f"{hours}:{minutes:02d}{suffix}"
