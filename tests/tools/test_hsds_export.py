"""`python -m bot export-hsds`: standard HSDS 3.0 field names, and a round trip through the import."""

from __future__ import annotations

import datetime as dt
import json

from bot.__main__ import main
from bot.directory import load_directory
from bot.tools.hsds_export import TAXONOMY
from bot.tools.oruk_import import import_feed
from tests.tools.conftest import FIXTURES
from tests.tools.fake_server import Reply

# HSDS 3.0 service fields we use; anything else must be an `x_signpost_` extension.
HSDS_SERVICE_FIELDS = {
    "id", "name", "description", "status", "url", "email", "organization", "phones", "schedules", "service_areas",
    "languages", "attributes", "fees_description", "application_process", "eligibility_description",
    "interpretation_services", "assured_date", "minimum_age", "maximum_age",
}


def exported(tmp_path, directory=FIXTURES / "directory.yml"):
    output = tmp_path / "hsds.json"
    assert main(["export-hsds", "--file", str(directory), "--output", str(output)]) == 0
    return json.loads(output.read_text())


def test_every_field_is_hsds_or_a_marked_extension(tmp_path):
    for service in exported(tmp_path):
        assert {k for k in service if not k.startswith("x_signpost_")} <= HSDS_SERVICE_FIELDS


def test_key_fields_match_the_directory(tmp_path):
    services = {s["id"]: s for s in exported(tmp_path)}
    pantry = services["bradford-pantry"]
    assert pantry["name"] == "Bradford Test Pantry" and pantry["status"] == "active"
    assert pantry["organization"]["name"] == "Test Org"
    assert [(p["number"], p["type"]) for p in pantry["phones"]] == [("0113 496 0001", "voice")]
    assert [(s["freq"], s["byday"], s["opens_at"], s["closes_at"]) for s in pantry["schedules"]] == [("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "17:00")]
    assert pantry["service_areas"][0]["name"] == "Bradford"
    assert pantry["service_areas"][0]["uri"].endswith("/E08000032")
    assert pantry["languages"] == [{"id": pantry["languages"][0]["id"], "code": "en", "name": "English"}]
    terms = [a["taxonomy_term"] for a in pantry["attributes"]]
    assert [(t["code"], t["taxonomy"]) for t in terms] == [("food", TAXONOMY)]
    assert pantry["assured_date"] == "2026-10-01"
    assert pantry["x_signpost_free"] is False and pantry["x_signpost_self_referral"] is True
    national = services["nat-line"]
    assert national["service_areas"][0]["name"] == "United Kingdom"
    assert national["schedules"] == [{"id": national["schedules"][0]["id"], "service_id": "nat-line", "description": "Weekdays"}]


def test_sample_entries_never_look_live(tmp_path):
    services = exported(tmp_path, FIXTURES.parent.parent / "unit" / "fixtures" / "mini_directory.yml")
    unchecked = [s for s in services if s["x_signpost_status"] in ("example", "verify")]
    assert unchecked and all(s["status"] == "inactive" for s in unchecked)


def test_ids_are_stable_between_exports(tmp_path):
    assert exported(tmp_path) == exported(tmp_path)


def test_stdout_when_no_output_file(capsys):
    assert main(["export-hsds", "--file", str(FIXTURES / "directory.yml")]) == 0
    assert [s["id"] for s in json.loads(capsys.readouterr().out)] == ["bradford-pantry", "nat-line"]


def test_a_broken_directory_is_refused(tmp_path, capsys):
    broken = tmp_path / "broken.yml"
    broken.write_text("needs: []\n")
    assert main(["export-hsds", "--file", str(broken)]) == 1
    assert "problem(s)" in capsys.readouterr().err


def test_round_trip_through_the_import(server, tmp_path, directory_file, capsys):
    services = exported(tmp_path)
    server.routes[("/ours/services", "1")] = Reply({
        "total_items": len(services), "total_pages": 1, "page_number": 1, "size": 50,
        "first_page": True, "last_page": True, "empty": False, "contents": services,
    })
    assert import_feed(server.url + "/ours", directory_file, today=dt.date(2026, 11, 20)) == 0
    out = capsys.readouterr().out
    assert "'National Test Line': service area 'United Kingdom' is not one of our areas" in out
    directory = load_directory(directory_file)
    original, again = directory.services["bradford-pantry"], directory.services["oruk-bradford-pantry"]
    for name in ("name", "organization", "description", "needs", "service_areas", "phones", "schedules", "schedule_description",
                 "fees_description", "application_process", "eligibility_description", "languages", "assured_date", "status"):
        assert getattr(again, name) == getattr(original, name), name
