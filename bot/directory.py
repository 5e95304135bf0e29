"""The services directory: load `services_directory.yml`, check it, and hold it in memory.

A partnership edits the YAML by hand, so every problem is reported at once, each naming the
file, the entry and the field, instead of stopping at the first one.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from bot import directory_cache
from bot.safe_fields import has_markup, is_email, is_web_address
from bot.yaml_files import LOADER

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
_LOADER = LOADER  # libyaml's when PyYAML has it (bot/yaml_files.py)


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Hold Python's cycle collector off while a big file becomes objects.

    Reading YAML makes millions of small objects and holds them all; each automatic
    collection would walk every one made so far, which makes reading 100 MB about three times
    slower. Objects are still freed as soon as nothing refers to them; only garbage that
    refers to itself waits, for the collector's next run once it is back on.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


# Every field the directory may hold; anything else is usually a typo or a comma that
# YAML read as a new key ({label: A safe, warm place} makes "warm place" a key).
KNOWN_FIELDS = {
    "needs": {"id", "label", "short_label", "keywords"},
    "areas": {
        "id",
        "name",
        "gss_code",
        "postcode_districts",
        "shared_postcode_districts",
        "places",
        "contact",
    },
    "services": {
        "id",
        "name",
        "organization",
        "description",
        "needs",
        "service_areas",
        "phones",
        "url",
        "email",
        "schedules",
        "schedule_description",
        "fees_description",
        "free",
        "self_referral",
        "application_process",
        "eligibility_description",
        "pregnant",
        "minimum_age_months",
        "maximum_age_months",
        "languages",
        "interpretation_services",
        "accessibility",
        "descriptions",
        "assured_date",
        "last_modified",
        "source",
        "status",
        "local_edits",
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
    directory_email: str = ""  # who corrects directory entries ("Report a problem")


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
class PlaceNames:
    """How place names are read (the directory's `place_names` section).

    `ordinary_words`: place names that are also everyday words or first names ("Park",
    "Idle", "Victoria"); they count only with a cue ("in Park ward"), the town, or alone.
    `elsewhere`: places outside the five areas, so "Leeds" is known to be outside and
    "Clifton" or "Eastwood" (here and elsewhere too) are asked about, never guessed.
    `cues_before` / `cues_after`: words that mark a name as a place ("in", "estate").
    """

    ordinary_words: tuple[str, ...] = ()
    elsewhere: tuple[str, ...] = ()
    cues_before: tuple[str, ...] = ()
    cues_after: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Phone:
    number: str
    type: str = "voice"
    description: str = ""


@dataclass(frozen=True, slots=True)
class OpeningTime:
    byday: tuple[str, ...]
    opens_at: str
    closes_at: str

    def is_open(self, day: str, hhmm: str) -> bool:
        return day in self.byday and self.opens_at <= hhmm < self.closes_at


@dataclass(frozen=True, slots=True)
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
    # The description in other languages, where the directory has one: (code, text).
    descriptions: tuple[tuple[str, str], ...] = ()

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
    services: Mapping[str, Service]
    path: str = ""
    place_names: PlaceNames = field(default_factory=PlaceNames)
    _index: dict[tuple[str, str], list[str]] = field(default_factory=dict, repr=False)
    _listed: dict[tuple[str, str], list[Service]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # Built once so a search is a dict lookup, not a scan, even at 100,000 services.
        placements = getattr(self.services, "placements", None)
        for service_id, needs, areas, shown in placements() if placements else self._placements():
            if not shown:
                continue
            for need in needs:
                for area in areas:
                    self._index.setdefault((need, area), []).append(service_id)

    def _placements(self):
        for s in self.services.values():
            yield s.id, s.needs, s.service_areas, s.shown_to_parents

    @cached_property
    def language_names(self) -> dict[str, str]:
        """Every language some service speaks: code -> name, sorted by name (worked out once)."""
        found = {code: name for s in self.services.values() for code, name in s.languages}
        return dict(sorted(found.items(), key=lambda pair: pair[1]))

    def listed(self, need: str, area: str) -> list[Service]:
        """Services shown to parents for this need in this area, in directory order."""
        key = (need, area)
        found = self._listed.get(key)
        if found is None:
            found = self._listed[key] = [self.services[i] for i in self._index.get(key, ())]
        return found


def load_directory(path: Path | str = DEFAULT_PATH) -> Directory:
    """Read and check the directory; raise DirectoryError listing every problem.

    A big file is read on every core and its checked copy kept (bot/big_directory.py,
    bot/directory_cache.py), so a restart with the same file and code reads only the copy.
    """
    from bot import big_directory  # it builds on this module

    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DirectoryError(path, ["the file does not exist"]) from None
    copy = directory_cache.copy_for(data)
    kept = directory_cache.read(copy)
    if kept is not None:
        return big_directory.directory_from_copy(kept, str(path))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DirectoryError(path, [f"not UTF-8 text: {error}"]) from None
    try:
        directory = _read_big(text, path) if copy is not None else _read_whole(text, path)
    except DirectoryError as error:
        directory_cache.write(copy, {"problems": error.problems})
        raise
    directory_cache.write(copy, big_directory.copy_of(directory))
    return directory


def _read_whole(text: str, path: Path) -> Directory:
    try:
        with no_cycle_collection():
            raw = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        raise DirectoryError(path, [f"not valid YAML: {error}"]) from None
    return parse_directory(raw, path)


def _read_big(text: str, path: Path) -> Directory:
    from bot import big_directory

    try:
        return big_directory.parse_on_every_core(text, str(path))
    except (big_directory.Unsplittable, yaml.YAMLError):
        return _read_whole(text, path)


def check_head(raw: dict) -> tuple[_Checker, dict[str, Need], dict[str, Area], PlaceNames]:
    """Check the needs, areas and place names; the checker then knows the need and area ids
    for checking services."""
    checker = _Checker()
    needs = {n.id: n for n in checker.each(raw, "needs", _need)}
    areas = {a.id: a for a in checker.each(raw, "areas", _area)}
    place_names = _place_names(checker, raw.get("place_names"))
    # Ids as written, even of entries with problems, so one bad area doesn't also fail
    # every service in it.
    checker.need_ids = {
        i["id"]
        for i in raw.get("needs") or []
        if isinstance(i, dict) and isinstance(i.get("id"), str)
    }
    checker.area_ids = {
        i["id"]
        for i in raw.get("areas") or []
        if isinstance(i, dict) and isinstance(i.get("id"), str)
    }
    checker.area_ids.add(NATIONAL)
    return checker, needs, areas, place_names


def duplicate_problems(service_ids) -> list[str]:
    """One problem for each service id seen before, in order."""
    seen: set[str] = set()
    problems = []
    for service_id in service_ids:
        if service_id in seen:
            problems.append(
                f"service '{service_id}', field 'id': expected a unique id, got a duplicate"
            )
        seen.add(service_id)
    return problems


def parse_directory(raw: Any, path: Path | str = "<directory>") -> Directory:
    if not isinstance(raw, dict):
        raise DirectoryError(path, ["expected a mapping with keys needs, areas, services"])
    checker, needs, areas, place_names = check_head(raw)
    listed = checker.each(raw, "services", _service)
    checker.problems.extend(duplicate_problems(s.id for s in listed))
    services = {s.id: s for s in listed}
    checker.check_unique_ids("need", raw.get("needs"))
    checker.check_unique_ids("area", raw.get("areas"))
    if checker.problems:
        raise DirectoryError(path, checker.problems)
    return Directory(
        needs=needs, areas=areas, services=services, path=str(path), place_names=place_names
    )


class _Checker:
    """Collects problems while reading entries; each reader returns None if an entry is unusable."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.need_ids: set[str] = set()
        self.area_ids: set[str] = set()

    def problem(self, entry: str, field_name: str, expected: str, got: Any) -> None:
        got_text = got if isinstance(got, str) and got.startswith(("a ", "an ")) else repr(got)
        self.problems.append(f"{entry}, field '{field_name}': expected {expected}, got {got_text}")

    def each(self, raw: dict, key: str, reader, start: int = 0) -> list:
        """Read each entry of a list; `start` is the first entry's position in the whole file."""
        items = raw.get(key)
        if not isinstance(items, list) or not items:
            self.problems.append(f"top level, field '{key}': expected a non-empty list")
            return []
        out = []
        for position, item in enumerate(items):
            label = f"{key[:-1]} #{start + position + 1}"
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                label = f"{key[:-1]} '{item['id']}'"
            if not isinstance(item, dict):
                self.problem(label, "(entry)", "a mapping of fields", item)
                continue
            before = len(self.problems)
            for unknown in sorted(set(map(str, item)) - KNOWN_FIELDS.get(key, set(map(str, item)))):
                self.problem(
                    label, unknown, "a known field (docs/directory-format.md)", "an unknown field"
                )
            value = reader(self, label, item)
            if value is not None and len(self.problems) == before:
                out.append(value)
        return out

    def check_unique_ids(self, kind: str, items: Any) -> None:
        seen: set[object] = set()
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
            self.problem(
                entry, name, "plain text (no HTML tags, entities or script: addresses)", value
            )
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

    def strings(
        self, entry: str, item: dict, name: str, pattern: re.Pattern | None = None
    ) -> tuple[str, ...]:
        value = item.get(name, [])
        if not isinstance(value, list):
            self.problem(entry, name, "a list", value)
            return ()
        for position, one in enumerate(value):
            if not isinstance(one, str) or (pattern and not pattern.match(one)):
                self.problem(
                    entry,
                    f"{name}[{position}]",
                    "a postcode district like BD7" if pattern else "text",
                    one,
                )
        return tuple(str(v) for v in value)


def _place_names(c: _Checker, raw: Any) -> PlaceNames:
    if raw is None:
        return PlaceNames()
    if not isinstance(raw, dict):
        c.problem("place_names", "(section)", "a mapping of lists", raw)
        return PlaceNames()
    fields = ("ordinary_words", "elsewhere", "cues_before", "cues_after")
    for unknown in sorted(set(map(str, raw)) - set(fields)):
        c.problem("place_names", unknown, f"one of {list(fields)}", "an unknown field")
    return PlaceNames(*(c.strings("place_names", raw, name) for name in fields))


def _need(c: _Checker, entry: str, item: dict) -> Need | None:
    short = c.text(entry, item, "short_label")
    if len(short) > 28:
        c.problem(entry, "short_label", "at most 28 characters (it is a button)", short)
    keywords = c.strings(entry, item, "keywords")
    return Need(
        c.ident(entry, item),
        c.text(entry, item, "label"),
        short,
        tuple(k.lower() for k in keywords),
    )


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
                directory_email=str(raw_contact.get("directory_email") or ""),
            )
            if contact.directory_email and not re.match(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$", contact.directory_email
            ):
                c.problem(
                    entry, "contact.directory_email", "an email address", contact.directory_email
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
            c.problem(
                entry,
                f"{where}.number",
                'digits and spaces in quotes, like "0808 2000 247"',
                number,
            )
        if raw.get("type", "voice") not in PHONE_TYPES:
            c.problem(entry, f"{where}.type", "voice or text", raw.get("type"))
        phones.append(
            Phone(str(number), raw.get("type", "voice"), str(raw.get("description") or ""))
        )
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
        if (
            not isinstance(raw, dict)
            or not re.match(r"^[a-z]{2,3}$", str(raw.get("code", "")))
            or not raw.get("name")
        ):
            c.problem(
                entry, f"languages[{position}]", "{code: <ISO 639 code>, name: <language>}", raw
            )
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
        c.problem(
            entry, "service_areas", "either [national] or a list of areas, not both", list(areas)
        )
    phones = _phones(c, entry, item)
    if not phones and not item.get("url") and not item.get("email"):
        c.problem(entry, "phones", "at least one way to get in touch (phone, url or email)", "none")
    minimum, maximum = (
        c.months(entry, item, "minimum_age_months"),
        c.months(entry, item, "maximum_age_months"),
    )
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
        descriptions=_descriptions(c, entry, item),
    )


def _descriptions(c: _Checker, entry: str, item: dict) -> tuple[tuple[str, str], ...]:
    """`descriptions: {ur: "...", pl: "..."}`: the description in other languages (optional)."""
    value = item.get("descriptions")
    if value is None:
        return ()
    if not isinstance(value, dict):
        c.problem(entry, "descriptions", "a mapping like {ur: <description in Urdu>}", value)
        return ()
    out = []
    for code, text in value.items():
        if not re.match(r"^[a-z]{2,3}$", str(code)):
            c.problem(entry, f"descriptions.{code}", "an ISO 639 code as the key", code)
        elif not isinstance(text, str) or not text.strip() or has_markup(text):
            c.problem(entry, f"descriptions.{code}", "plain text", text)
        else:
            out.append((str(code), text.strip()))
    return tuple(out)
