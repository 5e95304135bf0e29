"""Sign-in for the family mentors' view (/mentor and /api/mentor/...); the chat needs none.

The partnership gives its mentors one sign-in code, MENTOR_TOKEN in the web server's
environment (at least 20 characters). Without it the mentors' view is closed. Signing in
sets an HttpOnly, SameSite=Strict session cookie, signed by the server, that expires after
MENTOR_SESSION_HOURS (8). Requests that change anything (POST, e.g. the note) must also come
from the mentors' page itself: the browser's Sec-Fetch-Site or Origin header must say same
origin (a cross-site request forgery check). Wrong codes are limited: after
SIGN_IN_TRIES wrong codes from one address within SIGN_IN_WINDOW seconds (or ten times that
from everywhere together), sign-in waits until the window has passed, so the code can't be
guessed by trying many. The middleware lives here so the mentors' view (bot/web/mentor.py)
stays about searching and notes.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import os
import secrets
import time
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web

LOGIN_HTML = Path(__file__).resolve().parent / "static" / "mentor-login.html"
COOKIE = "fsp_mentor"
TOKEN_ENV = "MENTOR_TOKEN"
HOURS_ENV = "MENTOR_SESSION_HOURS"
MIN_TOKEN = 20
AUTH_KEY = web.AppKey("mentor_auth", dict)
SIGN_IN_TRIES = 5
SIGN_IN_WINDOW = 600.0
EVERYWHERE = "*"


class WrongCodes:
    """Recent wrong sign-in codes, per address and from everywhere, within a time window."""

    def __init__(self, tries: int = SIGN_IN_TRIES, window: float = SIGN_IN_WINDOW) -> None:
        self.tries, self.window = tries, window
        self._times: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._times.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times and key != EVERYWHERE:
            del self._times[key]
            return deque()
        return times

    def blocked(self, address: str, now: float | None = None) -> bool:
        """True when this address, or everyone together, has had too many wrong codes."""
        now = time.monotonic() if now is None else now
        return (
            len(self._recent(address, now)) >= self.tries
            or len(self._recent(EVERYWHERE, now)) >= self.tries * 10
        )

    def add(self, address: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        for key in (address, EVERYWHERE):
            self._times.setdefault(key, deque()).append(now)


def protected(path: str) -> bool:
    return (
        path == "/mentor" or path.startswith("/mentor/") or path.startswith("/api/mentor/")
    ) and path != "/mentor/login"


def _sign(secret: bytes, value: str) -> str:
    return hmac.new(secret, ("mentor:" + value).encode(), hashlib.sha256).hexdigest()


def session_value(secret: bytes, hours: float, now: float | None = None) -> str:
    """A new signed session: expiry time, a random id, the signature."""
    body = f"{int((now or time.time()) + hours * 3600)}.{secrets.token_hex(16)}"
    return f"{body}.{_sign(secret, body)}"


def valid_session(secret: bytes, value: str, now: float | None = None) -> bool:
    expires, _, rest = value.partition(".")
    nonce, _, signature = rest.partition(".")
    if not (expires.isdigit() and nonce and signature):
        return False
    if not hmac.compare_digest(signature, _sign(secret, f"{expires}.{nonce}")):
        return False
    return int(expires) > (now or time.time())


def same_origin(request: web.Request) -> bool:
    """True when the browser says the request comes from this site's own pages."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("Origin")
    return origin is not None and urlsplit(origin).netloc == request.host


def _login_page(message: str = "", status: int = 200) -> web.Response:
    text = LOGIN_HTML.read_text(encoding="utf-8").replace(
        "__MESSAGE__", html.escape(message, quote=False)
    )
    return web.Response(text=text, content_type="text/html", charset="utf-8", status=status)


async def login_page(request: web.Request) -> web.Response:
    if not request.app[AUTH_KEY]["token"]:
        return _login_page(
            "The mentors' view is not set up on this server (MENTOR_TOKEN).", status=503
        )
    return _login_page()


async def login(request: web.Request) -> web.StreamResponse:
    auth = request.app[AUTH_KEY]
    if not auth["token"]:
        return _login_page(
            "The mentors' view is not set up on this server (MENTOR_TOKEN).", status=503
        )
    if not same_origin(request):
        return _login_page("Please sign in from this page.", status=403)
    address = request.remote or "unknown"
    if auth["wrong_codes"].blocked(address):
        return _login_page(
            "Too many sign-in codes didn't work. Please wait 10 minutes, then try again.",
            status=429,
        )
    form = await request.post()
    given = str(form.get("token", ""))
    if not hmac.compare_digest(given.encode(), auth["token"].encode()):
        auth["wrong_codes"].add(address)
        return _login_page(
            "That sign-in code didn't work. Please check it and try again.", status=401
        )
    response = web.HTTPSeeOther("/mentor")
    response.set_cookie(
        COOKIE,
        session_value(auth["secret"], auth["hours"]),
        path="/",
        httponly=True,
        samesite="Strict",
        max_age=int(auth["hours"] * 3600),
        secure=auth["secure"] or request.secure,
    )
    raise response


@web.middleware
async def require_mentor(request: web.Request, handler):
    """Send a mentor without a session to the sign-in page; refuse cross-site changes."""
    if not protected(request.path):
        return await handler(request)
    auth = request.app[AUTH_KEY]
    if not (auth["token"] and valid_session(auth["secret"], request.cookies.get(COOKIE, ""))):
        if request.path.startswith("/api/"):
            return web.json_response({"error": "Please sign in again."}, status=401)
        raise web.HTTPSeeOther("/mentor/login")
    if request.method not in ("GET", "HEAD") and not same_origin(request):
        return web.json_response(
            {"error": "This request didn't come from the mentors' page."}, status=403
        )
    return await handler(request)


def add_mentor_auth(app: web.Application, secret: bytes, secure_cookie: bool = False) -> None:
    """Protect the mentors' view with MENTOR_TOKEN sessions (see the module's docstring)."""
    token = os.environ.get(TOKEN_ENV, "")
    if token and len(token) < MIN_TOKEN:
        raise ValueError(f"{TOKEN_ENV} must be at least {MIN_TOKEN} characters")
    app[AUTH_KEY] = {
        "token": token,
        "secret": secret,
        "secure": secure_cookie,
        "hours": float(os.environ.get(HOURS_ENV, 8)),
        "wrong_codes": WrongCodes(),
    }
    app.middlewares.append(require_mentor)
    app.router.add_get("/mentor/login", login_page)
    app.router.add_post("/mentor/login", login)
