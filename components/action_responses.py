"""Calls to the action server: one kept connection, and replies checked with validators
built once, not on every turn.

Rasa 3.6 opens a new HTTP session, so a new connection, for every action call
(`EndpointConfig.request`), and both sides pay to set it up and tear it down. Here the
action endpoint keeps one session per event loop, whose connections stay open between
calls for KEEP_ALIVE seconds: less than the action server's own keep-alive (Sanic: 5 s), so
it is always this side that closes an idle connection, never the server under a request.

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

import asyncio
import types
import weakref
from functools import lru_cache
from typing import Any

import aiohttp
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

_original = RemoteAction._validate_action_result
_original_init = RemoteAction.__init__
KEEP_ALIVE = 2.0  # seconds an idle connection to the action server stays open

# Per event loop (a Rasa worker has one), per endpoint: the kept session.
_sessions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, aiohttp.ClientSession]]
_sessions = weakref.WeakKeyDictionary()


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


class _Lent:
    """`async with` gives the kept session and leaves it open (Rasa closes its own)."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *_: Any) -> None:
        return None


def _kept_session(endpoint: EndpointConfig) -> _Lent:
    """The endpoint's session on this event loop, made as Rasa makes one, on first use."""
    from rasa.utils import endpoints

    per_loop = _sessions.setdefault(asyncio.get_running_loop(), {})
    session = per_loop.get(id(endpoint))
    if session is None or session.closed:
        login = endpoint.basic_auth
        session = aiohttp.ClientSession(
            headers=endpoint.headers,
            auth=aiohttp.BasicAuth(login["username"], login["password"]) if login else None,
            timeout=aiohttp.ClientTimeout(total=endpoints.DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEP_ALIVE),
        )
        per_loop[id(endpoint)] = session
    return _Lent(session)


async def close_sessions() -> None:
    """Close the kept sessions of the running event loop (when the server stops)."""
    for session in _sessions.pop(asyncio.get_running_loop(), {}).values():
        await session.close()


def _init(self: RemoteAction, name: str, action_endpoint: EndpointConfig | None) -> None:
    if action_endpoint is not None and not getattr(action_endpoint, "_kept", False):
        action_endpoint.session = types.MethodType(_kept_session, action_endpoint)  # type: ignore[method-assign]
        action_endpoint._kept = True  # type: ignore[attr-defined]
    _original_init(self, name, action_endpoint)


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result
    RemoteAction.__init__ = _init  # type: ignore[method-assign]
