"""Where a turn's time goes in ours: py-spy samples of Rasa and the action server during an
extra run of turns one at a time (not the run the latency figures come from).

py-spy is not a project requirement: `.venv/bin/pip install py-spy` to get this section.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

RATE = 100  # samples per second

# First match wins, in this order: (label, texts of which a frame in the stack contains one).
RASA_PARTS = [
    (
        "checking the action server's reply against its JSON schema (jsonschema.validate, schema re-checked each call)",
        ("_validate_action_result", "jsonschema/"),
    ),  # deep stacks lose their outer frames
    (
        "the tracker store (ours: SQLite via SQLAlchemy; read, redact, save, commit)",
        ("save_tracker (", "sqlalchemy/", "tracker_store.py", "private_conversations.py"),
    ),
    ("NLU and policies (the model graph)", ("rasa/engine/runner/dask.py",)),
    ("calling the action server (HTTP, tracker to JSON)", ("run (rasa/core/actions/action.py",)),
    (
        "the rest of handling a message (events, channel, responses)",
        ("handle_message (rasa/core/processor.py",),
    ),
    ("HTTP server (Sanic) and our REST channel", ("sanic/",)),
]
ACTIONS_PARTS = [
    ("our code (bot/, actions/)", ("(actions/", "(bot/")),
    ("Rasa SDK and Sanic", ("sanic/", "rasa_sdk/")),
]


def py_spy() -> str | None:
    found = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    return found if Path(found).exists() else None


# A stack ending here is the event loop waiting in C (epoll): py-spy can't tell it is idle.
IDLE_LEAVES = ("serve (sanic/server/runners.py", "select (selectors.py", "run_forever (asyncio/")


def _parts(raw: Path, parts: list[tuple[str, tuple[str, ...]]]) -> tuple[Counter, Counter]:
    """Samples per part, and per outermost project or library frame of the samples in no part."""
    counts: Counter = Counter()
    unplaced: Counter = Counter()
    for line in raw.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit() or stack.rpartition(";")[2].startswith(IDLE_LEAVES):
            continue
        for label, markers in parts:
            if any(marker in stack for marker in markers):
                counts[label] += int(n)
                break
        else:
            counts["other"] += int(n)
            frames = stack.split(";")
            # Name "other" by the first frame below the server loop that isn't asyncio or Sanic.
            inner = [
                f
                for f in frames
                if not any(
                    m in f
                    for m in (
                        "asyncio/",
                        "sanic/",
                        "<module>",
                        "rasa/__main__",
                        "rasa/cli/",
                        "rasa/api.py",
                        "rasa/core/run.py",
                    )
                )
            ]
            unplaced[(inner[0] if inner else frames[-1]).split(":")[0] + ")"] += int(n)
    return counts, unplaced


def profile(pids: dict[str, int], drive, turns: int) -> dict:
    """Sample `pids` while `drive()` sends `turns` turns; busy milliseconds per turn by part."""
    spy = py_spy()
    if not spy:
        return {"skipped": "py-spy is not installed (.venv/bin/pip install py-spy)"}
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        spies = {
            name: subprocess.Popen(
                [
                    spy,
                    "record",
                    "--rate",
                    str(RATE),
                    "--format",
                    "raw",
                    "--nonblocking",
                    "--output",
                    f"{tmp}/{name}.txt",
                    "--pid",
                    str(pid),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name, pid in pids.items()
        }
        time.sleep(1.0)  # let py-spy attach
        drive()
        for process in spies.values():
            process.send_signal(signal.SIGINT)
        out = {"turns": turns, "rate": RATE, "processes": {}}
        for name, process in spies.items():
            try:
                _, err = process.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                _, err = process.communicate()
            raw = Path(tmp) / f"{name}.txt"
            if not raw.exists():
                return {"skipped": f"py-spy could not sample {name}: {err.strip()[-300:]}"}
            counts, unplaced = _parts(raw, RASA_PARTS if name == "rasa" else ACTIONS_PARTS)
            total = sum(counts.values())
            out["processes"][name] = {
                "busy_ms_per_turn": total / RATE * 1000 / turns,
                "parts": [
                    (label, n / RATE * 1000 / turns, n / total if total else 0)
                    for label, n in counts.most_common()
                ],
                "other_top": [
                    (frame, n / RATE * 1000 / turns) for frame, n in unplaced.most_common(4)
                ],
            }
    return out
