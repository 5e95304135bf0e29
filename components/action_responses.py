"""Check the action server's replies with a validator built once, not on every turn.

Rasa 3.6's RemoteAction calls `jsonschema.validate(result, schema)`, which checks the
schema itself and builds a new validator on every call: ~18 ms of each turn that runs a
custom action (py-spy, bench/results.md). The check is the same; only the schema work is
done once. Installed by components/channels.py, which every `rasa run` here loads.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa.core.actions.action import RemoteAction

_original = RemoteAction._validate_action_result


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import validators

    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    from jsonschema import ValidationError

    try:
        _validator().validate(result)
        return True
    except ValidationError:
        return _original(self, result)  # Rasa's own message for the log


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result
