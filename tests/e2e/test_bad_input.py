"""Odd and malformed input over the REST channel: never a 5xx, always a kind reply to a
message, and every message stored once (its intent, never its words), in order."""

import itertools
import json
import re
import sqlite3
import uuid

import pytest
import requests
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.replies import say
from bot.translations import translations

pytestmark = pytest.mark.e2e

KIND = say("actions_down")
FORGOTTEN = "deleted this chat"  # utter_forgotten: a confirmed "forget me" deletes the conversation


def _left(reply: dict) -> bool:
    """utter_quick_exit: quick exit deletes the conversation too; its reply tells the page to leave."""
    return reply.get("page") == "leave" or (reply.get("custom") or {}).get("page") == "leave"


def post(assistant, body: bytes | None = None, data=None) -> requests.Response:
    kwargs = (
        {"data": body, "headers": {"Content-Type": "application/json"}}
        if body is not None
        else {"json": data}
    )
    return requests.post(assistant.rasa_url + "/webhooks/rest/webhook", timeout=60, **kwargs)


def stored_user_intents(assistant, sender: str) -> list[str]:
    """The intent of each stored message, in order; the store keeps none of the words."""
    with sqlite3.connect(assistant.workdir / "conversations.db") as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
            (sender,),
        )
        events = [json.loads(data) for (data,) in rows]
    assert all(e["text"] is None and e["parse_data"]["text"] is None for e in events), (
        "words were kept"
    )
    return [e["parse_data"]["intent"]["name"] for e in events]


def assert_kind_reply(response: requests.Response) -> list[dict]:
    assert response.status_code == 200, (response.status_code, response.text[:300])
    reply = response.json()
    assert isinstance(reply, list) and reply, "a message always gets a reply"
    # Every message is shown (text or buttons), or is an instruction to the chat page from
    # a domain response's `custom` (quick exit: leave; forget me: clear; a chosen language:
    # the page's lang and dir), after a shown one.
    assert all(
        m.get("text") or m.get("buttons") or page_instruction(m.get("custom")) for m in reply
    )
    assert reply[0].get("text") or reply[0].get("buttons")
    return reply


PAGE_INSTRUCTIONS = ({"page": "leave"}, {"page": "clear"})


def page_instruction(custom) -> bool:
    """A `custom` the chat page acts on without showing it."""
    if custom in PAGE_INSTRUCTIONS:
        return True
    return isinstance(custom, dict) and custom.get("language") in translations().enabled_codes()


def assert_stored_once_in_order(
    assistant, sender: str, before: list[str], text: str, reply: list[dict]
) -> list[str]:
    after = stored_user_intents(assistant, sender)
    if any(FORGOTTEN in (m.get("text") or "") or _left(m) for m in reply):
        assert after == []  # the parent asked us to forget them, or left
    else:
        assert after[:-1] == before and len(after) == len(before) + 1
        if not re.sub(r"[\ud800-\udfff]", "\ufffd", text).strip():
            assert after[-1] == "nlu_fallback"  # a blank message is "not understood"
    return after


ODD_MESSAGES = {
    "empty": "",
    "whitespace": " \t\n  \r\n",
    "20,000 characters": ("We have run out of food for the baby. " * 600)[:20_000],
    "emoji": "🙂🍼👶 need nappies 🙏🏽 👩‍👧",
    "right-to-left": "أحتاج مساعدة في الطعام \u202e אני צריכה עזרה",
    "html": "<script>alert('x')</script><b>food</b> please &amp; <img src=x onerror=alert(1)>",
    "control characters": "\x00\x01\x07\x1b[31mfood\x1b[0m\x7f\x0b\x0c",
    "zero-width": "\u200b\u200c\u200d\ufeff",
    "lone surrogate pair halves": "\ud83d food \udc00",
    "slash, not an intent": '/definitely_not_an_intent{"a": [1,',
}


@pytest.mark.parametrize("text", ODD_MESSAGES.values(), ids=ODD_MESSAGES.keys())
def test_odd_messages_get_a_kind_reply_and_are_stored(assistant, text):
    me = uuid.uuid4().hex
    before = stored_user_intents(assistant, me)
    body = json.dumps({"sender": me, "message": text}).encode()  # ASCII, surrogates escaped
    reply = assert_kind_reply(post(assistant, body))
    assert_stored_once_in_order(assistant, me, before, text, reply)
    # ... and the conversation carries on.
    reply = assert_kind_reply(
        post(assistant, data={"sender": me, "message": "I need a food bank in Bradford"})
    )
    assert "Bradford" in "\n".join(m.get("text") or "" for m in reply)


