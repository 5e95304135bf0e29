"""Import services from a council's Open Referral UK / HSDS 3.0 feed into the directory.

`python -m bot import-oruk URL --output FILE` reads every page of `GET {URL}/services`, turns
each service into a directory entry and merges the entries into FILE. What it skips, and
why, is said first; a malformed record (or a v3 record failing HSDS 3.0's `service.json`) is
one of the skipped, by id and path. A problem with the feed itself, or a result the
directory checks refuse, stops the import with one line and leaves FILE exactly as it was.
`--dry-run` writes nothing; `--list-terms` lists the feed's taxonomy terms for the mapping.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import os
import re
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests
import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from bot.directory import DAYS, DEFAULT_PATH, NATIONAL, DirectoryError, parse_directory
from bot.hsds_schema import service_problems
from bot.safe_fields import has_markup, is_email, is_web_address
from bot.search import clock
from bot.tools.hsds_export import TAXONOMY as OWN_TAXONOMY
from bot.tools.hsds_export import UK_GSS_CODE

MAPPING_PATH = Path(__file__).resolve().parents[1] / "words" / "taxonomy_map.yml"
PER_PAGE = 50
MAX_PAGES = 2000  # a feed that never says "last page" must not loop forever
ID_PREFIX = "oruk-"
CLOSED = ("inactive", "defunct", "temporarily closed")
# The fields an import writes. Anything else in an entry (accessibility, pregnant, ...) was
# added by hand and is never touched; `local_edits` protects imported fields too.
IMPORTED_FIELDS = (
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
    "languages",
    "interpretation_services",
    "assured_date",
    "source",
    "status",
)
# Said to parents when the feed is silent, so an entry never claims something we don't know.
NOT_STATED = "Not stated - please ask the service."
NO_HOURS = "Opening times not listed - please check with the service."
HOW_TO_APPLY = "Contact the service to ask how to get help from them."
DAY_NAMES = dict(
    zip(
        DAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)


class FeedError(Exception):
    """The import can't go ahead; the message is one line naming the page, record or file."""


# ---------------------------------------------------------------- reading the feed


@dataclass
class _Page:
    records: list
    first: bool
    last: bool
    total_pages: int | None
    version: str  # "v1" or "v3": which ORUK envelope the page came in


@dataclass
class FeedRecord:
    """One service in the feed: where it was, the record, and why it can't be used (or "")."""

    where: str
    record: Any
    version: str
    problem: str = ""


def _kind(value: Any) -> str:
    return {
        dict: "object",
        list: "list",
        str: "string",
        bool: "true/false",
        type(None): "null",
    }.get(type(value), "number")


