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
) -> list[Service]:
    """Services for `need`: local ones first (when an area is known), then national ones.

    Within each group, services open now come first, then those whose hours aren't listed,
    then those closed now; the directory's order breaks ties, so partnerships control it.
    """
    now = now or dt.datetime.now(LONDON)
    groups = ([directory.listed(need, area)] if area and area != NATIONAL else []) + [directory.listed(need, NATIONAL)]
    found: list[Service] = []
    for group in groups:
        matching = [s for s in group if filters.allow(s, now)]
        found.extend(sorted(matching, key=lambda s: _open_rank(s, now)))
    return found


def _open_rank(service: Service, now: dt.datetime) -> int:
    return {True: 0, None: 1, False: 2}[service.open_at(now)]


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
