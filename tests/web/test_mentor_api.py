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
            body = (
                await response.json()
                if response.content_type == "application/json"
                else await response.text()
            )
            return response.status, body

    return run(go())


def search(**body):
    return call("POST", "/api/mentor/search", json=body)


def test_search_returns_what_a_mentor_needs_for_each_service():
    status, body = search(needs=["food", "money"], area="bradford", free=True)
    assert status == 200 and body["area"] == "Bradford" and body["filters"] == ["Free"]
    directory = load_directory()
    expected = [s.name for s in find_services(directory, "food", "bradford", Filters(free=True))][
        :10
    ]
    assert [s["name"] for s in body["results"][0]["services"]] == expected
    first = body["results"][0]["services"][0]
    assert " · " in first["why"] and first["calls"][0]["href"].startswith("tel:")
    labels = {label for label, _ in first["details"]}
    assert {
        "What it is",
        "Phone",
        "Hours",
        "Referral",
        "Who can use it",
        "Languages",
        "Last checked",
    } <= labels
    assert body["contact"]["name"] == "Better Start Bradford" and body["contact"]["sample"] is True


def test_names_in_any_case_and_unknown_choices_listed():
    status, body = search(
        needs=["perinatal_mental_health"], area="LAMBETH", language="Urdu", open_on="saturday"
    )
    assert (
        status == 200
        and body["area"] == "Lambeth"
        and body["filters"] == ["Urdu: spoken or interpreter", "Open on Saturday"]
    )
    status, body = search(needs=["food"], area="bradford", language="Klingon")
    assert status == 400 and "Urdu (ur)" in body["error"]


def test_search_pages_and_never_sends_more_than_a_page():
    status, first = search(needs=["food"], area="bradford")
    status2, second = search(needs=["food"], area="bradford", start=10)
    everything = [s.name for s in find_services(load_directory(), "food", "bradford")]
    assert len(first["results"][0]["services"]) <= 10
    assert [
        s["name"] for s in first["results"][0]["services"] + second["results"][0]["services"]
    ] == everything[:20]
    assert first["results"][0]["more"] == (len(everything) > 10)


def test_zero_results_say_which_filter_to_drop():
    status, body = search(
        needs=["perinatal_mental_health"], area="lambeth", language="pl", open_on="SU", free=True
    )
    assert status == 200 and not body["results"][0]["services"]
    assert body["results"][0]["hint"].startswith("No services match all these filters. Without ")


def test_search_is_a_post_so_choices_stay_out_of_urls_and_logs():
    assert call("GET", "/api/mentor/search?need=food&area=bradford")[0] == 405


def test_search_by_postcode_and_bad_input():
    status, body = search(needs=["housing"], postcode="NG7 2QP")
    assert status == 200 and body["area"] == "Nottingham"
    assert search(area="bradford")[0] == 400
    status, body = search(needs=["food"], child_age="two")
    assert status == 400 and "whole number of months" in body["error"]


@pytest.mark.parametrize("bad", ["not json", "[1, 2]"])
def test_note_rejects_bad_bodies_kindly(bad):
    status, body = call(
        "POST", "/api/mentor/note", data=bad, headers={"Content-Type": "application/json"}
    )
    assert status == 400 and "error" in body


def test_note_uses_only_known_choices():
    service = next(iter(load_directory().services))
    status, body = call(
        "POST",
        "/api/mentor/note",
        json={
            "needs": ["food", "nonsense"],
            "services": [service],
            "how": "text",
            "language": "pl",
            "when": "<script>",
        },
    )
    assert status == 200
    text = "\n".join(body["lines"])
    assert [r["label"] for r in body["remove"]][:2] == ["Remove help line", "Remove services line"]
    assert "Food" in text and "a text message" in text and "Polish" in text
    assert "<script>" not in text and "Good times" not in text


def test_the_page_is_served():
    status, text = call("GET", "/mentor")
    assert status == 200 and "Find a service" in text


def test_a_removed_note_line_stays_out():
    status, body = call(
        "POST",
        "/api/mentor/note",
        json={"needs": ["food"], "how": "text", "drop": ["how", "bogus"]},
    )
    assert (
        status == 200
        and not any("Safe ways" in line for line in body["lines"])
        and "Food" in body["lines"][0]
    )
