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
        directory = signposting().directory
        area = directory.areas.get(tracker.get_slot("area") or "")
        reply = talk_to_person(area)
        send(dispatcher, [reply] if reply else ["utter_ask_human_no_area"])
        # Remember the question, so a typed place ("Nottingham") answers it.
        return [] if reply else [SlotSet("asked", PERSON)]
