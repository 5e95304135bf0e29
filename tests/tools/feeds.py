"""Realistic council feeds, in both Open Referral UK envelopes, three pages each.

Phone numbers are from Ofcom's drama ranges, so nothing here can reach a real person.
"""

from __future__ import annotations

import copy

from tests.tools.fake_server import Reply

# ---------------------------------------------------------------- ORUK v1 (Bradford)


def _v1_service(ident, name, terms, **extra):
    service = {
        "id": ident,
        "name": name,
        "description": f"<p>{name} for families &amp; children.</p>",
        "status": "active",
        "organization": {"id": f"org-{ident}", "name": "Bradford Family Network"},
        "contacts": [
            {
                "id": f"c-{ident}",
                "name": "Reception",
                "phones": [{"id": f"p-{ident}", "number": "+44 (0)113 496 0" + ident}],
            }
        ],
        "service_taxonomys": [
            {"id": f"st-{ident}-{i}", "taxonomy": term} for i, term in enumerate(terms)
        ],
        "service_areas": [{"id": f"sa-{ident}", "service_area": "Bradford"}],
        "languages": [{"id": f"l-{ident}", "language": "English"}],
    }
    service.update(extra)
    return service


V1_RECORDS = [
    # page 1
    _v1_service(
        "101",
        "Bradford Family Food Bank",
        [{"id": "1197", "name": "Food banks", "vocabulary": "esdServiceTypes"}],
        url="https://example.org/food-bank",
        email="food@example.org",
        fees="Free",
        assured_date="2026-10-01",
        regular_schedules=[
            {
                "id": "rs-101",
                "opens_at": "10:00:00",
                "closes_at": "13:00:00",
                "byday": "TU,TH",
                "freq": "WEEKLY",
                "interval": 1,
            }
        ],
        eligibilitys=[
            {
                "id": "e-101",
                "eligibility": "Families living in Bradford",
                "minimum_age": 0,
                "maximum_age": 5,
            }
        ],
    ),
    _v1_service(
        "102",
        "Keighley Baby Bank",
        [{"id": "2001", "name": "Baby Banks", "vocabulary": "esdServiceTypes"}],
        last_modified="2026-06-12T09:30:00Z",
        service_areas=[{"id": "sa-102", "service_area": "Keighley"}],
    ),
    # page 2
    _v1_service(
        "103",
        "Adult Learning Courses",
        [{"id": "3001", "name": "Adult education", "vocabulary": "esdServiceTypes"}],
        assured_date="2026-10-01",
    ),
    _v1_service(
        "104",
        "Dads Matter Bradford",
        [{"id": "fathers", "name": "Fathers", "vocabulary": "local"}],
        assured_date="2026-10-01",
        contacts=[],
    ),
    _v1_service(
        "105",
        "",
        [{"id": "1197", "name": "Food banks", "vocabulary": "esdServiceTypes"}],
        assured_date="2026-10-01",
    ),
    # page 3
    _v1_service(
        "106",
        "Bumps and Babies Wellbeing Group",
        [{"id": "perinatal_mental_health", "name": "Wellbeing", "vocabulary": "signpost-needs"}],
        assured_date="2026-09-01",
        regular_schedules=[
            {
                "id": "rs-106",
                "freq": "MONTHLY",
                "byday": "2WE",
                "opens_at": "10:00",
                "closes_at": "12:00",
                "description": "Second Wednesday of the month, 10am to midday",
            }
        ],
    ),
    _v1_service(
        "107",
        "Leeds Housing Advice",
        [{"id": "h", "name": "Housing advice", "vocabulary": "esdServiceTypes"}],
        assured_date="2026-10-01",
        service_areas=[{"id": "sa-107", "service_area": "Leeds"}],
    ),
]
V1_SPLIT = ((0, 2), (2, 5), (5, 7))


def v1_pages(first_number: int = 1) -> dict[int, dict]:
    """Spring-style pages; some v1 feeds count pages from 0, others from 1."""
    pages = {}
    for index, (start, end) in enumerate(V1_SPLIT):
        number = first_number + index
        pages[number] = {
            "totalElements": len(V1_RECORDS),
            "totalPages": len(V1_SPLIT),
            "number": number,
            "size": 50,
            "first": index == 0,
            "last": index == len(V1_SPLIT) - 1,
            "numberOfElements": end - start,
            "content": copy.deepcopy(V1_RECORDS[start:end]),
        }
    return pages


