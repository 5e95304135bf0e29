"""Start the real action server and Rasa on free ports: for the end-to-end, browser and scale tests and the bench."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

from bot.endpoints import endpoints_yaml

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "assistant.tar.gz"
# As scripts/run.sh: CORS only for the chat page's origin, requests up to 64 KB.
CORS_ORIGINS = os.environ.get("CORS_ORIGINS", "http://127.0.0.1:8080").split()
REQUEST_MAX_SIZE = os.environ.get("SANIC_REQUEST_MAX_SIZE", "65536")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{what} did not start within {timeout:.0f} s")


class Assistant:
    """The running assistant: `say(sender, text)` returns the bot's messages."""

    def __init__(
        self, rasa_url: str, actions_url: str, processes: dict[str, subprocess.Popen], workdir: Path
    ):
        self.rasa_url, self.actions_url, self.processes, self.workdir = (
            rasa_url,
            actions_url,
            processes,
            workdir,
        )

    def say(self, sender: str, text: str, timeout: float = 30) -> list[dict]:
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=timeout,
        )
        response.raise_for_status()
        return response.json()

    def stop_actions(self) -> None:
        process = self.processes.pop("actions", None)
        if process:
            process.terminate()
            process.wait(timeout=20)


def start_actions(port: int, log: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [str(VENV_BIN / "rasa"), "run", "actions", "--port", str(port), "--actions", "actions"],
        cwd=ROOT,
        env={**env, "SANIC_HOST": "127.0.0.1"},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def start_rasa(port: int, endpoints: Path, log: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(VENV_BIN / "rasa"),
            "run",
            "--model",
            str(MODEL),
            "--port",
            str(port),
            "--interface",
            "127.0.0.1",
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(ROOT / "credentials.yml"),
            "--cors",
            *CORS_ORIGINS,
        ],
        cwd=ROOT,
        env={**env, "SANIC_REQUEST_MAX_SIZE": REQUEST_MAX_SIZE},
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )


@contextmanager
def running_assistant(workdir: Path, with_actions: bool = True):
    """Action server + Rasa with the trained model, a private SQLite store, no open API."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
    actions_port, rasa_port = free_port(), free_port()
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        endpoints_yaml(
            f"http://127.0.0.1:{actions_port}/webhook", sqlite=workdir / "conversations.db"
        )
    )
    processes: dict[str, subprocess.Popen] = {}
    try:
        if with_actions:
            processes["actions"] = start_actions(actions_port, workdir / "actions.log", env)
        processes["rasa"] = start_rasa(rasa_port, endpoints, workdir / "rasa.log", env)
        rasa_url, actions_url = f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{actions_port}"
        if with_actions:
            wait_until(
                lambda: requests.get(f"{actions_url}/health", timeout=2).ok, 60, "the action server"
            )
        wait_until(lambda: requests.get(f"{rasa_url}/", timeout=2).ok, 180, "Rasa")
        # The HTTP API is off (no /status): wait for the model through the channel itself.
        wait_until(
            lambda: (
                requests.post(
                    f"{rasa_url}/webhooks/rest/webhook",
                    json={"sender": "warmup", "message": "/greet"},
                    timeout=30,
                ).ok
            ),
            180,
            "Rasa's REST channel",
        )
        yield Assistant(rasa_url, actions_url, processes, workdir)
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
