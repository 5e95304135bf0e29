"""action_talk_to_person: the partnership's own contact details, from the directory."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.shared import send, signposting
from bot.conversation import PERSON
from bot.replies import talk_to_person


class ActionTalkToPerson(Action):
    def name(self) -> str:
        return "action_talk_to_person"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        signpost = signposting()
        directory = signpost.directory
        text = (tracker.latest_message or {}).get("text") or ""
        # The NLU only knows names that can't be mistaken; a typo ("keighly") is read here.
        named = signpost.places.resolve("" if text.startswith("/") else text).area
        area = directory.areas.get(tracker.get_slot("area") or named or "")
        reply = talk_to_person(area, tracker.get_slot("language"))
        send(dispatcher, [reply] if reply else ["utter_ask_human_no_area"])
        # Remember the question, so a typed place ("Nottingham") answers it.
        if not reply:
            return [SlotSet("asked", PERSON)]
        return [SlotSet("area", area.id)] if area and not tracker.get_slot("area") else []
