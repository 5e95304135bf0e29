"""What every action needs: the directory (loaded once, on first use) and a way to reply."""

from __future__ import annotations

import os
from functools import lru_cache

from rasa_sdk.executor import CollectingDispatcher

from bot.conversation import Signposting
from bot.directory import load_directory
from bot.replies import Reply


@lru_cache(maxsize=1)
def signposting() -> Signposting:
    return Signposting(load_directory(os.environ.get("SERVICES_DIRECTORY", "services_directory.yml")))


def send(dispatcher: CollectingDispatcher, messages: list) -> None:
    """Domain response names go through Rasa's NLG; Replies are sent as they are."""
    for message in messages:
        if isinstance(message, Reply):
            dispatcher.utter_message(**message.as_message())
        else:
            dispatcher.utter_message(response=message)
