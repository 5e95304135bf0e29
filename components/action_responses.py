"""Check the action server's replies with validators built once, not on every turn.

Rasa 3.6's RemoteAction calls `jsonschema.validate(result, schema)`, which checks the
schema itself and builds a new validator on every call: ~18 ms of each turn that runs a
custom action (py-spy, bench/results.md). The check here is the same; only the work is
done once, and less of it:

- Rasa's event schema says each event matches exactly one of 23 kinds (`oneOf`), each kind
  fixing the `event` field to its own name (`const`). jsonschema tries all 23 on every event
  and builds an error for each one that fails. Since the names differ, the one kind whose
  name matches must pass and no other can: so each event is checked against that one kind.
- `is_valid` answers yes or no without building errors; only a reply that fails is checked
  again by Rasa's own code, which raises its usual message.

Installed by components/channels.py, which every `rasa run` here loads.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa.core.actions.action import RemoteAction

_original = RemoteAction._validate_action_result


class _ReplyCheck:
    """Rasa's action reply schema, with each event checked against its own kind only."""

    def __init__(self, schema: dict[str, Any]) -> None:
        from jsonschema import validators

        cls = validators.validator_for(schema)
        cls.check_schema(schema)
        event_schema = schema["properties"]["events"]["items"]
        kinds = event_schema["oneOf"]
        names = [kind["properties"]["event"]["const"] for kind in kinds]
        if len(set(names)) != len(names) or "event" not in event_schema.get("required", ()):
            raise ValueError("event kinds must be told apart by a required, unique `event`")
        shell = {key: value for key, value in event_schema.items() if key != "oneOf"}
        outer = {
            **schema,
            "properties": {
                **schema["properties"],
                "events": {**schema["properties"]["events"], "items": shell},
            },
        }
        self._outer = cls(outer)
        self._kinds = {name: cls(kind) for name, kind in zip(names, kinds, strict=True)}

    def is_valid(self, result: Any) -> bool:
        """The same verdict as `jsonschema.validate(result, schema)` not raising."""
        if not self._outer.is_valid(result):
            return False
        events = result.get("events")
        if not isinstance(events, list):
            return True  # absent (no events): the outer check covered the rest
        for event in events:  # each an object with a string `event` (the outer check)
            kind = self._kinds.get(event["event"])
            if kind is None or not kind.is_valid(event):
                return False
        return True


@lru_cache(maxsize=1)
def _check() -> _ReplyCheck:
    return _ReplyCheck(RemoteAction.action_response_format_spec())


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    if _check().is_valid(result):
        return True
    return _original(self, result)  # Rasa's own check and message for the log


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result
