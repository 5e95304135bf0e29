"""Our directory as a read-only Open Referral HSDS 3.0 API, for councils and neighbouring services.

    GET /hsds/                             the version document (HSDS 3.0's `GET /`)
    GET /hsds/services?page=1&per_page=50  a page of services, with HSDS 3.0's paging fields
                                           (also `taxonomy_term_id=` and `full=true`)
    GET /hsds/services/{id}                one service, fully nested

Only services a parent may be shown are listed: our status `active`. Sample (`example`),
unchecked (`verify`) and closed entries never appear. Everything here is public
information; nothing about a parent is read or kept. Replies may be cached for a few
minutes, and carry an ETag so a poller can ask "changed?" cheaply.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from aiohttp import web

from bot.directory import DEFAULT_PATH, load_directory
from bot.hsds_schema import HSDS_VERSION
from bot.tools.hsds_export import page, services

PREFIX = "/hsds"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
CACHE_SECONDS = 300
# The API this one implements part of: HSDS 3.0's own OpenAPI file, at the commit vendored in
# bot/hsds_spec/.
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/279fd2eb3552c349bf698c07c00cc25f5fc8249b/schema/openapi.json"
SERVICES_KEY = web.AppKey("hsds_services", list)


def _reply(request: web.Request, data: object, status: int = 200) -> web.Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if status == 200 and etag in request.headers.get("If-None-Match", ""):
        return web.Response(status=304, headers={"ETag": etag})
    return web.Response(
        body=body,
        status=status,
        content_type="application/json",
        charset="utf-8",
        headers={"ETag": etag},
    )


def _error(request: web.Request, status: int, message: str) -> web.Response:
    return _reply(request, {"error": message}, status=status)


async def root(request: web.Request) -> web.Response:
    return _reply(request, {"version": HSDS_VERSION, "openapi_url": OPENAPI_URL})


def _whole_number(request: web.Request, name: str, default: int, largest: int | None = None) -> int:
    raw = request.query.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1 or (largest is not None and int(raw) > largest):
        limit = f" from 1 to {largest}" if largest else " from 1"
        raise ValueError(f"`{name}` should be a whole number{limit}, like {name}={default}.")
    return int(raw)


async def service_list(request: web.Request) -> web.Response:
    try:
        number = _whole_number(request, "page", 1)
        per_page = _whole_number(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    except ValueError as error:
        return _error(request, 400, str(error))
    full = (
        request.query.get("full", "").lower() == "true"
    )  # HSDS 3.0: fully nested services on the page
    chosen = request.app[SERVICES_KEY]
    term = request.query.get("taxonomy_term_id")
    if term:  # e.g. only the services for one of our needs
        chosen = [s for s in chosen if any(a["taxonomy_term_id"] == term for a in s["attributes"])]
    return _reply(request, page(chosen, number, per_page, full=full))


async def one_service(request: web.Request) -> web.Response:
    wanted = request.match_info["id"]
    found = next((s for s in request.app[SERVICES_KEY] if s["id"] == wanted), None)
    if found is None:
        return _error(
            request,
            404,
            f"No live service with id {wanted!r}. Ids are listed at {PREFIX}/services.",
        )
    return _reply(request, found)


async def _cache_headers(request: web.Request, response: web.StreamResponse) -> None:
    # Runs after the server's own headers (which say no-store for the chat): the feed is
    # public and may be cached briefly, and read by a partner's page in a browser.
    if request.path == PREFIX or request.path.startswith(PREFIX + "/"):
        response.headers["Cache-Control"] = (
            f"public, max-age={CACHE_SECONDS}" if response.status in (200, 304) else "no-store"
        )
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Vary"] = "Accept-Encoding"


def add_hsds_routes(app: web.Application, directory_path: Path | str = DEFAULT_PATH) -> None:
    """Serve the directory's live services under /hsds/ (register after the server's own headers)."""
    app[SERVICES_KEY] = services(load_directory(directory_path), live_only=True)
    app.router.add_get(PREFIX, root)
    app.router.add_get(PREFIX + "/", root)
    app.router.add_get(PREFIX + "/services", service_list)
    app.router.add_get(PREFIX + "/services/{id}", one_service)
    app.on_response_prepare.append(_cache_headers)  # type: ignore[arg-type]  # as in server.py: aiohttp 3.9 types this signal for an older aiosignal