# ---------------------------------------------------------------- ORUK v3 / HSDS 3.0 (Lambeth)

CAFE_ID = "3f1c2a9e-4b7d-4c1e-9a55-0d2f6b8e1a01"
MONEY_ID = "3f1c2a9e-4b7d-4c1e-9a55-0d2f6b8e1a02"


def _term(code, name):
    return {
        "id": f"term-{code}",
        "code": code,
        "name": name,
        "description": name,
        "taxonomy": "esdServiceType",
    }


def _v3_service(ident, name, terms, **extra):
    service = {
        "id": ident,
        "name": name,
        "description": f"{name}: friendly help for parents.",
        "status": "active",
        "assured_date": "2026-10-15",
        "organization": {
            "id": f"org-{ident}",
            "name": "Lambeth Family Hubs",
            "description": "Family hubs",
        },
        "phones": [{"id": f"ph-{ident}", "number": f"020 7946 0{len(name):03d}", "type": "voice"}],
        "schedules": [],
        "service_areas": [
            {
                "id": f"sa-{ident}",
                "name": "Lambeth",
                "uri": "http://statistics.data.gov.uk/id/statistical-geography/E09000022",
            }
        ],
        "languages": [{"id": f"l-{ident}", "name": "English", "code": "en"}],
        "attributes": [
            {"id": f"a-{ident}-{i}", "link_entity": "service", "link_id": ident, "taxonomy_term": t}
            for i, t in enumerate(terms)
        ],
    }
    service.update(extra)
    return service


def v3_records() -> list[dict]:
    return [
        _v3_service(
            CAFE_ID,
            "Brixton Breastfeeding Cafe",
            [_term("infant-feeding", "Breastfeeding support")],
            phones=[
                {"id": "ph-1", "number": "020 7946 0111", "type": "voice"},
                {"id": "ph-2", "number": "020 7946 0999", "type": "fax"},
            ],
            schedules=[
                {
                    "id": "s-1",
                    "freq": "WEEKLY",
                    "byday": "WE",
                    "opens_at": "10:00",
                    "closes_at": "12:00",
                    "description": "Wednesdays, 10am to midday",
                }
            ],
            languages=[
                {"id": "l-1", "name": "English", "code": "en"},
                {"id": "l-2", "name": "Portuguese", "code": "pt"},
            ],
            interpretation_services="Ask for an interpreter when you book.",
        ),
        _v3_service(
            MONEY_ID,
            "Lambeth Money Advice",
            [_term("debt", "Debt advice"), _term("benefits", "Welfare benefits")],
            fees_description="Free",
            minimum_age=16,
        ),
        _v3_service(
            "svc-0303",
            "Stockwell Stay and Play",
            [_term("play", "Stay and play")],
            schedules=[
                {
                    "id": "s-3",
                    "freq": "WEEKLY",
                    "byday": "MO,TU,WE,TH,FR",
                    "opens_at": "09:30",
                    "closes_at": "11:30",
                }
            ],
        ),
        _v3_service("svc-0304", "Old Food Co-op", [_term("food", "Food banks")], status="defunct"),
        _v3_service("svc-0305", "Lambeth Housing Options", [_term("housing", "Housing options")]),
    ]


V3_SPLIT = ((0, 2), (2, 4), (4, 5))


def summary(record: dict) -> dict:
    """What an HSDS 3.0 list may give instead of the whole service: the rest is at /services/{id}."""
    return {key: record[key] for key in ("id", "name", "description", "status", "organization")}


def v3_pages(
    records: list[dict] | None = None, condensed: tuple[str, ...] = (MONEY_ID,)
) -> dict[int, dict]:
    records = records if records is not None else v3_records()
    pages = {}
    for index, (start, end) in enumerate(V3_SPLIT):
        contents = [summary(r) if r["id"] in condensed else r for r in records[start:end]]
        pages[index + 1] = {
            "total_items": len(records),
            "total_pages": len(V3_SPLIT),
            "page_number": index + 1,
            "size": 50,
            "first_page": index == 0,
            "last_page": index == len(V3_SPLIT) - 1,
            "empty": not contents,
            "contents": contents,
        }
    return pages


def serve_v3(server, path: str = "/v3", records: list[dict] | None = None) -> str:
    records = records if records is not None else v3_records()
    server.serve_pages(f"{path}/services", v3_pages(records))
    for record in records:
        server.routes[(f"{path}/services/{record['id']}", None)] = Reply(record)
    return server.url + path
