"""The services directory: load `services_directory.yml`, check it, and hold it in memory.

A partnership edits the YAML by hand, so every problem is reported at once, each naming the
file, the entry and the field, instead of stopping at the first one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot import directory_cache
from bot.safe_fields import has_markup, is_email, is_web_address

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "services_directory.yml"
NATIONAL = "national"
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
STATUSES = ("active", "example", "verify", "inactive", "defunct", "temporarily closed")
# Only these reach parents; `verify` waits for a partnership to check the number.
SHOWN_STATUSES = ("active", "example")
PHONE_TYPES = ("voice", "text")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
_DISTRICT = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")
# libyaml's loader when PyYAML has it: the same types as yaml.safe_load, ~7x faster on a big file.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# Every field the directory may hold; anything else is usually a typo or a comma that
# YAML read as a new key ({label: A safe, warm place} makes "warm place" a key).
KNOWN_FIELDS = {
    "needs": {"id", "label", "short_label", "keywords"},
    "areas": {"id", "name", "gss_code", "postcode_districts", "shared_postcode_districts", "places", "contact"},
    "services": {
        "id", "name", "organization", "description", "needs", "service_areas", "phones", "url", "email", "schedules",
        "schedule_description", "fees_description", "free", "self_referral", "application_process",
        "eligibility_description", "pregnant", "minimum_age_months", "maximum_age_months", "languages",
        "interpretation_services", "accessibility", "assured_date", "last_modified", "source", "status", "local_edits",
    },
}


class DirectoryError(ValueError):
    """The directory can't be used; `problems` lists every reason, one line each."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = str(path)
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{self.path}: {len(problems)} problem(s) in the directory:\n{listing}")


@dataclass(frozen=True)
class Need:
    id: str
    label: str
    short_label: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str = ""
    url: str = ""
    email: str = ""
    hours: str = ""
    status: str = "example"


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    gss_code: str
    postcode_districts: tuple[str, ...]
    shared_postcode_districts: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    contact: Contact | None = None


@dataclass(frozen=True)
class Phone:
    number: str
    type: str = "voice"
    description: str = ""


@dataclass(frozen=True)
class OpeningTime:
    byday: tuple[str, ...]
    opens_at: str
    closes_at: str

    def is_open(self, day: str, hhmm: str) -> bool:
        return day in self.byday and self.opens_at <= hhmm < self.closes_at


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    organization: str
    description: str
    needs: tuple[str, ...]
    service_areas: tuple[str, ...]
    phones: tuple[Phone, ...]
    schedules: tuple[OpeningTime, ...]
    schedule_description: str
    fees_description: str
    free: bool
    self_referral: bool
    application_process: str
    eligibility_description: str
    languages: tuple[tuple[str, str], ...]  # (code, name)
    assured_date: dt.date
    source: str
    status: str
    url: str = ""
    email: str = ""
    pregnant: bool | None = None
    minimum_age_months: int | None = None
    maximum_age_months: int | None = None
    interpretation_services: str = ""
    accessibility: str = ""

    @property
    def is_national(self) -> bool:
        return NATIONAL in self.service_areas

    @property
    def is_sample(self) -> bool:
        return self.status == "example"

    @property
    def shown_to_parents(self) -> bool:
        return self.status in SHOWN_STATUSES

    def open_at(self, moment: dt.datetime) -> bool | None:
        """True/False when hours are known, None when they aren't."""
        if not self.schedules:
            return None
        day, hhmm = DAYS[moment.weekday()], moment.strftime("%H:%M")
        return any(s.is_open(day, hhmm) for s in self.schedules)

    def open_on(self, day: str) -> bool | None:
        if not self.schedules:
            return None
        return any(day in s.byday for s in self.schedules)

    def hours_on(self, day: str) -> list[tuple[str, str]]:
        return [(s.opens_at, s.closes_at) for s in self.schedules if day in s.byday]

    def language_codes(self) -> set[str]:
        return {code for code, _ in self.languages}