class Feed:
    """One feed's `/services`, read page by page in either ORUK envelope."""

    def __init__(self, url: str, timeout: float, session: requests.Session | None = None):
        self.url = url.rstrip("/")
        self.services_url = self.url if self.url.endswith("/services") else f"{self.url}/services"
        self.timeout = timeout
        self.session = session or requests.Session()

    def records(self) -> list[FeedRecord]:
        """Every service record with where it came from ("page 2, record 7").

        A record that isn't a service object with an id comes back with its `problem`, so the
        import can list it as skipped and go on with the rest.
        """
        pages = [(1, self._page(1))]
        if not pages[0][1].first:  # zero-based numbering: page=1 was the feed's second page
            pages.insert(0, (0, self._page(0)))
        number, current = pages[-1]
        while not (
            current.last
            or not current.records
            or (current.total_pages is not None and len(pages) >= current.total_pages)
        ):
            if len(pages) >= MAX_PAGES:
                raise FeedError(
                    f"page {number}: still not the last page after {MAX_PAGES} pages; stopping"
                )
            number += 1
            current = self._page(number)
            pages.append((number, current))
        found = []
        for number, page in pages:
            for position, record in enumerate(page.records, start=1):
                where = f"page {number}, record {position}"
                if (
                    not isinstance(record, dict)
                    or not isinstance(record.get("id"), (str, int))
                    or record.get("id") == ""
                ):
                    kind = (
                        "an object without an id"
                        if isinstance(record, dict)
                        else f"a {_kind(record)}"
                    )
                    found.append(
                        FeedRecord(
                            where,
                            record,
                            page.version,
                            f"malformed record: expected a service object with an id, got {kind}",
                        )
                    )
                    continue
                where = f"{where} (id {record['id']!r})"
                if not any(
                    key in record
                    for key in (
                        "taxonomy_terms",
                        "attributes",
                        "service_taxonomys",
                        "phones",
                        "contacts",
                    )
                ):
                    record = self._detail(record, where)  # HSDS 3.0 lists may give only a summary
                found.append(FeedRecord(where, record, page.version))
        return found

    def _page(self, number: int) -> _Page:
        where = f"page {number}"
        body = self._get(self.services_url, {"page": number, "per_page": PER_PAGE}, where)
        if not isinstance(body, dict):
            raise FeedError(
                f"{where}: expected a page of services (an ORUK v1 or v3 envelope), got a JSON {_kind(body)}"
            )
        if "contents" in body:  # ORUK v3 / HSDS 3.0
            version, records, first, last, total = (
                "v3",
                body["contents"],
                body.get("first_page"),
                body.get("last_page"),
                body.get("total_pages"),
            )
        elif "content" in body:  # ORUK v1
            version, records, first, last, total = (
                "v1",
                body["content"],
                body.get("first"),
                body.get("last"),
                body.get("totalPages"),
            )
        else:
            keys = ", ".join(sorted(body)[:6]) or "none"
            raise FeedError(
                f"{where}: not an ORUK v1 (`content`) or v3 (`contents`) page of services (keys: {keys})"
            )
        if not isinstance(records, list):
            raise FeedError(f"{where}: the list of services is a {_kind(records)}, not a list")
        if any(flag is not None and not isinstance(flag, bool) for flag in (first, last)):
            raise FeedError(f"{where}: first/last page flags should be true or false")
        if total is not None and (
            not isinstance(total, int) or isinstance(total, bool) or total < 0
        ):
            raise FeedError(f"{where}: the page count should be a whole number, got {total!r}")
        return _Page(records, first is not False, bool(last), total, version)

    def _detail(self, summary: dict, where: str) -> dict:
        url = f"{self.services_url}/{quote(str(summary['id']), safe='')}"
        record = self._get(url, None, f"{where} (details)")
        if not isinstance(record, dict) or str(record.get("id")) != str(summary["id"]):
            raise FeedError(
                f"{where} (details): expected the service object with id {summary['id']!r}"
            )
        return record

    def _get(self, url: str, params: dict | None, where: str) -> Any:
        try:
            response = self.session.get(
                url, params=params, timeout=self.timeout, headers={"Accept": "application/json"}
            )
        except requests.Timeout:
            raise FeedError(f"{where}: no answer from {url} within {self.timeout:g} s") from None
        except requests.RequestException as error:
            if "timed out" in str(error).lower():
                raise FeedError(
                    f"{where}: no answer from {url} within {self.timeout:g} s"
                ) from None
            reason = (
                "connection refused" if "refused" in str(error).lower() else type(error).__name__
            )
            raise FeedError(f"{where}: could not reach {url} ({reason})") from None
        if response.status_code != 200:
            raise FeedError(f"{where}: {url} answered HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError:
            kind = response.headers.get("Content-Type") or "no content type"
            raise FeedError(f"{where}: {url} did not answer with JSON (got {kind})") from None


# ---------------------------------------------------------------- one record -> one entry


def _clean(value: Any) -> str:
    # Feeds often carry HTML; parents must never see tags or entities.
    text = html.unescape(re.sub(r"<[^>]+>", " ", str(value)))
    return re.sub(r"\s+", " ", text).strip()


def _carries_markup(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_carries_markup(v) for v in value.values())
    if isinstance(value, list):
        return any(_carries_markup(v) for v in value)
    return has_markup(value) if isinstance(value, str) else False


def _text(item: dict | None, key: str, where: str) -> str:
    value = (item or {}).get(key)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise FeedError(f"{where}: malformed record: `{key}` should be text, got a {_kind(value)}")
    return _clean(value)


def _list(item: dict, key: str, where: str) -> list[dict]:
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or any(not isinstance(one, dict) for one in value):
        raise FeedError(f"{where}: malformed record: `{key}` should be a list of objects")
    return value


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _time(value: Any, closing: bool = False) -> str | None:
    # "09:00", "9:00:00", "09:00Z", "09:00+01:00": UK services, so local time is assumed.
    match = re.match(r"^(\d{1,2}):(\d{2})", str(value or ""))
    if not match or int(match.group(1)) > 24 or int(match.group(2)) > 59:
        return None
    hhmm = f"{int(match.group(1)):02d}:{match.group(2)}"
    if closing and hhmm == "00:00":
        return "24:00"
    return hhmm if hhmm <= "24:00" else None


def _days(value: Any) -> list[str] | None:
    parts = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else []
    days = {str(part).strip().upper() for part in parts}
    if not days or not days <= set(DAYS):
        return None  # "2MO" (monthly) and the like can't be a weekly opening
    return [day for day in DAYS if day in days]


def _day_words(days: list[str]) -> str:
    positions = [DAYS.index(day) for day in days]
    if len(days) > 2 and positions == list(range(positions[0], positions[-1] + 1)):
        return f"{DAY_NAMES[days[0]]} to {DAY_NAMES[days[-1]]}"
    return ", ".join(DAY_NAMES[day] for day in days)


def _phone_number(raw: str, country_code: Any = None) -> str | None:
    """A UK number in the national form our directory uses ("01234 234567"), or None.

    "+44 1234 234567", "0044 1234 234567", "+44 (0)1234 234567" and a number given with
    `country_code` 44 all become "01234 234567". A number abroad can't be dialled as a UK
    number, so it is left out rather than written wrongly.
    """
    number = re.sub(
        r"[^0-9+ ]", " ", raw.replace("(0)", " ")
    ).strip()  # quotes, dashes, dots, brackets
    international = re.match(r"^(?:\+|00)\s*(\d{1,3})", number)
    code = re.sub(r"\D", "", str(country_code)) if country_code not in (None, "") else ""
    if international:
        if not number.replace(" ", "").lstrip("+").startswith(("44", "0044")):
            return None
        number = "0" + re.sub(r"^(?:\+|00)\s*44\s*", "", number).lstrip("0 ")
    elif code:
        if code != "44":
            return None
        number = number if number.startswith("0") else "0" + number
    number = re.sub(r"\s+", " ", number.replace("+", "")).strip()
    return number if re.match(r"^[0-9 ]{3,16}$", number) else None


class Mapper:
    """Turns a feed record into an entry of our format, or says why it can't."""

    def __init__(
        self,
        feed_url: str,
        needs_by_term: dict[str, str],
        areas: list[dict],
        area: str | None,
        today: dt.date,
    ):
        self.source = f"{feed_url} (imported {today.isoformat()})"
        self.needs_by_term = needs_by_term
        self.areas = areas
        self.area = area

    def entry(self, record: dict, where: str) -> tuple[dict | None, str]:
        name = _text(record, "name", where)
        if not name:
            return None, "no name"
        organization = record.get("organization")
        if organization is not None and not isinstance(organization, dict):
            raise FeedError(f"{where}: malformed record: `organization` should be an object")
        org_name = _text(organization, "name", where)
        description = _text(record, "description", where)
        phones = self._phones(record, where)
        url = _text(record, "url", where)
        url = url if is_web_address(url) else ""
        email = _text(record, "email", where)
        email = email if is_email(email) else ""
        if not (phones or url or email):
            return None, "no phone number, website or email"
        if not org_name:
            return None, "no organisation name"
        if not description:
            return None, "no description"
        needs, terms = self._needs(record, where)
        if not needs:
            listed = ", ".join(repr(t) for t in terms[:5]) or "none"
            return (
                None,
                f"no need we can map from its taxonomy terms ({listed}); add them to the mapping",
            )
        areas, why_not = self._areas(record, where)
        if not areas:
            return None, why_not
        assured = _date(record.get("assured_date"))
        checked = assured or _date(record.get("last_modified"))
        if not checked:
            return None, "no assured_date or last_modified, so we can't tell how old it is"
        feed_status = _text(record, "status", where).lower()
        # Shown to parents only when the council says it is active AND says when it was checked.
        status = (
            feed_status
            if feed_status in CLOSED
            else "active"
            if feed_status == "active" and assured
            else "verify"
        )

        entry: dict[str, Any] = {
            "id": entry_id(record),
            "name": name,
            "organization": {"name": org_name},
            "description": description,
            "needs": needs,
            "service_areas": areas,
            "phones": phones,
            "url": url,
            "email": email,
        }
        entry.update(self._schedules(record, where))
        fees = _text(record, "fees_description", where) or _text(record, "fees", where)
        entry["fees_description"] = fees or NOT_STATED
        entry["free"] = (
            bool(re.match(r"^(free|no charge|none)\b", fees.lower())) and "£" not in fees
        )
        entry["self_referral"] = False  # HSDS has no field for it; a partnership checks and sets it
        entry["application_process"] = _text(record, "application_process", where) or HOW_TO_APPLY
        entry.update(self._eligibility(record, where))
        entry["languages"] = self._languages(record, where)
        entry["interpretation_services"] = _text(record, "interpretation_services", where)
        entry["assured_date"] = checked
        entry["source"] = self.source
        entry["status"] = status
        marked = next((k for k, v in entry.items() if _carries_markup(v)), None)
        if marked:
            return (
                None,
                f"markup or a script address in its {marked} (the same check as `validate`)",
            )
        return {k: v for k, v in entry.items() if v not in ("", None)}, ""

    def _phones(self, record: dict, where: str) -> list[dict]:
        raw = _list(record, "phones", where) + [
            p for c in _list(record, "contacts", where) for p in _list(c, "phones", where)
        ]
        phones, seen = [], set()
        for phone in raw:
            given = (_text(phone, "type", where) or "voice").lower()
            kind = (
                "voice"
                if given in ("voice", "cell", "mobile", "landline")
                else "text"
                if given in ("text", "sms")
                else None
            )
            number = _phone_number(_text(phone, "number", where), phone.get("country_code"))
            if kind and number and number not in seen:  # fax, pager, video: not for parents
                seen.add(number)
                note = _text(phone, "description", where)
                phones.append(
                    {"number": number, "type": kind, **({"description": note} if note else {})}
                )
        return phones

    def _terms(self, record: dict, where: str) -> list[dict]:
        terms = list(_list(record, "taxonomy_terms", where))
        for attribute in _list(record, "attributes", where):
            if isinstance(attribute.get("taxonomy_term"), dict):
                terms.append(attribute["taxonomy_term"])
        for link in _list(record, "service_taxonomys", where):  # ORUK v1
            if isinstance(link.get("taxonomy"), dict):
                terms.append(link["taxonomy"])
        return terms

    def _needs(self, record: dict, where: str) -> tuple[list[str], list[str]]:
        needs: list[str] = []
        labels = []
        for term in self._terms(record, where):
            label, keys = term_keys(term, where)
            labels.append(label)
            for key in keys:
                need = self.needs_by_term.get(key.lower())
                if need and need not in needs:
                    needs.append(need)
        return needs, labels

    def _areas(self, record: dict, where: str) -> tuple[list[str], str]:
        if self.area:
            return [self.area], ""
        named = _list(record, "service_areas", where)
        if not named:
            return [], "the feed gives no service area; use --area"
        found, unknown = [], []
        for raw in named:
            texts = [
                _text(raw, key, where) for key in ("service_area", "name", "description", "uri")
            ]
            if any(t.lower() == "united kingdom" or UK_GSS_CODE in t for t in texts if t):
                return [NATIONAL], ""  # the whole UK: one of our national services
            match = next((a["id"] for a in self.areas if _area_matches(a, texts)), None)
            if match and match not in found:
                found.append(match)
            elif not match:
                unknown.append(next(filter(None, texts), "?"))
        if unknown:  # part of its area isn't ours: a partnership decides, with --area
            return (
                [],
                f"service area {unknown[0]!r} is not one of our areas; use --area to import it anyway",
            )
        return found, ""

    def _schedules(self, record: dict, where: str) -> dict:
        weekly: list[dict[str, Any]] = []
        notes, exact = [], True
        for raw in _list(record, "schedules", where) + _list(record, "regular_schedules", where):
            note = _text(raw, "description", where)
            if note and note not in notes:  # HSDS may repeat one description on every schedule
                notes.append(note)
            timed = any(raw.get(key) for key in ("byday", "opens_at", "closes_at", "bymonthday"))
            days, opens, closes = (
                _days(raw.get("byday")),
                _time(raw.get("opens_at")),
                _time(raw.get("closes_at"), closing=True),
            )
            weekly_rule = str(raw.get("freq") or "WEEKLY").upper() == "WEEKLY" and raw.get(
                "interval"
            ) in (None, "", 1, "1")
            if weekly_rule and days and opens and closes and opens < closes:
                weekly.append({"byday": days, "opens_at": opens, "closes_at": closes})
            elif timed:
                exact = False
        if not exact:
            # A monthly or fortnightly session can't be a weekly opening: with only part of the
            # hours we would tell a parent "closed" when it is open. Keep the words only.
            weekly = []
        described = "; ".join(
            f"{_day_words(s['byday'])}, {clock(s['opens_at'])} to {clock(s['closes_at'])}"
            for s in weekly
        )
        return {
            "schedules": weekly,
            "schedule_description": "; ".join(notes) or described or NO_HOURS,
        }

    def _eligibility(self, record: dict, where: str) -> dict:
        rules = _list(record, "eligibilitys", where)  # ORUK v1
        text = _text(record, "eligibility_description", where) or "; ".join(
            filter(None, (_text(r, "eligibility", where) for r in rules))
        )
        # HSDS ages are the service user's, often the parent's; ours are the child's, so the
        # ages go into the words and a partnership sets minimum/maximum_age_months by hand.
        low, high = (
            next(
                (_clean(one[key]) for one in [record, *rules] if one.get(key) not in (None, "")), ""
            )
            for key in ("minimum_age", "maximum_age")
        )
        ages = (
            f"Ages {low} to {high}."
            if low and high
            else f"Age {low} and over."
            if low
            else f"Up to age {high}."
            if high
            else ""
        )
        text = " ".join(filter(None, (text.rstrip(".") + "." if text else "", ages)))
        return {"eligibility_description": text or NOT_STATED}

    def _languages(self, record: dict, where: str) -> list[dict]:
        languages: list[dict[str, str]] = []
        for raw in _list(record, "languages", where):
            code, name = _text(raw, "code", where).lower(), _text(raw, "name", where)
            if (
                re.match(r"^[a-z]{2,3}$", code)
                and name
                and code not in [one["code"] for one in languages]
            ):
                languages.append({"code": code, "name": name})
        # ORUK v1 gives only names; English is what every listed UK service offers.
        return languages or [{"code": "en", "name": "English"}]


def term_keys(term: dict, where: str) -> tuple[str, list[str]]:
    """A taxonomy term's label and the keys the mapping may know it by, most exact first."""
    code, ident = _text(term, "code", where), _text(term, "id", where)
    vocabulary = _text(term, "vocabulary", where) or _text(term, "taxonomy", where)
    name = _text(term, "name", where) or _text(term, "term", where)
    keys = [
        code,
        f"{vocabulary}:{code}" if vocabulary and code else "",
        f"{vocabulary}:{ident}" if vocabulary and ident else "",
        name,
    ]
    return name or code or ident, list(dict.fromkeys(filter(None, keys)))


def _suggested_key(term: dict, where: str) -> str:
    # The most exact key for a new mapping line: "<vocabulary>:<code>", else the code, ...
    code, ident = _text(term, "code", where), _text(term, "id", where)
    vocabulary = _text(term, "vocabulary", where) or _text(term, "taxonomy", where)
    name = _text(term, "name", where) or _text(term, "term", where)
    if code:
        return f"{vocabulary}:{code}" if vocabulary and ":" not in code else code
    return f"{vocabulary}:{ident}" if vocabulary and ident else name or ident


def entry_id(record: dict) -> str:
    """Our id for a feed record: stable across imports, so an update finds its entry."""
    return ID_PREFIX + (re.sub(r"[^a-z0-9]+", "-", str(record["id"]).lower()).strip("-") or "x")


def _area_matches(area: dict, texts: list[str]) -> bool:
    names = {
        str(n).lower() for n in (area.get("id"), area.get("name"), *(area.get("places") or [])) if n
    }
    gss = str(area.get("gss_code") or "")
    return any(t.lower() in names or (gss and gss in t) for t in texts if t)


# ---------------------------------------------------------------- merging and writing


def _yaml() -> YAML:
    handler: Any = YAML()  # ruamel types its settings as None
    handler.indent(
        mapping=2, sequence=4, offset=2
    )  # the directory's own layout, so diffs stay small
    handler.width = 4096
    handler.preserve_quotes = True
    return handler


_RESOLVER = yaml.resolver.Resolver()


def _scalar(value: Any) -> Any:
    # The bot reads with PyYAML (YAML 1.1): quote "10:00", "no", "999" so they stay text, and
    # every time and phone number, as the directory writes them.
    if isinstance(value, str) and (
        value[:1].isdigit()
        or _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str"
    ):
        return DoubleQuotedScalarString(value)
    return value


def _styled(value: Any, flow: bool = False) -> Any:
    """Plain data as the directory writes it: short lists and phones/schedules on one line."""
    if isinstance(value, dict):
        out = CommentedMap((k, _styled(v, flow)) for k, v in value.items())
        if flow:
            out.fa.set_flow_style()
        return out
    if isinstance(value, list):
        scalars = all(not isinstance(v, (dict, list)) for v in value)
        seq = CommentedSeq(_styled(v, flow) for v in value)
        if scalars or flow:
            seq.fa.set_flow_style()
        return seq
    return _scalar(value)


def _styled_service(entry: dict) -> CommentedMap:
    out = CommentedMap()
    for key, value in entry.items():
        if key in ("phones", "schedules"):
            out[key] = CommentedSeq(_styled(v, flow=True) for v in value)
            if not value:
                out[key].fa.set_flow_style()
        else:
            out[key] = _styled(value, flow=key in ("organization", "languages"))
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, str) else value


