"""Each custom action, run as Rasa would run it: a Tracker in, messages and events out."""

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.people import ActionTalkToPerson
from actions.signposting import ActionNotUnderstood, ActionSignpost
from bot.directory import load_directory
from bot.search import find_services
from tests.asyncio_thread import run as run_async


def tracker(intent: str, text: str = "", entities=(), read=None, ranking=None, **slots) -> Tracker:
    message = {
        "text": text or f"/{intent}",
        "intent": {"name": intent, "confidence": 1.0},
        "entities": [{"entity": e, "value": v} for e, v in entities],
    }
    if read is not None:
        message["sentence_intents"] = read
    if ranking is not None:
        message["intent_ranking"] = ranking
    return Tracker.from_dict(
        {
            "sender_id": "test",
            "slots": slots,
            "latest_message": message,
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def run(action, tracker_):
    dispatcher = CollectingDispatcher()
    events = run_async(action.run(dispatcher, tracker_, {}))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def said(messages):
    return "\n".join(m.get("text") or "" for m in messages)


def test_signpost_with_need_and_area_lists_services_by_exact_name():
    messages, slots = run(
        ActionSignpost(),
        tracker(
            "need_food",
            "I need a food bank in Bradford",
            [("area", "bradford")],
            need="food",
            area="bradford",
        ),
    )
    expected = [s.name for s in find_services(load_directory(), "food", "bradford")[:3]]
    for name in expected:
        assert name in said(messages)
    assert slots["asked"] is None and slots["shown"] == 3.0
    assert messages[-1]["buttons"], "the reply ends with choices"


def test_signpost_asks_for_the_area_with_a_domain_response():
    messages, slots = run(
        ActionSignpost(), tracker("need_housing", "we might lose the flat", need="housing")
    )
    assert [m["response"] for m in messages] == ["utter_ask_area"]
    assert slots == {"asked": "area", "other_needs": []}


def test_signpost_more_shows_the_next_page():
    first, _ = run(
        ActionSignpost(), tracker("need_food", "food in Bradford", need="food", area="bradford")
    )
    more, slots = run(
        ActionSignpost(), tracker("more_services", need="food", area="bradford", shown=3.0)
    )
    assert slots["shown"] > 3
    assert not set(said(first).splitlines()[1:4]) & set(said(more).splitlines()[1:4])


def test_signpost_reads_two_needs_from_the_message():
    messages, slots = run(
        ActionSignpost(),
        tracker(
            "need_food",
            "food and nappies in Southend",
            [("need", "food"), ("need", "baby_essentials"), ("area", "southend")],
            need="food",
            area="southend",
        ),
    )
    assert slots["other_needs"] == ["baby_essentials"]
    assert any(b["payload"] == "/need_baby_essentials" for b in messages[-1]["buttons"])


def test_skip_the_area_question():
    messages, slots = run(ActionSignpost(), tracker("rather_not_say", need="money", asked="area"))
    assert slots["area_skipped"] is True
    assert "anyone in the UK" in said(messages)


@pytest.mark.parametrize("area", ["blackpool", "bradford", "lambeth", "nottingham", "southend"])
def test_talk_to_a_person_gives_the_partnership_contact(area):
    messages, _ = run(ActionTalkToPerson(), tracker("ask_human", area=area))
    contact = load_directory().areas[area].contact
    assert contact.name in said(messages) and contact.phone in said(messages)


def test_talk_to_a_person_without_an_area_asks_which_one():
    messages, slots = run(ActionTalkToPerson(), tracker("ask_human"))
    assert len(messages) == 1 and messages[0]["response"] == "utter_ask_human_no_area"
    assert slots == {"asked": "person"}


def test_a_second_need_mid_question_keeps_the_first():
    # Rasa has already put the new need in the slot; the one before is read from the events.
    t = tracker("need_baby_essentials", "and nappies", need="baby_essentials", asked="area")
    t.events = [
        {"event": "user", "text": "the cupboards are empty", "parse_data": {}},
        {"event": "slot", "name": "need", "value": "food"},
        {"event": "bot", "text": "Which area are you in?"},
        {"event": "user", "text": "and nappies", "parse_data": {}},
        {"event": "slot", "name": "need", "value": "baby_essentials"},
    ]
    messages, slots = run(ActionSignpost(), t)
    assert [m["response"] for m in messages] == ["utter_ask_area"]
    assert slots["other_needs"] == ["food"]


def test_a_place_said_in_an_earlier_message_is_not_asked_for_again():
    # "hiya we're in bulwel" (a typo, so the NLU found no area), then the need.
    t = tracker("need_food", "we need food", need="food")
    t.events = [
        {"event": "user", "text": "hiya we're in bulwel, it's been a rough week", "parse_data": {}},
        {"event": "bot", "text": "Hello"},
        {"event": "user", "text": "we need food", "parse_data": {}},
        {"event": "slot", "name": "need", "value": "food"},
    ]
    messages, slots = run(ActionSignpost(), t)
    assert "utter_ask_area" not in [m.get("response") for m in messages]
    assert slots["area"] == "nottingham"


def test_a_place_from_before_the_area_was_changed_is_not_used_again():
    t = tracker("need_food", "food please", need="food")
    t.events = [
        {"event": "user", "text": "I'm in Brixton", "parse_data": {}},
        {"event": "slot", "name": "area", "value": None},  # "change area"
        {"event": "user", "text": "food please", "parse_data": {}},
    ]
    messages, slots = run(ActionSignpost(), t)
    assert [m.get("response") for m in messages] == ["utter_ask_area"]


def test_a_name_in_two_areas_gets_a_button_for_each():
    messages, slots = run(
        ActionSignpost(), tracker("need_food", "food bank near clifton please", need="food")
    )
    buttons = [b["title"] for b in messages[-1]["buttons"]]
    assert buttons[:2] == ["Blackpool", "Nottingham"] and "Somewhere else" in buttons
    assert "area" not in slots


def test_talk_to_a_person_reads_a_place_the_nlu_did_not_know():
    messages, slots = run(
        ActionTalkToPerson(), tracker("ask_human", "can i talk to someone, im in keighly")
    )
    assert load_directory().areas["bradford"].contact.name in said(messages)
    assert slots == {"area": "bradford"}


def test_safe_now_carries_on_with_what_the_held_message_said():
    held = {
        "event": "user",
        "text": "need nappies, I can't cope with him shouting",
        "parse_data": {
            "intent": {"name": "safety_check_in", "confidence": 1.0},
            "entities": [{"entity": "need", "value": "baby_essentials"}],
            "safety": {"band": "check_in", "held_intent": "need_baby_essentials"},
        },
    }
    answer = {
        "event": "user",
        "text": "/safe_now",
        "parse_data": {"intent": {"name": "safe_now", "confidence": 1.0}},
    }
    state = tracker("safe_now", area="southend").current_state()
    state["events"] = [held, {"event": "bot", "text": "Before I carry on"}, answer]
    messages, slots = run(ActionSignpost(), Tracker.from_dict(state))
    assert slots["need"] == "baby_essentials"
    assert "Which area" not in said(messages) and "What would help" not in said(messages)
    assert said(messages)  # services for nappies in Southend


def test_safe_now_without_a_check_in_just_carries_on():
    messages, _ = run(ActionSignpost(), tracker("safe_now", need="food", asked="area"))
    assert [m.get("response") for m in messages] == ["utter_ask_area"]


def test_signpost_offers_the_need_another_sentence_named():
    read = [
        {
            "text": "we've had no food since Tuesday",
            "intent": "need_food",
            "confidence": 0.8,
            "urgent_probability": 0.01,
        },
        {
            "text": "and the landlord says we have to go",
            "intent": "need_housing",
            "confidence": 0.7,
            "urgent_probability": 0.02,
        },
    ]
    messages, slots = run(
        ActionSignpost(),
        tracker(
            "need_food",
            "we've had no food since Tuesday and the landlord says we have to go",
            read=read,
            need="food",
            area="southend",
        ),
    )
    assert slots["other_needs"] == ["housing"]
    assert any(b["payload"] == "/need_housing" for b in messages[-1]["buttons"])


def test_not_understood_offers_what_the_model_thought_likeliest():
    ranking = [
        {"name": "nlu_fallback", "confidence": 1.0},
        {"name": "need_money", "confidence": 0.13},
        {"name": "need_domestic_abuse", "confidence": 0.12},
        {"name": "out_of_scope", "confidence": 0.1},
    ]
    messages, slots = run(
        ActionNotUnderstood(),
        tracker("nlu_fallback", "he has my card", ranking=ranking, asked="need"),
    )
    (message,) = messages
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads[:2] == ["/need_money", "/need_domestic_abuse"]
    assert [b["title"] for b in message["buttons"]][:2] == [
        "Money and bills",
        "Feeling unsafe at home",
    ]
    assert slots == {"asked": None}