@dataclass
class Directory:
    needs: dict[str, Need]
    areas: dict[str, Area]
    services: dict[str, Service]
    path: str = ""
    _index: dict[tuple[str, str], list[Service]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # Built once so a search is a dict lookup, not a scan, even at 100,000 services.
        for service in self.services.values():
            if not service.shown_to_parents:
                continue
            for need in service.needs:
                for area in service.service_areas:
                    self._index.setdefault((need, area), []).append(service)

    def listed(self, need: str, area: str) -> list[Service]:
        return self._index.get((need, area), [])

    def sample_services(self) -> list[Service]:
        return [s for s in self.services.values() if s.is_sample]


def load_directory(path: Path | str = DEFAULT_PATH) -> Directory:
    """Read and check the directory; raise DirectoryError listing every problem."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DirectoryError(path, ["the file does not exist"]) from None
    copy = directory_cache.copy_for(data)
    raw = directory_cache.read(copy)
    if raw is None:
        try:
            raw = yaml.load(data.decode("utf-8"), Loader=_LOADER)
        except UnicodeDecodeError as error:
            raise DirectoryError(path, [f"not UTF-8 text: {error}"]) from None
        except yaml.YAMLError as error:
            raise DirectoryError(path, [f"not valid YAML: {error}"]) from None
        directory_cache.write(copy, raw)
    return parse_directory(raw, path)


def parse_directory(raw: Any, path: Path | str = "<directory>") -> Directory:
    checker = _Checker()
    if not isinstance(raw, dict):
        raise DirectoryError(path, ["expected a mapping with keys needs, areas, services"])
    needs = {n.id: n for n in checker.each(raw, "needs", _need)}
    areas = {a.id: a for a in checker.each(raw, "areas", _area)}
    # Ids as written, even of entries with problems, so one bad area doesn't also fail
    # every service in it.
    checker.need_ids = {i["id"] for i in raw.get("needs") or [] if isinstance(i, dict) and isinstance(i.get("id"), str)}
    checker.area_ids = {i["id"] for i in raw.get("areas") or [] if isinstance(i, dict) and isinstance(i.get("id"), str)}
    checker.area_ids.add(NATIONAL)
    services: dict[str, Service] = {}
    for service in checker.each(raw, "services", _service):
        if service.id in services:
            checker.problem(f"service '{service.id}'", "id", "a unique id", "a duplicate")
        services[service.id] = service
    checker.check_unique_ids("need", raw.get("needs"))
    checker.check_unique_ids("area", raw.get("areas"))
    if checker.problems:
        raise DirectoryError(path, checker.problems)
    return Directory(needs=needs, areas=areas, services=services, path=str(path))


class _Checker:
    """Collects problems while reading entries; each reader returns None if an entry is unusable."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.need_ids: set[str] = set()
        self.area_ids: set[str] = set()

    def problem(self, entry: str, field_name: str, expected: str, got: Any) -> None:
        got_text = got if isinstance(got, str) and got.startswith(("a ", "an ")) else repr(got)
        self.problems.append(f"{entry}, field '{field_name}': expected {expected}, got {got_text}")

    def each(self, raw: dict, key: str, reader) -> list:
        items = raw.get(key)
        if not isinstance(items, list) or not items:
            self.problems.append(f"top level, field '{key}': expected a non-empty list")
            return []
        out = []
        for position, item in enumerate(items):
            label = f"{key[:-1]} #{position + 1}"
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                label = f"{key[:-1]} '{item['id']}'"
            if not isinstance(item, dict):
                self.problem(label, "(entry)", "a mapping of fields", item)
                continue
            before = len(self.problems)
            for unknown in sorted(set(map(str, item)) - KNOWN_FIELDS.get(key, set(map(str, item)))):
                self.problem(label, unknown, "a known field (docs/directory-format.md)", "an unknown field")
            value = reader(self, label, item)
            if value is not None and len(self.problems) == before:
                out.append(value)
        return out

    def check_unique_ids(self, kind: str, items: Any) -> None:
        seen: set[str] = set()
        for item in items if isinstance(items, list) else []:
            ident = item.get("id") if isinstance(item, dict) else None
            if ident in seen:
                self.problem(f"{kind} '{ident}'", "id", "a unique id", "a duplicate")
            seen.add(ident)

    # Small typed getters: each records a problem and returns a safe default.
    def text(self, entry: str, item: dict, name: str, required: bool = True) -> str:
        value = item.get(name)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(entry, name, "some text", value)
            return ""
        if has_markup(value):
            self.problem(entry, name, "plain text (no HTML tags, entities or script: addresses)", value)
            return ""
        return value.strip()

    def web_address(self, entry: str, item: dict) -> str:
        value = self.text(entry, item, "url", required=False)
        if value and not is_web_address(value):
            self.problem(entry, "url", "an http:// or https:// web address", value)
            return ""
        return value

    def email(self, entry: str, item: dict) -> str:
        value = self.text(entry, item, "email", required=False)
        if value and not is_email(value):
            self.problem(entry, "email", "an email address (name@example.org)", value)
            return ""
        return value

    def flag(self, entry: str, item: dict, name: str, required: bool = True) -> bool | None:
        value = item.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, bool):
            self.problem(entry, name, "true or false", value)
            return None
        return value

    def months(self, entry: str, item: dict, name: str) -> int | None:
        value = item.get(name)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 240:
            self.problem(entry, name, "a whole number of months from 0 to 240", value)
            return None
        return value

    def ident(self, entry: str, item: dict) -> str:
        value = item.get("id")
        if not isinstance(value, str) or not _ID.match(value):
            self.problem(entry, "id", "lowercase letters, digits, hyphens or underscores", value)
            return ""
        return value

    def id_list(self, entry: str, item: dict, name: str, allowed: set[str]) -> tuple[str, ...]:
        value = item.get(name)
        if not isinstance(value, list) or not value:
            self.problem(entry, name, f"a non-empty list of ids from {sorted(allowed)}", value)
            return ()
        for position, one in enumerate(value):
            if one not in allowed:
                self.problem(entry, f"{name}[{position}]", f"one of {sorted(allowed)}", one)
        return tuple(value)

    def strings(self, entry: str, item: dict, name: str, pattern: re.Pattern | None = None) -> tuple[str, ...]:
        value = item.get(name, [])
        if not isinstance(value, list):
            self.problem(entry, name, "a list", value)
            return ()
        for position, one in enumerate(value):
            if not isinstance(one, str) or (pattern and not pattern.match(one)):
                self.problem(entry, f"{name}[{position}]", "a postcode district like BD7" if pattern else "text", one)
        return tuple(str(v) for v in value)


