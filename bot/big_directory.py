"""What lets a directory of 100,000 services load in seconds.

- **Every core reads.** The `services:` list is cut into chunks at its items, and each chunk is
  parsed and checked in its own process with the same checks as a small file. If the file
  can't be cut cleanly (flow style, several documents, an alias reaching across items) or a
  chunk doesn't parse, the whole file is read the ordinary way, so the problems reported and
  their line numbers are exactly those of `yaml.load`.
- **No cycle collection while reading.** Each worker holds Python's cycle collector off
  while its chunk becomes objects (`no_cycle_collection`): otherwise the collector walks
  every object made so far again and again, which makes the parse about three times slower.
- **Compact rows.** A checked service travels, and is kept in the cache, as one msgpack row.
- **Built when first asked for.** `ServiceTable` holds the rows and makes a `Service` only
  when a search or a tool asks for it; the search index needs only ids, needs and areas.
  Services keep their fields in slots, and values many services repeat (a description, need
  and area ids, hours, languages) are held once, so 100,000 services fit well within 500 MB.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import fields
from typing import Any

import msgpack
import yaml

from bot.directory import (
    _LOADER,
    SHOWN_STATUSES,
    Area,
    Contact,
    Directory,
    DirectoryError,
    Need,
    OpeningTime,
    Phone,
    PlaceNames,
    Service,
    _Checker,
    _service,
    check_head,
    duplicate_problems,
    no_cycle_collection,
)

_FIELDS = tuple(f.name for f in fields(Service))
_AT = {name: position for position, name in enumerate(_FIELDS)}
_ID, _NEEDS, _AREAS, _STATUS = _AT["id"], _AT["needs"], _AT["service_areas"], _AT["status"]
_PHONES, _SCHEDULES, _LANGUAGES, _ASSURED = (
    _AT["phones"],
    _AT["schedules"],
    _AT["languages"],
    _AT["assured_date"],
)
_DESCRIPTIONS = _AT["descriptions"]
_TUPLES = tuple(_AT[name] for name in ("needs", "service_areas"))
# Text fields that many services share word for word (the rest are each service's own).
_REPEATED = tuple(
    _AT[name]
    for name in (
        "organization",
        "description",
        "schedule_description",
        "fees_description",
        "application_process",
        "eligibility_description",
        "source",
        "status",
        "interpretation_services",
        "accessibility",
    )
)
_SERVICES_KEY = re.compile(r"^services:[ \t]*(?:#.*)?$", re.MULTILINE)
_TOP_LEVEL = re.compile(r"^[^\s#-]", re.MULTILINE)
_DOCUMENT_MARK = re.compile(r"^(?:---|\.\.\.|%)", re.MULTILINE)
CHUNKS_PER_CORE = 2
# Below this size, starting worker processes costs more than it saves.
PARALLEL_BYTES = 8_000_000


class Unsplittable(Exception):
    """The file can't be cut into items safely; read it whole instead."""


# Rows ---------------------------------------------------------------------------------------


def service_row(service: Service) -> list[Any]:
    """One service as plain values, in field order (msgpack can keep it)."""
    row = [getattr(service, name) for name in _FIELDS]
    row[_PHONES] = [[p.number, p.type, p.description] for p in service.phones]
    row[_SCHEDULES] = [[list(s.byday), s.opens_at, s.closes_at] for s in service.schedules]
    row[_LANGUAGES] = [list(pair) for pair in service.languages]
    row[_DESCRIPTIONS] = [list(pair) for pair in service.descriptions]
    row[_ASSURED] = service.assured_date.toordinal()
    return row


def _made(cls: type, values: dict[str, Any]) -> Any:
    # Checked values go straight in: a frozen dataclass's __init__ would only set them again.
    made: Any = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(made, name, value)
    return made


