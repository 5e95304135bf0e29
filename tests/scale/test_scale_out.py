"""Scale-out, Rasa's own way: two Rasa instances share PostgreSQL (conversations) and Redis
(locks), behind a round-robin proxy that sends every turn of every conversation to the
other instance. 50 parents talk at once, 10 turns each; afterwards the events table must
hold every message exactly once, in the order sent, each followed by its own replies."""

import asyncio
import json
import os
import subprocess
import sys
from collections import defaultdict

import pytest
import requests

from bot.endpoints import endpoints_yaml
from bot.tools.servers import ROOT, free_port, start_actions, start_rasa, wait_until
from tests.scale.cluster import has_table, postgres, redis_server, rows, stop
from tests.scale.conversations import describe, run_conversations, summary

pytestmark = pytest.mark.scale
CONVERSATIONS, TURNS = 50, 10


def ready(url: str) -> bool:
    return requests.post(
        f"{url}/webhooks/rest/webhook", json={"sender": "warmup", "message": "/greet"}, timeout=30
    ).ok


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("scale-out")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
    processes = []
    with postgres() as database_url, redis_server() as redis_url:
        try:
            actions_port = free_port()
            processes.append(start_actions(actions_port, workdir / "actions.log", env))
            endpoints = workdir / "endpoints.yml"
            endpoints.touch(mode=0o600)
            endpoints.write_text(
                endpoints_yaml(
                    f"http://127.0.0.1:{actions_port}/webhook",
                    database_url=database_url,
                    redis_url=redis_url,
                )
            )
            urls = []
            for n in range(2):
                port = free_port()
                processes.append(start_rasa(port, endpoints, workdir / f"rasa-{n}.log", env))
                urls.append(f"http://127.0.0.1:{port}")
                if n == 0:  # the first instance creates the tables; then the second joins
                    wait_until(lambda: has_table(database_url, "events"), 180, "the events table")
            proxy_port = free_port()
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "tests.scale.proxy",
                        "--port",
                        str(proxy_port),
                        *(f"--backend={u}" for u in urls),
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=(workdir / "proxy.log").open("w"),
                    stderr=subprocess.STDOUT,
                )
            )
            wait_until(
                lambda: requests.get(f"http://127.0.0.1:{actions_port}/health", timeout=2).ok,
                60,
                "the action server",
            )
            for url in urls:
                wait_until(lambda url=url: ready(url), 240, f"Rasa at {url}")
            yield {
                "proxy": f"http://127.0.0.1:{proxy_port}",
                "database_url": database_url,
                "workdir": workdir,
            }
        finally:
            stop(processes)


def test_two_instances_behind_a_proxy_lose_nothing_and_keep_order(cluster, capsys):
    # Turns 4 and 5 go at once (a quick double tap), to different instances: only the shared
    # Redis lock keeps them from both changing the same conversation at the same time.
    conversations, seconds = asyncio.run(
        run_conversations(cluster["proxy"], CONVERSATIONS, TURNS, double_tap=3)
    )
    figures = summary(conversations, seconds)
    with capsys.disabled():
        print(
            f"\nscale-out, 2 Rasa instances + PostgreSQL + Redis behind a proxy: {describe(figures)}"
        )
    problems = [f"{c.sender}: {e}" for c in conversations for e in c.errors]
    assert not problems, "\n".join(problems[:20])
    assert figures["complete"] == CONVERSATIONS

    # Round robin per conversation: each instance took half of every conversation's turns.
    for c in conversations:
        assert sorted(c.served_by) == ["0"] * (TURNS // 2) + ["1"] * (TURNS // 2), (
            c.sender,
            c.served_by,
        )

    # The shared store: each message exactly once, in the order sent, each followed by its
    # replies. The store keeps no words, so messages and replies are counted, not read.
    stored = defaultdict(list)
    for sender, kind, data in rows(
        cluster["database_url"],
        "SELECT sender_id, type_name, data FROM events "
        "WHERE sender_id LIKE 'scale-%%' AND type_name IN ('user', 'bot') ORDER BY id",
    ):
        assert not json.loads(data).get("text"), "words were kept"
        stored[sender].append(kind)
    for c in conversations:
        turns: list[int] = []
        for kind in stored[c.sender]:
            if kind == "user":
                turns.append(0)
            else:
                assert turns, f"{c.sender}: a reply stored before any message"
                turns[-1] += 1
        assert len(turns) == len(c.sent), (c.sender, turns)
        expected = [len(r) for r in c.replies]
        a, b = c.together
        if turns[a : b + 1] == [
            expected[b],
            expected[a],
        ]:  # the double tap may be handled either way round
            expected[a], expected[b] = expected[b], expected[a]
        assert turns == expected, (c.sender, turns, expected)
