"""Start ours and the baseline as real processes, time their cold start, read their memory.

Ours is started as bot/tools/servers.py starts it (the real action server, Rasa with our REST
channel and the private SQLite store, no open API), from that module's own pieces. The
baseline is the bot `rasa init --no-prompt` creates, run with `rasa run` and its own
credentials.yml (REST channel), no action server (its actions are commented out).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
import yaml

from bot.endpoints import endpoints_yaml
from bot.tools.servers import MODEL, ROOT, free_port, start_actions, start_rasa

VENV_BIN = Path(sys.executable).parent
RASA = str(VENV_BIN / "rasa")
BASELINE_CACHE = ROOT / "build" / "bench-baseline"
ENV = {
    **os.environ,
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
}
POLL_S = 0.1


def rasa_version() -> str:
    from importlib.metadata import version

    return version("rasa")


# ------------------------------------------------------------------ memory (no psutil: /proc)


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of one process, in kB (empty if it is gone)."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        for task in (
            Path(f"/proc/{current}/task").glob("*/children")
            if Path(f"/proc/{current}").exists()
            else []
        ):
            try:
                children = [int(c) for c in task.read_text().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


def _pss(pid: int) -> int:
    """Proportional set size in kB: each shared page counted once across the processes sharing it."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory_mb(pid: int) -> dict[str, float]:
    """RSS and peak RSS (VmHWM) of a process, RSS of it with all its children, and their PSS, in MB.

    Forked workers share the pages their parent loaded, and each one's RSS counts them again;
    the PSS sum (`tree_pss`) counts each page once: the memory the processes really take."""
    own = _status(pid)
    children = _descendants(pid)
    tree = own.get("VmRSS", 0) + sum(_status(child).get("VmRSS", 0) for child in children)
    return {
        "rss": own.get("VmRSS", 0) / 1024,
        "peak": own.get("VmHWM", 0) / 1024,
        "tree": tree / 1024,
        "tree_pss": (_pss(pid) + sum(_pss(child) for child in children)) / 1024,
    }


# ------------------------------------------------------------------ processes


@dataclass
class Running:
    """One started bot: its URL, its processes, and when each became ready."""

    name: str
    url: str
    processes: dict[str, subprocess.Popen]
    logs: Path
    started: float
    actions_url: str | None = None
    timings: dict[str, float] = field(default_factory=dict)

    def pid(self, which: str) -> int | None:
        process = self.processes.get(which)
        return process.pid if process else None

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)

    def log_tail(self, lines: int = 30) -> str:
        text = []
        for log in sorted(self.logs.glob("*.log")):
            text.append(
                f"--- {log.name}\n"
                + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
            )
        return "\n".join(text)


class BotSpec:
    """How to start a bot and what to say to it."""

    name = ""
    first_message = "hello"  # a real message: the first reply to it is "ready"
    full_message: str | None = None  # a turn through the action server (ours), timed after that

    def start(self, workdir: Path) -> Running:
        raise NotImplementedError


class Ours(BotSpec):
    """Started as `make run` starts it: two Rasa workers on a machine with more than one core."""

    name = "ours"
    full_message = "I need a food bank in Bradford"

    def __init__(self, workers: int | None = None):
        self.workers = workers or (2 if (os.cpu_count() or 1) > 1 else 1)

    def start(self, workdir: Path) -> Running:
        actions_port, rasa_port = free_port(), free_port()
        endpoints = workdir / "endpoints.yml"
        endpoints.write_text(
            endpoints_yaml(
                f"http://127.0.0.1:{actions_port}/webhook",
                sqlite=workdir / "conversations.db",
                workers=self.workers,
            )
        )
        started = time.monotonic()
        processes = {
            "actions": start_actions(actions_port, workdir / "actions.log", ENV),
            "rasa": start_rasa(
                rasa_port,
                endpoints,
                workdir / "rasa.log",
                {**ENV, "SANIC_WORKERS": str(self.workers)},
            ),
        }
        return Running(
            self.name,
            f"http://127.0.0.1:{rasa_port}",
            processes,
            workdir,
            started,
            actions_url=f"http://127.0.0.1:{actions_port}",
        )