@dataclass
class Outcome:
    added: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    changed: list[tuple[str, list[str], list[str]]] = field(
        default_factory=list
    )  # (id, fields, local edits kept)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (which record, why)
    unchanged: int = 0
    gone: list[str] = field(default_factory=list)  # ours from this feed, no longer in it

    def skipped_lines(self) -> list[str]:
        """What was left out and why: said first, before anything is checked or written."""
        return [f"Skipped {len(self.skipped)}:"] + [
            f"  - {which}: {why}" for which, why in self.skipped
        ]

    def lines(self) -> list[str]:
        out = [f"Added {len(self.added)}:"] + [f"  + {ident}  {name}" for ident, name in self.added]
        out.append(f"Changed {len(self.changed)}:")
        for ident, fields, kept in self.changed:
            out.append(
                f"  ~ {ident}: {', '.join(fields)}"
                + (f" (kept local edits: {', '.join(kept)})" if kept else "")
            )
        out.append(f"Unchanged {self.unchanged}.")
        if self.gone:
            out.append(
                f"No longer in the feed ({len(self.gone)}), left as they are - set their status if they have closed: {', '.join(self.gone)}"
            )
        return out


def merge(
    document: CommentedMap,
    mapped: list[tuple[str, str, dict | None, str]],
    feed_url: str,
    file: str,
) -> Outcome:
    """Add new entries, update this feed's entries (except fields in `local_edits`), touch nothing else."""
    outcome = Outcome()
    services = document.get("services")
    if not isinstance(services, list):
        services = document["services"] = CommentedSeq()
    existing = {
        s["id"]: s for s in services if isinstance(s, dict) and isinstance(s.get("id"), str)
    }
    ours_prefix = f"{feed_url} (imported "
    in_feed: set[str] = set()
    for where, ident, entry, reason in mapped:
        if ident in in_feed:
            outcome.skipped.append((where, f"id {ident} appears twice in the feed"))
            continue
        in_feed.add(ident)
        if entry is None:
            outcome.skipped.append((where, reason))
            continue
        old = existing.get(ident)
        if old is None:
            if entry["status"] in CLOSED:
                outcome.skipped.append((where, f"{entry['status']} in the feed"))
                continue
            services.append(_styled_service(entry))
            services.yaml_set_comment_before_after_key(len(services) - 1, before="\n")
            outcome.added.append((ident, entry["name"]))
            continue
        if not str(old.get("source", "")).startswith(ours_prefix):
            outcome.skipped.append(
                (
                    where,
                    f"id {ident} is already used by an entry from elsewhere ({old.get('source')})",
                )
            )
            continue
        local_edits = old.get("local_edits") or []
        if not isinstance(local_edits, list) or not all(isinstance(f, str) for f in local_edits):
            raise FeedError(
                f"{file}: service '{ident}', field 'local_edits': expected a list of field names, like [description, phones]"
            )
        changed, kept = [], []
        for name in IMPORTED_FIELDS:
            if name == "source" or _plain(old.get(name)) == _plain(entry.get(name)):
                continue
            if name in local_edits:
                kept.append(name)
            elif name not in entry:
                del old[name]
                changed.append(name)
            else:
                old[name] = _styled_service({name: entry[name]})[name]
                changed.append(name)
        if changed:
            old["source"] = entry["source"]
            outcome.changed.append((ident, changed, kept))
        else:
            outcome.unchanged += 1
    outcome.gone = [
        i
        for i, s in existing.items()
        if i not in in_feed and str(s.get("source", "")).startswith(ours_prefix)
    ]
    return outcome


