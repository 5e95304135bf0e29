"""Self-hosted web chat page and a thin proxy to Rasa's REST channel.

Start with::

    python -m bot.web.server --port 8080 --host 127.0.0.1 \
        --rasa-url http://127.0.0.1:5005 --exit-url https://www.bbc.co.uk/weather

Every option can also come from the environment (WEB_PORT, WEB_HOST, RASA_URL,
EXIT_URL). The page, its static files and the JSON API share one origin, so Rasa's
own port never needs to be public.

Privacy: nothing a parent types is logged. The access log records the request
line, status, size and time only (no client address, no user agent, no referrer),
and Rasa failures are logged by error type only.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import logging
import os
import re
from pathlib import Path
from typing import Any, TypeGuard
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from bot.urgent import exit_words
from bot.web.hsds_feed import add_hsds_routes
from bot.web.mentor import add_mentor_routes

log = logging.getLogger("bot.web")

STATIC_DIR = Path(__file__).resolve().parent / "static"
INDEX_FILE = STATIC_DIR / "index.html"
EXIT_URL_PLACEHOLDER = "__EXIT_URL__"
# The quick-exit words, from the same list the server uses (bot/words/urgent_help.yml),
# written into the page so chat.js never keeps a copy of its own.
EXIT_WORDS_PLACEHOLDER = "__EXIT_WORDS__"
# What a reply may ask the page to do (domain.yml responses with `custom: {page: ...}`):
# "leave" is the quick exit; "clear" wipes the chat from the screen and this tab.
PAGE_ACTIONS = {"leave", "clear"}

MAX_BODY_BYTES = 20 * 1024
RASA_TIMEOUT_SECONDS = 10
SENDER_RE = re.compile(r"[A-Za-z0-9-]{8,64}")
RESET_PAYLOAD = "/quick_exit"

DEFAULT_PORT = 8080
DEFAULT_HOST = "127.0.0.1"
DEFAULT_RASA_URL = "http://127.0.0.1:5005"
DEFAULT_EXIT_URL = "https://www.bbc.co.uk/weather"

ACCESS_LOG_FORMAT = '"%r" %s %b %Tfs'

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; "
        "script-src 'self'; connect-src 'self'; frame-ancestors 'self'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    # Nothing here should be kept in a shared phone's browser cache.
    "Cache-Control": "no-store",
}

RASA_URL_KEY = web.AppKey("rasa_url", str)
EXIT_URL_KEY = web.AppKey("exit_url", str)
INDEX_HTML_KEY = web.AppKey("index_html", str)
CLIENT_KEY = web.AppKey("client", aiohttp.ClientSession)

MSG_TOO_LONG = {
    "error": "too_large",
    "message": "Sorry, that message is too long for me. Could you send it in shorter parts?",
}
MSG_BAD_REQUEST = {
    "error": "bad_request",
    "message": "Sorry, something went wrong sending that. Please try again.",
}
MSG_UNAVAILABLE = {"error": "unavailable"}


class RasaUnavailable(Exception):
    """Rasa could not be reached, timed out, or answered with something unusable."""


class BadRequest(Exception):
    """The request body was not what the API accepts."""


def valid_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def valid_sender(sender: Any) -> TypeGuard[str]:
    return isinstance(sender, str) and SENDER_RE.fullmatch(sender) is not None


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status)


async def _read_json_object(request: web.Request) -> dict:
    """Read a small JSON object body whatever its content type (sendBeacon sends text/plain)."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise web.HTTPRequestEntityTooLarge(
            max_size=MAX_BODY_BYTES, actual_size=request.content_length
        )
    raw = await request.read()  # client_max_size also enforces the cap on chunked bodies
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest from exc
    if not isinstance(data, dict):
        raise BadRequest
    return data


def _clean_replies(data: Any) -> list[dict]:
    """Keep only the parts of Rasa's reply that the page renders (text and buttons)."""
    if not isinstance(data, list):
        raise RasaUnavailable("reply is not a list")
    out: list[dict] = []
    for item in data:
        if not isinstance(item, dict):
            continue
        msg: dict[str, Any] = {}
        if isinstance(item.get("recipient_id"), str):
            msg["recipient_id"] = item["recipient_id"]
        if isinstance(item.get("text"), str):
            msg["text"] = item["text"]
        buttons = item.get("buttons")
        if isinstance(buttons, list):
            clean = [
                {"title": b["title"], "payload": b["payload"]}
                for b in buttons
                if isinstance(b, dict)
                and isinstance(b.get("title"), str)
                and isinstance(b.get("payload"), str)
            ]
            if clean:
                msg["buttons"] = clean
        custom = item.get("custom")
        if isinstance(custom, dict) and custom.get("page") in PAGE_ACTIONS:
            msg["page"] = custom["page"]
        if "text" in msg or "buttons" in msg or "page" in msg:
            out.append(msg)
    return out


