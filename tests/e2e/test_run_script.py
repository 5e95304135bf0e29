"""`scripts/run.sh` under supervisor (issue 17, row 7): each process restarts on its own, and
a process that can't start stops the script with a clear message. Real processes, free ports."""

import os
import signal
import socket
import subprocess

import pytest
import requests

from bot.directory import load_directory
from bot.search import find_services
from bot.tools.servers import ROOT, free_port, wait_until

pytestmark = pytest.mark.e2e


def environment(tmp_path, **extra):
    return {
        **os.environ,
        "ACTIONS_PORT": str(free_port()),
        "RASA_PORT": str(free_port()),
        "WEB_PORT": str(free_port()),
        "RUN_DIR": str(tmp_path / "run"),
        "CONVERSATIONS_DB": str(tmp_path / "conversations.db"),
        "STARTUP_TIMEOUT": "600",
        **extra,
    }


def bradford_food() -> list[str]:
    return [s.name for s in find_services(load_directory(), "food", "bradford")[:3]]


def children(parent: int) -> list[int]:
    tasks = f"/proc/{parent}/task"
    found = []
    for task in os.listdir(tasks):
        with open(f"{tasks}/{task}/children") as f:
            found += [int(c) for c in f.read().split()]
    return found


def pid(env, program) -> int:
    out = subprocess.run(
        [str(ROOT / ".venv/bin/supervisorctl"), "-c", "scripts/supervisord.conf", "pid", program],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return int(out) if out.isdigit() else 0


def test_a_process_that_cannot_start_stops_the_script_with_its_log(tmp_path):
    env = environment(tmp_path)
    with socket.socket() as taken:  # something else already has the web port (and never answers)
        taken.bind(("127.0.0.1", int(env["WEB_PORT"])))
        taken.listen()
        run = subprocess.Popen(
            ["scripts/run.sh"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            _, stderr = run.communicate(timeout=600)
        finally:
            if run.poll() is None:
                os.killpg(run.pid, signal.SIGTERM)
                run.wait(timeout=60)
    assert run.returncode == 1
    assert "The assistant could not start: 'web' keeps failing" in stderr
    assert "address already in use" in stderr.lower()
    for port in ("ACTIONS_PORT", "RASA_PORT"):  # nothing left running
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", int(env[port]))) != 0


def test_each_process_restarts_on_its_own(tmp_path):
    env = environment(tmp_path)
    run = subprocess.Popen(
        ["scripts/run.sh"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    web = f"http://127.0.0.1:{env['WEB_PORT']}"
    try:
        wait_until(
            lambda: requests.get(f"http://127.0.0.1:{env['RASA_PORT']}/", timeout=2).ok,
            600,
            "Rasa under run.sh",
        )
        wait_until(
            lambda: requests.get(f"{web}/api/config", timeout=2).ok,
            60,
            "the web server under run.sh",
        )
        rasa_pid = pid(env, "rasa")
        if (os.cpu_count() or 1) > 1:  # run.sh's default: Rasa serves with two workers
            assert len(children(rasa_pid)) >= 2
        for program, health in (
            ("actions", f"http://127.0.0.1:{env['ACTIONS_PORT']}/health"),
            ("web", f"{web}/api/config"),
        ):
            before = pid(env, program)
            assert before
            os.kill(before, signal.SIGKILL)
            wait_until(
                lambda p=program, b=before: pid(env, p) not in (0, b),
                60,
                f"{program} to be restarted",
            )
            wait_until(
                lambda h=health: requests.get(h, timeout=2).ok, 120, f"{program} to answer again"
            )
        assert pid(env, "rasa") == rasa_pid  # the others kept running
        reply = requests.post(
            f"{web}/api/chat",
            json={"sender": "run-sh-test-tab", "message": "I need food in Bradford"},
            timeout=60,
        )
        said = " ".join(m.get("text", "") for m in reply.json())
        assert all(name in said for name in bradford_food()), said  # through the action server
        assert run.poll() is None
    finally:
        os.killpg(run.pid, signal.SIGTERM)
        run.wait(timeout=60)
