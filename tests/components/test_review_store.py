"""The conversation store keeps unsure messages for the safety review only when it is turned on,
redacted, and deletes them on "forget me" and quick exit."""

import pytest
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import review
from components.private_conversations import PrivateSQLTrackerStore
from tests.asyncio_thread import run

UNSURE = "not sure we're ok, ring me on 07700 900123"


def said(text, intent, band="ordinary", score=0.0):
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": [],
        "safety": {"band": band, "score": score, "near_miss": band != "ordinary", "why": []},
    }
    return UserUttered(text, parse["intent"], [], parse)


@pytest.fixture
def store(tmp_path):
    return PrivateSQLTrackerStore(dialect="sqlite", db=str(tmp_path / "conversations.db"))


def save(store, sender, *events):
    tracker = run(store.retrieve(sender)) or DialogueStateTracker(sender, [])
    for event in events:
        tracker.update(event)
    run(store.save(tracker))


def test_nothing_is_kept_for_review_unless_turned_on(store, monkeypatch):
    monkeypatch.delenv(review.SETTING, raising=False)
    save(store, "a", said(UNSURE, "safety_check_in", "check_in", 0.3))
    assert review.waiting(store.engine) == []


def test_unsure_messages_are_kept_redacted_and_forget_me_deletes_them(store, monkeypatch):
    monkeypatch.setenv(review.SETTING, "on")
    save(
        store,
        "a",
        said("I need food", "need_food"),
        said(UNSURE, "safety_check_in", "check_in", 0.3),
    )
    save(store, "b", said("asdfgh", "nlu_fallback"))
    kept = review.waiting(store.engine)
    assert [(i["what_it_did"], "07700" in i["text"], "[phone]" in i["text"]) for i in kept] == [
        (review.CHECKED_IN, False, True),
        (review.FALLBACK, False, False),
    ]
    save(store, "a", said("forget me", "forget_me"), ActionExecuted("utter_confirm_forget"))
    assert len(review.waiting(store.engine)) == 2  # only asked: nothing deleted yet
    save(store, "a", said("yes", "forget_confirmed"), ActionExecuted("utter_forgotten"))
    assert [i["what_it_did"] for i in review.waiting(store.engine)] == [review.FALLBACK]
    save(store, "b", said("exit", "quick_exit"), ActionExecuted("utter_quick_exit"))
    assert review.waiting(store.engine) == []
