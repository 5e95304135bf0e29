"""`import-oruk` on Open Referral's own example files (bot/hsds_spec/examples), served locally
in a v3 (HSDS 3.0) and a v1 (Open Referral UK) envelope; `--list-terms`, `--dry-run`, phones."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
import yaml

from bot.__main__ import main
from bot.directory import load_directory
from bot.hsds_schema import EXAMPLES_DIR, page_problems, service_problems
from bot.tools.oruk_import import _phone_number, import_feed
from tests.tools.fake_server import Reply

TODAY = dt.date(2026, 11, 20)
FULL = json.loads((EXAMPLES_DIR / "service_full.json").read_text())
LISTING = json.loads((EXAMPLES_DIR / "service_list.json").read_text())
EXAMPLE_ID = FULL["id"]


def test_the_official_examples_pass_the_official_schemas():
    assert service_problems(FULL) == []
    assert page_problems(LISTING) == []


def serve_v3(server) -> str:
    """The official listing page (a summary of the example service) and the full service at /services/{id}."""
    listing = copy.deepcopy(LISTING)
    # The example page says it is page 1 of 10; the other nine aren't published, so this
    # feed is that one page.
    listing.update(total_items=1, total_pages=1, last_page=True)
    server.routes[("/v3/services", "1")] = Reply(listing)
    server.routes[(f"/v3/services/{EXAMPLE_ID}", None)] = Reply(FULL)
    return server.url + "/v3"


def serve_v1(server) -> str:
    """The same example service whole, in Open Referral UK v1's paged envelope."""
    server.routes[("/v1/services", "1")] = Reply(
        {
            "totalElements": 1,
            "totalPages": 1,
            "number": 1,
            "size": 50,
            "first": True,
            "last": True,
            "numberOfElements": 1,
            "content": [FULL],
        }
    )
    return server.url + "/v1"


def run(url, output, capsys, **options):
    code = import_feed(url, output, today=TODAY, **options)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture
def one_line_mapping(tmp_path):
    mapping = tmp_path / "map.yml"
    mapping.write_text(
        "taxonomy:code: parenting\n"
    )  # the example's one term: taxonomy "taxonomy", code "code"
    return mapping


@pytest.mark.parametrize("serve", [serve_v3, serve_v1], ids=["v3", "v1"])
def test_all_skipped_says_which_and_why_and_writes_nothing(server, tmp_path, capsys, serve):
    output = tmp_path / "new.yml"
    code, out = run(serve(server), output, capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[1] == "Skipped 1:"
    assert lines[2] == (
        f"  - page 1, record 1 (id '{EXAMPLE_ID}') 'Community Counselling': no need we can map from its "
        "taxonomy terms ('name'); add them to the mapping"
    )
    assert "Nothing to import: every service in the feed was skipped (reasons above)" in out
    assert "would not pass the checks" not in out
    assert not output.exists()


@pytest.mark.parametrize("serve", [serve_v3, serve_v1], ids=["v3", "v1"])
def test_the_example_imports_with_a_one_line_mapping(
    server, tmp_path, capsys, one_line_mapping, serve
):
    output = tmp_path / "new.yml"
    code, out = run(serve(server), output, capsys, mapping=one_line_mapping, area="bradford")
    assert code == 0, out
    assert "Skipped 0:" in out and "Added 1:" in out
    service = load_directory(output).services["oruk-" + EXAMPLE_ID]
    assert service.name == "Community Counselling"
    assert service.organization == "Example Organization Inc."
    assert service.needs == ("parenting",) and service.service_areas == ("bradford",)
    # The example's number is '"+44 1234 234567"' (quotes included): the UK national form.
    assert [(p.number, p.type) for p in service.phones] == [("01234 234567", "voice")]
    assert service.status == "active" and service.assured_date == dt.date(2005, 1, 1)
    assert ("ur", "Urdu") in service.languages


def test_dry_run_says_what_would_change_and_writes_nothing(
    server, directory_file, capsys, one_line_mapping
):
    before = directory_file.read_bytes()
    code, out = run(
        serve_v3(server),
        directory_file,
        capsys,
        mapping=one_line_mapping,
        area="bradford",
        dry_run=True,
    )
    assert code == 0, out
    assert f"  + oruk-{EXAMPLE_ID}  Community Counselling" in out
    assert f"Dry run: nothing written. Without --dry-run, {directory_file} would be updated" in out
    assert directory_file.read_bytes() == before
    assert (
        main(
            [
                "import-oruk",
                serve_v3(server),
                "--output",
                str(directory_file),
                "--mapping",
                str(one_line_mapping),
                "--area",
                "bradford",
                "--dry-run",
            ]
        )
        == 0
    )
    assert directory_file.read_bytes() == before


def test_list_terms_counts_every_term_and_says_what_maps(server, capsys, one_line_mapping):
    records = [copy.deepcopy(FULL) for _ in range(3)]
    for number, record in enumerate(records):
        record["id"] = f"ac148810-d857-441c-9679-408f346de1{number:02d}"
    records[2]["attributes"].append(
        {
            "id": "a-2",
            "taxonomy_term": {
                "id": "t-2",
                "code": "1197",
                "name": "Food banks",
                "description": "Food banks",
                "taxonomy": "esdServiceType",
            },
        }
    )
    server.routes[("/v3/services", "1")] = Reply(
        {
            "total_items": 3,
            "total_pages": 1,
            "page_number": 1,
            "size": 3,
            "first_page": True,
            "last_page": True,
            "empty": False,
            "contents": records,
        }
    )
    url = server.url + "/v3"

    assert main(["import-oruk", "--list-terms", url]) == 0
    out = capsys.readouterr().out
    assert "2 term(s) on 3 service(s)" in out
    assert "       3  not mapped                taxonomy:code  (name)" in out
    assert (
        "       1  food                      esdServiceType:1197  (Food banks)" in out
    )  # by its name, "food banks"
    assert '"taxonomy:code":   # name (3 services)' in out
    assert 'esdServiceType:1197":' not in out  # already maps: not offered again

    # The lines it prints can be pasted into a mapping file, filled in, and used.
    mapping = one_line_mapping.parent / "pasted.yml"
    pasted = [line for line in out.splitlines() if line.startswith('"')]
    mapping.write_text(
        "\n".join(line.replace(":   #", ": parenting   #") for line in pasted) + "\n"
    )
    assert yaml.safe_load(mapping.read_text()) == {"taxonomy:code": "parenting"}
    assert main(["import-oruk", "--list-terms", url, "--mapping", str(mapping)]) == 0
    assert "       3  parenting                 taxonomy:code  (name)" in capsys.readouterr().out


def test_output_is_needed_unless_listing_terms(capsys):
    assert main(["import-oruk", "http://127.0.0.1:9/feed"]) == 2
    assert "needs --output FILE" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("raw", "country_code", "expected"),
    [
        ('"+44 1234 234567"', None, "01234 234567"),
        ("+44 (0)113 496 0101", None, "0113 496 0101"),
        ("+441134960101", None, "01134960101"),
        ("0044 20 7946 0000", None, "020 7946 0000"),
        ("1234 234567", 44, "01234 234567"),
        ("1234 234567", "+44", "01234 234567"),
        ("01234 234567", "44", "01234 234567"),
        ("0113-496-0101", None, "0113 496 0101"),
        ("+33 1 23 45 67 89", None, None),  # abroad: left out, never written as a UK number
        ("1 23 45 67 89", 33, None),
        ("116 123", None, "116 123"),
    ],
)
def test_phone_numbers_come_out_in_the_uk_national_form(raw, country_code, expected):
    assert _phone_number(raw, country_code) == expected
