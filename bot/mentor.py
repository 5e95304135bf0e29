"""What a family mentor needs to know about a service, in one printable card."""

from __future__ import annotations

from bot.directory import Directory, Service
from bot.search import clock


def opening_lines(service: Service) -> str:
    if not service.schedules:
        return service.schedule_description
    parts = [f"{'/'.join(s.byday)} {clock(s.opens_at)}-{clock(s.closes_at)}" for s in service.schedules]
    return f"{service.schedule_description} ({'; '.join(parts)})"


def mentor_fields(service: Service, directory: Directory) -> list[tuple[str, str]]:
    areas = ", ".join("national" if a == "national" else directory.areas[a].name for a in service.service_areas)
    phones = "; ".join(f"{p.number} ({p.type}{', ' + p.description if p.description else ''})" for p in service.phones)
    languages = ", ".join(name for _, name in service.languages)
    ages = ""
    if service.minimum_age_months is not None or service.maximum_age_months is not None:
        oldest = service.maximum_age_months if service.maximum_age_months is not None else "any"
        ages = f"child aged {service.minimum_age_months or 0} to {oldest} months"
    rows = [
        ("What it is", service.description),
        ("Organisation", service.organization),
        ("Needs", ", ".join(directory.needs[n].short_label for n in service.needs)),
        ("Covers", areas),
        ("Phone", phones),
        ("Website", service.url),
        ("Email", service.email),
        ("Hours", opening_lines(service)),
        ("Cost", service.fees_description),
        ("Referral", ("Parents can refer themselves. " if service.self_referral else "Needs a referral. ") + service.application_process),
        ("Who can use it", "; ".join(x for x in (service.eligibility_description, ages,
                                                 {True: "open in pregnancy", False: "not in pregnancy", None: ""}[service.pregnant]) if x)),
        ("Languages", languages + (f". {service.interpretation_services}" if service.interpretation_services else "")),
        ("Accessibility", service.accessibility),
        ("Last verified", f"{service.assured_date.isoformat()} ({service.source}; status: {service.status})"),
    ]
    return [(label, value) for label, value in rows if value]


def mentor_card(service: Service, directory: Directory) -> str:
    lines = [service.name + ("  [SAMPLE ENTRY - not a real service]" if service.is_sample else "")]
    lines += [f"  {label}: {value}" for label, value in mentor_fields(service, directory)]
    return "\n".join(lines)
