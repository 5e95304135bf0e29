"""The action-server reply check, built once: same verdicts as Rasa's own."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from components import action_responses


@pytest.fixture
def action():
    action_responses.install()
    return RemoteAction("action_signpost", None)


def test_a_good_reply_passes(action):
    assert action._validate_action_result(
        {
            "events": [{"event": "slot", "name": "need", "value": "food"}],
            "responses": [{"text": "hi"}],
        }
    )


def test_a_bad_reply_is_refused_with_rasas_message(action):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": "not a list"})


# Replies an action server might send, good and bad: the quick check must agree with
# jsonschema's own verdict on Rasa's schema for every one.
CASES = [
    None,
    [],
    "text",
    {},
    {"events": []},
    {"responses": []},
    {"events": None},
    {"events": {}},
    {"events": [{}]},
    {"events": [{"name": "need"}]},
    {"events": [{"event": 3}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot", "name": "need", "value": None}]},
    {"events": [{"event": "slot", "name": "need"}]},
    {"events": [{"event": "slot", "value": "food"}]},
    {"events": [{"event": "slot", "name": 7, "value": "food"}]},
    {"events": [{"event": "slot", "name": "need", "value": "food", "timestamp": "now"}]},
    {"events": [{"event": "slot", "name": "need", "value": "food", "metadata": []}]},
    {"events": [{"event": "bot", "text": "hi"}, {"event": "restart"}]},
    {"events": [{"event": "action", "name": None, "confidence": "high"}]},
    {"events": [{"event": "action", "name": "utter_greet", "hide_rule_turn": "yes"}]},
    {"events": [{"event": "entities", "entities": [{"entity": "need", "value": "food"}]}]},
    {"events": [{"event": "entities", "entities": [{"entity": "need"}]}]},
    {"events": [{"event": "entities"}]},
    {
        "events": [
            {
                "event": "user",
                "text": "hello",
                "parse_data": {
                    "intent": {"name": "greet", "confidence": 0.9},
                    "entities": [{"entity": "area", "value": "leeds", "start": "0"}],
                },
            }
        ]
    },
    {"events": [{"event": "user", "parse_data": {"response_selector": {"x": 1}}}]},
    {
        "events": [
            {
                "event": "user",
                "parse_data": {"response_selector": {"all_retrieval_intents": []}},
            }
        ]
    },
    {"events": [{"event": "session_started"}, {"event": "action", "name": "action_listen"}]},
    {"events": [], "responses": [{"text": "hi"}, "not an object"]},
    {"events": [], "responses": {"text": "hi"}},
]


@pytest.mark.parametrize("reply", CASES)
def test_the_quick_check_gives_jsonschemas_verdict(reply):
    from jsonschema import validate

    try:
        validate(reply, RemoteAction.action_response_format_spec())
        expected = True
    except ValidationError:
        expected = False
    assert action_responses._check().is_valid(reply) is expected


def test_each_case_list_has_both_verdicts():
    verdicts = {action_responses._check().is_valid(reply) for reply in CASES}
    assert verdicts == {True, False}


def _kinds() -> list[str]:
    spec = RemoteAction.action_response_format_spec()
    return [
        k["properties"]["event"]["const"] for k in spec["properties"]["events"]["items"]["oneOf"]
    ]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)
_fields = st.sampled_from(
    [
        "name",
        "value",
        "text",
        "timestamp",
        "metadata",
        "confidence",
        "policy",
        "entities",
        "parse_data",
        "hide_rule_turn",
        "action_text",
        "input_channel",
        "message_id",
    ]
)
_event = st.one_of(
    st.dictionaries(_fields, _json, max_size=4).flatmap(
        lambda extra: st.sampled_from(_kinds() + ["unknown", 1, None]).map(
            lambda kind: {**extra, "event": kind}
        )
    ),
    _json,
)


@settings(max_examples=300, deadline=None)
@given(events=st.lists(_event, max_size=4), responses=st.one_of(st.lists(_json, max_size=2), _json))
def test_the_quick_check_agrees_on_any_reply(events, responses):
    from jsonschema import validate

    reply = {"events": events, "responses": responses}
    try:
        validate(reply, RemoteAction.action_response_format_spec())
        expected = True
    except ValidationError:
        expected = False
    assert action_responses._check().is_valid(reply) is expected
