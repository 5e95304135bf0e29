"""`python -m bot report` and `python -m bot purge`, on a small SQLite tracker store made here."""

from __future__ import annotations

import json
import time

import pytest
import sqlalchemy as sa

from bot.__main__ import main
from bot.tools.report import count, no_local_patterns

NO_LOCAL = (
    "I couldn't find a local service for this in {area}, so here are some anyone in the UK can use."
)
OUTSIDE = "I only have local listings for Blackpool, Bradford, Lambeth, Nottingham and Southend. Here are services anyone in the UK can use."
FOUND = "Thank you for telling me. Here are some services for food in Bradford."
PRIVATE = "my neighbour Jo at 12 Acacia Road"


class Store:
    """Rasa's SQL tracker store table, written the way Rasa writes it."""

    def __init__(self, path):
        self.path = path
        self.engine = sa.create_engine(f"sqlite:///{path}")
        with self.engine.begin() as c:
            c.execute(
                sa.text(
                    "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,"
                    " timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"
                )
            )
        self.clock = time.time() - 3600

    def add(self, sender, kind, data=None, age_days=0.0, **columns):
        self.clock += 1
        stamp = self.clock - age_days * 86400
        with self.engine.begin() as c:
            c.execute(
                sa.text(
                    "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) VALUES (:s, :k, :t, :i, :a, :d)"
                ),
                {
                    "s": sender,
                    "k": kind,
                    "t": stamp,
                    "i": columns.get("intent"),
                    "a": columns.get("action"),
                    "d": json.dumps({"event": kind, "timestamp": stamp, **(data or {})}),
                },
            )

    def turn(self, sender, text, reply, slots=(), age_days=0.0):
        """One parent message and the action's answer: Rasa stores the messages before the slots the action sets."""
        self.add(sender, "user", {"text": text}, age_days, intent="need_food")
        self.add(sender, "action", {"name": "action_signpost"}, age_days, action="action_signpost")
        self.add(sender, "bot", {"text": reply}, age_days)
        for name, value in slots:
            self.add(sender, "slot", {"name": name, "value": value}, age_days)
        self.add(sender, "action", {"name": "action_listen"}, age_days, action="action_listen")


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "conversations.db")
    for i in range(7):  # food in Bradford: 7 conversations, 2 of them with no local match
        reply = NO_LOCAL.format(area="Bradford") if i < 2 else FOUND
        store.turn(
            f"food-bd-{i}",
            f"food please, {PRIVATE}",
            reply,
            [("need", "food"), ("area", "bradford")],
        )
    for i in range(3):  # food in Lambeth: 3, all unmet
        store.turn(
            f"food-lam-{i}",
            "food",
            NO_LOCAL.format(area="Lambeth"),
            [("need", "food"), ("area", "lambeth")],
        )
    for i in range(6):  # housing, postcode outside the five areas
        store.turn(
            f"housing-{i}",
            "housing in Leeds",
            OUTSIDE,
            [("need", "housing"), ("area_skipped", True)],
        )
    # Two needs in one conversation, and a new session that starts the slots again.
    store.turn("two-needs", "food in Bradford", FOUND, [("need", "food"), ("area", "bradford")])
    store.turn(
        "two-needs", "and nappies", NO_LOCAL.format(area="Bradford"), [("need", "baby_essentials")]
    )
    store.add("two-needs", "session_started")
    store.turn("two-needs", "money", FOUND, [("need", "money")])
    return store


def test_counts_conversations_by_need_and_area(store):
    counts = count(store.engine)
    assert counts.asked == {
        ("food", "bradford"): 8,
        ("food", "lambeth"): 3,
        ("housing", "(no area given)"): 6,
        ("baby_essentials", "bradford"): 1,
        ("money", "(no area given)"): 1,
    }
    assert counts.no_local == {
        ("food", "bradford"): 2,
        ("food", "lambeth"): 3,
        ("housing", "(no area given)"): 6,
        ("baby_essentials", "bradford"): 1,
    }


