"""Faults while running: the action server down or slow, the directory file broken, Rasa
restarted mid-conversation. The parent always gets a kind reply and carries on after."""

import json
import logging
import os
import shutil
import sqlite3
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from actions.shared import LiveDirectory
from bot.directory import load_directory
from bot.replies import say
from bot.search import find_services
from bot.tools.servers import ROOT, running_assistant, start_actions, start_rasa, wait_until
from tests.e2e.conftest import texts

KIND = say("actions_down")
ACTION_TIMEOUT = 4  # seconds Rasa waits for the action server in these tests (ACTION_TIMEOUT env)
e2e = pytest.mark.e2e


# --- The directory reloads when its file changes, and keeps the last good one -------------


def test_the_directory_reloads_when_the_file_changes(tmp_path):
    path = tmp_path / "directory.yml"
    shutil.copy(ROOT / "services_directory.yml", path)
    live = LiveDirectory(path)
    first = live.signposting()
    assert live.signposting() is first  # unchanged file: not read again
    path.write_text(
        path.read_text().replace("Bradford Community Food Pantry", "Bradford Food Pantry Hub")
    )
    assert "Bradford Food Pantry Hub" in {
        s.name for s in live.signposting().directory.services.values()
    }


def test_a_broken_directory_keeps_the_last_good_one_and_says_why(tmp_path, caplog):
    path = tmp_path / "directory.yml"
    shutil.copy(ROOT / "services_directory.yml", path)
    live = LiveDirectory(path)
    good = live.signposting()
    path.write_text("needs: [unclosed\n")
    with caplog.at_level(logging.ERROR, logger="actions.shared"):
        assert live.signposting() is good
        assert live.signposting() is good  # logged once per change, not once per message
    assert (
        len(caplog.records) == 1 and "not valid YAML" in caplog.text and "last good" in caplog.text
    )
    path.unlink()
    assert live.signposting() is good
    shutil.copy(ROOT / "services_directory.yml", path)
    assert live.signposting() is not good  # fixed: read again


def test_a_big_directory_reloads_in_the_background_without_pausing_conversations(
    tmp_path, monkeypatch
):
    import threading

    import actions.shared

    path = tmp_path / "directory.yml"
    shutil.copy(ROOT / "services_directory.yml", path)
    live = LiveDirectory(path)
    first = live.signposting()
    monkeypatch.setattr("bot.directory_cache.MIN_BYTES", 0)  # treat the real file as big
    release, reading = threading.Event(), threading.Event()
    real_load = actions.shared.load_directory

    def slow_load(p):
        reading.set()
        release.wait(10)
        return real_load(p)

    monkeypatch.setattr(actions.shared, "load_directory", slow_load)
    path.write_text(
        path.read_text().replace("Bradford Community Food Pantry", "Bradford Food Pantry Hub")
    )
    assert live.signposting() is first  # answered at once, with the directory it had
    assert reading.wait(10)
    assert live.signposting() is first  # still reading: still answering
    release.set()
    live._reading.join(10)
    assert "Bradford Food Pantry Hub" in {
        s.name for s in live.signposting().directory.services.values()
    }


def test_a_directory_that_was_never_good_is_an_error(tmp_path):
    from bot.directory import DirectoryError

    (tmp_path / "directory.yml").write_text("needs: [unclosed\n")
    with pytest.raises(DirectoryError):
        LiveDirectory(tmp_path / "directory.yml").signposting()


