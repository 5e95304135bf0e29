"""Rasa's event lookup, remembered (components/event_types.py), finds what Rasa's own finds."""

import pytest
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses

from components import event_types

TYPE_NAMES = sorted({cls.type_name for cls in all_subclasses(Event)})


def test_reading_conversations_uses_the_remembering_lookup():
    import components.private_conversations  # noqa: F401  (installs it)

    assert Event.resolve_by_type is event_types.resolve_by_type


@pytest.mark.parametrize("type_name", TYPE_NAMES)
def test_every_event_type_resolves_as_in_rasa(type_name):
    expected = event_types._rasa_resolve_by_type(type_name)
    assert event_types.resolve_by_type(type_name) is expected
    assert event_types.resolve_by_type(type_name) is expected, "and again, from what was kept"
    assert event_types.resolve_by_type(type_name, SlotSet) is expected


def test_an_unknown_type_still_fails_or_falls_back_as_in_rasa():
    with pytest.raises(ValueError, match="Unknown event name"):
        event_types.resolve_by_type("no_such_event")
    assert event_types.resolve_by_type("no_such_event", UserUttered) is UserUttered
    with pytest.raises(ValueError, match="Unknown event name"):
        event_types.resolve_by_type("no_such_event")  # the fallback was not kept as an answer
    assert event_types.resolve_by_type("topic") is None


def test_a_stored_conversation_reads_back_the_same():
    events = [
        {"event": "action", "name": "action_listen", "timestamp": 1.0},
        {
            "event": "user",
            "text": "food in Bradford",
            "timestamp": 2.0,
            "parse_data": {"intent": {"name": "need_food", "confidence": 0.9}, "entities": []},
        },
        {"event": "slot", "name": "need", "value": "food", "timestamp": 3.0},
        {"event": "bot", "text": "Here are some places", "timestamp": 4.0},
    ]
    remembered = [Event.from_parameters(e) for e in events]
    event_types_off = [
        event_types._rasa_resolve_by_type(e["event"])._from_parameters(e) for e in events
    ]
    assert remembered == event_types_off
    assert [type(e) for e in remembered] == [type(e) for e in event_types_off]
