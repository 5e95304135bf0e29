"""Checks against Open Referral's own HSDS 3.0 schemas (vendored in `bot/hsds_spec/`).

Each check returns a list of problems, one line each, naming the path inside the object
(`phones[0].number: 12 is not of type 'string'`); an empty list means the object passes.
The export, the `/hsds/` feed and the import all use these, so "conforms" means one thing.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker

SPEC_DIR = Path(__file__).resolve().parent / "hsds_spec"
SCHEMA_DIR = SPEC_DIR / "schema"
EXAMPLES_DIR = SPEC_DIR / "examples"
HSDS_VERSION = "3.0"
# The paging fields of HSDS 3.0's API (openapi.json, components.schemas.Page). The schema
# lists them without making any required; a page we serve or read must carry them all.
PAGE_FIELDS = (
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
)


def _load(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def _checker() -> FormatChecker:
    # jsonschema checks `uuid`, `email` and `date` itself; `uri` and `date-time` need extra
    # packages, so they are checked here as the schema means them.
    checker = FormatChecker()

    @checker.checks("uri")
    def _uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return (
            bool(parts.scheme)
            and (bool(parts.netloc) or parts.scheme in ("mailto", "tel", "urn"))
            and " " not in value
        )

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return "T" in value.upper() and parsed.tzinfo is not None

    return checker


@cache
def _validator(name: str, formats: bool) -> Draft202012Validator:
    schema = (
        page_schema() if name == "page" else version_schema() if name == "version" else _load(name)
    )
    return Draft202012Validator(schema, format_checker=_checker() if formats else None)


@cache
def page_schema() -> dict:
    """A page of `/services`: HSDS 3.0's Page with every paging field, holding service_list items."""
    page = _load("openapi.json")["components"]["schemas"]["Page"]
    return {
        "allOf": [page],
        "type": "object",
        "required": [*PAGE_FIELDS, "contents"],
        "properties": {"contents": {"type": "array", "items": _load("service_list.json")}},
    }


@cache
def version_schema() -> dict:
    """The document at the API's root (`GET /`), from HSDS 3.0's openapi.json."""
    root = _load("openapi.json")["paths"]["/"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    return {**root, "required": ["version"]}


def _path(error) -> str:
    out = ""
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out or "(the object itself)"


def _problems(name: str, value: Any, formats: bool) -> list[str]:
    errors = sorted(
        _validator(name, formats).iter_errors(value),
        key=lambda e: (list(map(str, e.absolute_path)), e.message),
    )
    return [f"{_path(e)}: {e.message}" for e in errors]


def service_problems(service: Any, formats: bool = True) -> list[str]:
    """Problems of one fully nested service against `service.json`.

    `formats=False` checks structure only (types, required fields, allowed values), not
    whether ids are UUIDs or URLs well formed: the import uses it, and judges URLs itself.
    """
    return _problems("service.json", service, formats)


def list_item_problems(service: Any, formats: bool = True) -> list[str]:
    """Problems of one service as listed on a page, against `service_list.json`."""
    return _problems("service_list.json", service, formats)


def page_problems(page: Any, formats: bool = True) -> list[str]:
    """Problems of a page of `/services`: the paging fields and each listed service."""
    return _problems("page", page, formats)


def version_problems(document: Any) -> list[str]:
    """Problems of the API's root document (`version`, `profile`, `openapi_url`)."""
    return _problems("version", document, True)
