"""The actions answer in the `language` slot's language (fixture files; never real translations)."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker

from actions.people import ActionTalkToPerson
from actions.signposting import ActionSignpost, language_set_by_this_message
from bot import translations as translations_module
from tests.actions.test_actions import run, said
from tests.unit.language_fixtures import complete_file, folder_with


@pytest.fixture(autouse=True)
def languages(tmp_path, monkeypatch):
    monkeypatch.setenv("LANGUAGE_FILES", str(folder_with(tmp_path, {"pl": complete_file("pl")})))
    translations_module.translations.cache_clear()
    yield
    monkeypatch.delenv("LANGUAGE_FILES")
    translations_module.translations.cache_clear()


def _tracker(intent: str, text: str, events: list, **slots) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": "test",
            "slots": slots,
            "latest_message": {"text": text, "intent": {"name": intent, "confidence": 1.0}},
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def test_a_language_found_from_this_message_gets_the_draft_notice_first():
    events = [
        {"event": "user", "text": "Potrzebuję jedzenia", "parse_data": {}},
        {"event": "slot", "name": "language", "value": "pl"},
    ]
    tracker = _tracker("need_food", "Potrzebuję jedzenia", events, need="food", language="pl")
    assert language_set_by_this_message(tracker)
    messages, slots = run(ActionSignpost(), tracker)
    assert messages[0]["text"].startswith("PL: This translation is new")
    assert messages[-1].get("response") == "utter_ask_area"
    assert slots["asked"] == "area"


def test_a_language_set_earlier_brings_no_second_notice():
    events = [
        {"event": "user", "text": "Potrzebuję jedzenia", "parse_data": {}},
        {"event": "slot", "name": "language", "value": "pl"},
        {"event": "user", "text": "/need_food", "parse_data": {}},
    ]
    tracker = _tracker("need_food", "/need_food", events, need="food", language="pl")
    assert not language_set_by_this_message(tracker)
    messages, _ = run(ActionSignpost(), tracker)
    assert "This translation is new" not in said(messages)


def test_services_and_next_steps_come_in_the_slots_language():
    tracker = _tracker("need_food", "/need_food", [], need="food", area="bradford", language="pl")
    messages, _ = run(ActionSignpost(), tracker)
    assert messages[0]["text"].startswith("PL: Thank you for telling me.")
    assert any(b["title"] == "PL: Change area" for m in messages for b in m.get("buttons") or [])


def test_talking_to_a_person_is_in_the_slots_language():
    tracker = _tracker("ask_human", "/ask_human", [], area="bradford", language="pl")
    messages, _ = run(ActionTalkToPerson(), tracker)
    assert messages[0]["text"].startswith("PL: You can talk to a person at")
