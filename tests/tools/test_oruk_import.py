"""`python -m bot import-oruk`: both Open Referral UK envelopes, merging, and all-or-nothing failures."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from bot.__main__ import main
from bot.directory import load_directory
from bot.tools.oruk_import import import_feed
from tests.tools import feeds
from tests.tools.fake_server import Reply

TODAY = dt.date(2026, 11, 20)


def run(url, output, capsys, **options):
    code = import_feed(url, output, today=TODAY, **options)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def services(path):
    return {s["id"]: s for s in yaml.safe_load(path.read_text())["services"]}


def no_temporary_files(folder):
    return not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


# ---------------------------------------------------------------- what gets imported


@pytest.mark.parametrize("first_page", [0, 1], ids=["v1-pages-from-0", "v1-pages-from-1"])
def test_v1_feed_adds_maps_and_skips_with_reasons(server, directory_file, capsys, first_page):
    server.serve_pages("/v1/services", feeds.v1_pages(first_page))
    code, out = run(server.url + "/v1", directory_file, capsys)
    assert code == 0, out
    pages_asked = {hit.split("page=")[1].split("&")[0] for hit in server.hits}
    assert pages_asked == {str(first_page), str(first_page + 1), str(first_page + 2)}

    assert "Added 3:" in out and "Skipped 4:" in out
    assert (
        "'Adult Learning Courses': no need we can map from its taxonomy terms ('Adult education')"
        in out
    )
    assert "'Dads Matter Bradford': no phone number, website or email" in out
    assert "(id '105'): no name" in out
    assert "'Leeds Housing Advice': service area 'Leeds' is not one of our areas" in out

    directory = load_directory(directory_file)  # the output passes the directory checks
    food = directory.services["oruk-101"]
    assert food.name == "Bradford Family Food Bank"
    assert food.description == "Bradford Family Food Bank for families & children."  # HTML removed
    assert food.organization == "Bradford Family Network"
    assert food.needs == ("food",) and food.service_areas == ("bradford",)
    assert [(p.number, p.type) for p in food.phones] == [
        ("0113 496 0101", "voice")
    ]  # +44 (0)113 -> 0113
    assert [(s.byday, s.opens_at, s.closes_at) for s in food.schedules] == [
        (("TU", "TH"), "10:00", "13:00")
    ]
    assert food.schedule_description == "Tuesday, Thursday, 10am to 1pm"
    assert food.url == "https://example.org/food-bank" and food.email == "food@example.org"
    assert food.free is True and food.fees_description == "Free"
    assert food.eligibility_description == "Families living in Bradford. Ages 0 to 5."
    assert food.status == "active" and food.assured_date == dt.date(2026, 10, 1)
    assert food.source == f"{server.url}/v1 (imported 2026-11-20)"

    baby_bank = directory.services["oruk-102"]
    assert baby_bank.service_areas == ("bradford",)  # "Keighley" is one of Bradford's places
    assert (
        baby_bank.status == "verify"
    )  # no assured_date in the feed: a partnership checks it first
    assert baby_bank.assured_date == dt.date(2026, 6, 12)  # from last_modified

    group = directory.services["oruk-106"]
    assert group.needs == ("perinatal_mental_health",)  # "<vocabulary>:<id>" in the mapping
    assert group.schedules == ()  # monthly: not a weekly opening, so hours are words only
    assert group.schedule_description == "Second Wednesday of the month, 10am to midday"


def test_v3_feed_reads_details_areas_and_attributes(server, directory_file, capsys):
    url = feeds.serve_v3(server)
    code, out = run(url, directory_file, capsys)
    assert code == 0, out
    assert f"/v3/services/{feeds.MONEY_ID}" in server.hits  # the list gave only a summary
    assert "Added 4:" in out
    assert "'Old Food Co-op': defunct in the feed" in out

    directory = load_directory(directory_file)
    cafe = directory.services[f"oruk-{feeds.CAFE_ID}"]
    assert cafe.needs == ("infant_feeding",) and cafe.service_areas == ("lambeth",)
    assert [p.number for p in cafe.phones] == ["020 7946 0111"]  # the fax number is left out
    assert cafe.languages == (("en", "English"), ("pt", "Portuguese"))
    assert cafe.interpretation_services == "Ask for an interpreter when you book."
    money = directory.services[f"oruk-{feeds.MONEY_ID}"]
    assert money.needs == ("money",) and money.status == "active"
    assert directory.services["oruk-svc-0303"].schedules[0].byday == ("MO", "TU", "WE", "TH", "FR")


def test_area_option_places_every_service(server, directory_file, capsys):
    server.serve_pages("/v1/services", feeds.v1_pages(1))
    code, out = run(server.url + "/v1", directory_file, capsys, area="lambeth")
    assert code == 0, out
    assert services(directory_file)["oruk-107"]["service_areas"] == [
        "lambeth"
    ]  # Leeds in the feed, --area wins


def test_a_new_output_file_gets_our_needs_and_areas(server, tmp_path, capsys):
    server.serve_pages("/v1/services", feeds.v1_pages(1))
    output = tmp_path / "imported.yml"
    code, out = run(server.url + "/v1", output, capsys)
    assert code == 0, out
    directory = load_directory(output)
    assert set(directory.needs) == set(load_directory().needs) and "bradford" in directory.areas
    assert set(directory.services) == {"oruk-101", "oruk-102", "oruk-106"}


# ---------------------------------------------------------------- merging


def test_reimport_updates_changed_fields_but_keeps_local_edits(server, directory_file, capsys):
    records = feeds.v3_records()
    url = feeds.serve_v3(server, records=records)
    assert run(url, directory_file, capsys)[0] == 0
    hand_written_before = services(directory_file)["bradford-pantry"]

    # A partnership improves the wording of one imported entry and protects it.
    text = directory_file.read_text()
    cafe_id = f"oruk-{feeds.CAFE_ID}"
    text = text.replace(
        "description: 'Brixton Breastfeeding Cafe: friendly help for parents.'",
        "description: Help with breastfeeding, over a cup of tea.\n    local_edits: [description]",
    )
    directory_file.write_text(text)

    # The council changes the cafe's number, hours and description, and drops a service.
    records[0]["phones"] = [{"id": "ph-1", "number": "020 7946 0222", "type": "voice"}]
    records[0]["schedules"][0]["closes_at"] = "13:00"
    records[0]["description"] = "A new description from the council."
    del records[4]
    server.routes.clear()
    feeds.serve_v3(server, records=records)

    code, out = run(url, directory_file, capsys)
    assert code == 0, out
    assert f"~ {cafe_id}: phones, schedules (kept local edits: description)" in out
    assert "Unchanged 2." in out
    assert "No longer in the feed (1)" in out and "oruk-svc-0305" in out

    after = services(directory_file)
    cafe = after[cafe_id]
    assert cafe["description"] == "Help with breastfeeding, over a cup of tea."
    assert cafe["phones"] == [{"number": "020 7946 0222", "type": "voice"}]
    assert cafe["schedules"][0]["closes_at"] == "13:00"
    assert cafe["local_edits"] == ["description"]
    assert after["bradford-pantry"] == hand_written_before  # not from this feed: untouched
    assert "oruk-svc-0305" in after  # gone from the feed: left for a person to decide
    load_directory(directory_file)


def test_reimport_without_changes_leaves_the_file_alone(server, directory_file, capsys):
    url = feeds.serve_v3(server)
    assert run(url, directory_file, capsys)[0] == 0
    before = directory_file.read_bytes()
    code, out = run(url, directory_file, capsys)
    assert code == 0 and "No changes" in out and "Unchanged 4." in out
    assert directory_file.read_bytes() == before


def test_the_rest_of_the_file_keeps_its_comments_and_layout(server, directory_file, capsys):
    original = directory_file.read_text()
    url = feeds.serve_v3(server)
    assert run(url, directory_file, capsys)[0] == 0
    assert directory_file.read_text().startswith(
        original
    )  # new entries are appended; nothing else moves


def test_an_id_used_by_someone_else_is_not_overwritten(server, directory_file, capsys):
    text = directory_file.read_text().replace("id: bradford-pantry", "id: oruk-svc-0303")
    directory_file.write_text(text)
    url = feeds.serve_v3(server)
    code, out = run(url, directory_file, capsys)
    assert code == 0
    assert (
        "'Stockwell Stay and Play': id oruk-svc-0303 is already used by an entry from elsewhere (test)"
        in out
    )
    assert services(directory_file)["oruk-svc-0303"]["name"] == "Bradford Test Pantry"


# ---------------------------------------------------------------- failures: one line, exit 1, nothing written


def _v1_with(page_two_reply, server):
    pages = feeds.v1_pages(1)
    server.routes[("/v1/services", "1")] = Reply(pages[1])
    server.routes[("/v1/services", "2")] = page_two_reply
    server.routes[("/v1/services", "3")] = Reply(pages[3])
    return server.url + "/v1"


def _malformed_page(record):
    page = feeds.v1_pages(1)[2]
    page["content"][1] = record
    return Reply(page)


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply({"error": "boom"}, status=500), "page 2: {url}/services answered HTTP 500"),
        (
            Reply(b"<html>Service unavailable</html>", content_type="text/html"),
            "page 2: {url}/services did not answer with JSON (got text/html)",
        ),
        (
            Reply({"services": []}),
            "page 2: not an ORUK v1 (`content`) or v3 (`contents`) page of services (keys: services)",
        ),
        (
            Reply([1, 2]),
            "page 2: expected a page of services (an ORUK v1 or v3 envelope), got a JSON list",
        ),
    ],
    ids=["http-500", "not-json", "wrong-envelope", "not-an-object"],
)
def test_a_bad_page_stops_the_import_and_writes_nothing(
    server, directory_file, capsys, reply, message
):
    url = _v1_with(reply, server)
    before = directory_file.read_bytes()
    code, out = run(url, directory_file, capsys)
    assert code == 1
    assert message.format(url=url) in out
    assert out.strip().count("\n") == 0  # one line
    assert directory_file.read_bytes() == before
    assert no_temporary_files(directory_file.parent)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            "not a service",
            "page 2, record 2: malformed record: expected a service object with an id, got a string",
        ),
        (
            {"name": "No Id"},
            "page 2, record 2 'No Id': malformed record: expected a service object with an id, got an object without an id",
        ),
        (
            {"id": "x", "name": "Bad", "phones": "0113 496 0000"},
            "page 2, record 2 (id 'x') 'Bad': malformed record: `phones` should be a list of objects",
        ),
    ],
    ids=["record-not-an-object", "record-without-id", "phones-not-a-list"],
)
def test_a_malformed_record_is_listed_and_the_rest_still_import(
    server, directory_file, capsys, record, message
):
    url = _v1_with(_malformed_page(record), server)
    code, out = run(url, directory_file, capsys)
    assert code == 0, out
    assert (
        "Skipped 4:" in out and message in out
    )  # record 2 replaced one that was skipped for another reason
    assert out.index(message) < out.index("Added 3:")  # what was left out is said first
    assert {"oruk-101", "oruk-102", "oruk-106"} <= set(services(directory_file))


def test_a_v3_record_that_fails_the_hsds_schema_is_named_by_id_and_path(
    server, directory_file, capsys
):
    records = feeds.v3_records()
    records[0]["phones"][0]["number"] = 2079460111  # HSDS: a phone number is text
    del records[4]["organization"]["description"]  # HSDS 3.0 requires it
    url = feeds.serve_v3(server, records=records)
    code, out = run(url, directory_file, capsys)
    assert code == 0, out
    assert (
        f"page 1, record 1 (id '{feeds.CAFE_ID}') 'Brixton Breastfeeding Cafe': does not match HSDS 3.0 service.json "
        "at phones[0].number: 2079460111 is not of type 'string'"
    ) in out
    assert (
        "page 3, record 1 (id 'svc-0305') 'Lambeth Housing Options': does not match HSDS 3.0 service.json "
        "at organization: 'description' is a required property"
    ) in out
    added = services(directory_file)
    assert (
        "oruk-" + feeds.MONEY_ID in added
        and "oruk-svc-0303" in added
        and "oruk-svc-0305" not in added
    )


def test_a_slow_feed_times_out_and_writes_nothing(server, tmp_path, capsys):
    pages = feeds.v1_pages(1)
    server.routes[("/v1/services", "1")] = Reply(pages[1])
    server.routes[("/v1/services", "2")] = Reply(pages[2], delay=3)
    output = tmp_path / "new.yml"
    # Page 2 answers after 3 s; without the timeout the import would finish and write.
    code, out = run(server.url + "/v1", output, capsys, timeout=0.3)
    assert code == 1
    assert f"page 2: no answer from {server.url}/v1/services within 0.3 s" in out
    assert not output.exists() and no_temporary_files(tmp_path)


def test_an_unreachable_feed_writes_nothing(closed_port_url, directory_file, capsys):
    before = directory_file.read_bytes()
    code, out = run(closed_port_url, directory_file, capsys, timeout=2)
    assert code == 1
    assert f"page 1: could not reach {closed_port_url}/services (connection refused)" in out
    assert directory_file.read_bytes() == before


def test_a_result_that_fails_the_directory_checks_is_not_written(server, directory_file, capsys):
    broken = directory_file.read_text().replace("status: active", "status: live", 1)
    directory_file.write_text(broken)
    url = feeds.serve_v3(server)
    code, out = run(url, directory_file, capsys)
    assert code == 1
    assert (
        "the merged directory would not pass the checks" in out
        and "service 'bradford-pantry', field 'status'" in out
    )
    assert directory_file.read_text() == broken and no_temporary_files(directory_file.parent)


def test_a_mapping_to_an_unknown_need_is_refused(server, directory_file, tmp_path, capsys):
    mapping = tmp_path / "map.yml"
    mapping.write_text("food banks: food\nbaby banks: shoes\n")
    url = feeds.serve_v3(server)
    code, out = run(url, directory_file, capsys, mapping=mapping)
    assert code == 1 and "shoes" in out
    assert server.hits == []  # checked before the feed is read


def test_command_line_exit_codes(server, directory_file, capsys):
    url = feeds.serve_v3(server)
    assert main(["import-oruk", url, "--output", str(directory_file), "--area", "leeds"]) == 2
    assert main(["import-oruk", server.url + "/nowhere", "--output", str(directory_file)]) == 1
    assert main(["import-oruk", url, "--output", str(directory_file), "--timeout", "5"]) == 0
    assert "Added 4:" in capsys.readouterr().out


def test_every_need_is_known_by_our_own_taxonomy_without_a_mapping_line(tmp_path):
    from bot.tools.oruk_import import OWN_TAXONOMY, load_mapping

    empty = tmp_path / "map.yml"
    empty.write_text("{}\n")
    mapping = load_mapping(empty, {"food", "childcare"})
    assert mapping[f"{OWN_TAXONOMY}:childcare"] == "childcare"
    assert mapping[f"{OWN_TAXONOMY}:food"] == "food"
