"""The family mentors' view: search the directory and make a tell-it-once note.

Served at /mentor by the same web server as the chat. Searches and notes are POSTs, so what
a mentor chose never appears in a URL or an access log line. The server reads only the
directory (public information); what is sent is answered and forgotten, never stored.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from aiohttp import web

from bot import postcode_table
from bot.directory import DAYS, DEFAULT_PATH, Directory, load_directory
from bot.mentor import (
    ChoiceError,
    area_choice,
    card,
    day_choice,
    filter_words,
    hint_text,
    hints,
    language_choice,
    languages,
    partnership_contact,
)
from bot.mentor import (
    words as mentor_words,
)
from bot.places import Places
from bot.referral import Context, note_lines, words
from bot.search import LONDON, Filters, find_page

MENTOR_HTML = Path(__file__).resolve().parent / "static" / "mentor.html"
DIRECTORY_KEY = web.AppKey("directory", Directory)
PLACES_KEY = web.AppKey("places", Places)
PAGE_SIZE = 10
MAX_START = 10_000


class BadSearch(ValueError):
    """A search a mentor can fix; the message says how."""


async def options(request: web.Request) -> web.Response:
    directory = request.app[DIRECTORY_KEY]
    return web.json_response(
        {
            "needs": [{"id": n.id, "label": n.label} for n in directory.needs.values()],
            "areas": [{"id": a.id, "name": a.name} for a in directory.areas.values()],
            "languages": [{"code": c, "name": n} for c, n in languages(directory).items()],
            "days": [{"code": d, "name": mentor_words()["days"][d]["name"]} for d in DAYS],
            "note": {
                step: {"question": spec["question"], "options": spec["options"]}
                for step, spec in words()["steps"].items()
            },
        }
    )


def _flag(body: dict, name: str) -> bool:
    return body.get(name) in (True, "1", "true", "on", "yes")


def _list(body: dict, name: str) -> list:
    value = body.get(name)
    return value if isinstance(value, list) else []


def _text(body: dict, name: str) -> str:
    value = body.get(name)
    return value.strip() if isinstance(value, str) else ""


def read_search(
    body: dict, directory: Directory, places: Places
) -> tuple[list[str], str | None, str, Filters]:
    """Needs, area, a message about the postcode, and filters; BadSearch says what to fix."""
    raw_needs = _list(body, "needs")
    needs = [n for n in raw_needs if isinstance(n, str) and n in directory.needs]
    if not needs:
        raise BadSearch("Choose at least one need.")
    area, message = None, ""
    try:
        if _text(body, "area"):
            area = area_choice(directory, _text(body, "area"))
        if _text(body, "postcode"):
            postcode = _text(body, "postcode")[:10]
            answer = places.resolve(postcode)
            area = answer.area or (answer.choices[0] if answer.needs_choice else None)
            if answer.needs_choice and area is not None:
                message = f"{postcode} is shared with a neighbouring council; showing {directory.areas[area].name}. Please check."
            elif area is None:
                message = (
                    f"{postcode} is outside the five partnership areas; showing national services."
                )
        language = (
            language_choice(directory, _text(body, "language")) if _text(body, "language") else None
        )
        open_on = day_choice(_text(body, "open_on")) if _text(body, "open_on") else None
    except ChoiceError as error:
        raise BadSearch(str(error)) from None
    age = body.get("child_age")
    if age in (None, ""):
        child_age = None
    else:
        try:
            child_age = int(str(age).strip())
        except ValueError:
            raise BadSearch("Child's age must be a whole number of months, like 18.") from None
        if not 0 <= child_age <= 240:
            raise BadSearch("Child's age must be between 0 and 240 months.")
    filters = Filters(
        free=_flag(body, "free"),
        self_referral=_flag(body, "self_referral"),
        language=language,
        pregnant=_flag(body, "pregnant"),
        child_age_months=child_age,
        open_now=_flag(body, "open_now") and not open_on,
        open_on=open_on,
    )
    return needs, area, message, filters


async def _body(request: web.Request) -> dict:
    try:
        body = await request.json()
    except ValueError:
        raise BadSearch("Expected JSON.") from None
    if not isinstance(body, dict):
        raise BadSearch("Expected a JSON object.")
    return body


async def search(request: web.Request) -> web.Response:
    """One page of services for each need; a hint which filter to drop when none match."""
    directory = request.app[DIRECTORY_KEY]
    try:
        body = await _body(request)
        needs, area, message, filters = read_search(body, directory, request.app[PLACES_KEY])
    except BadSearch as error:
        return web.json_response({"error": str(error)}, status=400)
    asked_start = body.get("start")
    start = asked_start if isinstance(asked_start, int) and 0 <= asked_start <= MAX_START else 0
    now = dt.datetime.now(LONDON)
    results = []
    for need in needs:
        page = find_page(directory, need, area, filters, now, start=start, size=PAGE_SIZE)
        results.append(
            {
                "need": need,
                "label": directory.needs[need].label,
                "start": start,
                "more": page.more,
                "services": [card(s, filters, now, directory) for s in page.services],
                "hint": ""
                if page.services or start
                else hint_text(hints(directory, need, area, filters, now)),
            }
        )
    return web.json_response(
        {
            "area": directory.areas[area].name if area else "National",
            "message": message,
            "filters": filter_words(filters, directory),
            "contact": partnership_contact(directory.areas.get(area) if area else None),
            "date": f"{now.day} {now:%B %Y}",
            "results": results,
        }
    )


async def note(request: web.Request) -> web.Response:
    """A note from the mentor's choices; built, returned and forgotten."""
    directory = request.app[DIRECTORY_KEY]
    try:
        body = await _body(request)
    except BadSearch as error:
        return web.json_response({"error": str(error)}, status=400)
    needs = _list(body, "needs")
    services = _list(body, "services")
    context = Context(
        needs=tuple(
            directory.needs[n].short_label
            for n in needs
            if isinstance(n, str) and n in directory.needs
        ),
        services=tuple(
            directory.services[s].name
            for s in services
            if isinstance(s, str) and s in directory.services
        ),
    )
    w = words()
    steps = w["steps"]
    state = {
        step: str(body.get(step)) for step in steps if str(body.get(step)) in steps[step]["options"]
    }
    labels = {
        "needs": w["needs_label"],
        "services": w["services_label"],
        **{k: spec["label"] for k, spec in steps.items()},
    }
    drop = _list(body, "drop")
    state["drop"] = ",".join(key for key in drop if key in labels)
    lines = note_lines(state, context)
    return web.json_response(
        {
            "title": w["title"],
            "lines": [text for _, text in lines],
            "closing": w["closing"],
            "remove": [
                {"key": key, "label": w["remove"].format(label=labels[key])} for key, _ in lines
            ],
        }
    )


async def page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(MENTOR_HTML)


def add_mentor_routes(app: web.Application, directory_path: Path | str | None = None) -> None:
    """The mentor page and its API, over `directory_path` (else $SERVICES_DIRECTORY, else the default)."""
    app[DIRECTORY_KEY] = load_directory(
        directory_path or os.environ.get("SERVICES_DIRECTORY") or DEFAULT_PATH
    )
    # Built once, not per search; with the exact offline postcode table, as the chat has.
    app[PLACES_KEY] = Places(app[DIRECTORY_KEY], postcode_table.load())
    app.router.add_get("/mentor", page)
    app.router.add_get("/api/mentor/options", options)
    app.router.add_post("/api/mentor/search", search)
    app.router.add_post("/api/mentor/note", note)
