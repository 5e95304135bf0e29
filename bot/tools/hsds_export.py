"""Our directory as Open Referral HSDS 3.0 JSON, for councils and other directories.

`python -m bot export-hsds [--output FILE]` writes a list of HSDS service objects. Field
names are HSDS 3.0's; what HSDS has no word for is kept under `x_signpost_*` extension
fields, and our needs are taxonomy terms of our own taxonomy, `signpost-needs`.
"""

from __future__ import annotations

import json
import uuid

from bot.directory import NATIONAL, Directory, Service
from bot.hsds_schema import SCHEMA_DIR, page_problems, service_problems

TAXONOMY = "signpost-needs"
TAXONOMY_DESCRIPTION = (
    "Needs of parents of babies and young children, from the signposting assistant."
)
# Fixed namespace: the same entry gets the same HSDS ids on every export, so diffs stay small.
_NAMESPACE = uuid.UUID("5b0c7c1e-3f7a-4f1e-9c51-2f1d6a0e8b42")
# HSDS statuses are active | inactive | defunct | temporarily closed. Sample and unchecked
# entries must never look live to another directory, so they go out as inactive.
_HSDS_STATUS = {"example": "inactive", "verify": "inactive"}
_GSS_URI = "http://statistics.data.gov.uk/id/statistical-geography/"
UK_GSS_CODE = "K02000001"  # ONS code of the United Kingdom, for national services


def _list_fields() -> tuple[frozenset, frozenset]:
    schema = json.loads((SCHEMA_DIR / "service_list.json").read_text(encoding="utf-8"))[
        "properties"
    ]
    return frozenset(schema), frozenset(schema["organization"]["properties"])


_LIST_FIELDS, _LIST_ORGANIZATION_FIELDS = _list_fields()


