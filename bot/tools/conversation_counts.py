"""Count how the whole assistant does on written conversations, printing counts only.

    python -m bot.tools.conversation_counts FOLDER/conversations.yml [more files...]
    python -m bot.tools.conversation_counts --errors tests/dev/outside_c_conversations.yml

`--errors` prints each missed conversation of an open dev list (its turns, what each turn was
read as, and what was shown); it refuses any file under tests/heldout.

Each file holds conversations a parent might have, written by an outside author:

    conversations:
      - turns: ["my daughter's had a rough week ... is there a food bank near her", "wibsey"]
        need: food            # the need id the services shown first should be for
        area: bradford        # the area id they should be for
        area_in_turn: 2       # the turn (from 1) that first names the place; omit if none does
        second_need: money    # optional: a need that should also be offered

The parent's turns are sent in order to the real action server and the trained model; a
turn the assistant didn't need (an area it already had) is harmless. A conversation is right
when the first services shown are for `need` and the area slot ends as `area`. "Asked again"
counts conversations where the assistant asked which area after the turn that named it.
For a sealed set this is the only safe way to look: no line is ever printed.

When the file's folder has a meta.yml with `language: <code>`, each conversation starts in
that language as a parent's would (no button: the assistant finds the language itself), and
"in <code>" counts the conversations that ended in that language (the `language` slot).
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.tools.servers import free_port, start_actions, wait_until
from bot.tools.urgent_counts import CommandLoop, load_model, quiet_rasa_logs, set_language

SEALED = "heldout"


@dataclass
class Outcome:
    need_right: bool
    area_right: bool
    asked_again: bool
    second_offered: bool | None  # None when the author named no second need
    language: str | None = None  # the `language` slot at the end (None: English)
    # Per turn: the intent read, its confidence and the next two (filled only for --errors).
    readings: list = field(default_factory=list)
    shown: list = field(default_factory=list)
    area: str | None = None


def conversations(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]


def judge(expected: dict, asked_area_after: list[bool], slots: dict) -> Outcome:
    """Compare what the assistant did with what the author expected."""
    shown = list(slots.get("needs_shown") or [])
    given = expected.get("area_in_turn")
    asked_again = given is not None and any(asked_area_after[given - 1 :])
    second = expected.get("second_need")
    return Outcome(
        shown=shown,
        area=slots.get("area"),
        need_right=bool(shown) and shown[0] == expected["need"],
        area_right=slots.get("area") == expected.get("area"),
        asked_again=asked_again,
        second_offered=None
        if not second
        else second in shown or second in (slots.get("other_needs") or []),
        language=slots.get("language"),
    )


async def run_one(agent, expected: dict) -> Outcome:
    sender = uuid.uuid4().hex
    asked_area_after, readings = [], []
    for turn in expected["turns"]:
        before = (
            len((await agent.tracker_store.retrieve(sender)).events)
            if await agent.tracker_store.exists(sender)
            else 0
        )
        await agent.handle_text(str(turn), sender_id=sender)
        tracker = await agent.tracker_store.retrieve(sender)
        new = list(tracker.events)[before:]
        parse = tracker.latest_message.parse_data
        readings.append(
            [(r["name"], round(r["confidence"], 2)) for r in parse.get("intent_ranking", [])[:3]]
            or [
                (
                    (parse.get("intent") or {}).get("name"),
                    round((parse.get("intent") or {}).get("confidence") or 0.0, 2),
                )
            ]
        )
        asked_area_after.append(
            any(
                getattr(e, "key", None) == "asked" and getattr(e, "value", None) == "area"
                for e in new
            )
        )
    tracker = await agent.tracker_store.retrieve(sender)
    outcome = judge(expected, asked_area_after, tracker.current_slot_values())
    outcome.readings = readings
    return outcome


def errors(expected: list[dict], outcomes: list[Outcome]) -> str:
    """Each missed conversation of an open dev list, with what every turn was read as."""
    lines = []
    for number, (c, o) in enumerate(zip(expected, outcomes, strict=True), 1):
        if o.need_right and o.area_right and not o.asked_again:
            continue
        lines.append(
            f"#{number} want {c['need']} / {c.get('area')}; shown {o.shown} / {o.area}"
            + ("; area asked again" if o.asked_again else "")
        )
        for turn, reading in zip(c["turns"], o.readings, strict=False):
            lines.append(f"   {reading}  <- {str(turn)[:300]}")
    return "\n".join(lines)


def report(name: str, outcomes: list[Outcome], language: str | None = None) -> str:
    both = sum(o.need_right and o.area_right for o in outcomes)
    seconds = [o.second_offered for o in outcomes if o.second_offered is not None]
    line = (
        f"{name}: need and area right {both}/{len(outcomes)} (need {sum(o.need_right for o in outcomes)}, "
        f"area {sum(o.area_right for o in outcomes)}); area asked again after it was given "
        f"{sum(o.asked_again for o in outcomes)}; second need offered {sum(seconds)}/{len(seconds)}"
    )
    if language:
        line += f"; in {language} {sum(o.language == language for o in outcomes)}/{len(outcomes)}"
    return line


@contextmanager
def conversations_runner(loop=None):
    """Start the action server and load the trained model; yields `run(conversation) -> Outcome`.

    `loop` is anything with `run(coroutine)` and `close()` (a new CommandLoop by default)."""
    from rasa.utils.endpoints import EndpointConfig

    quiet_rasa_logs()
    loop = loop or CommandLoop()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
        actions = start_actions(port, Path(tmp) / "actions.log", env)
        try:
            import requests

            wait_until(
                lambda: requests.get(f"http://127.0.0.1:{port}/health", timeout=2).ok,
                120,
                "the action server",
            )
            agent = load_model(loop, EndpointConfig(url=f"http://127.0.0.1:{port}/webhook"))
            yield lambda conversation: loop.run(run_one(agent, conversation))
        finally:
            loop.close()
            actions.terminate()
            actions.wait(timeout=20)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    show_errors = argv[0] == "--errors"
    files = argv[1:] if show_errors else argv
    if show_errors and any(SEALED in Path(f).resolve().parts for f in files):
        print("--errors is for open dev lists only: a sealed set is counted, never printed")
        return 2
    logging.disable(logging.WARNING)
    with conversations_runner() as run:
        for file in files:
            expected = conversations(Path(file))
            outcomes = [run(c) for c in expected]
            print(report(file, outcomes, set_language(Path(file).parent)))
            if show_errors:
                print(errors(expected, outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