def service_from_row(row: list[Any] | tuple[Any, ...], shared: dict | None = None) -> Service:
    """The `Service` a row was made from.

    `shared` (kept by the caller across rows) gives one copy of each value many services
    repeat, such as a description, a need id, opening hours or a language, instead of a
    copy per service: at 100,000 services that is most of the text held.
    """
    one = (
        (lambda value: value) if shared is None else (lambda value: shared.setdefault(value, value))
    )
    values = list(row)
    for position in _TUPLES:
        values[position] = one(tuple(values[position]))
    for position in _REPEATED:
        values[position] = one(values[position])
    values[_PHONES] = tuple(
        _made(Phone, {"number": n, "type": one(t), "description": one(d)})
        for n, t, d in values[_PHONES]
    )
    values[_SCHEDULES] = one(
        tuple(
            _made(OpeningTime, {"byday": one(tuple(b)), "opens_at": one(o), "closes_at": one(c)})
            for b, o, c in values[_SCHEDULES]
        )
    )
    values[_LANGUAGES] = one(tuple(one(tuple(pair)) for pair in values[_LANGUAGES]))
    values[_DESCRIPTIONS] = one(tuple(one(tuple(pair)) for pair in values[_DESCRIPTIONS]))
    values[_ASSURED] = one(dt.date.fromordinal(values[_ASSURED]))
    return _made(Service, dict(zip(_FIELDS, values, strict=True)))


class ServiceTable(Mapping[str, Service]):
    """Services by id, each built from its row the first time it is asked for."""

    def __init__(self, rows: list[Any] | tuple[Any, ...]):
        self._rows: dict[str, Any] = {row[_ID]: row for row in rows}
        self._built: dict[str, Service] = {}
        self._shared: dict[Any, Any] = {}

    def __getitem__(self, service_id: str) -> Service:
        built = self._built.get(service_id)
        if built is None:
            built = self._built[service_id] = service_from_row(self._rows[service_id], self._shared)
            self._rows[service_id] = None  # the service holds it all now: keep one copy
        return built

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, service_id: object) -> bool:
        return service_id in self._rows

    def placements(self) -> Iterator[tuple[str, tuple[str, ...], tuple[str, ...], bool]]:
        """(id, needs, areas, shown to parents) of every service, without building any."""
        for service_id, row in self._rows.items():
            if row is None:
                s = self._built[service_id]
                yield s.id, s.needs, s.service_areas, s.shown_to_parents
            else:
                yield row[_ID], row[_NEEDS], row[_AREAS], row[_STATUS] in SHOWN_STATUSES

    def rows(self) -> list[Any]:
        """Every service as a row, in directory order."""
        return [
            row if row is not None else service_row(self._built[i]) for i, row in self._rows.items()
        ]


def directory_from_copy(kept: dict[str, Any], path: str) -> Directory:
    """The directory a cached copy holds, or its problems raised as a DirectoryError."""
    if "problems" in kept:
        raise DirectoryError(path, list(kept["problems"]))
    needs = {row[0]: Need(row[0], row[1], row[2], tuple(row[3])) for row in kept["needs"]}
    areas = {row[0]: _area_from_row(row) for row in kept["areas"]}
    place_names = PlaceNames(*(tuple(names) for names in kept["place_names"]))
    return Directory(
        needs=needs,
        areas=areas,
        services=ServiceTable(kept["rows"]),
        path=path,
        place_names=place_names,
    )


def copy_of(directory: Directory) -> dict[str, Any]:
    """What `directory_cache.write` keeps of a checked directory."""
    services = directory.services
    rows = (
        services.rows()
        if isinstance(services, ServiceTable)
        else [service_row(s) for s in services.values()]
    )
    return {
        "needs": [
            [n.id, n.label, n.short_label, list(n.keywords)] for n in directory.needs.values()
        ],
        "areas": [_area_row(a) for a in directory.areas.values()],
        "place_names": [list(names) for names in directory.place_names.__dict__.values()],
        "rows": rows,
    }


def _area_row(area: Area) -> list[Any]:
    contact = area.contact
    return [
        area.id,
        area.name,
        area.gss_code,
        list(area.postcode_districts),
        list(area.shared_postcode_districts),
        list(area.places),
        list(contact.__dict__.values()) if contact else None,
    ]


