"""Self-hosted web chat page and a thin proxy to Rasa's REST channel.

Start with::

    python -m bot.web.server --port 8080 --host 127.0.0.1 \
        --rasa-url http://127.0.0.1:5005 --exit-url https://www.bbc.co.uk/weather

Every option can also come from the environment (WEB_PORT, WEB_HOST, RASA_URL,
EXIT_URL). The page, its static files and the JSON API share one origin, so Rasa's
own port never needs to be public.

Privacy: nothing a parent types is logged. The access log records the method, the
path without its query string, status, size and time only (no client address, no user
agent, no referrer), and Rasa failures are logged by error type only.

Conversation ids: the server issues each browser a random id in an HttpOnly,
SameSite=Strict cookie, signed with WEB_SECRET (a random key per process if unset), so
script on the page can neither read nor set it and a forged or unsigned one is replaced.
Rasa's sender id is an HMAC of that id and the page's tab id, so each tab is its own
conversation and nobody without the cookie can continue, read or delete it.

Locked down: security headers and no version banner on every response (errors and
malformed requests included), a 400 for deeply nested JSON, a body-read timeout, and a
message id that makes a retried message idempotent (the retry waits for the first
attempt's reply instead of sending the message again). A 503 carries the urgent lines.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import hashlib
import hmac
import html
import json
import logging
import os
import re
import secrets
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any, TypeGuard
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from bot.replies import say
from bot.web.hsds_feed import add_hsds_routes
from bot.web.mentor import add_mentor_routes
from bot.web.mentor_auth import add_mentor_auth
from bot.web.page_words import (
    Language,
    language,
    note_titles,
    page_exit_words,
    page_languages,
    page_words,
)

log = logging.getLogger("bot.web")

STATIC_DIR = Path(__file__).resolve().parent / "static"
INDEX_FILE = STATIC_DIR / "index.html"
EXIT_URL_PLACEHOLDER = "__EXIT_URL__"
# The quick-exit words of every page language (bot/urgent.py's list and each language file's),
# written into the page so chat.js never keeps a copy of its own.
EXIT_WORDS_PLACEHOLDER = "__EXIT_WORDS__"
# index.html's `{{key}}` marks: a page word (bot/words/page.yml, or the language's own), or one
# of the marks `render_index` fills itself (lang, dir, languages, urgent_call, page_words_json).
WORD_MARK_RE = re.compile(r"\{\{(\w+)\}\}")
# The self-hosted fonts (npm @fontsource, pinned in package-lock.json, installed by `make
# setup`): only the Arabic-script files chat.css names are served, from node_modules.
FONTS_DIR = Path(__file__).resolve().parents[2] / "node_modules" / "@fontsource"
FONT_FILES = {
    f"{family}-arabic-{weight}-normal.woff2": FONTS_DIR / family / "files"
    for family in ("noto-nastaliq-urdu", "noto-naskh-arabic")
    for weight in (400, 700)
}
# What a reply may ask the page to do (domain.yml responses with `custom: {page: ...}`):
# "leave" is the quick exit; "clear" wipes the chat from the screen and this tab.
PAGE_ACTIONS = {"leave", "clear"}

MAX_BODY_BYTES = 20 * 1024
RASA_TIMEOUT_SECONDS = 10
SENDER_RE = re.compile(r"[A-Za-z0-9-]{8,64}")
RESET_PAYLOAD = "/quick_exit"
BODY_TIMEOUT_SECONDS = 10
REPLY_KEEP_SECONDS = 600  # how long a reply is kept for a retried message id
REPLY_KEEP_MAX = 2000
RASA_WAIT_SECONDS = 120  # a message already sent to Rasa is waited for this long in the background
COOKIE_NAME = "fsp_conversation"
MESSAGE_ID_RE = re.compile(r"[A-Za-z0-9-]{8,64}")
SERVER_BANNER = "web"

DEFAULT_PORT = 8080
DEFAULT_HOST = "127.0.0.1"
DEFAULT_RASA_URL = "http://127.0.0.1:5005"
DEFAULT_EXIT_URL = "https://www.bbc.co.uk/weather"


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
INDEX_HTML_KEY = web.AppKey("index_html", dict)
CLIENT_KEY = web.AppKey("client", aiohttp.ClientSession)
SECRET_KEY = web.AppKey("secret", bytes)
SECURE_COOKIE_KEY = web.AppKey("secure_cookie", bool)
BODY_TIMEOUT_KEY = web.AppKey("body_timeout", float)
REPLY_TIMEOUT_KEY = web.AppKey("reply_timeout", float)
REPLIES_KEY = web.AppKey("replies", OrderedDict)

MSG_TOO_LONG = {
    "error": "too_large",
    "message": "Sorry, that message is too long for me. Could you send it in shorter parts?",
}
MSG_BAD_REQUEST = {
    "error": "bad_request",
    "message": "Sorry, something went wrong sending that. Please try again.",
}
MSG_TOO_SLOW = {
    "error": "timeout",
    "message": "Sorry, that took too long to arrive. Please try again.",
}


def unavailable_body() -> dict:
    """The 503 body: the kind words with the urgent lines (bot/words/replies.yml)."""
    return {"error": "unavailable", "message": say("actions_down")}


class RasaUnavailable(Exception):
    """Rasa could not be reached, timed out, or answered with something unusable."""


class BadRequest(Exception):
    """The request body was not what the API accepts."""


def valid_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def valid_sender(sender: Any) -> TypeGuard[str]:
    return isinstance(sender, str) and SENDER_RE.fullmatch(sender) is not None


def _lock_down(response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    response.headers["Server"] = SERVER_BANNER


class LockedDownRequest(web.Request):
    """Every response, including aiohttp's own answers to malformed requests, is locked down."""

    async def _prepare_hook(self, response: web.StreamResponse) -> None:
        _lock_down(response)
        await super()._prepare_hook(response)