def load_mapping(path: Path | str, need_ids: set[str]) -> dict[str, str]:
    """Term code or name -> need id: the mapping file, plus our own taxonomy's terms.

    Every need id is known as "signpost-needs:<id>" (the taxonomy `python -m bot export-hsds`
    writes), so one deployment can import another's feed without a line per need.
    """
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise FeedError(
            f"{path}: can't read the taxonomy mapping ({type(error).__name__})"
        ) from None
    if not isinstance(raw, dict):
        raise FeedError(f"{path}: expected a mapping of term code or name -> need id")
    unknown = sorted({str(v) for v in raw.values() if v not in need_ids})
    if unknown:
        raise FeedError(
            f"{path}: maps to need id(s) the directory doesn't have: {', '.join(unknown)}"
        )
    mapping = {f"{OWN_TAXONOMY}:{need}": need for need in need_ids}
    mapping.update({str(k).strip().lower(): str(v) for k, v in raw.items()})
    return mapping


def _start_document(feed_url: str) -> CommentedMap:
    """A new output file: needs and areas from our directory, services from the feed."""
    try:
        base = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
        base["needs"], base["areas"]
    except (OSError, yaml.YAMLError, TypeError, KeyError):
        raise FeedError(
            f"{DEFAULT_PATH}: can't read needs and areas to start a new output file"
        ) from None
    document = CommentedMap(version=base.get("version", 1))
    document["needs"] = _styled(base["needs"])
    document["areas"] = _styled(base["areas"])
    document["services"] = CommentedSeq()
    document.yaml_set_start_comment(
        f"Services imported from {feed_url} by `python -m bot import-oruk`.\n"
        f"Needs and areas copied from {DEFAULT_PATH.name}; format: docs/directory-format.md."
    )
    return document


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` in one step: a reader sees the old file or the new one, never half."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
        os.chmod(temporary, mode)  # mkstemp makes 0600; keep what the file had
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _problem_of(error: FeedError, where: str) -> str:
    text = str(error)
    return text[len(where) + 2 :] if text.startswith(where + ": ") else text


def _schema_problem(found: FeedRecord) -> str:
    """Why a v3 record fails HSDS 3.0's service.json (structure only), or ""."""
    if found.version != "v3" or found.problem:
        return found.problem
    problems = service_problems(found.record, formats=False)
    if not problems:
        return ""
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"does not match HSDS 3.0 service.json at {problems[0]}{more}"


def _label(found: FeedRecord) -> str:
    name = found.record.get("name") if isinstance(found.record, dict) else None
    return (
        f"{found.where} {_clean(name)!r}" if isinstance(name, str) and name.strip() else found.where
    )


def import_feed(
    url: str,
    output: Path | str,
    mapping: Path | str = MAPPING_PATH,
    area: str | None = None,
    timeout: float = 20.0,
    today: dt.date | None = None,
    say=print,
    dry_run: bool = False,
) -> int:
    """The `import-oruk` command: 0 when FILE was written (or nothing changed), 1 otherwise.

    What is skipped, and why, is said first. A record the feed got wrong (not an object, no
    id, a v3 record that fails HSDS 3.0's `service.json`, a field of the wrong kind) is one
    of the skipped, named by id and path; the rest still import. With `dry_run` everything
    is checked and reported, and nothing is written.
    """
    output = Path(output)
    try:
        if output.exists():
            try:
                document = _yaml().load(output.read_text(encoding="utf-8"))
            except (
                Exception
            ) as error:  # ruamel has several error types; all mean "not YAML we can merge into"
                raise FeedError(
                    f"{output}: not valid YAML ({type(error).__name__}); fix it before importing"
                ) from None
            if not isinstance(document, CommentedMap):
                raise FeedError(f"{output}: expected a directory (needs, areas, services)")
        else:
            document = _start_document(url.rstrip("/"))
        need_ids = {
            n["id"]
            for n in document.get("needs") or []
            if isinstance(n, dict) and isinstance(n.get("id"), str)
        }
        areas = [a for a in document.get("areas") or [] if isinstance(a, dict)]
        if area is not None and area not in {a.get("id") for a in areas}:
            print(
                f"Unknown area {area!r}. Areas: {', '.join(str(a.get('id')) for a in areas)}",
                file=sys.stderr,
            )
            return 2
        needs_by_term = load_mapping(mapping, need_ids)
        feed = Feed(url, timeout)
        mapper = Mapper(feed.url, needs_by_term, areas, area, today or dt.date.today())
        mapped = []
        found_records = feed.records()
        for found in found_records:
            entry, reason = None, _schema_problem(found)
            if not reason:
                try:
                    entry, reason = mapper.entry(found.record, found.where)
                except FeedError as error:  # one record's field of the wrong kind: skip it, go on
                    reason = _problem_of(error, found.where)
            ident = (
                entry_id(found.record)
                if isinstance(found.record, dict) and "id" in found.record
                else found.where
            )
            mapped.append((_label(found), ident, entry, reason))
        say(f"Read {len(mapped)} service(s) from {feed.services_url}.")
        outcome = merge(document, mapped, feed.url, str(output))
        for line in outcome.skipped_lines():
            say(line)
        if not (outcome.added or outcome.changed or outcome.unchanged):
            what = "left as it was" if output.exists() else "not created"
            why = (
                "every service in the feed was skipped (reasons above)"
                if mapped
                else "the feed lists no services"
            )
            raise FeedError(f"Nothing to import: {why}; {output} {what}.")
        buffer = io.StringIO()
        _yaml().dump(document, buffer)
        text = buffer.getvalue()
        try:
            parse_directory(yaml.safe_load(text), output)
        except DirectoryError as error:
            problems = "; ".join(error.problems[:3]) + (
                f"; and {len(error.problems) - 3} more" if len(error.problems) > 3 else ""
            )
            raise FeedError(
                f"{output}: the merged directory would not pass the checks: {problems}"
            ) from None
    except FeedError as error:
        print(f"Import failed, nothing written. {error}", file=sys.stderr)
        return 1
    for line in outcome.lines():
        say(line)
    if not (outcome.added or outcome.changed) and output.exists():
        say(f"No changes; {output} left as it was.")
        return 0
    if dry_run:
        say(
            f"Dry run: nothing written. Without --dry-run, {output} would be {'updated' if output.exists() else 'created'}; "
            "the result passes `python -m bot validate`."
        )
        return 0
    write_atomically(output, text)
    say(
        f"Wrote {output}; it passes `python -m bot validate`. Imported entries with status `verify` are not shown to parents."
    )
    return 0


def list_terms(
    url: str, mapping: Path | str = MAPPING_PATH, timeout: float = 20.0, say=print
) -> int:
    """`import-oruk --list-terms URL`: every taxonomy term in the feed, how many services use
    it, and the need it maps to; unmapped ones as lines ready to paste into the mapping."""
    try:
        raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
        needs = raw.get("needs") if isinstance(raw, dict) else None
        need_ids = {
            n["id"] for n in needs or [] if isinstance(n, dict) and isinstance(n.get("id"), str)
        }
        needs_by_term = load_mapping(mapping, need_ids)
        feed = Feed(url, timeout)
        mapper = Mapper(feed.url, needs_by_term, [], None, dt.date.today())
        counts: dict[str, list] = {}  # suggested key -> [services, label, need or ""]
        everything = feed.records()
        records = [found for found in everything if not found.problem]
        for found in everything:
            if found.problem:
                say(f"  (left out {found.where}: {found.problem})")
                continue
            seen = set()
            try:
                terms = mapper._terms(found.record, found.where)
                for term in terms:
                    label, keys = term_keys(term, found.where)
                    key = _suggested_key(term, found.where)
                    if not key or key in seen:
                        continue
                    seen.add(key)
                    need = next(
                        (needs_by_term[k.lower()] for k in keys if k.lower() in needs_by_term), ""
                    )
                    counts.setdefault(key, [0, label, need])[0] += 1
            except FeedError as error:
                say(f"  (left out {found.where}: {_problem_of(error, found.where)})")
    except (FeedError, OSError, yaml.YAMLError) as error:
        print(f"Could not list the terms. {error}", file=sys.stderr)
        return 1
    say(
        f"Taxonomy terms in {feed.services_url}: {len(counts)} term(s) on {len(records)} service(s); mapping {mapping}."
    )
    say(f"{'services':>8}  {'maps to':<24}  term")
    ordered = sorted(
        counts.items(), key=lambda item: (bool(item[1][2]), -item[1][0], item[0].lower())
    )
    for key, (count, label, need) in ordered:
        say(
            f"{count:>8}  {need or 'not mapped':<24}  {key}"
            + (f"  ({label})" if label and label != key else "")
        )
    unmapped = [(key, count, label) for key, (count, label, need) in ordered if not need]
    if unmapped:
        say(
            f"\n{len(unmapped)} not mapped. To map them, copy these lines into {mapping}, put a need id after each colon "
            f"({', '.join(sorted(need_ids))}), and delete the lines that fit no need:"
        )
        for key, count, label in unmapped:
            say(
                f"{json.dumps(key, ensure_ascii=False)}:   # {label} ({count} service{'s' if count != 1 else ''})"
            )
    return 0
