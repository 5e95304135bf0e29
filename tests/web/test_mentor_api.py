"""The mentors' view over HTTP: search with filters, and a note built from choices only."""

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.directory import load_directory
from bot.search import Filters, find_services
from bot.web.mentor import add_mentor_routes
from tests.asyncio_thread import run


def call(method: str, path: str, **kwargs):
    async def go():
        app = web.Application()
        add_mentor_routes(app)
        async with TestClient(TestServer(app)) as client:
            response = await client.request(method, path, **kwargs)
            body = await response.json() if response.content_type == "application/json" else await response.text()
            return response.status, body

    return run(go())


def test_search_returns_what_a_mentor_needs_for_each_service():
    status, body = call("GET", "/api/mentor/search?need=food&need=money&area=bradford&free=1")
    assert status == 200 and body["area"] == "Bradford"
    directory = load_directory()
    expected = [s.name for s in find_services(directory, "food", "bradford", Filters(free=True))]
    assert [s["name"] for s in body["results"][0]["services"]] == expected
    labels = {label for label, _ in body["results"][0]["services"][0]["fields"]}
    assert {"What it is", "Phone", "Hours", "Referral", "Who can use it", "Languages", "Last verified"} <= labels


def test_search_by_postcode_and_bad_input():
    status, body = call("GET", "/api/mentor/search?need=housing&postcode=NG7%202QP")
    assert status == 200 and body["area"] == "Nottingham"
    assert call("GET", "/api/mentor/search?area=bradford")[0] == 400
    assert call("GET", "/api/mentor/search?need=food&child_age=two")[0] == 400


@pytest.mark.parametrize("bad", ["not json", "[1, 2]"])
def test_note_rejects_bad_bodies_kindly(bad):
    status, body = call("POST", "/api/mentor/note", data=bad, headers={"Content-Type": "application/json"})
    assert status == 400 and "error" in body


def test_note_uses_only_known_choices():
    service = next(iter(load_directory().services))
    status, body = call("POST", "/api/mentor/note", json={"needs": ["food", "nonsense"], "services": [service],
                                                           "how": "text", "language": "pl", "when": "<script>"})
    assert status == 200
    text = "\n".join(body["lines"])
    assert "Food" in text and "a text message" in text and "Polish" in text
    assert "<script>" not in text and "Good times" not in text


def test_the_page_is_served():
    status, text = call("GET", "/mentor")
    assert status == 200 and "Find a service" in text
