"""What is stored: redacted text only, and nothing at all after "forget me"."""

import sqlite3
import uuid

import pytest

from tests.e2e.conftest import texts

pytestmark = pytest.mark.e2e


def stored(assistant, sender):
    with sqlite3.connect(assistant.workdir / "conversations.db") as db:
        return [row[0] for row in db.execute("SELECT data FROM events WHERE sender_id = ?", (sender,))]


def test_the_private_store_is_in_use(assistant):
    log = (assistant.workdir / "rasa.log").read_text()
    assert "InMemoryTrackerStore" not in log


def test_postcodes_phone_numbers_and_emails_are_not_stored(assistant):
    me = uuid.uuid4().hex
    said = texts(assistant.say(me, "I need food, my postcode is BD7 1HY, call me on 07700 900123 or jo@example.com"))
    assert "Which area" not in said  # the live conversation still used the postcode
    rows = "\n".join(stored(assistant, me))
    assert rows, "the conversation is stored"
    for secret in ("BD7 1HY", "07700 900123", "jo@example.com"):
        assert secret not in rows
    assert "[postcode]" in rows


def test_forget_me_deletes_the_conversation(assistant):
    me = uuid.uuid4().hex
    assistant.say(me, "I need help with money")
    assert stored(assistant, me)
    reply = texts(assistant.say(me, "forget me"))
    assert "deleted" in reply
    assert stored(assistant, me) == []