def _need(c: _Checker, entry: str, item: dict) -> Need | None:
    short = c.text(entry, item, "short_label")
    if len(short) > 28:
        c.problem(entry, "short_label", "at most 28 characters (it is a button)", short)
    keywords = c.strings(entry, item, "keywords")
    return Need(c.ident(entry, item), c.text(entry, item, "label"), short, tuple(k.lower() for k in keywords))


def _area(c: _Checker, entry: str, item: dict) -> Area | None:
    gss = c.text(entry, item, "gss_code")
    if gss and not re.match(r"^[EWSN]\d{8}$", gss):
        c.problem(entry, "gss_code", "an ONS code like E08000032", gss)
    contact = None
    raw_contact = item.get("contact")
    if raw_contact is not None:
        if isinstance(raw_contact, dict):
            contact = Contact(
                name=c.text(entry, raw_contact, "name"),
                phone=str(raw_contact.get("phone") or ""),
                url=c.web_address(entry, raw_contact),
                email=c.email(entry, raw_contact),
                hours=c.text(entry, raw_contact, "hours", required=False),
                status=str(raw_contact.get("status") or "example"),
            )
        else:
            c.problem(entry, "contact", "a mapping with name, phone, hours", raw_contact)
    return Area(
        id=c.ident(entry, item),
        name=c.text(entry, item, "name"),
        gss_code=gss,
        postcode_districts=c.strings(entry, item, "postcode_districts", _DISTRICT),
        shared_postcode_districts=c.strings(entry, item, "shared_postcode_districts", _DISTRICT),
        places=c.strings(entry, item, "places"),
        contact=contact,
    )


def _phones(c: _Checker, entry: str, item: dict) -> tuple[Phone, ...]:
    value = item.get("phones")
    if not isinstance(value, list):
        c.problem(entry, "phones", "a list (it may be empty)", value)
        return ()
    phones = []
    for position, raw in enumerate(value):
        where = f"phones[{position}]"
        if not isinstance(raw, dict):
            c.problem(entry, where, "a mapping with number and type", raw)
            continue
        number = raw.get("number")
        if not isinstance(number, str) or not re.match(r"^[0-9 ]{3,16}$", number):
            c.problem(entry, f"{where}.number", "digits and spaces in quotes, like \"0808 2000 247\"", number)
        if raw.get("type", "voice") not in PHONE_TYPES:
            c.problem(entry, f"{where}.type", "voice or text", raw.get("type"))
        phones.append(Phone(str(number), raw.get("type", "voice"), str(raw.get("description") or "")))
    return tuple(phones)


