"""`python -m bot export-hsds`: passes Open Referral's own HSDS 3.0 schemas, and a round trip through the import."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
import yaml

from bot.__main__ import main
from bot.directory import load_directory, parse_directory
from bot.hsds_schema import SCHEMA_DIR, page_problems, service_problems
from bot.tools.hsds_export import TAXONOMY, check, page, service_uuid, services
from bot.tools.oruk_import import import_feed
from tests.tools.conftest import FIXTURES
from tests.tools.fake_server import Reply

# The service fields HSDS 3.0 defines, read from the official schema; anything else we
# export must be an `x_signpost_` extension.
HSDS_SERVICE_FIELDS = set(json.loads((SCHEMA_DIR / "service.json").read_text())["properties"])


def exported(tmp_path, directory=FIXTURES / "directory.yml"):
    output = tmp_path / "hsds.json"
    assert main(["export-hsds", "--file", str(directory), "--output", str(output)]) == 0
    return json.loads(output.read_text())


def test_every_field_is_hsds_or_a_marked_extension(tmp_path):
    for service in exported(tmp_path):
        assert {k for k in service if not k.startswith("x_signpost_")} <= HSDS_SERVICE_FIELDS


def test_the_whole_directory_passes_the_official_schemas():
    directory = load_directory()
    everything = services(directory)
    assert len(everything) == len(directory.services) > 100
    for service in everything:
        assert service_problems(service) == [], service["x_signpost_id"]
    for number in range(1, len(everything) // 20 + 2):
        assert page_problems(page(everything, number, 20)) == [], number
    assert check(directory) == []


def test_a_failure_names_the_service_and_the_path(tmp_path):
    raw = yaml.safe_load((FIXTURES / "directory.yml").read_text())
    directory = parse_directory(raw, "fixture")
    pantry = directory.services["bradford-pantry"]
    broken_phone = dataclasses.replace(pantry.phones[0], number=None)
    directory.services["bradford-pantry"] = dataclasses.replace(
        pantry, phones=(broken_phone,), email="not an address"
    )
    problems = check(directory)
    where = f"service 'bradford-pantry' ({service_uuid('bradford-pantry')})"
    assert f"{where}: phones[0].number: None is not of type 'string'" in problems
    assert f"{where}: email: 'not an address' is not a 'email'" in problems
    assert not [p for p in problems if "nat-line" in p]


def test_check_command(tmp_path, capsys):
    assert main(["export-hsds", "--check"]) == 0
    assert "pass HSDS 3.0 service.json" in capsys.readouterr().out


def test_pages_carry_the_paging_fields():
    everything = services(load_directory())
    first, last = page(everything, 1, 50), page(everything, 3, 50)
    assert (first["first_page"], first["last_page"], first["size"], first["total_pages"]) == (
        True,
        False,
        50,
        3,
    )
    assert (last["first_page"], last["last_page"], last["size"], last["empty"]) == (
        False,
        True,
        len(everything) - 100,
        False,
    )
    assert (
        "phones" not in first["contents"][0]
    )  # a listing holds one-to-one fields; /services/{id} has the rest
    assert page(everything, 4, 50)["empty"] is True


@pytest.mark.parametrize("field", ["phones", "attributes"])
def test_the_schema_check_is_not_a_formality(field):
    service = services(load_directory())[0]
    service[field][0].pop("id")
    assert service_problems(service) == [f"{field}[0]: 'id' is a required property"]


def test_key_fields_match_the_directory(tmp_path):
    services = {s["x_signpost_id"]: s for s in exported(tmp_path)}
    pantry = services["bradford-pantry"]
    assert pantry["name"] == "Bradford Test Pantry" and pantry["status"] == "active"
    assert pantry["organization"]["name"] == "Test Org"
    assert [(p["number"], p["type"]) for p in pantry["phones"]] == [("0113 496 0001", "voice")]
    assert [
        (s["freq"], s["byday"], s["opens_at"], s["closes_at"]) for s in pantry["schedules"]
    ] == [("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "17:00")]
    assert pantry["service_areas"][0]["name"] == "Bradford"
    assert pantry["service_areas"][0]["uri"].endswith("/E08000032")
    assert pantry["languages"] == [
        {"id": pantry["languages"][0]["id"], "code": "en", "name": "English"}
    ]
    terms = [a["taxonomy_term"] for a in pantry["attributes"]]
    assert [(t["code"], t["taxonomy"]) for t in terms] == [("food", TAXONOMY)]
    assert pantry["assured_date"] == "2026-10-01"
    assert pantry["x_signpost_free"] is False and pantry["x_signpost_self_referral"] is True
    national = services["nat-line"]
    assert national["service_areas"][0]["name"] == "United Kingdom"
    assert national["schedules"] == [
        {
            "id": national["schedules"][0]["id"],
            "service_id": national["id"],
            "description": "Weekdays",
        }
    ]
    assert (
        national["id"] == service_uuid("nat-line") and pantry["organization"]["description"] == ""
    )  # we hold none: not made up


def test_sample_entries_never_look_live(tmp_path):
    services = exported(
        tmp_path, FIXTURES.parent.parent / "unit" / "fixtures" / "mini_directory.yml"
    )
    unchecked = [s for s in services if s["x_signpost_status"] in ("example", "verify")]
    assert unchecked and all(s["status"] == "inactive" for s in unchecked)


def test_ids_are_stable_between_exports(tmp_path):
    assert exported(tmp_path) == exported(tmp_path)


def test_stdout_when_no_output_file(capsys):
    assert main(["export-hsds", "--file", str(FIXTURES / "directory.yml")]) == 0
    assert [s["x_signpost_id"] for s in json.loads(capsys.readouterr().out)] == [
        "bradford-pantry",
        "nat-line",
    ]


def test_a_broken_directory_is_refused(tmp_path, capsys):
    broken = tmp_path / "broken.yml"
    broken.write_text("needs: []\n")
    assert main(["export-hsds", "--file", str(broken)]) == 1
    assert "problem(s)" in capsys.readouterr().err


def test_round_trip_through_the_import(server, tmp_path, directory_file, capsys):
    services = exported(tmp_path)
    server.routes[("/ours/services", "1")] = Reply(
        {
            "total_items": len(services),
            "total_pages": 1,
            "page_number": 1,
            "size": 50,
            "first_page": True,
            "last_page": True,
            "empty": False,
            "contents": services,
        }
    )
    assert import_feed(server.url + "/ours", directory_file, today=dt.date(2026, 11, 20)) == 0
    out = capsys.readouterr().out
    assert "Skipped 0:" in out and "Added 2:" in out
    directory = load_directory(directory_file)
    for ours in (
        "bradford-pantry",
        "nat-line",
    ):  # a national service comes back national ("United Kingdom")
        original, again = directory.services[ours], directory.services["oruk-" + service_uuid(ours)]
        for name in ROUND_TRIP_FIELDS:
            assert getattr(again, name) == getattr(original, name), (ours, name)


# What survives export -> import unchanged. Not `self_referral` (HSDS has no such field, so an
# import sets it false for a partnership to check) nor our extension fields.
ROUND_TRIP_FIELDS = (
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
    "application_process",
    "eligibility_description",
    "languages",
    "interpretation_services",
    "assured_date",
    "status",
)