def test_invalid_utf8_bytes_are_read_as_replacement_characters(assistant):
    me = uuid.uuid4().hex
    reply = assert_kind_reply(
        post(
            assistant,
            b'{"sender": "'
            + me.encode()
            + b'", "message": "I need food \xff\xfe\xc3 in Bradford"}',
        )
    )
    assert stored_user_intents(assistant, me) == ["need_food"]
    assert "Bradford" in "\n".join(m.get("text") or "" for m in reply)


def test_a_number_is_read_as_text(assistant):
    me = uuid.uuid4().hex
    assert_kind_reply(post(assistant, data={"sender": me, "message": 42}))
    assert len(stored_user_intents(assistant, me)) == 1


def test_a_missing_sender_gets_a_conversation_of_its_own(assistant):
    first = assert_kind_reply(post(assistant, data={"message": "hello"}))
    second = assert_kind_reply(post(assistant, data={"message": "hello"}))
    ids = {first[0]["recipient_id"], second[0]["recipient_id"]}
    assert len(ids) == 2 and "default" not in ids  # never Rasa's shared "default" conversation
    assert stored_user_intents(assistant, "default") == []


REFUSED = {
    "message is a list": {"sender": "s-list", "message": ["food"]},
    "message is an object": {"sender": "s-obj", "message": {"text": "food"}},
    "message is null": {"sender": "s-null", "message": None},
    "message is true": {"sender": "s-bool", "message": True},
    "no message": {"sender": "s-none"},
    "sender is a list": {"sender": ["a"], "message": "hi"},
    "sender is blank": {"sender": "  ", "message": "hi"},
    "sender is too long": {"sender": "s" * 300, "message": "hi"},
    "sender has control characters": {"sender": "a\x00b", "message": "hi"},
    "body is a list": ["sender", "message"],
    "body is a number": 7,
    "body is a string": "hello",
}


@pytest.mark.parametrize("data", REFUSED.values(), ids=REFUSED.keys())
def test_requests_without_a_usable_message_get_a_kind_400(assistant, data):
    response = post(assistant, json.dumps(data).encode())
    assert response.status_code == 400
    assert response.json() == [{"text": KIND}]


@pytest.mark.parametrize(
    "body", [b"", b"not json", b"{", b'{"sender": "a", "message": "hi"', b"\xff\xfe\x00"]
)
def test_bodies_that_are_not_json_get_a_kind_400(assistant, body):
    response = post(assistant, body)
    assert response.status_code == 400 and response.json() == [{"text": KIND}]


# Property: any text at all is answered kindly and stored once, in order.
messages = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=400),
    st.sampled_from(list(ODD_MESSAGES.values())),
    st.builds(
        lambda a, b: f"{a} {b}",
        st.sampled_from(
            [
                "I need food",
                "help with rent",
                "nappies",
                "in Bradford",
                "Brixton",
                "thanks",
                "more",
                "/greet",
                "/need_food",
            ]
        ),
        st.text(max_size=30),
    ),
)


_examples = itertools.count()
_run = uuid.uuid4().hex[:8]


@settings(
    max_examples=500, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(text=messages)
@example(text="POLISH")  # a language's name: the reply tells the page its lang and dir
def test_any_message_gets_a_kind_reply_and_is_stored_in_order(assistant, text):
    n = next(_examples)
    sender = f"hypothesis-{_run}-{n // 5}"  # a few messages per conversation, so order matters
    before = stored_user_intents(assistant, sender)
    reply = assert_kind_reply(post(assistant, data={"sender": sender, "message": text}))
    assert_stored_once_in_order(assistant, sender, before, text, reply)


@settings(max_examples=100, deadline=None, database=None)
@given(raw=st.binary(max_size=200))
def test_any_bytes_in_a_message_never_fail_the_server(assistant, raw):
    response = post(
        assistant, b'{"sender": "bytes-' + _run.encode() + b'", "message": "' + raw + b'"}'
    )
    assert response.status_code in (200, 400), response.status_code
    assert response.json(), "always something kind to show"
