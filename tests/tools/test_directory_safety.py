"""Directory safety (issue 17, row 10): only http(s) web addresses, plain emails and text with
no markup, checked the same way by `validate` (so `export-hsds` too) and by the importer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from bot.__main__ import main
from bot.safe_fields import has_markup, is_email, is_web_address
from bot.tools.oruk_import import import_feed
from tests.tools import feeds

ROOT = Path(__file__).resolve().parents[2]
BAD_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "ftp://example.org/x",
    "https://",
    "//example.org",
    'https://example.org/"onmouseover=x',
]
MARKUP = [
    "<b>Food bank</b>",
    "<script>alert(1)</script>",
    "Food &lt;script&gt;",
    "Click <a href=x>here</a>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "&#60;script&#62;",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_only_http_web_addresses(url):
    assert not is_web_address(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org",
        "http://www.example.org/food?day=tue&x=1",
        "https://a.example.org/p#top",
    ],
)
def test_ordinary_web_addresses(url):
    assert is_web_address(url)


@pytest.mark.parametrize(
    ("email", "ok"),
    [
        ("food@example.org", True),
        ("mum.of.two+x@example.co.uk", True),
        ("food@example", False),
        ("<a>@example.org", False),
        ("javascript:alert(1)//@example.org", False),
        ("a b@example.org", False),
    ],
)
def test_emails(email, ok):
    assert is_email(email) is ok


@pytest.mark.parametrize("text", MARKUP)
def test_markup_is_found(text):
    assert has_markup(text)


@pytest.mark.parametrize(
    "text",
    [
        "Tea & toast, Tuesdays 10-12",
        "Children < 5 years",
        "Data: we keep none",
        "Free; no referral needed",
        "0-19 years (up to 25 with SEND)",
    ],
)
def test_plain_text_is_not_markup(text):
    assert not has_markup(text)


def directory_with(tmp_path, **changes) -> Path:
    data = yaml.safe_load((ROOT / "services_directory.yml").read_text(encoding="utf-8"))
    service = next(s for s in data["services"] if s.get("status") == "active")
    service.update(changes)
    path = tmp_path / "directory.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("field", "value"),
    [
        *[("url", u) for u in BAD_URLS[:4]],
        ("email", "not-an-email"),
        ("email", "x@example.org<script>"),
        *[("name", m) for m in MARKUP[:3]],
        ("description", MARKUP[4]),
    ],
)
def test_validate_and_export_refuse_unsafe_fields(tmp_path, capsys, field, value):
    path = directory_with(tmp_path, **{field: value})
    assert main(["validate", str(path), "--production"]) != 0
    assert f"field '{field}'" in capsys.readouterr().err
    assert main(["export-hsds", "--file", str(path), "--output", str(tmp_path / "hsds.json")]) != 0
    assert not (tmp_path / "hsds.json").exists()


def test_the_importer_uses_the_same_check(server, directory_file, capsys):
    records = [
        feeds._v1_service(
            "201",
            "Script Food Bank",
            [{"id": "1197", "name": "Food banks", "vocabulary": "esdServiceTypes"}],
            url="javascript:alert(1)",
            email="<b>@example.org",
            assured_date="2026-10-01",
        ),
        feeds._v1_service(
            "202",
            "Escaped Markup Bank",
            [{"id": "1197", "name": "Food banks", "vocabulary": "esdServiceTypes"}],
            assured_date="2026-10-01",
            fees="&lt;script&gt;alert(1)&lt;/script&gt;",
        ),
    ]
    page = {
        "totalElements": 2,
        "totalPages": 1,
        "number": 1,
        "size": 50,
        "first": True,
        "last": True,
        "numberOfElements": 2,
        "content": records,
    }
    server.serve_pages("/v1/services", {1: page})
    code = import_feed(server.url + "/v1", directory_file, today=dt.date(2026, 11, 20))
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 0, text
    services = {s["id"]: s for s in yaml.safe_load(directory_file.read_text())["services"]}
    food = services["oruk-201"]
    assert "url" not in food and "email" not in food  # dropped, never passed on; the phone stays
    assert (
        "oruk-202" not in services and "markup or a script address in its fees_description" in text
    )
