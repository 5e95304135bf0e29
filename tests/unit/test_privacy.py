"""Redaction and retention, without Rasa."""

import time

import pytest
import sqlalchemy as sa

from bot.redact import redact
from bot.retention import forget, purge_old


@pytest.mark.parametrize(
    ("text", "hidden", "label"),
    [
        ("I live at SW2 1RW", "SW2 1RW", "[postcode]"),
        ("my number is 07700 900123", "07700 900123", "[phone]"),
        ("ring 0113 496 0000 please", "0113 496 0000", "[phone]"),
        ("+44 7700 900123", "7700 900123", "[phone]"),
        ("email me: mum.of.two@example.co.uk", "mum.of.two@example.co.uk", "[email]"),
        ("NHS number 943 476 5919", "943 476 5919", "[number]"),
        ("born 12/03/2025", "12/03/2025", "[date]"),
    ],
)
def test_personal_details_are_redacted(text, hidden, label):
    assert hidden not in redact(text)
    assert label in redact(text)


def test_ordinary_words_are_kept():
    text = "I need food in Bradford for my 2 kids, BD7 area"
    assert redact(text) == text


@pytest.fixture
def engine(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'c.db'}")
    with engine.begin() as c:
        c.execute(
            sa.text(
                "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, timestamp REAL, data TEXT)"
            )
        )
    return engine


def add(engine, sender, age_days):
    with engine.begin() as c:
        c.execute(
            sa.text("INSERT INTO events (sender_id, timestamp) VALUES (:s, :t)"),
            {"s": sender, "t": time.time() - age_days * 86400},
        )


def senders(engine):
    with engine.begin() as c:
        return sorted(set(c.execute(sa.text("SELECT sender_id FROM events")).scalars()))


def test_purge_deletes_only_conversations_older_than_the_limit(engine):
    add(engine, "old", 45)
    add(engine, "recent", 2)
    add(engine, "ongoing", 40)
    add(engine, "ongoing", 1)  # still in use: kept whole
    assert purge_old(engine, days=30) == 1
    assert senders(engine) == ["ongoing", "recent"]


def test_forget_deletes_one_conversation(engine):
    add(engine, "a", 0)
    add(engine, "b", 0)
    forget(engine, "a")
    assert senders(engine) == ["b"]
