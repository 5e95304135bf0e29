"""The read-only HSDS 3.0 feed at /hsds/: official schemas, live services only, paging, caching,
and a round trip through our own importer reading it over HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
import requests
from aiohttp import web

from bot.directory import load_directory
from bot.hsds_schema import page_problems, service_problems, version_problems
from bot.tools.hsds_export import service_uuid
from bot.tools.oruk_import import import_feed
from bot.web.server import create_app
from tests.asyncio_thread import LoopThread
from tests.tools.test_hsds_export import ROUND_TRIP_FIELDS


@pytest.fixture(scope="module")
def base_url():
    """The whole web server (chat, mentors, feed) on a free port, on its own loop thread."""
    loop = LoopThread()
    runner = web.AppRunner(create_app())

    async def start():
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        return runner.addresses[0][1]

    port = loop.run(start())
    yield f"http://127.0.0.1:{port}"
    loop.run(runner.cleanup())
    loop.close()


def get(base_url, path, **headers):
    return requests.get(base_url + path, headers=headers, timeout=10)


def all_pages(base_url, per_page):
    pages, number = [], 1
    while True:
        reply = get(base_url, f"/hsds/services?page={number}&per_page={per_page}")
        assert reply.status_code == 200
        pages.append(reply.json())
        if pages[-1]["last_page"]:
            return pages
        number += 1


def live_ids():
    return [s.id for s in load_directory().services.values() if s.status == "active"]


def test_the_version_document(base_url):
    for path in ("/hsds/", "/hsds"):
        body = get(base_url, path).json()
        assert version_problems(body) == []
        assert body["version"] == "3.0" and body["openapi_url"].endswith("/schema/openapi.json")


def test_pages_pass_the_official_schema_and_hold_only_live_services(base_url):
    pages = all_pages(base_url, 5)
    for page in pages:
        assert page_problems(page) == [], page["page_number"]
    listed = [s["x_signpost_id"] for page in pages for s in page["contents"]]
    assert listed == live_ids() and len(listed) > 5
    assert [p["page_number"] for p in pages] == list(range(1, len(pages) + 1))
    assert pages[0]["first_page"] and not pages[1]["first_page"]
    assert {p["total_items"] for p in pages} == {len(listed)} and {
        p["total_pages"] for p in pages
    } == {len(pages)}
    assert sum(p["size"] for p in pages) == len(listed)
    statuses = {s.id: s.status for s in load_directory().services.values()}
    assert {"example", "verify"} <= set(
        statuses.values()
    )  # there are sample and unchecked entries to keep out


def test_each_service_passes_the_official_schema(base_url):
    for ident in live_ids():
        reply = get(base_url, f"/hsds/services/{service_uuid(ident)}")
        assert reply.status_code == 200, ident
        assert service_problems(reply.json()) == [], ident


def test_sample_and_unchecked_services_are_not_served(base_url):
    hidden = [s.id for s in load_directory().services.values() if s.status in ("example", "verify")]
    for ident in (hidden[0], hidden[-1], "nat-999"):  # our own id is not an HSDS id either
        reply = get(
            base_url, f"/hsds/services/{service_uuid(ident) if ident != 'nat-999' else ident}"
        )
        assert reply.status_code == 404 and "No live service" in reply.json()["error"]


@pytest.mark.parametrize("query", ["page=0", "page=two", "per_page=0", "per_page=1000", "page=-1"])
def test_bad_paging_is_refused_kindly(base_url, query):
    reply = get(base_url, f"/hsds/services?{query}")
    assert reply.status_code == 400
    assert "should be a whole number" in reply.json()["error"]
    assert reply.headers["Cache-Control"] == "no-store"


def test_a_page_past_the_end_is_empty(base_url):
    body = get(base_url, "/hsds/services?page=99").json()
    assert body["empty"] is True and body["contents"] == [] and body["last_page"] is True
    assert page_problems(body) == []


def test_full_pages_nest_everything(base_url):
    body = get(base_url, "/hsds/services?per_page=3&full=true").json()
    assert all("phones" in s and "attributes" in s for s in body["contents"])
    assert page_problems(body) == []


def test_services_for_one_need(base_url):
    food = get(base_url, "/hsds/services?per_page=200&full=true").json()["contents"]
    term = next(
        a["taxonomy_term"]
        for s in food
        for a in s["attributes"]
        if a["taxonomy_term"]["code"] == "food"
    )
    body = get(base_url, f"/hsds/services?per_page=200&taxonomy_term_id={term['id']}").json()
    expected = [
        s.id
        for s in load_directory().services.values()
        if s.status == "active" and "food" in s.needs
    ]
    assert [s["x_signpost_id"] for s in body["contents"]] == expected and 0 < len(expected) < len(
        live_ids()
    )
    assert body["total_items"] == len(expected) and page_problems(body) == []


def test_cache_headers_and_revalidation(base_url):
    reply = get(base_url, "/hsds/services?page=1")
    assert reply.headers["Cache-Control"] == "public, max-age=300"
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    etag = reply.headers["ETag"]
    again = get(base_url, "/hsds/services?page=1", **{"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert get(base_url, "/hsds/services?page=2", **{"If-None-Match": etag}).status_code == 200
    assert (
        get(base_url, "/").headers["Cache-Control"] == "no-store"
    )  # the chat page is still never cached


def test_our_importer_reads_the_feed_back(base_url, tmp_path, capsys):
    output = tmp_path / "from-feed.yml"
    assert import_feed(base_url + "/hsds", output, today=dt.date(2026, 11, 20)) == 0
    out = capsys.readouterr().out
    assert "Skipped 0:" in out
    original, again = load_directory(), load_directory(output)
    assert sorted(again.services) == sorted("oruk-" + service_uuid(ident) for ident in live_ids())
    for ident in live_ids():
        copy = again.services["oruk-" + service_uuid(ident)]
        for name in ROUND_TRIP_FIELDS:
            assert getattr(copy, name) == getattr(original.services[ident], name), (ident, name)
