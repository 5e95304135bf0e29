"""Rasa's lookup of an event class by its type name, remembered once found.

Rasa turns every stored event back into an object with `Event.resolve_by_type`, which walks
the whole tree of Event subclasses (and asks `inspect.isabstract` of each) for every single
event. A conversation is read back from the tracker store at every turn, so that walk ran
for every event of the conversation on every message: about 40% of reading a tracker.
Here the first answer for each type name is kept; the walk still runs for a name not seen
yet, and an unknown name still raises or falls back exactly as Rasa's does.

Importing this module installs it (components/private_conversations.py imports it, so every
Rasa process that reads conversations has it).
"""

from __future__ import annotations

from typing import Optional

from rasa.shared.core.events import Event

_found: dict[str, type[Event]] = {}
_rasa_resolve_by_type = Event.resolve_by_type


def resolve_by_type(
    type_name: str,
    default: Optional[type[Event]] = None,  # noqa: UP045 (Rasa's own signature)
) -> Optional[type[Event]]:  # noqa: UP045
    """The Event subclass named `type_name`, as Rasa's `Event.resolve_by_type` finds it."""
    found = _found.get(type_name)
    if found is not None:
        return found
    found = _rasa_resolve_by_type(type_name, default)
    if found is not None and getattr(found, "type_name", None) == type_name:
        _found[type_name] = found  # a real match, not the default or the old "topic"
    return found


def install() -> None:
    """Make `Event.resolve_by_type` the remembering version (idempotent)."""
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign]


install()
