"""action_referral_note: the tell-it-once note, made only with the parent's yes."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.shared import send, signposting
from bot.referral import NOTE_ENTITY, Context, decode, next_messages
from bot.translations import translations


class ActionReferralNote(Action):
    def name(self) -> str:
        return "action_referral_note"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        directory = signposting().directory
        state = decode(next(tracker.get_latest_entity_values(NOTE_ENTITY), None))
        lang = translations().offered(tracker.get_slot("language"))
        shown = [n for n in tracker.get_slot("needs_shown") or () if n in directory.needs]
        context = Context(
            needs=tuple(
                translations().need_label(n, "short_label", lang, directory.needs[n].short_label)
                for n in shown
            ),
            english_needs=tuple(directory.needs[n].short_label for n in shown),
            services=tuple(
                directory.services[s].name
                for s in tracker.get_slot("services_shown") or ()
                if s in directory.services
            ),
        )
        send(dispatcher, next_messages(state, context, lang))
        return []
