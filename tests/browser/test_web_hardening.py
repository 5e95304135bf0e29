"""The public web server, locked down (issue 17 rows 3, 6, 9, 12), on real servers.

The real bot/web/server.py runs in a subprocess; behind it a real HTTP fake of Rasa's
REST channel (tests/browser/conftest.py).
"""

from __future__ import annotations

import json
import socket
import time

import pytest

from tests.browser.conftest import COOKIE_NAME, rasa_sender
from tests.browser.test_chat_server_api import assert_security_headers, issued_cookie, request

pytestmark = pytest.mark.browser
TAB = "tab-0000-hardening"


def raw_http(url: str, data: bytes, timeout: float = 15) -> bytes:
    host, port = url.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        s.sendall(data)
        out = b""
        try:
            while chunk := s.recv(65536):
                out += chunk
        except TimeoutError:
            pass
        return out


def headers_of(response: bytes) -> dict[str, str]:
    lines = response.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")[1:]
    return {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


@pytest.mark.parametrize("path", ["/api/chat", "/api/reset", "/api/mentor/note"])
def test_deeply_nested_json_gets_a_kind_400(web_server, path):
    from tests.browser.test_mentor_sign_in import signed_in

    session = signed_in(web_server.url)  # the mentors' note needs a sign-in; the chat ignores it
    response = session.post(
        web_server.url + path,
        data=b"[" * 5000 + b"]" * 5000,
        headers={"Origin": web_server.url},
        timeout=15,
    )
    status, headers, body = response.status_code, response.headers, response.content
    assert status == 400
    assert_security_headers(headers)
    assert b"Traceback" not in body


def test_a_malformed_request_still_gets_the_security_headers_and_no_banner(web_server):
    response = raw_http(
        web_server.url, b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n"
    )
    assert response.split(b" ")[1] == b"400"
    headers = headers_of(response)
    assert headers["content-security-policy"].startswith("default-src 'self'")
    assert headers["x-content-type-options"] == "nosniff"
    assert (
        "aiohttp" not in headers.get("server", "")
        and "python" not in headers.get("server", "").lower()
    )


@pytest.mark.parametrize(
    "path", ["/", "/api/config", "/static/chat.js", "/no-such-page", "/mentor"]
)
def test_no_server_version_banner(web_server, path):
    _, headers, _ = request(web_server.url + path)
    assert "aiohttp" not in (headers["Server"] or "") and "Python" not in (headers["Server"] or "")


def test_a_body_that_never_finishes_is_closed(fake_rasa, make_web_server, neutral_url):
    server = make_web_server(fake_rasa.url, neutral_url, extra_env={"WEB_BODY_TIMEOUT": "1"})
    started = time.monotonic()
    response = raw_http(
        server.url,
        b"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b'Content-Length: 100\r\n\r\n{"sender":',
        timeout=20,
    )
    assert response.startswith(b"HTTP/1.1 408"), response[:200]
    assert time.monotonic() - started < 15  # answered and closed, not held open
    assert headers_of(response)["connection"].lower() == "close"


def test_a_retried_message_is_passed_on_once(make_fake_rasa, make_web_server, neutral_url):
    rasa = make_fake_rasa()  # "slow" takes 2 s to answer
    server = make_web_server(rasa.url, neutral_url, extra_env={"WEB_REPLY_TIMEOUT": "0.5"})
    message = {"sender": TAB, "message": "slow", "id": "message-0001"}
    status, headers, body = request(server.url + "/api/chat", message)
    assert status == 503
    assert "call 999" in json.loads(body)["message"]  # the 503 carries the urgent lines
    cookie = issued_cookie(headers)
    for delay in (1, 2, 4):  # the page's retries, with its back-off
        time.sleep(delay)
        status, _, body = request(server.url + "/api/chat", message, cookie=cookie)
        if status == 200:
            break
    assert status == 200 and json.loads(body)[0]["text"] == "Sorry to keep you waiting."
    assert rasa.messages_for(rasa_sender(cookie, TAB)) == ["slow"]
    status, _, _ = request(
        server.url + "/api/chat", {**message, "id": "message-0002"}, cookie=cookie
    )
    assert rasa.messages_for(rasa_sender(cookie, TAB)) == ["slow", "slow"]  # a new message is new


def test_query_strings_stay_out_of_the_access_log(web_server, wait_until):
    request(
        web_server.url
        + "/api/mentor/search?need=perinatal_mental_health&postcode=BD7+1HY&pregnant=1&child_age=4"
    )
    wait_until(lambda: "/api/mentor/search" in web_server.log_text(), what="the access log line")
    log = web_server.log_text()
    for detail in ("BD7", "perinatal", "pregnant", "child_age", "?"):
        assert detail not in log.split("/api/mentor/search")[1].splitlines()[0]


def test_the_conversation_cookie_is_httponly_strict_and_signed(web_server, fake_rasa, needs_fake):
    status, headers, _ = request(web_server.url + "/api/chat", {"sender": TAB, "message": "/greet"})
    line = next(h for h in headers.get_all("Set-Cookie") if h.startswith(COOKIE_NAME + "="))
    assert "HttpOnly" in line and "SameSite=Strict" in line and "Path=/" in line
    cookie = issued_cookie(headers)
    # Same cookie: same conversation. A chosen or tampered cookie: a new one is issued.
    _, again, _ = request(
        web_server.url + "/api/chat", {"sender": TAB, "message": "x"}, cookie=cookie
    )
    assert not again.get_all("Set-Cookie")
    for forged in ("a" * 32, "a" * 32 + ".0000", cookie[:-1] + ("0" if cookie[-1] != "0" else "1")):
        _, fresh, _ = request(
            web_server.url + "/api/chat", {"sender": TAB, "message": "x"}, cookie=forged
        )
        assert issued_cookie(fresh) not in (forged, cookie)


def test_reset_without_the_cookie_deletes_nothing(web_server, fake_rasa, needs_fake):
    status, _, _ = request(web_server.url + "/api/reset", {"sender": "someone-elses-tab"})
    assert status == 204
    assert not any(m == "/quick_exit" and s.startswith("someone") for s, m in fake_rasa.received)