def _schedules(c: _Checker, entry: str, item: dict) -> tuple[OpeningTime, ...]:
    value = item.get("schedules")
    if not isinstance(value, list):
        c.problem(entry, "schedules", "a list (empty when hours aren't known)", value)
        return ()
    out = []
    for position, raw in enumerate(value):
        where = f"schedules[{position}]"
        if not isinstance(raw, dict):
            c.problem(entry, where, "a mapping with byday, opens_at, closes_at", raw)
            continue
        byday = raw.get("byday")
        if not isinstance(byday, list) or not byday or any(d not in DAYS for d in byday):
            c.problem(entry, f"{where}.byday", f"a list of days from {list(DAYS)}", byday)
            byday = []
        times = []
        for name in ("opens_at", "closes_at"):
            time = raw.get(name)
            if not isinstance(time, str) or not _TIME.match(time):
                c.problem(entry, f"{where}.{name}", 'a time in quotes like "09:30"', time)
            times.append(str(time))
        if times[0] >= times[1] and all(_TIME.match(t) for t in times):
            c.problem(entry, f"{where}.closes_at", f"a time after opens_at {times[0]}", times[1])
        out.append(OpeningTime(tuple(byday), times[0], times[1]))
    return tuple(out)


def _languages(c: _Checker, entry: str, item: dict) -> tuple[tuple[str, str], ...]:
    value = item.get("languages")
    if not isinstance(value, list) or not value:
        c.problem(entry, "languages", "a list like [{code: en, name: English}]", value)
        return ()
    out = []
    for position, raw in enumerate(value):
        if not isinstance(raw, dict) or not re.match(r"^[a-z]{2,3}$", str(raw.get("code", ""))) or not raw.get("name"):
            c.problem(entry, f"languages[{position}]", "{code: <ISO 639 code>, name: <language>}", raw)
            continue
        out.append((raw["code"], str(raw["name"])))
    return tuple(out)


def _service(c: _Checker, entry: str, item: dict) -> Service | None:
    organization = item.get("organization")
    org_name = organization.get("name") if isinstance(organization, dict) else None
    if not isinstance(org_name, str) or not org_name.strip():
        c.problem(entry, "organization.name", "the organisation's name", org_name)
    status = item.get("status")
    if status not in STATUSES:
        c.problem(entry, "status", f"one of {list(STATUSES)}", status)
    assured = item.get("assured_date")
    if isinstance(assured, str):
        try:
            assured = dt.date.fromisoformat(assured)
        except ValueError:
            pass
    if not isinstance(assured, dt.date):
        c.problem(entry, "assured_date", "the date it was last checked, like 2026-11-01", assured)
        assured = dt.date.min
    areas = c.id_list(entry, item, "service_areas", c.area_ids)
    if NATIONAL in areas and len(areas) > 1:
        c.problem(entry, "service_areas", "either [national] or a list of areas, not both", list(areas))
    phones = _phones(c, entry, item)
    if not phones and not item.get("url") and not item.get("email"):
        c.problem(entry, "phones", "at least one way to get in touch (phone, url or email)", "none")
    minimum, maximum = c.months(entry, item, "minimum_age_months"), c.months(entry, item, "maximum_age_months")
    if minimum is not None and maximum is not None and minimum > maximum:
        c.problem(entry, "maximum_age_months", f"at least minimum_age_months ({minimum})", maximum)
    return Service(
        id=c.ident(entry, item),
        name=c.text(entry, item, "name"),
        organization=str(org_name or ""),
        description=c.text(entry, item, "description"),
        needs=c.id_list(entry, item, "needs", c.need_ids),
        service_areas=areas,
        phones=phones,
        schedules=_schedules(c, entry, item),
        schedule_description=c.text(entry, item, "schedule_description"),
        fees_description=c.text(entry, item, "fees_description"),
        free=bool(c.flag(entry, item, "free")),
        self_referral=bool(c.flag(entry, item, "self_referral")),
        application_process=c.text(entry, item, "application_process"),
        eligibility_description=c.text(entry, item, "eligibility_description"),
        languages=_languages(c, entry, item),
        assured_date=assured,
        source=c.text(entry, item, "source"),
        status=str(status),
        url=c.web_address(entry, item),
        email=c.email(entry, item),
        pregnant=c.flag(entry, item, "pregnant", required=False),
        minimum_age_months=minimum,
        maximum_age_months=maximum,
        interpretation_services=c.text(entry, item, "interpretation_services", required=False),
        accessibility=c.text(entry, item, "accessibility", required=False),
    )
