"""The mentors' view needs a sign-in (issue 17, row 13); the chat needs none. Real server."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from bot.web.mentor_auth import session_value
from tests.browser.conftest import MENTOR_TOKEN, WEB_SECRET, mentor_sign_in

pytestmark = pytest.mark.browser


def signed_in(url: str) -> requests.Session:
    session = requests.Session()
    response = session.post(
        url + "/mentor/login",
        data={"token": MENTOR_TOKEN},
        headers={"Origin": url},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 303 and response.headers["Location"] == "/mentor"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=28800" in cookie
    return session


def test_without_signing_in_the_mentors_view_is_closed(web_server):
    page = requests.get(web_server.url + "/mentor", allow_redirects=False, timeout=10)
    assert page.status_code == 303 and page.headers["Location"] == "/mentor/login"
    assert requests.get(web_server.url + "/api/mentor/options", timeout=10).status_code == 401
    for path in ("/api/mentor/search", "/api/mentor/note"):
        answer = requests.post(
            web_server.url + path,
            json={"needs": ["food"], "area": "bradford"},
            headers={"Origin": web_server.url},
            timeout=10,
        )
        assert answer.status_code == 401


def test_a_wrong_code_is_refused_kindly(web_server):
    response = requests.post(
        web_server.url + "/mentor/login",
        data={"token": "not-the-code-at-all-123"},
        headers={"Origin": web_server.url},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 401 and "didn't work" in response.text
    assert "Set-Cookie" not in response.headers


def test_signed_in_a_mentor_can_search_and_make_a_note(web_server):
    session = signed_in(web_server.url)
    assert session.get(web_server.url + "/mentor", timeout=10).status_code == 200
    search = session.post(
        web_server.url + "/api/mentor/search",
        json={"needs": ["food"], "area": "bradford"},
        headers={"Origin": web_server.url},
        timeout=10,
    )
    assert search.status_code == 200 and search.json()["results"]
    note = session.post(
        web_server.url + "/api/mentor/note",
        json={"needs": ["food"]},
        headers={"Origin": web_server.url},
        timeout=10,
    )
    assert note.status_code == 200 and note.json()["title"]


def test_the_note_refuses_a_request_from_another_site(web_server):
    session = signed_in(web_server.url)
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {}):
        note = session.post(
            web_server.url + "/api/mentor/note",
            json={"needs": ["food"]},
            headers=headers,
            timeout=10,
        )
        assert note.status_code == 403, headers


def test_an_expired_or_forged_session_is_refused(web_server):
    for value in (
        session_value(WEB_SECRET.encode(), hours=-1),
        session_value(b"another-key" * 4, hours=8),
        "1.2.3",
    ):
        response = requests.get(
            web_server.url + "/api/mentor/options", cookies={"fsp_mentor": value}, timeout=10
        )
        assert response.status_code == 401


def test_a_mentor_signs_in_with_the_page(context, web_server):
    page = context.new_page()
    mentor_sign_in(page, web_server.url)
    expect(page.locator("#needs input").first).to_be_visible()
    assert "fsp_mentor" not in page.evaluate("document.cookie")


def test_the_chat_needs_no_sign_in(web_server, fake_rasa, needs_fake):
    response = requests.post(
        web_server.url + "/api/chat",
        json={"sender": "no-sign-in-tab", "message": "/greet"},
        timeout=10,
    )
    assert response.status_code == 200
