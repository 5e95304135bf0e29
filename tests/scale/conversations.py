"""Many parents at once: realistic signposting conversations over the REST channel, with
each turn's latency, and a summary (p50/p95/p99, turns per second)."""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from dataclasses import dataclass, field

import aiohttp

from bot.replies import say

KIND = say("actions_down")  # the channel's reply when Rasa produced none (an action failed)
AREAS = ["Bradford", "Blackpool", "Lambeth", "Nottingham", "Southend"]
FIRST_NEEDS = [
    "I need some help with food",
    "we've run out of nappies",
    "I'm struggling with money",
    "I'm finding breastfeeding really hard",
    "I'd like to find a parenting group",
]
SECOND_NEEDS = [
    "and I'm struggling to pay the rent",
    "we need a food bank too",
    "also help with the bills",
    "and baby clothes please",
    "I'm also feeling really low since the baby came",
]


def script(i: int) -> list[str]:
    """Ten turns, as a parent would go: a need, an area, more, a second need, thanks..."""
    return [
        "hello",
        FIRST_NEEDS[i % 5],
        AREAS[(i // 5) % 5],
        "/more_services",  # the "More options" button
        SECOND_NEEDS[(i + 2) % 5],
        "thank you",
        "what do you keep about me?",
        "can I talk to a real person?",
        "/find_support",  # "Find something else"
        "bye",
    ]


@dataclass
class Conversation:
    sender: str
    sent: list[str] = field(default_factory=list)
    replies: list[list[dict]] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    served_by: list[str | None] = field(default_factory=list)  # in the order answered
    errors: list[str] = field(default_factory=list)
    together: tuple[int, int] | None = None  # two turns sent at once
    answered: int = 0

    @property
    def complete(self) -> bool:
        return not self.errors and self.answered == len(self.sent)


async def talk(
    session: aiohttp.ClientSession,
    url: str,
    i: int,
    run: str,
    turns: int,
    double_tap: int | None = None,
) -> Conversation:
    """One parent's conversation, a turn at a time; with `double_tap`, that turn and the next
    are sent at once (a parent tapping two buttons quickly), which only a shared lock keeps apart."""
    conversation = Conversation(sender=f"scale-{run}-{i:03d}")
    texts = script(i)[:turns]
    groups = [[n] for n in range(len(texts))]
    if double_tap is not None and double_tap + 1 < len(texts):
        groups[double_tap : double_tap + 2] = [[double_tap, double_tap + 1]]
        conversation.together = (double_tap, double_tap + 1)
    conversation.sent = list(texts)
    conversation.replies = [[] for _ in texts]
    for group in groups:
        results = await asyncio.gather(
            *(turn(session, url, conversation, n, texts[n]) for n in group)
        )
        if not all(results):
            break
    return conversation


async def turn(
    session: aiohttp.ClientSession, url: str, conversation: Conversation, n: int, text: str
) -> bool:
    started = time.perf_counter()
    try:
        async with session.post(
            url, json={"sender": conversation.sender, "message": text}
        ) as response:
            body = await response.json(content_type=None)
            conversation.latencies.append(time.perf_counter() - started)
            conversation.served_by.append(response.headers.get("X-Served-By"))
            if response.status != 200:
                conversation.errors.append(f"turn {n + 1}: HTTP {response.status}")
                return False
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        conversation.errors.append(f"turn {n + 1}: {type(error).__name__}: {error}")
        return False
    conversation.replies[n] = body
    conversation.answered += 1
    if not body:
        conversation.errors.append(f"turn {n + 1}: no reply")
    elif any(m.get("text") == KIND for m in body):
        conversation.errors.append(f"turn {n + 1}: the actions failed (kind fallback reply)")
    return True


async def run_conversations(
    base_url: str, conversations: int = 50, turns: int = 10, double_tap: int | None = None
) -> tuple[list[Conversation], float]:
    """All conversations at once; returns them and the wall-clock seconds taken."""
    url = base_url.rstrip("/") + "/webhooks/rest/webhook"
    run = uuid.uuid4().hex[:8]
    timeout = aiohttp.ClientTimeout(total=300)
    async with aiohttp.ClientSession(
        timeout=timeout, connector=aiohttp.TCPConnector(limit=conversations * 2)
    ) as session:
        started = time.perf_counter()
        done = await asyncio.gather(
            *(talk(session, url, i, run, turns, double_tap) for i in range(conversations))
        )
        return list(done), time.perf_counter() - started


def summary(conversations: list[Conversation], seconds: float) -> dict:
    latencies = sorted(x for c in conversations for x in c.latencies)
    cuts = (
        statistics.quantiles(latencies, n=100, method="inclusive")
        if len(latencies) > 1
        else latencies * 99
    )
    return {
        "conversations": len(conversations),
        "turns": len(latencies),
        "errors": sum(len(c.errors) for c in conversations),
        "complete": sum(c.complete for c in conversations),
        "seconds": round(seconds, 2),
        "turns_per_second": round(len(latencies) / seconds, 1) if seconds else 0.0,
        "p50_ms": round(cuts[49] * 1000),
        "p95_ms": round(cuts[94] * 1000),
        "p99_ms": round(cuts[98] * 1000),
        "max_ms": round(latencies[-1] * 1000) if latencies else 0,
    }


def describe(figures: dict) -> str:
    return (
        f"{figures['conversations']} conversations, {figures['turns']} turns in {figures['seconds']} s "
        f"({figures['turns_per_second']} turns/s); latency p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
        f"p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms; errors {figures['errors']}, "
        f"complete {figures['complete']}/{figures['conversations']}"
    )
