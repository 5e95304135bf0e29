"""Our directory as Open Referral HSDS 3.0 JSON, for councils and other directories.

`python -m bot export-hsds [--output FILE]` writes a list of HSDS service objects. Field
names are HSDS 3.0's; what HSDS has no word for is kept under `x_signpost_*` extension
fields, and our needs are taxonomy terms of our own taxonomy, `signpost-needs`.
"""

from __future__ import annotations

import json
import uuid

from bot.directory import NATIONAL, Directory, Service

TAXONOMY = "signpost-needs"
TAXONOMY_DESCRIPTION = "Needs of parents of babies and young children, from the signposting assistant."
# Fixed namespace: the same entry gets the same HSDS ids on every export, so diffs stay small.
_NAMESPACE = uuid.UUID("5b0c7c1e-3f7a-4f1e-9c51-2f1d6a0e8b42")
# HSDS statuses are active | inactive | defunct | temporarily closed. Sample and unchecked
# entries must never look live to another directory, so they go out as inactive.
_HSDS_STATUS = {"example": "inactive", "verify": "inactive"}
_GSS_URI = "http://statistics.data.gov.uk/id/statistical-geography/"


def _id(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def service_object(service: Service, directory: Directory) -> dict:
    sid = service.id
    out: dict = {
        "id": sid,
        "name": service.name,
        "description": service.description,
        "status": _HSDS_STATUS.get(service.status, service.status),
        "organization": {"id": _id("organization", service.organization), "name": service.organization},
        "phones": [
            {"id": _id(sid, "phone", str(i)), "number": p.number, "type": p.type, **({"description": p.description} if p.description else {})}
            for i, p in enumerate(service.phones)
        ],
        "schedules": [
            {"id": _id(sid, "schedule", str(i)), "service_id": sid, "freq": "WEEKLY", "byday": ",".join(s.byday),
             "opens_at": s.opens_at, "closes_at": s.closes_at, "description": service.schedule_description}
            for i, s in enumerate(service.schedules)
        ] or [{"id": _id(sid, "schedule", "0"), "service_id": sid, "description": service.schedule_description}],
        "service_areas": [_area(sid, area_id, directory) for area_id in service.service_areas],
        "languages": [{"id": _id(sid, "language", code), "code": code, "name": name} for code, name in service.languages],
        "attributes": [_need_attribute(sid, need, directory) for need in service.needs],
        "fees_description": service.fees_description,
        "application_process": service.application_process,
        "eligibility_description": service.eligibility_description,
        "assured_date": service.assured_date.isoformat(),
        "x_signpost_status": service.status,
        "x_signpost_free": service.free,
        "x_signpost_self_referral": service.self_referral,
        "x_signpost_source": service.source,
    }
    for name in ("url", "email", "interpretation_services"):
        if getattr(service, name):
            out[name] = getattr(service, name)
    # HSDS ages are years; ours are months, kept exactly in the extension fields.
    for ours, theirs in (("minimum_age_months", "minimum_age"), ("maximum_age_months", "maximum_age")):
        months = getattr(service, ours)
        if months is not None:
            out[theirs] = round(months / 12, 2)
            out[f"x_signpost_{ours}"] = months
    if service.pregnant is not None:
        out["x_signpost_pregnant"] = service.pregnant
    if service.accessibility:
        out["x_signpost_accessibility"] = service.accessibility
    return out


def _area(sid: str, area_id: str, directory: Directory) -> dict:
    if area_id == NATIONAL:
        return {"id": _id(sid, "area", area_id), "service_id": sid, "name": "United Kingdom", "description": "Anyone in the UK can use it."}
    area = directory.areas[area_id]
    return {"id": _id(sid, "area", area_id), "service_id": sid, "name": area.name, "uri": _GSS_URI + area.gss_code}


def _need_attribute(sid: str, need_id: str, directory: Directory) -> dict:
    need = directory.needs[need_id]
    term = {
        "id": _id("term", need_id),
        "code": need_id,
        "name": need.label,
        "description": need.label,
        "taxonomy": TAXONOMY,
        "taxonomy_detail": {"id": _id("taxonomy", TAXONOMY), "name": TAXONOMY, "description": TAXONOMY_DESCRIPTION},
    }
    return {"id": _id(sid, "attribute", need_id), "link_id": sid, "link_entity": "service", "link_type": "need",
            "taxonomy_term_id": term["id"], "taxonomy_term": term}


def export(directory: Directory) -> str:
    """Every service, in directory order, as HSDS 3.0 JSON text."""
    return json.dumps([service_object(s, directory) for s in directory.services.values()], indent=2, ensure_ascii=False) + "\n"