async def forward_to_rasa(app: web.Application, sender: str, message: str) -> list[dict]:
    url = app[RASA_URL_KEY].rstrip("/") + "/webhooks/rest/webhook"
    try:
        async with app[CLIENT_KEY].post(url, json={"sender": sender, "message": message}) as resp:
            if resp.status != 200:
                raise RasaUnavailable(f"HTTP {resp.status}")
            data = await resp.json(content_type=None)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
        raise RasaUnavailable(type(exc).__name__) from exc
    return _clean_replies(data)


async def index(request: web.Request) -> web.Response:
    return web.Response(text=request.app[INDEX_HTML_KEY], content_type="text/html", charset="utf-8")


async def config(request: web.Request) -> web.Response:
    return _json({"exit_url": request.app[EXIT_URL_KEY], "exit_words": list(exit_words())})


async def chat(request: web.Request) -> web.Response:
    try:
        data = await _read_json_object(request)
    except web.HTTPRequestEntityTooLarge:
        return _json(MSG_TOO_LONG, status=413)
    except BadRequest:
        return _json(MSG_BAD_REQUEST, status=400)
    sender, message = data.get("sender"), data.get("message")
    if not valid_sender(sender) or not isinstance(message, str):
        return _json(MSG_BAD_REQUEST, status=400)
    try:
        replies = await forward_to_rasa(request.app, sender, message)
    except RasaUnavailable as exc:
        log.warning("chat: Rasa unavailable (%s)", exc)
        return _json(MSG_UNAVAILABLE, status=503)
    return _json(replies)


async def reset(request: web.Request) -> web.StreamResponse:
    """Quick exit: tell Rasa to forget this conversation. Accepts a sendBeacon body."""
    try:
        data = await _read_json_object(request)
    except web.HTTPRequestEntityTooLarge:
        return _json(MSG_TOO_LONG, status=413)
    except BadRequest:
        return _json(MSG_BAD_REQUEST, status=400)
    sender = data.get("sender")
    if not valid_sender(sender):
        return _json(MSG_BAD_REQUEST, status=400)
    try:
        await forward_to_rasa(request.app, sender, RESET_PAYLOAD)
    except RasaUnavailable as exc:
        log.warning("reset: Rasa unavailable (%s)", exc)
        return _json(MSG_UNAVAILABLE, status=503)
    return web.Response(status=204)


async def _client_ctx(app: web.Application):
    timeout = aiohttp.ClientTimeout(total=RASA_TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        app[CLIENT_KEY] = session
        yield


def create_app(rasa_url: str = DEFAULT_RASA_URL, exit_url: str = DEFAULT_EXIT_URL) -> web.Application:
    if not valid_http_url(rasa_url):
        raise ValueError("rasa_url must be an http(s) URL")
    if not valid_http_url(exit_url):
        raise ValueError("exit_url must be an http(s) URL")
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[RASA_URL_KEY] = rasa_url
    app[EXIT_URL_KEY] = exit_url
    app[INDEX_HTML_KEY] = (
        INDEX_FILE.read_text(encoding="utf-8")
        .replace(EXIT_URL_PLACEHOLDER, html.escape(exit_url, quote=True))
        .replace(EXIT_WORDS_PLACEHOLDER, html.escape(json.dumps(list(exit_words())), quote=True))
    )
    app.cleanup_ctx.append(_client_ctx)
    app.on_response_prepare.append(_security_headers)  # type: ignore[arg-type]  # aiohttp 3.9 types this signal for an older aiosignal
    app.router.add_get("/", index)
    app.router.add_get("/api/config", config)
    app.router.add_post("/api/chat", chat)
    app.router.add_post("/api/reset", reset)
    app.router.add_static("/static/", STATIC_DIR, show_index=False, follow_symlinks=False)
    add_mentor_routes(app)  # the family mentors' view, /mentor
    add_hsds_routes(app)  # the directory as an Open Referral HSDS 3.0 feed, /hsds/
    return app


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ
    parser = argparse.ArgumentParser(description="Web chat page and proxy to Rasa's REST channel.")
    parser.add_argument("--port", type=int, default=int(env.get("WEB_PORT", DEFAULT_PORT)))
    parser.add_argument("--host", default=env.get("WEB_HOST", DEFAULT_HOST))
    parser.add_argument("--rasa-url", default=env.get("RASA_URL", DEFAULT_RASA_URL))
    parser.add_argument("--exit-url", default=env.get("EXIT_URL", DEFAULT_EXIT_URL))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        app = create_app(args.rasa_url, args.exit_url)
    except ValueError as exc:
        raise SystemExit(f"bot.web.server: {exc}") from exc
    web.run_app(app, host=args.host, port=args.port, access_log_format=ACCESS_LOG_FORMAT)


if __name__ == "__main__":
    main()
