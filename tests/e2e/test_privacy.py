"""What is stored: no words a parent typed; nothing at all after a confirmed "forget me" or quick exit."""

import sqlite3
import stat
import uuid

import pytest

from tests.e2e.conftest import texts

pytestmark = pytest.mark.e2e


def stored(assistant, sender):
    with sqlite3.connect(assistant.workdir / "conversations.db") as db:
        return [
            row[0] for row in db.execute("SELECT data FROM events WHERE sender_id = ?", (sender,))
        ]


def test_the_private_store_is_in_use(assistant):
    log = (assistant.workdir / "rasa.log").read_text()
    assert "InMemoryTrackerStore" not in log


def test_postcodes_phone_numbers_and_emails_are_not_stored(assistant):
    me = uuid.uuid4().hex
    said = texts(
        assistant.say(
            me, "I need food, my postcode is BD7 1HY, call me on 07700 900123 or jo@example.com"
        )
    )
    assert "Which area" not in said  # the live conversation still used the postcode
    rows = "\n".join(stored(assistant, me))
    assert rows, "the conversation is stored"
    for secret in ("BD7 1HY", "07700 900123", "jo@example.com", "I need food"):
        assert secret not in rows
    assert "[postcode]" in rows and "need_food" in rows


def test_no_words_a_parent_typed_are_kept(assistant):
    me = uuid.uuid4().hex
    for line in (
        "my name is Sarah Jones",
        "I live at 12 Acacia Avenue",
        "born 3rd March 2019",
        "+44 (0)7700 900123",
        "I need help with money",
    ):
        assistant.say(me, line)
    rows = "\n".join(stored(assistant, me))
    assert "need_money" in rows
    for secret in ("Sarah", "Jones", "Acacia", "March 2019", "7700 900123", "help with money"):
        assert secret not in rows
    raw = b"".join(p.read_bytes() for p in assistant.workdir.glob("conversations.db*"))
    for secret in (b"Sarah Jones", b"Acacia Avenue", b"7700 900123"):
        assert secret not in raw


def button(message: dict, title: str) -> str:
    return next(b["payload"] for b in message.get("buttons", []) if b["title"] == title)


def test_forget_me_asks_first_then_deletes_the_conversation(assistant):
    me = uuid.uuid4().hex
    assistant.say(me, "I need help with money")
    question = assistant.say(me, "forget me")[-1]
    assert "delete" in question["text"] and stored(assistant, me), "asked, nothing deleted yet"
    reply = texts(assistant.say(me, button(question, "Yes, delete it")))
    assert "deleted" in reply
    assert stored(assistant, me) == []


@pytest.mark.parametrize("phrase", ["don't forget me", "forget it", "delete the last message"])
def test_a_misread_phrase_deletes_nothing(assistant, phrase):
    me = uuid.uuid4().hex
    assistant.say(me, "I need help with money")
    assistant.say(me, phrase)
    assert stored(assistant, me)


def test_saying_no_keeps_the_conversation(assistant):
    me = uuid.uuid4().hex
    assistant.say(me, "I need help with money")
    question = assistant.say(me, "delete my chat")[-1]
    assistant.say(me, button(question, "Not now"))
    assert stored(assistant, me)


def test_quick_exit_deletes_the_conversation(assistant):
    me = uuid.uuid4().hex
    assistant.say(me, "I need help with money")
    assert stored(assistant, me)
    assistant.say(me, "/quick_exit")
    assert stored(assistant, me) == []


def test_the_database_is_readable_by_its_owner_only(assistant):
    files = list(assistant.workdir.glob("conversations.db*"))
    assert files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_the_referral_note_is_shown_but_never_stored(assistant):
    me = uuid.uuid4().hex
    assistant.say(me, "I need food in Bradford")
    question = assistant.say(me, "/referral_note")[-1]
    state = next(b["payload"] for b in question["buttons"] if b["title"] == "Yes, make a note")
    for choice in (
        "A text message",
        "Evenings",
        "Polish, with an interpreter please",
        "A quiet space",
    ):
        reply = assistant.say(me, state)[-1]
        state = next(b["payload"] for b in reply["buttons"] if b["title"] == choice)
    note = assistant.say(me, state)[-1]["text"]
    assert "Safe ways to contact me: a text message." in note and "Polish" in note
    rows = "\n".join(stored(assistant, me))
    assert (
        "Polish" not in rows
        and "text message" not in rows
        and "Note for the next service" not in rows
    )
