"""The web server's HTTP surface: headers, validation, proxying to Rasa, privacy."""

from __future__ import annotations

import html
import json
import urllib.error
import urllib.request
from http.cookies import SimpleCookie

import pytest

from bot.urgent import exit_words
from bot.web.page_words import page_exit_words
from tests.browser.conftest import COOKIE_NAME, rasa_sender

pytestmark = pytest.mark.browser

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'self'"
)
SENDER = "test-sender-0001"


def request(url, data=None, content_type="application/json", method=None, cookie=None):
    """Return (status, headers, body bytes) without raising on HTTP errors."""
    body = data if isinstance(data, (bytes, type(None))) else json.dumps(data).encode()
    req = urllib.request.Request(url, data=body, method=method)
    if cookie:
        req.add_header("Cookie", f"{COOKIE_NAME}={cookie}")
    if body is not None and content_type:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=15) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def issued_cookie(headers) -> str:
    jar = SimpleCookie()
    for line in headers.get_all("Set-Cookie") or []:
        jar.load(line)
    return jar[COOKIE_NAME].value


def assert_security_headers(headers):
    assert headers["Content-Security-Policy"] == CSP
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "path", ["/", "/static/chat.js", "/static/chat.css", "/api/config", "/no-such-page"]
)
def test_security_headers_on_every_response(web_server, path):
    status, headers, _ = request(web_server.url + path)
    assert status in (200, 404)
    assert_security_headers(headers)


def test_page_has_exit_url_and_no_third_party_urls(web_server, neutral_url):
    status, headers, body = request(web_server.url + "/")
    html = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert f'content="{neutral_url}"' in html
    assert "__EXIT_URL__" not in html
    for asset in ("chat.js", "chat.css"):
        assert f"/static/{asset}" in html
    # Nothing from elsewhere: no CDN, fonts or analytics.
    assert "//" not in html.replace(neutral_url, "").replace("http://www.w3.org", "")


def test_config_returns_exit_url(web_server, neutral_url):
    status, _, body = request(web_server.url + "/api/config")
    assert status == 200
    # Every page language's exit words: the server's own English ones first.
    assert json.loads(body) == {"exit_url": neutral_url, "exit_words": list(page_exit_words())}
    own = list(dict.fromkeys(exit_words()))  # the server's own list, each once
    assert list(page_exit_words())[: len(own)] == own


def test_chat_proxies_to_rasa(web_server, fake_rasa, needs_fake):
    status, headers, body = request(
        web_server.url + "/api/chat", {"sender": SENDER, "message": "/greet"}
    )
    assert status == 200
    assert_security_headers(headers)
    replies = json.loads(body)
    assert replies[0]["text"].startswith("Hello.")
    assert [b["title"] for b in replies[0]["buttons"]] == ["Food", "Leave"]
    assert (rasa_sender(issued_cookie(headers), SENDER), "/greet") in fake_rasa.received


@pytest.mark.parametrize(
    "payload",
    [
        {"sender": "short", "message": "hi"},
        {"sender": "x" * 65, "message": "hi"},
        {"sender": "has space 123", "message": "hi"},
        {"sender": "<script>alert1", "message": "hi"},
        {"sender": 12345678, "message": "hi"},
        {"sender": SENDER, "message": 5},
        {"sender": SENDER},
        ["not", "an", "object"],
    ],
)
def test_chat_rejects_bad_input(web_server, payload):
    status, headers, body = request(web_server.url + "/api/chat", payload)
    assert status == 400
    assert_security_headers(headers)
    assert json.loads(body)["error"] == "bad_request"


def test_chat_rejects_non_json(web_server):
    status, _, body = request(web_server.url + "/api/chat", b"not json", content_type="text/plain")
    assert status == 400
    assert "message" in json.loads(body)


def test_chat_caps_body_at_20kb_with_kind_message(web_server):
    big = {"sender": SENDER, "message": "a" * 21_000}
    status, headers, body = request(web_server.url + "/api/chat", big)
    assert status == 413
    assert_security_headers(headers)
    data = json.loads(body)
    assert data["error"] == "too_large"
    assert "Sorry" in data["message"]
    # Just under the cap is fine.
    ok, _, _ = request(web_server.url + "/api/chat", {"sender": SENDER, "message": "a" * 19_000})
    assert ok in (200, 503)


