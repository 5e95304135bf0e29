"""Checks a directory must pass before it goes live (`python -m bot validate --production`)."""

from __future__ import annotations

import datetime as dt

from bot.directory import Directory

STALE_AFTER_DAYS = 365


def production_problems(directory: Directory, today: dt.date) -> list[str]:
    problems = []
    for service in directory.services.values():
        entry = f"service '{service.id}'"
        if service.status == "example":
            problems.append(
                f"{entry}, field 'status': expected a real, checked service, got sample data ('example')"
            )
        elif service.status == "verify":
            problems.append(
                f"{entry}, field 'status': expected a confirmed number, got 'verify' (not yet checked)"
            )
        if (
            service.status in ("active", "example", "verify")
            and (today - service.assured_date).days > STALE_AFTER_DAYS
        ):
            problems.append(
                f"{entry}, field 'assured_date': expected a check in the last 12 months, got {service.assured_date}"
            )
    for area in directory.areas.values():
        if area.contact and area.contact.status != "active":
            problems.append(
                f"area '{area.id}', field 'contact.status': expected checked contact details, got {area.contact.status!r}"
            )
    return problems
