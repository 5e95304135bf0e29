"""A real conversation over the REST channel, with the action server running."""

import uuid

import pytest

from bot.directory import load_directory
from bot.search import find_services
from tests.e2e.conftest import texts

pytestmark = pytest.mark.e2e


def sender() -> str:
    return uuid.uuid4().hex


def test_food_bank_in_bradford_gets_bradford_food_services_with_no_question(assistant):
    reply = assistant.say(sender(), "I need a food bank in Bradford")
    said = texts(reply)
    directory = load_directory()
    expected = [s.name for s in find_services(directory, "food", "bradford")[:3]]
    assert all(name in said for name in expected), said
    assert "Which area" not in said and "What would help most" not in said
    assert any(b["title"] == "More options" for m in reply for b in m.get("buttons", []))


def test_danger_gets_999_in_the_first_reply(assistant):
    reply = assistant.say(sender(), "he's hitting me right now")
    assert "999" in reply[0]["text"]


def test_a_whole_conversation_asks_each_thing_once(assistant):
    me = sender()
    greeting = texts(assistant.say(me, "hello"))
    assert "not a person" in greeting and "What would help most" in greeting
    assert "Which area are you in?" in texts(assistant.say(me, "we've run out of nappies"))
    said = texts(assistant.say(me, "Brixton"))
    assert "Lambeth" in said and "Which area" not in said
    # A second need reuses the area: no question.
    said = texts(assistant.say(me, "and I'm struggling to pay the rent"))
    assert "Which area" not in said
    assert any(s.name in said for s in find_services(load_directory(), "housing", "lambeth")[:1])


def test_skipping_the_area_shows_national_services(assistant):
    me = sender()
    assistant.say(me, "I'm feeling really low since the baby came")
    said = texts(assistant.say(me, "/rather_not_say"))
    assert "anyone in the UK" in said


def test_urgent_help_mid_question_then_carry_on(assistant):
    me = sender()
    assert "Which area" in texts(assistant.say(me, "I need help with money"))
    urgent = assistant.say(me, "I don't want to be here anymore")
    assert "116 123" in urgent[0]["text"] and "999" in urgent[0]["text"]
    carry_on = texts(assistant.say(me, "/find_support"))
    assert "Which area" in carry_on  # the need was remembered; only the area is missing


def test_quick_exit_clears_the_conversation(assistant):
    me = sender()
    assistant.say(me, "I need food in Nottingham")
    bye = assistant.say(me, "exit")
    # Said, then the instruction that makes the chat page leave too (domain.yml `custom`).
    assert len(bye) == 2 and "Goodbye" in bye[0]["text"] and bye[1]["custom"] == {"page": "leave"}
    # Nothing remembered afterwards: a need now asks for the area again.
    assert "Which area" in texts(assistant.say(me, "I need food"))


def test_odd_messages_never_break_the_conversation(assistant):
    me = sender()
    for message in [
        "",
        "   ",
        "🙂🙂🙂",
        "<img src=x onerror=alert(1)>",
        "x" * 20000,
        "مرحبا أحتاج مساعدة",
        "\x00\x07",
    ]:
        reply = assistant.say(me, message)
        assert isinstance(reply, list)
    assert "Which area" in texts(assistant.say(me, "I need food"))


CHECK_IN = "are you and your children safe right now?"


def test_the_safety_check_in_then_safe_carries_on_where_we_were(assistant):
    me = sender()
    assert "Which area" in texts(assistant.say(me, "I need help with money"))
    check_in = assistant.say(me, "i'm not sure if we're safe")
    assert len(check_in) == 1 and CHECK_IN in check_in[0]["text"] and "999" in check_in[0]["text"]
    assert [b["payload"] for b in check_in[0]["buttons"]][:2] == ["/help_now", "/safe_now"]
    carry_on = texts(assistant.say(me, "/safe_now"))
    assert (
        "Let's carry on" in carry_on and "Which area" in carry_on
    )  # the money need kept, the area still pending
    assert "What would help most" not in carry_on
    services = texts(assistant.say(me, "Bradford"))
    assert "Which area" not in services and "What would help most" not in services


def test_the_safety_check_in_then_help_now_gets_urgent_help(assistant):
    me = sender()
    assert CHECK_IN in texts(assistant.say(me, "i don't know if this is urgent"))
    help_now = assistant.say(me, "/help_now")[0]["text"]
    # The urgent reply that fits the near miss (danger, medical or self-harm): 999 in each.
    assert "999" in help_now
    assert any(line in help_now for line in ("0808 2000 247", "116 123", "address"))


def test_danger_still_gets_999_when_the_action_server_is_down(assistant):
    # Runs last in this file: stops the action server for good.
    assistant.stop_actions()
    me = sender()
    danger = assistant.say(me, "he's got a knife")[0]["text"]
    assert "999" in danger and "press 55" in danger and "Men's Advice Line" in danger
    medical = texts(assistant.say(me, "my baby isn't breathing"))
    assert medical.startswith("Call 999 now.") and "address" in medical and "55" not in medical
    self_harm = texts(assistant.say(me, "I want to kill myself"))
    assert "116 123" in self_harm and "step away" in self_harm
    other = sender()
    check_in = texts(assistant.say(other, "am i safe"))  # the check-in is a domain response too
    assert CHECK_IN in check_in and "999" in check_in
    assert "999" in texts(assistant.say(other, "/help_now"))
