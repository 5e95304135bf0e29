"""Conversations over the REST channel, one at a time or many at once (aiohttp client).

Each simulated parent is one sender id going through one conversation; a worker starts a
new conversation (a new sender) when one ends, until the run has sent its turns. Latency is
per turn: from sending the message to having the whole reply.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid

import aiohttp

from bench.stats import summary

# (message, goes through the action server?) - ours: needs with and without an area, "more",
# a second need reusing the area, a place name, greetings and thanks.
OURS = [
    [
        ("hello", False),
        ("I need a food bank in Bradford", True),
        ("more", True),
        ("and I'm struggling to pay the rent", True),
        ("thanks", False),
    ],
    [("we've run out of nappies", True), ("Brixton", True), ("show me more", True), ("bye", False)],
    [
        ("I'm feeling really low since the baby came", True),
        ("Nottingham", True),
        ("I need help with money", True),
        ("thank you", False),
    ],
    [
        ("hi", False),
        ("help with breastfeeding in Southend", True),
        ("any others?", True),
        ("goodbye", False),
    ],
]
# The init bot's own turns: greet, mood (sad -> cheer up -> did that help?), bot challenge.
BASELINE = [
    [("hi", False), ("I am sad", False), ("yes", False), ("bye", False)],
    [("hello", False), ("great", False), ("are you a bot?", False), ("goodbye", False)],
    [("hey", False), ("not good", False), ("no", False), ("bye", False)],
    [
        ("good morning", False),
        ("perfect", False),
        ("am I talking to a human?", False),
        ("see you later", False),
    ],
]


async def _conversations(
    url: str, scripts: list, concurrency: int, turns: int, timeout: float
) -> dict:
    budget = itertools.count()
    latencies: list[float] = []
    by_kind: dict[bool, list[float]] = {True: [], False: []}
    errors: list[str] = []
    script_cycle = itertools.cycle(scripts)
    endpoint = f"{url}/webhooks/rest/webhook"
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(
        connector=connector, timeout=aiohttp.ClientTimeout(total=timeout)
    ) as session:

        async def worker() -> None:
            while True:
                sender = f"bench-{uuid.uuid4().hex}"
                for text, via_actions in next(script_cycle):
                    if next(budget) >= turns:
                        return
                    start = time.perf_counter()
                    try:
                        async with session.post(
                            endpoint, json={"sender": sender, "message": text}
                        ) as response:
                            body = await response.json(content_type=None)
                            ok = response.status == 200 and isinstance(body, list) and len(body) > 0
                            if not ok:
                                errors.append(
                                    f"HTTP {response.status}"
                                    if response.status != 200
                                    else "empty reply"
                                )
                    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                        ok = False
                        errors.append(type(error).__name__)
                    elapsed_ms = (time.perf_counter() - start) * 1000
                    if ok:
                        latencies.append(elapsed_ms)
                        by_kind[via_actions].append(elapsed_ms)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    result = {
        "concurrency": concurrency,
        "turns": len(latencies) + len(errors),
        "ok": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "wall_s": wall,
        "throughput": len(latencies) / wall if wall else 0.0,
        "latency_ms": summary(latencies),
    }
    if by_kind[True]:
        result["action_latency_ms"] = summary(by_kind[True])
        result["other_latency_ms"] = summary(by_kind[False])
    return result


def run(url: str, scripts: list, concurrency: int, turns: int, timeout: float = 120) -> dict:
    """`turns` turns over `concurrency` simultaneous conversations; latency in ms, throughput in turns/s."""
    return asyncio.run(_conversations(url, scripts, concurrency, turns, timeout))


def warm_up(url: str, scripts: list) -> None:
    """One pass of each conversation, not counted."""
    run(url, scripts, 1, sum(len(s) for s in scripts))