class Baseline(BotSpec):
    name = "baseline"

    def __init__(self, project: Path, model: Path):
        self.project, self.model = project, model

    def start(self, workdir: Path) -> Running:
        port = free_port()
        started = time.monotonic()
        process = subprocess.Popen(
            [
                RASA,
                "run",
                "--model",
                str(self.model),
                "--port",
                str(port),
                "--interface",
                "127.0.0.1",
                "--credentials",
                "credentials.yml",
                "--endpoints",
                "endpoints.yml",
            ],
            cwd=self.project,
            env=ENV,
            stdout=(workdir / "rasa.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        return Running(self.name, f"http://127.0.0.1:{port}", {"rasa": process}, workdir, started)


def _say(url: str, sender: str, text: str, timeout: float = 30) -> list | None:
    try:
        response = requests.post(
            f"{url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=timeout,
        )
    except requests.RequestException:
        return None
    if response.status_code != 200:
        return None
    reply = response.json()
    return reply if isinstance(reply, list) and reply else None


def start_and_time(spec: BotSpec, workdir: Path, timeout: float = 600) -> Running:
    """Start `spec` and wait for its first real REST reply; timings in seconds from process start."""
    running = spec.start(workdir)
    deadline = running.started + timeout
    actions_url = running.actions_url
    try:
        while True:
            for name, process in running.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(
                        f"{spec.name}: {name} exited with {process.returncode}\n{running.log_tail()}"
                    )
            now = time.monotonic()
            if now > deadline:
                raise TimeoutError(
                    f"{spec.name} gave no reply within {timeout:.0f} s\n{running.log_tail()}"
                )
            if actions_url and "actions_ready_s" not in running.timings:
                try:
                    if requests.get(f"{actions_url}/health", timeout=2).ok:
                        running.timings["actions_ready_s"] = time.monotonic() - running.started
                except requests.RequestException:
                    pass
            if _say(running.url, "bench-cold-start", spec.first_message, timeout=60):
                running.timings["first_reply_s"] = time.monotonic() - running.started
                break
            time.sleep(POLL_S)
        if spec.full_message:
            # A turn through the action server: wait for it too (it may still be starting).
            while time.monotonic() < deadline:
                reply = _say(running.url, "bench-cold-start-2", spec.full_message, timeout=60)
                texts = " ".join(m.get("text", "") for m in reply or [])
                if reply and "Bradford" in texts:
                    running.timings["first_action_reply_s"] = time.monotonic() - running.started
                    break
                time.sleep(POLL_S)
    except BaseException:
        running.stop()
        raise
    return running


# ------------------------------------------------------------------ training


def train(cwd: Path, out: Path, name: str, log: Path) -> float:
    """`rasa train --force` in `cwd` into `out`, with an empty cache of its own; seconds."""
    out.mkdir(parents=True, exist_ok=True)
    env = {
        **ENV,
        "RASA_CACHE_DIRECTORY": str(out / "cache"),
    }  # cold: nothing reused, repo cache untouched
    start = time.monotonic()
    result = subprocess.run(
        [RASA, "train", "--force", "--out", str(out), "--fixed-model-name", name],
        cwd=cwd,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    seconds = time.monotonic() - start
    if result.returncode != 0:
        raise RuntimeError(f"rasa train in {cwd} failed ({result.returncode}); see {log}")
    shutil.rmtree(out / "cache", ignore_errors=True)
    return seconds


def train_ours(log) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-train-") as tmp:
        log("training ours (rasa train --force, cold cache)...")
        seconds = train(ROOT, Path(tmp) / "models", "bench", Path(tmp) / "train.log")
        model_mb = (Path(tmp) / "models" / "bench.tar.gz").stat().st_size / 1e6
    log(f"  ours trained in {seconds:.1f} s")
    return {"seconds": seconds, "measured_now": True, "model_mb": model_mb}


def _init_project(project: Path, log_path: Path) -> None:
    """`rasa init --no-prompt` into `project`. It trains a model straight after copying the
    files; that training is stopped (we time our own `rasa train` next), so set-up doesn't
    train twice. If the marker is never seen, init simply runs to the end."""
    project.mkdir(parents=True)
    env = {
        **ENV,
        "PYTHONUNBUFFERED": "1",
        "RASA_CACHE_DIRECTORY": str(project.parent / "init-cache"),
    }
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [RASA, "init", "--no-prompt", "--init-dir", str(project)],
            cwd=project.parent,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            for line in process.stdout:
                log.write(line)
                if "Training an initial model" in line and (project / "domain.yml").exists():
                    process.terminate()
                    break
        finally:
            process.wait(timeout=120)
    shutil.rmtree(project / "models", ignore_errors=True)
    shutil.rmtree(project.parent / "init-cache", ignore_errors=True)
    if not (project / "config.yml").exists() or not (project / "data").is_dir():
        raise RuntimeError(f"rasa init did not create a project; see {log_path}")
    credentials = project / "credentials.yml"
    loaded = yaml.safe_load(credentials.read_text()) if credentials.exists() else None
    if not isinstance(loaded, dict) or "rest" not in loaded:
        with credentials.open("a") as out:
            out.write("\nrest:\n")


def baseline(retrain: bool, allow_train: bool, log) -> tuple[Baseline | None, dict]:
    """The init bot, trained once per Rasa version and cached in build/bench-baseline/."""
    key = f"rasa-{rasa_version()}"
    cache = BASELINE_CACHE / key
    meta_path = cache / "meta.json"
    model = cache / "models" / "baseline.tar.gz"
    if meta_path.exists() and model.exists() and not retrain:
        meta = json.loads(meta_path.read_text())
        log(f"baseline: cached model {model.relative_to(ROOT)} (trained {meta['trained_at']})")
        return Baseline(cache / "project", model), {
            **meta,
            "measured_now": False,
            "cache": str(cache.relative_to(ROOT)),
        }
    if not allow_train:
        log("baseline: no cached model and training is off (--quick): baseline skipped")
        return None, {
            "skipped": "no cached baseline model (run `make bench` once to train and cache it)"
        }
    log(
        f"baseline: rasa init --no-prompt, then rasa train (cached in {cache.relative_to(ROOT)})..."
    )
    BASELINE_CACHE.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{key}-", dir=BASELINE_CACHE))
    try:
        _init_project(staging / "project", staging / "init.log")
        seconds = train(staging / "project", staging / "models", "baseline", staging / "train.log")
        meta = {
            "rasa": rasa_version(),
            "python": platform.python_version(),
            "train_s": seconds,
            "trained_at": time.strftime("%Y-%m-%d %H:%M:%S"),
            "cpus": os.cpu_count(),
            "load_average_at_training": os.getloadavg(),
        }
        (staging / "meta.json").write_text(json.dumps(meta, indent=2))
        shutil.rmtree(cache, ignore_errors=True)
        staging.rename(cache)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log(f"  baseline trained in {seconds:.1f} s")
    return Baseline(cache / "project", model), {
        **meta,
        "measured_now": True,
        "cache": str(cache.relative_to(ROOT)),
    }


def ours_available() -> bool:
    return MODEL.exists()