def test_reset_accepts_beacon_text_plain(web_server, fake_rasa, needs_fake):
    tab = "beacon-sender-42"
    _, headers, _ = request(web_server.url + "/api/chat", {"sender": tab, "message": "/greet"})
    cookie = issued_cookie(headers)
    status, headers, body = request(
        web_server.url + "/api/reset",
        json.dumps({"sender": tab}).encode(),
        content_type="text/plain;charset=UTF-8",
        cookie=cookie,
    )
    assert status == 204 and body == b""
    assert_security_headers(headers)
    assert fake_rasa.messages_for(rasa_sender(cookie, tab)) == ["/greet", "/quick_exit"]
    deletion = next(h for h in headers.get_all("Set-Cookie") if h.startswith(COOKIE_NAME + "="))
    assert (
        'fsp_conversation=""' in deletion and "Max-Age=0" in deletion
    )  # the browser forgets the id


def test_reset_rejects_bad_sender(web_server):
    status, _, _ = request(web_server.url + "/api/reset", {"sender": "no"})
    assert status == 400


def test_get_on_api_is_not_allowed(web_server):
    status, _, _ = request(web_server.url + "/api/chat")
    assert status == 405


def test_unavailable_rasa_gives_503(make_fake_rasa, make_web_server, neutral_url):
    down = make_fake_rasa()
    down.stop()  # a port that was just closed: nothing listens there
    server = make_web_server(down.url, neutral_url)
    status, headers, body = request(server.url + "/api/chat", {"sender": SENDER, "message": "hi"})
    assert status == 503
    assert_security_headers(headers)
    data = json.loads(body)
    assert data["error"] == "unavailable"
    assert "call 999" in data["message"] and "116 123" in data["message"]  # the urgent lines
    status, _, body = request(
        server.url + "/api/reset", {"sender": SENDER}, cookie=issued_cookie(headers)
    )
    assert status == 503


def test_options_come_from_environment(fake_rasa, make_web_server):
    exit_url = "https://example.org/weather?a=1&b=2"
    server = make_web_server(fake_rasa.url, exit_url, use_env=True)
    status, _, body = request(server.url + "/api/config")
    assert status == 200 and json.loads(body)["exit_url"] == exit_url
    # In the page the URL is HTML-escaped inside attributes.
    _, _, page = request(server.url + "/")
    assert 'content="https://example.org/weather?a=1&amp;b=2"' in page.decode()


def test_bad_exit_url_is_refused(make_web_server, fake_rasa):
    with pytest.raises(AssertionError, match="exit_url must be an http"):
        make_web_server(fake_rasa.url, "javascript:alert(1)")


def test_server_logs_no_message_text(web_server, wait_until):
    secret = "MY-PRIVATE-WORDS-7731"
    request(web_server.url + "/api/chat", {"sender": "privacy-sender-1", "message": secret})
    request(web_server.url + "/api/chat", {"sender": "privacy-sender-1", "message": secret * 2000})
    request(web_server.url + "/api/chat", {"sender": "x", "message": secret})
    # The access log line for the last request proves the log is being written.
    wait_until(lambda: web_server.log_text().count("POST /api/chat") >= 3, what="access log lines")
    assert secret not in web_server.log_text()


def test_a_reply_can_ask_the_page_to_clear_but_nothing_else_from_custom_passes(
    web_server, needs_fake
):
    status, _, body = request(
        web_server.url + "/api/chat", {"sender": SENDER, "message": "forget me"}
    )
    assert status == 200
    replies = [
        {k: v for k, v in reply.items() if k != "recipient_id"} for reply in json.loads(body)
    ]
    assert replies == [{"text": "Done. I've deleted this chat."}, {"page": "clear"}]


def test_the_page_gets_the_servers_own_exit_words(web_server):
    _, _, page = request(web_server.url + "/")
    assert html.escape(json.dumps(list(page_exit_words())), quote=True) in page.decode()
    assert set(exit_words()) <= set(page_exit_words())
    assert "__EXIT_WORDS__" not in page.decode()
