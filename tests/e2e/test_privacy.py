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


def test_the_referral_note_is_shown_but_never_stored(assistant):
    me = uuid.uuid4().hex
    assistant.say(me, "I need food in Bradford")
    question = assistant.say(me, "/referral_note")[-1]
    state = next(b["payload"] for b in question["buttons"] if b["title"] == "Yes, make a note")
    for choice in ("A text message", "Evenings", "Polish, with an interpreter please", "A quiet space"):
        reply = assistant.say(me, state)[-1]
        state = next(b["payload"] for b in reply["buttons"] if b["title"] == choice)
    note = assistant.say(me, state)[-1]["text"]
    assert "Safe ways to contact me: a text message." in note and "Polish" in note
    rows = "\n".join(stored(assistant, me))
    assert "Polish" not in rows and "text message" not in rows and "Note for the next service" not in rows