# --- The real servers -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """Its own assistant (these tests stop and restart its parts), reading a copy of the directory."""
    workdir = tmp_path_factory.mktemp("faults")
    directory = workdir / "services_directory.yml"
    shutil.copy(ROOT / "services_directory.yml", directory)
    extra = {"ACTION_TIMEOUT": str(ACTION_TIMEOUT), "SERVICES_DIRECTORY": str(directory)}
    saved = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        with running_assistant(workdir) as assistant:
            assistant.env = {
                **os.environ,
                "TF_CPP_MIN_LOG_LEVEL": "2",
                "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            }
            assistant.directory = directory
            yield assistant
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def actions_back(assistant) -> None:
    assistant.processes["actions"] = start_actions(
        port_of(assistant.actions_url), assistant.workdir / "actions.log", assistant.env
    )
    wait_until(
        lambda: requests.get(f"{assistant.actions_url}/health", timeout=2).ok,
        60,
        "the action server",
    )


def stored(assistant, sender) -> list[tuple[str, str]]:
    """(type, intent or action) of each stored event of a conversation, in order; no event keeps words."""
    with sqlite3.connect(assistant.workdir / "conversations.db") as db:
        rows = db.execute(
            "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
        ).fetchall()
    out = []
    for kind, data in rows:
        event = json.loads(data)
        assert not event.get("text"), f"words kept in a stored {kind} event"
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        out.append((kind, intent if kind == "user" else event.get("name") or ""))
    return out


def user_intents(assistant, sender) -> list[str]:
    return [intent for kind, intent in stored(assistant, sender) if kind == "user"]


def bradford_food() -> list[str]:
    return [s.name for s in find_services(load_directory(), "food", "bradford")[:3]]


@e2e
def test_actions_down_gets_a_kind_reply_and_the_conversation_carries_on(faulty):
    me = uuid.uuid4().hex
    faulty.stop_actions()
    try:
        assert faulty.say(me, "I need a food bank in Bradford") == [
            {"recipient_id": me, "text": KIND}
        ]
        greeting = texts(faulty.say(me, "hello"))  # domain responses still work
        assert "not a person" in greeting and KIND not in greeting
        assert "999" in faulty.say(me, "he's hitting me right now")[0]["text"]
    finally:
        actions_back(faulty)
    reply = faulty.say(me, "I need a food bank in Bradford")
    said = texts(reply)
    assert KIND not in said
    # Services come in the directory's order, the question after them.
    positions = [said.index(name) for name in bradford_food()]
    assert (
        positions == sorted(positions)
        and said.rindex("What would you like to do next?") > positions[-1]
    )
    assert user_intents(faulty, me) == ["need_food", "greet", "urgent_danger", "need_food"]
    # Each message is followed by its own replies, in the order they were sent.
    events = stored(faulty, me)
    last_user = max(i for i, (kind, _) in enumerate(events) if kind == "user")
    replies = [text for kind, text in events[last_user:] if kind == "bot"]
    assert len(replies) == len(
        reply
    )  # the store keeps no words of replies, only that they were sent


class SlowActions(BaseHTTPRequestHandler):
    release = threading.Event()

    def do_POST(self):  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.release.wait(60)
        body = json.dumps({"events": [], "responses": [{"text": "STALE REPLY"}]}).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # Rasa stopped waiting long ago

    def log_message(self, *args):
        pass


@e2e
def test_a_slow_action_server_gets_a_kind_reply_in_seconds_not_minutes(faulty):
    me = uuid.uuid4().hex
    faulty.stop_actions()
    slow = ThreadingHTTPServer(("127.0.0.1", port_of(faulty.actions_url)), SlowActions)
    slow.daemon_threads = True
    threading.Thread(target=slow.serve_forever, daemon=True).start()
    try:
        started = time.monotonic()
        assert faulty.say(me, "I need a food bank in Bradford") == [
            {"recipient_id": me, "text": KIND}
        ]
        waited = time.monotonic() - started
        assert ACTION_TIMEOUT - 0.5 < waited < ACTION_TIMEOUT + 10, waited
    finally:
        SlowActions.release.set()
        slow.shutdown()
        slow.server_close()
        actions_back(faulty)
    said = texts(faulty.say(me, "I need a food bank in Bradford"))
    assert "STALE REPLY" not in said and all(name in said for name in bradford_food())
    assert user_intents(faulty, me) == ["need_food"] * 2


@e2e
def test_a_broken_directory_while_running_keeps_the_last_good_one(faulty):
    good = faulty.directory.read_text()
    names = bradford_food()
    try:
        faulty.directory.write_text(good + "\n  - this: [is not valid\n")
        said = texts(faulty.say(uuid.uuid4().hex, "I need a food bank in Bradford"))
        assert all(name in said for name in names), said
        log = (faulty.workdir / "actions.log").read_text()
        assert "can't be used" in log and "not valid YAML" in log
        assert "food bank" not in log.lower()  # what parents say never reaches the log
        # Fixed again, with a change: the new version is used, no restart needed.
        faulty.directory.write_text(good.replace(names[0], names[0] + " Hub"))
        said = texts(faulty.say(uuid.uuid4().hex, "I need a food bank in Bradford"))
        assert names[0] + " Hub" in said
    finally:
        faulty.directory.write_text(good)


@e2e
def test_after_rasa_restarts_the_parent_carries_on_where_they_were(faulty):
    me = uuid.uuid4().hex
    assert "Which area" in texts(faulty.say(me, "I need some help with money"))
    old = faulty.processes["rasa"]
    old.terminate()
    old.wait(timeout=30)
    faulty.processes["rasa"] = start_rasa(
        port_of(faulty.rasa_url),
        faulty.workdir / "endpoints.yml",
        faulty.workdir / "rasa.log",
        faulty.env,
    )
    wait_until(lambda: requests.get(f"{faulty.rasa_url}/", timeout=2).ok, 180, "Rasa, again")
    wait_until(
        lambda: (
            requests.post(
                f"{faulty.rasa_url}/webhooks/rest/webhook",
                timeout=30,
                json={"sender": "warmup-again", "message": "/greet"},
            ).ok
        ),
        180,
        "Rasa's REST channel",
    )
    said = texts(faulty.say(me, "Bradford"))
    assert "Which area" not in said  # the need was remembered across the restart
    assert any(s.name in said for s in find_services(load_directory(), "money", "bradford")[:3]), (
        said
    )
    assert len(user_intents(faulty, me)) == 2 and user_intents(faulty, me)[0] == "need_money"