class PathOnlyAccessLogger(AbstractAccessLogger):
    """Method, path (never the query string), status, size and time; nothing about the client."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            '"%s %s" %s %s %.3fs',
            request.method,
            request.path,
            response.status,
            response.body_length,
            time,
        )


@web.middleware
async def _careful_bodies(request: web.Request, handler):
    """Read a request body within the time limit; refuse JSON nested too deep to parse."""
    if request.can_read_body:
        try:
            await asyncio.wait_for(request.read(), request.app[BODY_TIMEOUT_KEY])
        except asyncio.TimeoutError:
            response = _json(MSG_TOO_SLOW, status=408)
            response.force_close()
            return response
        except web.HTTPRequestEntityTooLarge:
            return _json(MSG_TOO_LONG, status=413)
    try:
        return await handler(request)
    except RecursionError:
        return _json(MSG_BAD_REQUEST, status=400)


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
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadRequest from exc
    if not isinstance(data, dict):
        raise BadRequest
    return data


def _page_language_codes() -> set[str]:
    return {lang.code for lang in page_languages()}


def _clean_replies(data: Any) -> list[dict]:
    """Keep only the parts of Rasa's reply the page uses: text, buttons, a page action
    (`custom.page`) and the conversation's language (`custom.language`, a page language)."""
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
        # The conversation's language (utter_language_chosen): the page's words follow it.
        if isinstance(custom, dict) and custom.get("language") in _page_language_codes():
            msg["language"] = custom["language"]
        if "text" in msg or "buttons" in msg or "page" in msg or "language" in msg:
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


def _urgent_call_html(text: str) -> str:
    """ "Call {number}." with the number as a tel: link (the number is 999 in every language)."""
    before, _, after = text.partition("{number}")
    link = '<a class="urgent-link" href="tel:999">999</a>'
    return html.escape(before, quote=False) + link + html.escape(after, quote=False)


def _language_links(current: Language) -> str:
    items = []
    for lang in page_languages():
        here = ' aria-current="true"' if lang.code == current.code else ""
        items.append(
            f'<li><a class="language" href="/?lang={lang.code}" hreflang="{lang.code}" '
            f'lang="{lang.code}" dir="{lang.direction}" data-language="{lang.code}"{here}>'
            f"{html.escape(lang.native, quote=False)}</a></li>"
        )
    return "".join(items)


def page_data(code: str | None) -> dict:
    """What the page needs to show itself in one language (also `GET /api/words`)."""
    lang = language(code)
    return {
        "lang": lang.code,
        "dir": lang.direction,
        "words": page_words(lang.code),
        "note_titles": note_titles(),
    }


def render_index(template: str, exit_url: str, code: str) -> str:
    """index.html in one page language: its words, `lang` and `dir`, and the language links."""
    data = page_data(code)
    words = data["words"]
    marks = {
        "lang": data["lang"],
        "dir": data["dir"],
        "languages": _language_links(language(code)),
        "urgent_call": _urgent_call_html(words["urgent_call"]),
        "page_words_json": html.escape(json.dumps(data, ensure_ascii=False), quote=True),
    }

    def fill(match: re.Match) -> str:
        key = match.group(1)
        if key in marks:
            return marks[key]
        return html.escape(words[key], quote=True)

    return (
        WORD_MARK_RE.sub(fill, template)
        .replace(EXIT_URL_PLACEHOLDER, html.escape(exit_url, quote=True))
        .replace(
            EXIT_WORDS_PLACEHOLDER, html.escape(json.dumps(list(page_exit_words())), quote=True)
        )
    )


