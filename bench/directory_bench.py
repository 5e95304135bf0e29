"""Directory search and load at scale, on a synthetic directory with the real needs and areas.

The services are made up but shaped like real ones: one area (a few two, some national),
one to three needs, opening hours on the half hour (some unknown, some 24/7), phones from
Ofcom's drama ranges, languages, ages, and a mix of statuses (so some are never listed).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from bench.stats import summary
from bot.conversation import PAGE
from bot.directory import DAYS, DEFAULT_PATH, NATIONAL, load_directory, parse_directory
from bot.search import LONDON, find_services
from bot.web.mentor import PAGE_SIZE as MENTOR_PAGE_SIZE

WEEKDAYS = list(DAYS[:5])
STATUS_WEIGHTS = {"active": 85, "example": 5, "verify": 5, "inactive": 3, "temporarily closed": 2}
LANGUAGES = [
    ("ur", "Urdu"),
    ("pa", "Punjabi"),
    ("pl", "Polish"),
    ("ro", "Romanian"),
    ("ar", "Arabic"),
    ("bn", "Bengali"),
    ("so", "Somali"),
    ("pt", "Portuguese"),
    ("es", "Spanish"),
    ("cy", "Welsh"),
]
KINDS = [
    "Community Pantry",
    "Family Hub",
    "Baby Bank",
    "Advice Centre",
    "Parent Group",
    "Stay and Play",
    "Housing Advice",
    "Money Advice",
    "Feeding Support",
    "Wellbeing Service",
    "Outreach Team",
]
# Ofcom's drama ranges: never a real number.
DRAMA = [
    "0113 496 0{:03d}",
    "0115 496 0{:03d}",
    "020 7946 0{:03d}",
    "0161 496 0{:03d}",
    "01632 960{:03d}",
]


def real_needs_and_areas(path: Path = DEFAULT_PATH) -> tuple[list[dict], list[dict]]:
    raw = yaml.load(
        Path(path).read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    )
    return raw["needs"], raw["areas"]


def _schedules(rng: random.Random) -> tuple[list[dict], str]:
    kind = rng.random()
    if kind < 0.2:
        return [], "Check opening hours on their website"
    if kind < 0.25:
        return [
            {"byday": list(DAYS), "opens_at": "00:00", "closes_at": "24:00"}
        ], "24 hours, every day"
    entries = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        opens = rng.randrange(14, 36)  # half hours: 07:00 .. 17:30
        closes = min(opens + rng.randrange(2, 18), 47)
        days = sorted(
            rng.sample(WEEKDAYS, rng.randrange(1, 6)) + (["SA"] if rng.random() < 0.2 else []),
            key=DAYS.index,
        )
        entries.append(
            {
                "byday": days,
                "opens_at": f"{opens // 2:02d}:{30 * (opens % 2):02d}",
                "closes_at": f"{closes // 2:02d}:{30 * (closes % 2):02d}",
            }
        )
    return entries, "See the opening times listed"


def synthetic_raw(size: int, seed: int = 42) -> dict:
    """A directory as it would be read from YAML: real needs and areas, `size` made-up services."""
    rng = random.Random(seed)
    needs, areas = real_needs_and_areas()
    need_ids, area_ids = [n["id"] for n in needs], [a["id"] for a in areas]
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    services = []
    for i in range(size):
        roll = rng.random()
        served = [NATIONAL] if roll < 0.02 else rng.sample(area_ids, 2 if roll > 0.9 else 1)
        served_needs = rng.sample(need_ids, rng.choice([1, 1, 1, 2, 2, 3]))
        schedules, schedule_text = _schedules(rng)
        place = served[0].title()
        free = rng.random() < 0.8
        service = {
            "id": f"{served[0]}-{served_needs[0].replace('_', '-')}-{i:06d}",
            "name": f"{place} {rng.choice(KINDS)} {i}",
            "organization": {"name": f"{place} Community Trust {i % 997}"},
            "description": "Friendly help for families with babies and young children, close to home.",
            "needs": served_needs,
            "service_areas": served,
            "phones": [{"number": rng.choice(DRAMA).format(rng.randrange(1000)), "type": "voice"}],
            "schedules": schedules,
            "schedule_description": schedule_text,
            "fees_description": "Free" if free else "A small fee; ask about help with costs",
            "free": free,
            "self_referral": rng.random() < 0.7,
            "application_process": "Call or drop in when it is open. You don't need a referral.",
            "eligibility_description": "Families with children under five living in the area.",
            "languages": [{"code": "en", "name": "English"}]
            + [{"code": c, "name": n} for c, n in rng.sample(LANGUAGES, rng.choice([0, 0, 1, 2]))],
            "assured_date": dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(700)),
            "source": "Synthetic benchmark data - not a real service",
            "status": rng.choices(statuses, weights)[0],
        }
        if rng.random() < 0.5:
            service["url"] = f"https://example.org/services/{i}"
        if rng.random() < 0.3:
            service["email"] = f"hello{i}@example.org"
        if rng.random() < 0.3:
            service["minimum_age_months"], service["maximum_age_months"] = (
                0,
                rng.choice([12, 24, 48, 60]),
            )
        if rng.random() < 0.2:
            service["pregnant"] = True
        services.append(service)
    return {"version": 1, "needs": needs, "areas": areas, "services": services}


def query_mix(count: int, need_ids: list[str], area_ids: list[str], seed: int = 7) -> list[tuple]:
    """(need, area or None, now): all needs, all areas plus 'no area', times across the week."""
    rng = random.Random(seed)
    monday = dt.datetime(2026, 11, 23, tzinfo=LONDON)
    queries = []
    for _ in range(count):
        area = rng.choice([*area_ids, None])
        now = monday + dt.timedelta(minutes=rng.randrange(7 * 24 * 60))
        queries.append((rng.choice(need_ids), area, now))
    return queries


def time_search(directory, queries: list[tuple], limit: int | None = None) -> tuple[dict, float]:
    """Per-query latency summary (ms) and mean results per query."""
    for need, area, now in queries[:50]:  # warm up
        find_services(directory, need, area, now=now, limit=limit)
    timings, results = [], 0
    clock = time.perf_counter
    for need, area, now in queries:
        start = clock()
        found = find_services(directory, need, area, now=now, limit=limit)
        timings.append((clock() - start) * 1000)
        results += len(found)
    return summary(timings), results / len(queries)


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .;'()/_-]*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _scalar(value) -> str:
    """A value as the hand-written file has it: plain words bare, the rest quoted (JSON is YAML)."""
    if isinstance(value, dt.date):
        return value.isoformat()  # bare, so it loads as a date
    if (
        isinstance(value, str)
        and _PLAIN.fullmatch(value)
        and value.lower() not in _YAML_WORDS
        and not value.endswith(" ")
    ):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


def to_yaml(raw: dict) -> str:
    """The directory as YAML in the shape of services_directory.yml: a block mapping per
    service, plain words bare, times and numbers quoted, phones/schedules/languages in flow
    style. Much faster to write than yaml.dump at 100,000 services; same data when read."""
    head = {k: v for k, v in raw.items() if k != "services"}
    lines = [
        yaml.dump(
            head, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False, width=1000
        ),
        "services:",
    ]
    for service in raw["services"]:
        prefix = "  - "
        for key, value in service.items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                lines.append(f"{prefix}{key}:")
                lines += [f"      - {_scalar(item)}" for item in value]
            else:
                lines.append(f"{prefix}{key}: {_scalar(value)}")
            prefix = "    "
    return "\n".join(lines) + "\n"


def time_load(raw: dict, workdir: Path) -> dict:
    """Write `raw` as YAML and time load_directory on it (YAML parse + every check + index)."""
    path = workdir / f"directory-{len(raw['services'])}.yml"
    path.write_text(to_yaml(raw), encoding="utf-8")
    before = os.environ.get("DIRECTORY_CACHE_DIR")
    os.environ["DIRECTORY_CACHE_DIR"] = str(
        workdir / "cache"
    )  # not build/: the bench leaves nothing behind
    try:
        start = time.perf_counter()
        directory = load_directory(path)  # first time: YAML parse (and the parsed copy is written)
        load_s = time.perf_counter() - start
        del directory
        start = time.perf_counter()
        directory = load_directory(path)  # a restart: the parsed copy, every check still run
        cached_s = time.perf_counter() - start
    finally:
        if before is None:
            os.environ.pop("DIRECTORY_CACHE_DIR", None)
        else:
            os.environ["DIRECTORY_CACHE_DIR"] = before
    start = time.perf_counter()
    parse_directory(raw, path)
    parse_s = time.perf_counter() - start
    size_mb = path.stat().st_size / 1e6
    rss_mb = action_server_rss_mb(path, workdir / "cache")
    path.unlink()
    return {
        "load_s": load_s,
        "load_cached_s": cached_s,
        "validate_s": parse_s,
        "yaml_mb": size_mb,
        "services": len(directory.services),
        "actions_rss_mb": rss_mb,
    }


_ACTIONS_WITH_DIRECTORY = """
import datetime as dt, re
import actions.signposting  # what `rasa run actions` imports
from actions.shared import signposting
from bot.search import find_services
live = signposting()
for need in live.directory.needs:
    for area in live.directory.areas:
        find_services(live.directory, need, area, now=dt.datetime(2026, 11, 28, 10, 0))