def test_phrases_come_from_the_replies_file():
    patterns = no_local_patterns()
    assert any(p.search(NO_LOCAL.format(area="Southend-on-Sea")) for p in patterns)
    assert any(p.search(OUTSIDE) for p in patterns)
    assert not any(p.search(FOUND) for p in patterns)


def test_report_suppresses_small_counts_and_shows_no_text(store, tmp_path, capsys):
    folder = tmp_path / "reports"
    assert main(["report", "--db", str(store.path), "--output-dir", str(folder)]) == 0
    printed = capsys.readouterr().out
    text = (folder / "unmet-needs.md").read_text()
    assert text in printed
    assert "| Food | 11 | 5 |" in text
    assert "| Housing | 6 | 6 |" in text
    assert "| Baby things and nappies | <5 | <5 |" in text
    # Food by area: Lambeth's 3 is hidden, so Bradford's 8 is hidden too (11 - 8 would give it away).
    assert "| Food | Bradford | * | <5 |" in text
    assert "| Food | Lambeth | <5 | <5 |" in text
    assert "| Housing | (no area given) | 6 | 6 |" in text
    for small in ("| 1 |", "| 2 |", "| 3 |", "| 8 |"):
        assert small not in text
    assert (
        PRIVATE not in printed
        and "Leeds" not in printed
        and "nappies" not in text.lower().replace("baby things and nappies", "")
    )
    assert (folder / "unmet-needs.png").read_bytes().startswith(b"\x89PNG")


def test_report_from_a_database_url_and_an_empty_store(tmp_path, capsys):
    empty = tmp_path / "empty.db"
    sa.create_engine(f"sqlite:///{empty}").connect().close()
    assert (
        main(
            [
                "report",
                "--database-url",
                f"sqlite:///{empty}",
                "--output-dir",
                str(tmp_path / "out"),
            ]
        )
        == 0
    )
    assert "No conversations with a need yet." in capsys.readouterr().out


def test_report_without_a_database_file_fails_and_creates_nothing(tmp_path, capsys):
    missing = tmp_path / "nope.db"
    assert main(["report", "--db", str(missing), "--output-dir", str(tmp_path / "out")]) == 1
    assert "No conversation database" in capsys.readouterr().err
    assert not missing.exists() and not (tmp_path / "out").exists()


def test_purge_deletes_old_conversations(tmp_path, capsys):
    store = Store(tmp_path / "c.db")
    store.turn("old", "food", FOUND, [("need", "food")], age_days=40)
    store.turn("recent", "food", FOUND, [("need", "food")], age_days=2)
    assert main(["purge", "--db", str(store.path), "--days", "30"]) == 0
    assert (
        "Deleted 1 conversation(s) and 0 review message(s) older than 30 days."
        in capsys.readouterr().out
    )
    with store.engine.begin() as c:
        assert set(c.execute(sa.text("SELECT DISTINCT sender_id FROM events")).scalars()) == {
            "recent"
        }


def test_purge_uses_the_retention_setting(tmp_path, capsys, monkeypatch):
    store = Store(tmp_path / "c.db")
    store.turn("ten-days", "food", FOUND, age_days=10)
    monkeypatch.setenv("RETENTION_DAYS", "7")
    assert main(["purge", "--database-url", f"sqlite:///{store.path}"]) == 0
    assert (
        "Deleted 1 conversation(s) and 0 review message(s) older than 7 days."
        in capsys.readouterr().out
    )


def test_purge_exit_codes(tmp_path, capsys):
    assert main(["purge", "--db", str(tmp_path / "missing.db")]) == 1
    assert (
        main(["purge", "--db", str(tmp_path / "missing.db"), "--days", "0"]) == 1
    )  # no database comes first
    store = Store(tmp_path / "c.db")
    assert main(["purge", "--db", str(store.path), "--days", "0"]) == 2
    with pytest.raises(SystemExit) as stopped:
        main(["purge", "--db", "a.db", "--database-url", "sqlite://"])
    assert stopped.value.code == 2
