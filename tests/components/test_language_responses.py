"""Rasa itself answers in the parent's language from domain responses alone (no action server),
and the language component sets the `language` entity from a first message."""

from __future__ import annotations

import pytest
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message

from bot.tools.domain_languages import domain_text
from components.language_detection import LanguageDetection
from tests.asyncio_thread import run
from tests.unit.language_fixtures import ROOT, complete_file, folder_with, translations_in


@pytest.fixture(scope="module")
def domain(tmp_path_factory):
    folder = folder_with(tmp_path_factory.mktemp("languages"), {"pl": complete_file("pl")})
    text = domain_text((ROOT / "domain.yml").read_text(encoding="utf-8"), translations_in(folder))
    return Domain.from_yaml(text)


def _said(domain, response: str, language: str | None) -> dict:
    tracker = DialogueStateTracker.from_events("parent", [], slots=domain.slots)
    if language:
        tracker.update(SlotSet("language", language))
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    return run(nlg.generate(response, tracker, "rest"))


@pytest.mark.parametrize(
    "response",
    [
        "utter_urgent_danger",
        "utter_urgent_medical",
        "utter_urgent_self_harm",
        "utter_safety_check_in",
        "utter_quick_exit",
        "utter_ask_need",
    ],
)
def test_urgent_help_and_the_main_questions_come_in_the_slots_language(domain, response):
    polish = _said(domain, response, "pl")
    english = _said(domain, response, None)
    assert polish["text"] == "PL: " + english["text"]
    assert [b["payload"] for b in polish.get("buttons") or []] == [
        b["payload"] for b in english.get("buttons") or []
    ]


def test_a_language_without_a_translation_answers_in_english(domain):
    assert _said(domain, "utter_urgent_medical", "ro")["text"].startswith("Call 999 now.")


def test_quick_exit_in_another_language_still_tells_the_page_to_leave(domain):
    assert _said(domain, "utter_quick_exit", "pl")["custom"] == {"page": "leave"}


def test_a_draft_languages_first_reply_carries_its_notice(domain):
    chosen = _said(domain, "utter_language_chosen", "pl")
    assert chosen["text"].startswith("PL: This translation is new")
    assert chosen["custom"] == {"language": "pl", "direction": "ltr"}
    assert _said(domain, "utter_language_chosen", None)["custom"]["language"] == "en"


def _tracker(*events):
    return DialogueStateTracker.from_events("parent", list(events))


def test_the_component_sets_the_language_entity_from_a_first_message():
    component = LanguageDetection(("en", "pl", "ur"))
    polish = Message(data={"text": "Potrzebuję pieluch i mleka dla dziecka"})
    roman_urdu = Message(data={"text": "mujhe madad chahiye"})
    english = Message(data={"text": "I need nappies for my baby"})
    component.process([polish, roman_urdu, english], _tracker())
    assert [e["value"] for e in polish.get("entities") if e["entity"] == "language_detected"] == [
        "pl"
    ]
    assert [
        e["value"] for e in roman_urdu.get("entities") if e["entity"] == "language_detected"
    ] == ["ur"]
    assert not english.get("entities")


def test_the_component_leaves_a_chosen_language_alone():
    component = LanguageDetection(("en", "pl", "ur"))
    message = Message(data={"text": "Potrzebuję pieluch i mleka dla dziecka"})
    chosen = _tracker(UserUttered("/choose_language"), SlotSet("language", "ur"))
    component.process([message], chosen)
    assert not message.get("entities")


def test_choose_language_naming_no_language_gives_way_to_the_next_intent():
    component = LanguageDetection(("en",))
    ranking = [
        {"name": "choose_language", "confidence": 0.6},
        {"name": "need_food", "confidence": 0.3},
    ]
    unnamed = Message(
        data={"text": "Potrzebuję jedzenia", "intent": ranking[0], "intent_ranking": ranking}
    )
    named = Message(
        data={
            "text": "Polish please",
            "intent": ranking[0],
            "intent_ranking": ranking,
            "entities": [{"entity": "language", "value": "pl"}],
        }
    )
    component.process([unnamed, named], _tracker())
    assert unnamed.get("intent")["name"] == "need_food"
    assert [r["name"] for r in unnamed.get("intent_ranking")] == ["need_food"]
    assert named.get("intent")["name"] == "choose_language"
