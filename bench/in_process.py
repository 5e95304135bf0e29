"""Whole turns in one Rasa process: the trained model, our SQLite tracker store, a real action server.

  python -m bench.in_process --replies OUT.json   every reply, slot and intent, to compare
  python -m bench.in_process --cpu ROUNDS         CPU time per turn (JSON line)

`--replies` runs the bench's conversations and the first 15 lines of each dev list (as a first
message, then "more") and writes every reply (text, buttons, custom), the slots and the
intents: run it before and after a change and compare the files (same hash = same replies).
`--cpu` runs the bench's conversations ROUNDS times after one pass to warm up and prints the
process's CPU time per turn: on a busy machine CPU time moves much less than wall time, so
pairs of runs (old, new, old, new) show a change that the load test can't.
The action server's CPU is not counted; Rasa's REST channel is not used (its speed-ups are
installed here the same way). Logging is set up as `rasa run` sets it (INFO), on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

from bench.load import OURS
from bot.endpoints import endpoints
from bot.tools.servers import MODEL, ROOT, free_port, start_actions

DEV_LINES = 15


def dev_conversations() -> list[list[str]]:
    conversations = []
    for path in sorted((ROOT / "tests" / "dev").glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        conversations += [[line, "more"] for line in lines if line and not line.startswith("#")][
            :DEV_LINES
        ]
    return conversations


async def _replies(agent, store, conversations: list[list[str]]) -> list:
    out = []
    for i, conversation in enumerate(conversations):
        sender = f"replies-{i}"
        turns: list[dict] = [
            {"said": text, "replies": await agent.handle_text(text, sender_id=sender)}
            for text in conversation
        ]
        tracker = await store.retrieve(sender)
        turns.append(
            {
                "slots": tracker.current_slot_values(),
                "intents": [e.intent_name for e in tracker.events if e.type_name == "user"],
            }
        )
        out.append(turns)
    return out


async def _cpu(agent, rounds: int) -> dict:
    async def one_pass() -> int:
        turns = 0
        for script in OURS:
            sender = uuid.uuid4().hex
            for text, _ in script:
                await agent.handle_text(text, sender_id=sender)
                turns += 1
        return turns

    await one_pass()
    cpu, wall, turns = time.process_time(), time.perf_counter(), 0
    for _ in range(rounds):
        turns += await one_pass()
    return {
        "cpu_ms_per_turn": round((time.process_time() - cpu) * 1000 / turns, 2),
        "wall_ms_per_turn": round((time.perf_counter() - wall) * 1000 / turns, 2),
        "turns": turns,
        "load_average": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--replies", type=Path, help="write every reply to this JSON file")
    group.add_argument("--cpu", type=int, metavar="ROUNDS", help="CPU time per turn")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # Logs as `rasa run` keeps them (INFO, Rasa's structlog set-up), but on stderr: left
    # unconfigured, structlog prints every debug line, which `rasa run` never does.
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(message)s")
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.INFO)

    from rasa.core.agent import Agent
    from rasa.shared.core.domain import Domain
    from rasa.utils.endpoints import EndpointConfig

    from components import action_responses, graph_runs, model_loading
    from components.private_conversations import PrivateSQLTrackerStore

    action_responses.install()  # as the REST channel does in `rasa run`
    graph_runs.install()
    model_loading.install()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        actions = start_actions(port, Path(tmp) / "actions.log", {**os.environ})
        try:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                try:
                    if requests.get(f"http://127.0.0.1:{port}/health", timeout=2).ok:
                        break
                except requests.RequestException:
                    time.sleep(0.2)
            settings = endpoints(f"http://127.0.0.1:{port}/webhook")["action_endpoint"]
            store = PrivateSQLTrackerStore(
                Domain.load(str(ROOT / "domain.yml")), dialect="sqlite", db=str(Path(tmp) / "c.db")
            )

            async def run():
                agent = Agent.load(
                    str(MODEL), action_endpoint=EndpointConfig(**settings), tracker_store=store
                )
                try:
                    if args.cpu:
                        return await _cpu(agent, args.cpu)
                    conversations = [[text for text, _ in script] for script in OURS]
                    return await _replies(agent, store, conversations + dev_conversations())
                finally:
                    await action_responses.close_sessions()

            result = asyncio.run(run())
        finally:
            actions.terminate()
            actions.wait(timeout=20)
    if args.cpu:
        print(json.dumps(result))
        return 0
    text = json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True)
    args.replies.write_text(text, encoding="utf-8")
    digest = hashlib.sha256(json.dumps(result, sort_keys=True).encode()).hexdigest()[:16]
    print(f"{len(result)} conversations, {sum(len(c) - 1 for c in result)} turns: hash {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
