"""The action-server reply check, built once: same verdicts as Rasa's own."""

import pytest
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
