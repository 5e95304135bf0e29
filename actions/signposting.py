"""action_signpost: ask only for what is missing, then show services."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.shared import send, signposting
from bot.conversation import Turn
from bot.sentences import needs_in_sentences

SAFE_NOW, CHECK_IN = "safe_now", "safety_check_in"


def turn_from(tracker: Tracker) -> Turn:
    message = tracker.latest_message or {}
    intent = (message.get("intent") or {}).get("name") or ""
    held = held_for_check_in(tracker) if intent == SAFE_NOW else None
    if held is not None:  # "We're safe right now": carry on with what the held message said
        message = held
        intent = ((held.get("parse_data") or {}).get("safety") or {}).get("held_intent") or SAFE_NOW
    entities = message.get("entities") or (message.get("parse_data") or {}).get("entities") or []
    return Turn(
        intent=intent,
        confidence=float((message.get("intent") or {}).get("confidence") or 0.0),
        resumed=intent == SAFE_NOW or held is not None,
        text=message.get("text") or "",
        need=tracker.get_slot("need"),
        area=tracker.get_slot("area"),
        asked=tracker.get_slot("asked"),
        area_skipped=bool(tracker.get_slot("area_skipped")),
        other_needs=tuple(tracker.get_slot("other_needs") or ()),
        shown=int(tracker.get_slot("shown") or 0),
        named_needs=tuple(str(e.get("value")) for e in entities if e.get("entity") == "need"),
        sentence_needs=tuple(needs_in_sentences(message.get("sentence_intents"))),
        previous_need=need_before_this_message(tracker),
        needs_shown=tuple(tracker.get_slot("needs_shown") or ()),
        services_shown=tuple(tracker.get_slot("services_shown") or ()),
        earlier_texts=texts_since_area_was_settled(tracker),
        language=tracker.get_slot("language"),
        language_new=language_set_by_this_message(tracker),
    )


def language_set_by_this_message(tracker: Tracker) -> bool:
    """True when the `language` slot was set after the latest message (the language was
    found from it, or a button chose it)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") == "language":
            return True
    return False


def texts_since_area_was_settled(tracker: Tracker) -> tuple[str, ...]:
    """What the parent typed before the latest message, most recent first, back to the last
    time the area was set, skipped or asked for (or the start of the session)."""
    texts: list[str] = []
    latest_seen = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind in ("restart", "session_started"):
            break
        if kind == "slot" and (
            event.get("name") in ("area", "area_skipped")
            or (event.get("name") == "asked" and event.get("value") == "area")
        ):
            if latest_seen:
                break
        if kind == "user":
            if latest_seen:
                text = event.get("text") or ""
                if text and not text.startswith("/"):
                    texts.append(text)
            latest_seen = True
    return tuple(texts)


def held_for_check_in(tracker: Tracker) -> dict | None:
    """The message that brought the safety check-in just answered (its user event), or None."""
    users = [e for e in tracker.events if e.get("event") in ("user", "restart", "session_started")]
    for event in reversed(users[:-1]):
        if event.get("event") != "user":
            return None
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent == CHECK_IN:
            return event
        return None  # only the message right before the answer
    return None


def need_before_this_message(tracker: Tracker) -> str | None:
    """The `need` slot as it was before the latest message (its intent may have replaced it)."""
    before_latest = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind in ("restart", "session_started"):
            return None
        if kind == "user":
            if before_latest:
                continue
            before_latest = True
        elif before_latest and kind == "slot" and event.get("name") == "need":
            return event.get("value")
    return None


class ActionSignpost(Action):
    def name(self) -> str:
        return "action_signpost"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        step = signposting().next(turn_from(tracker))
        send(dispatcher, step.say)
        return [SlotSet(name, value) for name, value in step.slots.items()]


class ActionNotUnderstood(Action):
    """The fallback: the needs the model thought likeliest, as buttons, before the whole list."""

    def name(self) -> str:
        return "action_not_understood"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        step = signposting().not_understood(
            (tracker.latest_message or {}).get("intent_ranking") or [],
            tracker.get_slot("language"),
        )
        send(dispatcher, step.say)
        return [SlotSet(name, value) for name, value in step.slots.items()]