def _id(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def service_uuid(service_id: str) -> str:
    """The HSDS id (a UUID, as HSDS 3.0 requires) of one of our entries; the same on every export."""
    return _id("service", service_id)


def service_object(service: Service, directory: Directory) -> dict:
    """One entry as a fully nested HSDS 3.0 service (passes `service.json`)."""
    sid = service_uuid(service.id)
    organization_id = _id("organization", service.organization)
    out: dict = {
        "id": sid,
        "organization_id": organization_id,
        "name": service.name,
        "description": service.description,
        "status": _HSDS_STATUS.get(service.status, service.status),
        # HSDS requires an organisation description; the directory holds only its name, so
        # the description is left empty rather than made up.
        "organization": {"id": organization_id, "name": service.organization, "description": ""},
        "phones": [
            {
                "id": _id(sid, "phone", str(i)),
                "number": p.number,
                "type": p.type,
                **({"description": p.description} if p.description else {}),
            }
            for i, p in enumerate(service.phones)
        ],
        "schedules": [
            {
                "id": _id(sid, "schedule", str(i)),
                "service_id": sid,
                "freq": "WEEKLY",
                "byday": ",".join(s.byday),
                "opens_at": s.opens_at,
                "closes_at": s.closes_at,
                "description": service.schedule_description,
            }
            for i, s in enumerate(service.schedules)
        ]
        or [
            {
                "id": _id(sid, "schedule", "0"),
                "service_id": sid,
                "description": service.schedule_description,
            }
        ],
        "service_areas": [_area(sid, area_id, directory) for area_id in service.service_areas],
        "languages": [
            {"id": _id(sid, "language", code), "code": code, "name": name}
            for code, name in service.languages
        ],
        "attributes": [_need_attribute(sid, need, directory) for need in service.needs],
        "fees_description": service.fees_description,
        "application_process": service.application_process,
        "eligibility_description": service.eligibility_description,
        "assured_date": service.assured_date.isoformat(),
        "x_signpost_id": service.id,
        "x_signpost_status": service.status,
        "x_signpost_free": service.free,
        "x_signpost_self_referral": service.self_referral,
        "x_signpost_source": service.source,
    }
    for name in ("url", "email", "interpretation_services"):
        if getattr(service, name):
            out[name] = getattr(service, name)
    # HSDS minimum_age/maximum_age are the age of the person using the service - for our
    # services, the parent. Ours are the child's age, so they stay in extension fields only:
    # as HSDS ages they would tell another directory that an adult can't use the service.
    for ours in ("minimum_age_months", "maximum_age_months"):
        if getattr(service, ours) is not None:
            out[f"x_signpost_child_{ours}"] = getattr(service, ours)
    if service.pregnant is not None:
        out["x_signpost_pregnant"] = service.pregnant
    if service.accessibility:
        out["x_signpost_accessibility"] = service.accessibility
    return out


def _area(sid: str, area_id: str, directory: Directory) -> dict:
    if area_id == NATIONAL:
        return {
            "id": _id(sid, "area", area_id),
            "service_id": sid,
            "name": "United Kingdom",
            "description": "Anyone in the UK can use it.",
            "uri": _GSS_URI + UK_GSS_CODE,
        }
    area = directory.areas[area_id]
    return {
        "id": _id(sid, "area", area_id),
        "service_id": sid,
        "name": area.name,
        "uri": _GSS_URI + area.gss_code,
    }


def _need_attribute(sid: str, need_id: str, directory: Directory) -> dict:
    need = directory.needs[need_id]
    term = {
        "id": _id("term", need_id),
        "code": need_id,
        "name": need.label,
        "description": need.label,
        "taxonomy": TAXONOMY,
        "taxonomy_detail": {
            "id": _id("taxonomy", TAXONOMY),
            "name": TAXONOMY,
            "description": TAXONOMY_DESCRIPTION,
        },
    }
    return {
        "id": _id(sid, "attribute", need_id),
        "link_id": sid,
        "link_entity": "service",
        "link_type": "need",
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }


def services(directory: Directory, live_only: bool = False) -> list[dict]:
    """Every entry in directory order as HSDS services; `live_only` keeps those parents may see.

    Live means our status is `active`: sample (`example`), unchecked (`verify`) and closed
    entries are left out, so another directory can't show them.
    """
    return [
        service_object(s, directory)
        for s in directory.services.values()
        if not live_only or s.status == "active"
    ]


def list_item(service: dict) -> dict:
    """A service as HSDS 3.0 lists it on a page: its one-to-one fields only (`service_list.json`)."""
    item = {k: v for k, v in service.items() if k in _LIST_FIELDS or k.startswith("x_signpost_")}
    item["organization"] = {
        k: v for k, v in service["organization"].items() if k in _LIST_ORGANIZATION_FIELDS
    }
    return item


def page(all_services: list[dict], number: int, per_page: int, full: bool = False) -> dict:
    """Page `number` (from 1) of a `/services` listing, with HSDS 3.0's paging fields."""
    total = len(all_services)
    pages = max(1, -(-total // per_page))
    chosen = all_services[(number - 1) * per_page : number * per_page]
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": number,
        "size": len(chosen),
        "first_page": number == 1,
        "last_page": number >= pages,
        "empty": not chosen,
        "contents": chosen if full else [list_item(s) for s in chosen],
    }


def export(directory: Directory) -> str:
    """Every service, in directory order, as HSDS 3.0 JSON text."""
    return json.dumps(services(directory), indent=2, ensure_ascii=False) + "\n"


def check(directory: Directory, per_page: int = 50) -> list[str]:
    """Every way the export fails Open Referral's schemas, naming service and path; [] when it passes."""
    everything = services(directory)
    problems = [
        f"service {s['x_signpost_id']!r} ({s['id']}): {p}"
        for s in everything
        for p in service_problems(s)
    ]
    for number in range(1, -(-len(everything) // per_page) + 1):
        problems += [
            f"page {number} of {per_page}: {p}"
            for p in page_problems(page(everything, number, per_page))
        ]
    return problems