print(re.search(r"VmRSS:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
"""


def action_server_rss_mb(path: Path, cache: Path) -> float | None:
    """Resident memory of a process holding what the action server holds: its actions and
    this directory (read from the kept copy, as at a restart), after a search for every need
    in every area."""
    env = {**os.environ, "SERVICES_DIRECTORY": str(path), "DIRECTORY_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", _ACTIONS_WITH_DIRECTORY],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        timeout=600,
    )
    return (
        int(done.stdout.split()[-1]) / 1024
        if done.returncode == 0 and done.stdout.split()
        else None
    )


def run(sizes: list[int], queries: int, log=print) -> list[dict]:
    """One row per size: search latency (ms, the chat's page and the full list) and load time (s)."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-directory-") as tmp:
        for size in sizes:
            log(f"directory: {size:,} services")
            raw = synthetic_raw(size)
            directory = parse_directory(raw)
            mix = query_mix(queries, list(directory.needs), list(directory.areas))
            page, _ = time_search(directory, mix, limit=PAGE + 1)
            search, mean_results = time_search(directory, mix)
            # The mentor view and `bot find` ask for a page (bot/search.py find_page): one more
            # than the page, to know whether there are more.
            mentor_page, _ = time_search(directory, mix, limit=MENTOR_PAGE_SIZE + 1)
            del directory
            load = time_load(raw, Path(tmp))
            rows.append(
                {
                    "size": size,
                    "search_page": page,
                    "search": search,
                    "search_mentor_page": mentor_page,
                    "mean_results": mean_results,
                    **load,
                }
            )
            log(
                f"  search p95: chat {page['p95']:.3f} ms, mentor page {mentor_page['p95']:.3f} ms, "
                f"full list {search['p95']:.3f} ms; "
                f"load+validate {load['load_s']:.2f} s, again from the parsed copy {load['load_cached_s']:.2f} s "
                f"(validation {load['validate_s']:.2f} s); action server RSS {load['actions_rss_mb'] or 0:.0f} MB"
            )
    return rows


def yaml_loader_name() -> str:
    """Which YAML loader load_directory uses (the C one is much faster)."""
    import bot.directory as d

    loader = getattr(d, "_LOADER", None)
    if loader is None:
        return "yaml.safe_load (pure Python)"
    return f"yaml.{loader.__name__}" + (
        " (libyaml, in C)" if loader.__name__.startswith("C") else " (pure Python)"
    )