async def index(request: web.Request) -> web.Response:
    pages = request.app[INDEX_HTML_KEY]
    text = pages.get(request.query.get("lang", ""), pages[page_languages()[0].code])
    return web.Response(text=text, content_type="text/html", charset="utf-8")


async def words(request: web.Request) -> web.Response:
    """The page's words in `?lang=` (English when that is not a page language)."""
    return _json(page_data(request.query.get("lang")))


async def font(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    folder = FONT_FILES.get(name)
    if folder is None or not (folder / name).is_file():
        raise web.HTTPNotFound()
    return web.FileResponse(folder / name, headers={"Content-Type": "font/woff2"})


async def config(request: web.Request) -> web.Response:
    return _json({"exit_url": request.app[EXIT_URL_KEY], "exit_words": list(page_exit_words())})


def _signed(secret: bytes, value: str) -> str:
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()


def cookie_ident(secret: bytes, value: str) -> str | None:
    """The conversation id in a cookie value, if this server signed it with `secret`."""
    ident, _, signature = value.partition(".")
    if len(ident) != 32 or not hmac.compare_digest(signature, _signed(secret, "id:" + ident)):
        return None
    return ident


def sender_id(secret: bytes, ident: str, tab: str) -> str:
    """Rasa's sender id for the conversation `ident` in the page's tab `tab`."""
    return _signed(secret, f"sender:{ident}:{tab}")[:32]


def conversation_cookie(request: web.Request) -> str | None:
    """The browser's conversation id from its cookie, if the cookie is one this server signed."""
    return cookie_ident(request.app[SECRET_KEY], request.cookies.get(COOKIE_NAME, ""))


def new_conversation_cookie(request: web.Request, response: web.StreamResponse) -> str:
    ident = secrets.token_hex(16)
    value = f"{ident}.{_signed(request.app[SECRET_KEY], 'id:' + ident)}"
    response.set_cookie(
        COOKIE_NAME,
        value,
        path="/",
        httponly=True,
        samesite="Strict",
        secure=request.app[SECURE_COOKIE_KEY] or request.secure,
    )
    return ident


def rasa_sender(request: web.Request, ident: str, tab: str) -> str:
    return sender_id(request.app[SECRET_KEY], ident, tab)


def _remember(request: web.Request, key: tuple[str, str], task: asyncio.Future) -> None:
    replies = request.app[REPLIES_KEY]
    now = time.monotonic()
    while replies and (
        len(replies) >= REPLY_KEEP_MAX or next(iter(replies.values()))[0] < now - REPLY_KEEP_SECONDS
    ):
        replies.popitem(last=False)
    replies[key] = (now, task)
    # A message Rasa never got may be sent again; one it answered is answered from here.
    task.add_done_callback(lambda t: replies.pop(key, None) if t.exception() is not None else None)


async def chat(request: web.Request) -> web.Response:
    try:
        data = await _read_json_object(request)
    except web.HTTPRequestEntityTooLarge:
        return _json(MSG_TOO_LONG, status=413)
    except BadRequest:
        return _json(MSG_BAD_REQUEST, status=400)
    tab, message, message_id = data.get("sender"), data.get("message"), data.get("id")
    if not valid_sender(tab) or not isinstance(message, str):
        return _json(MSG_BAD_REQUEST, status=400)
    if message_id is not None and not (
        isinstance(message_id, str) and MESSAGE_ID_RE.fullmatch(message_id)
    ):
        return _json(MSG_BAD_REQUEST, status=400)
    response = web.json_response([])
    ident = conversation_cookie(request) or new_conversation_cookie(request, response)
    sender = rasa_sender(request, ident, tab)
    key = (sender, message_id or "")
    known = request.app[REPLIES_KEY].get(key) if message_id else None
    if known is not None:
        task = known[1]
    else:
        task = asyncio.ensure_future(forward_to_rasa(request.app, sender, message))
        task.add_done_callback(_quiet)
        if message_id:
            _remember(request, key, task)
    try:
        replies = await asyncio.wait_for(asyncio.shield(task), request.app[REPLY_TIMEOUT_KEY])
    except (RasaUnavailable, asyncio.TimeoutError) as exc:
        log.warning(
            "chat: Rasa unavailable (%s)",
            type(exc).__name__ if isinstance(exc, asyncio.TimeoutError) else exc,
        )
        unavailable = _json(unavailable_body(), status=503)
        for morsel in response.cookies.values():
            unavailable.cookies[morsel.key] = morsel
        return unavailable
    response.text = json.dumps(replies)
    return response


def _quiet(task: asyncio.Future) -> None:
    if not task.cancelled():
        task.exception()  # retrieved, so a failure nobody waited for isn't logged with its details


async def reset(request: web.Request) -> web.StreamResponse:
    """Quick exit: Rasa deletes this conversation and the browser forgets its id. Accepts a sendBeacon body."""
    try:
        data = await _read_json_object(request)
    except web.HTTPRequestEntityTooLarge:
        return _json(MSG_TOO_LONG, status=413)
    except BadRequest:
        return _json(MSG_BAD_REQUEST, status=400)
    tab = data.get("sender")
    if not valid_sender(tab):
        return _json(MSG_BAD_REQUEST, status=400)
    response = web.Response(status=204)
    ident = conversation_cookie(request)
    if ident is None:  # no conversation to delete
        return response
    try:
        await forward_to_rasa(request.app, rasa_sender(request, ident, tab), RESET_PAYLOAD)
    except RasaUnavailable as exc:
        log.warning("reset: Rasa unavailable (%s)", exc)
        return _json(unavailable_body(), status=503)
    response.del_cookie(COOKIE_NAME, path="/")
    return response


async def _client_ctx(app: web.Application):
    # The page gets its answer (or a 503) within RASA_TIMEOUT_SECONDS; a message already sent
    # is still waited for, so a retry with its id gets Rasa's reply instead of sending it twice.
    timeout = aiohttp.ClientTimeout(total=RASA_WAIT_SECONDS)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        app[CLIENT_KEY] = session
        yield


def create_app(
    rasa_url: str = DEFAULT_RASA_URL,
    exit_url: str = DEFAULT_EXIT_URL,
    secret: str | None = None,
    secure_cookie: bool = False,
    body_timeout: float = BODY_TIMEOUT_SECONDS,
    reply_timeout: float = RASA_TIMEOUT_SECONDS,
) -> web.Application:
    """The web app. `secret` signs conversation ids (random if None: ids last as long as the process)."""
    if not valid_http_url(rasa_url):
        raise ValueError("rasa_url must be an http(s) URL")
    if not valid_http_url(exit_url):
        raise ValueError("exit_url must be an http(s) URL")
    if secret is not None and len(secret) < 32:
        raise ValueError("WEB_SECRET must be at least 32 characters")
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[_careful_bodies])
    app._make_request = functools.partial(app._make_request, _cls=LockedDownRequest)  # type: ignore[method-assign]  # aiohttp has no public hook for the request class
    app[SECRET_KEY] = (secret or secrets.token_hex(32)).encode()
    app[SECURE_COOKIE_KEY] = secure_cookie
    app[BODY_TIMEOUT_KEY] = body_timeout
    app[REPLY_TIMEOUT_KEY] = reply_timeout
    app[REPLIES_KEY] = OrderedDict()
    app[RASA_URL_KEY] = rasa_url
    app[EXIT_URL_KEY] = exit_url
    template = INDEX_FILE.read_text(encoding="utf-8")
    app[INDEX_HTML_KEY] = {
        lang.code: render_index(template, exit_url, lang.code) for lang in page_languages()
    }
    missing = [name for name, folder in FONT_FILES.items() if not (folder / name).is_file()]
    if missing:
        log.warning("fonts missing (run `make setup`): %s", ", ".join(sorted(missing)))
    app.cleanup_ctx.append(_client_ctx)
    app.router.add_get("/", index)
    app.router.add_get("/api/config", config)
    app.router.add_get("/api/words", words)
    app.router.add_get("/fonts/{name}", font)
    app.router.add_post("/api/chat", chat)
    app.router.add_post("/api/reset", reset)
    app.router.add_static("/static/", STATIC_DIR, show_index=False, follow_symlinks=False)
    add_mentor_auth(app, app[SECRET_KEY], secure_cookie)  # a sign-in for the mentors' view
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
    parser.add_argument(
        "--secure-cookie",
        action="store_true",
        default=env.get("SECURE_COOKIE", "") in ("1", "on", "yes"),
        help="mark the conversation cookie Secure (set when served over HTTPS behind a proxy)",
    )
    parser.add_argument(
        "--body-timeout",
        type=float,
        default=float(env.get("WEB_BODY_TIMEOUT", BODY_TIMEOUT_SECONDS)),
    )
    parser.add_argument(
        "--reply-timeout",
        type=float,
        default=float(env.get("WEB_REPLY_TIMEOUT", RASA_TIMEOUT_SECONDS)),
        help="seconds to wait for Rasa's reply before answering 503",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        app = create_app(
            args.rasa_url,
            args.exit_url,
            secret=os.environ.get("WEB_SECRET") or None,
            secure_cookie=args.secure_cookie,
            body_timeout=args.body_timeout,
            reply_timeout=args.reply_timeout,
        )
    except ValueError as exc:
        raise SystemExit(f"bot.web.server: {exc}") from exc
    web.run_app(app, host=args.host, port=args.port, access_log_class=PathOnlyAccessLogger)


if __name__ == "__main__":
    main()
