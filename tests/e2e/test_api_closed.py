"""Rasa's HTTP API is not served, CORS is for the chat page only, and requests are size-limited."""

import pytest
import requests

from bot.tools.servers import CORS_ORIGINS

pytestmark = pytest.mark.e2e

API_READS = ["/conversations/x/tracker", "/conversations/x/story", "/status", "/version", "/domain"]


@pytest.mark.parametrize("path", API_READS)
def test_the_api_is_not_served(assistant, path):
    for token in ({}, {"token": "guess"}):
        response = requests.get(assistant.rasa_url + path, params=token, timeout=10)
        assert response.status_code in (401, 403, 404), (path, response.status_code)


def test_nothing_can_be_written_through_the_api(assistant):
    for method, path in [
        ("POST", "/conversations/x/messages"),
        ("PUT", "/conversations/x/tracker/events"),
        ("POST", "/model/parse"),
        ("PUT", "/model"),
    ]:
        response = requests.request(
            method, assistant.rasa_url + path, json={"text": "hi"}, timeout=10
        )
        assert response.status_code in (401, 403, 404, 405), (method, path, response.status_code)


def preflight(assistant, origin):
    return requests.options(
        assistant.rasa_url + "/webhooks/rest/webhook",
        timeout=10,
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
    )


def test_cors_allows_the_chat_page_only(assistant):
    assert (
        preflight(assistant, CORS_ORIGINS[0]).headers.get("Access-Control-Allow-Origin")
        == CORS_ORIGINS[0]
    )
    assert (
        "Access-Control-Allow-Origin"
        not in preflight(assistant, "https://elsewhere.example").headers
    )


def test_requests_over_the_size_limit_are_refused_not_failed(assistant):
    response = requests.post(
        assistant.rasa_url + "/webhooks/rest/webhook",
        timeout=30,
        json={"sender": "big", "message": "x" * 70_000},
    )
    assert response.status_code == 413
