"""The family mentors' view: search the directory and make a tell-it-once note.

Served at /mentor by the same web server as the chat. It reads only the directory (public
information); a note is built from the choices sent and is never stored or logged.
"""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot import postcode_table
from bot.directory import DAYS, DEFAULT_PATH, Directory, load_directory
from bot.mentor import mentor_fields
from bot.places import Places
from bot.referral import Context, note_lines, words
from bot.search import Filters, find_services

MENTOR_HTML = Path(__file__).resolve().parent / "static" / "mentor.html"
DIRECTORY_KEY = web.AppKey("directory", Directory)
PLACES_KEY = web.AppKey("places", Places)


def _flag(query, name: str) -> bool:
    return query.get(name, "") in ("1", "true", "on", "yes")


async def options(request: web.Request) -> web.Response:
    directory = request.app[DIRECTORY_KEY]
    languages = sorted({(c, n) for s in directory.services.values() for c, n in s.languages}, key=lambda pair: pair[1])
    return web.json_response({
        "needs": [{"id": n.id, "label": n.label} for n in directory.needs.values()],
        "areas": [{"id": a.id, "name": a.name} for a in directory.areas.values()],
        "languages": [{"code": c, "name": n} for c, n in languages],
        "days": list(DAYS),
        "note": {step: {"question": spec["question"], "options": spec["options"]} for step, spec in words()["steps"].items()},
    })


async def search(request: web.Request) -> web.Response:
    directory, query = request.app[DIRECTORY_KEY], request.query
    needs = [n for n in query.getall("need", []) if n in directory.needs]
    if not needs:
        return web.json_response({"error": "Choose at least one need."}, status=400)
    area, message = query.get("area") or None, ""
    if area and area not in directory.areas:
        return web.json_response({"error": f"Unknown area {area!r}."}, status=400)
    if query.get("postcode"):
        answer = request.app[PLACES_KEY].resolve(query["postcode"])
        area = answer.area or (answer.choices[0] if answer.needs_choice else None)
        if answer.needs_choice and area is not None:
            message = f"{query['postcode']} is shared with a neighbouring council; showing {directory.areas[area].name}. Please check."
        elif area is None:
            message = f"{query['postcode']} is outside the five partnership areas; showing national services."
    try:
        child_age = int(query["child_age"]) if query.get("child_age") else None
    except ValueError:
        return web.json_response({"error": "Child's age must be a whole number of months."}, status=400)
    filters = Filters(
        free=_flag(query, "free"), self_referral=_flag(query, "self_referral"), language=query.get("language") or None,
        pregnant=_flag(query, "pregnant"), child_age_months=child_age, open_now=_flag(query, "open_now"),
        open_on=query.get("open_on") if query.get("open_on") in DAYS else None,
    )
    results = []
    for need in needs:
        services = find_services(directory, need, area, filters)
        results.append({
            "need": need,
            "label": directory.needs[need].label,
            "services": [{"id": s.id, "name": s.name, "sample": s.is_sample, "local": not s.is_national,
                          "fields": mentor_fields(s, directory)} for s in services],
        })
    return web.json_response({"area": directory.areas[area].name if area else "National", "message": message, "results": results})


async def note(request: web.Request) -> web.Response:
    """A note from the mentor's choices; built, returned and forgotten."""
    directory = request.app[DIRECTORY_KEY]
    try:
        body = await request.json()
    except ValueError:
        return web.json_response({"error": "Expected JSON."}, status=400)
    if not isinstance(body, dict):
        return web.json_response({"error": "Expected a JSON object."}, status=400)
    context = Context(
        needs=tuple(directory.needs[n].short_label for n in body.get("needs") or [] if n in directory.needs),
        services=tuple(directory.services[s].name for s in body.get("services") or [] if s in directory.services),
    )
    steps = words()["steps"]
    state = {step: str(body.get(step)) for step in steps if str(body.get(step)) in steps[step]["options"]}
    lines = [text for _, text in note_lines(state, context)]
    return web.json_response({"title": words()["title"], "lines": lines, "closing": words()["closing"]})


async def page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(MENTOR_HTML)


def add_mentor_routes(app: web.Application, directory_path: Path | str = DEFAULT_PATH) -> None:
    app[DIRECTORY_KEY] = load_directory(directory_path)
    # Built once, not per search; with the exact offline postcode table, as the chat has.
    app[PLACES_KEY] = Places(app[DIRECTORY_KEY], postcode_table.load())
    app.router.add_get("/mentor", page)
    app.router.add_get("/api/mentor/options", options)
    app.router.add_get("/api/mentor/search", search)
    app.router.add_post("/api/mentor/note", note)
