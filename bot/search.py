"""Find services for a need, nearest first: what a parent or a family mentor asks for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.directory import DAYS, NATIONAL, Directory, Service

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Filters:
    """What a mentor can narrow by; the chat uses none of them."""

    free: bool = False
    self_referral: bool = False
    language: str | None = None
    pregnant: bool = False
    child_age_months: int | None = None
    open_now: bool = False
    open_on: str | None = None  # MO..SU

    def allow(self, service: Service, now: dt.datetime) -> bool:
        if self.free and not service.free:
            return False
        if self.self_referral and not service.self_referral:
            return False
        if self.language and self.language not in service.language_codes():
            return False
        if self.pregnant and service.pregnant is False:
            return False
        if self.child_age_months is not None:
            low, high = service.minimum_age_months, service.maximum_age_months
            if (low is not None and self.child_age_months < low) or (high is not None and self.child_age_months > high):
                return False
        if self.open_now and service.open_at(now) is False:
            return False
        if self.open_on and service.open_on(self.open_on) is False:
            return False
        return True


NO_FILTERS = Filters()


def find_services(
    directory: Directory,
    need: str,
    area: str | None = None,
    filters: Filters = NO_FILTERS,
    now: dt.datetime | None = None,
    limit: int | None = None,
) -> list[Service]:
    """Services for `need`: local ones first (when an area is known), then national ones.

    Within each group, services open now come first, then those whose hours aren't listed,
    then those closed now; the directory's order breaks ties, so partnerships control it.
    `limit` returns only the first that many (the same ones, in the same order), and stops
    looking once they are certain: a page of a 100,000-service directory needn't rank it all.
    """
    now = now or dt.datetime.now(LONDON)
    day, hhmm = DAYS[now.weekday()], now.strftime("%H:%M")  # once per search, not per service
    groups = ([directory.listed(need, area)] if area and area != NATIONAL else []) + [directory.listed(need, NATIONAL)]
    found: list[Service] = []
    for group in groups:
        wanted = None if limit is None else limit - len(found)
        if wanted is not None and wanted <= 0:
            break
        matching = group if filters == NO_FILTERS else [s for s in group if filters.allow(s, now)]
        found.extend(_open_first(matching, day, hhmm, wanted))
    return found if limit is None else found[:limit]


def open_line_on_first_page(services: list[Service], lines: list[str], now: dt.datetime, page: int) -> list[Service]:
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


def _open_first(services: list[Service], day: str, hhmm: str, wanted: int | None) -> list[Service]:
    """Open now, then hours not listed, then closed now; a stable partition (Service.open_at)."""
    opened: list[Service] = []
    unknown: list[Service] = []
    closed: list[Service] = []
    for service in services:
        if not service.schedules:
            unknown.append(service)
            continue
        for schedule in service.schedules:
            if schedule.is_open(day, hhmm):
                opened.append(service)
                break
        else:
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