def _area_from_row(row: list[Any] | tuple[Any, ...]) -> Area:
    contact = Contact(*row[6]) if row[6] is not None else None
    return Area(row[0], row[1], row[2], tuple(row[3]), tuple(row[4]), tuple(row[5]), contact)


# Reading on every core ----------------------------------------------------------------------


def split(text: str, pieces: int) -> tuple[str, list[tuple[int, int, str]]]:
    """The file without its services (`services: []` in their place), and the services cut
    into about `pieces` chunks of whole items: (first item's position, items, chunk text)."""
    if _DOCUMENT_MARK.search(text):
        raise Unsplittable("several documents or a directive")
    found = list(_SERVICES_KEY.finditer(text))
    if len(found) != 1:
        raise Unsplittable("no single block-style services key")
    block_start = found[0].end() + 1
    end_match = _TOP_LEVEL.search(text, block_start)
    block_end = end_match.start() if end_match else len(text)
    block = text[block_start:block_end]
    first = re.search(r"^( *)- ", block, re.MULTILINE)
    if (
        first is None
        or block[: first.start()].strip(" \n\t#")
        and not _only_comments(block[: first.start()])
    ):
        raise Unsplittable("the services list doesn't start with an item")
    starts = [m.start() for m in re.finditer(rf"^{first.group(1)}- ", block, re.MULTILINE)]
    size = max(1, -(-len(starts) // pieces))
    chunks = []
    for at in range(0, len(starts), size):
        begin = starts[at]
        end = starts[at + size] if at + size < len(starts) else len(block)
        chunks.append((at, len(starts[at : at + size]), "services:\n" + block[begin:end]))
    rest = text[: found[0].start()] + "services: []\n" + text[block_end:]
    return rest, chunks


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def check_chunk(job: tuple[str, int, int, list[str], list[str]]) -> tuple[list[str], bytes]:
    """Parse and check one chunk (in a worker process): its problems, and its rows packed."""
    text, start, expected, need_ids, area_ids = job
    with no_cycle_collection():
        raw = yaml.load(text, Loader=_LOADER)
        items = raw.get("services") if isinstance(raw, dict) else None
        if not isinstance(items, list) or len(items) != expected:
            raise Unsplittable("a chunk held a different number of items than it seemed to")
        checker = _Checker()
        checker.need_ids, checker.area_ids = set(need_ids), set(area_ids)
        services = checker.each({"services": items}, "services", _service, start=start)
        return checker.problems, msgpack.packb([service_row(s) for s in services])


def parse_on_every_core(text: str, path: str) -> Directory:
    """Read a big directory's text in parallel; raise Unsplittable to have it read whole."""
    if len(text) < PARALLEL_BYTES:
        raise Unsplittable("small enough to read whole")
    workers = max(1, min(os.cpu_count() or 1, 8))
    rest, chunks = split(text, workers * CHUNKS_PER_CORE)
    head = yaml.load(rest, Loader=_LOADER)
    checker, needs, areas, place_names = check_head(head)
    jobs = [
        (chunk, start, count, sorted(checker.need_ids), sorted(checker.area_ids))
        for start, count, chunk in chunks
    ]
    context = multiprocessing.get_context("spawn")  # never fork a process that may hold threads
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
            results = list(pool.map(check_chunk, jobs))
    except yaml.YAMLError as error:
        raise Unsplittable(f"a chunk didn't parse on its own: {error}") from None
    rows: list[Any] = []
    for problems, packed in results:
        checker.problems.extend(problems)
        rows.extend(msgpack.unpackb(packed, use_list=False))
    checker.problems.extend(duplicate_problems(row[_ID] for row in rows))
    checker.check_unique_ids("need", head.get("needs"))
    checker.check_unique_ids("area", head.get("areas"))
    if checker.problems:
        raise DirectoryError(path, checker.problems)
    return Directory(
        needs=needs, areas=areas, services=ServiceTable(rows), path=path, place_names=place_names
    )
