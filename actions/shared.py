"""What every action needs: the directory (reloaded when its file changes) and a way to reply."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from rasa_sdk.executor import CollectingDispatcher

from bot import directory_cache
from bot.conversation import Signposting
from bot.directory import DirectoryError, load_directory
from bot.replies import Reply

logger = logging.getLogger(__name__)


class LiveDirectory:
    """The directory file, read again whenever it changes on disk.

    A big file (bot/directory_cache.py's MIN_BYTES and over) is read again in the background:
    conversations go on with the directory they have, and the new one is swapped in whole
    when it is ready. A small one is read at once (milliseconds). If a changed file has
    problems, the last good directory stays in use and the problems are logged once (they
    name entries and fields, never anything a parent said). Only when no good directory was
    ever read does the error reach the action.
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._current: Signposting | None = None
        self._seen: tuple[int, int] | None = None  # (mtime_ns, size) of the file last read
        self._reading: threading.Thread | None = None

    def signposting(self) -> Signposting:
        version = self._version()
        if self._current is None:
            self._seen = version
            self._current = Signposting(load_directory(self.path))
            return self._current
        if version != self._seen and not (self._reading and self._reading.is_alive()):
            self._seen = version
            if version is not None and version[1] >= directory_cache.MIN_BYTES:
                self._reading = threading.Thread(
                    target=self._read_again, name="directory-reload", daemon=True
                )
                self._reading.start()
            else:
                self._read_again()
        return self._current

    def _read_again(self) -> None:
        try:
            fresh = Signposting(load_directory(self.path))
        except DirectoryError as error:
            logger.error(
                "The directory %s changed but can't be used, so the last good one stays in use. "
                "%d problem(s):\n%s",
                error.path,
                len(error.problems),
                "\n".join(f"  - {p}" for p in error.problems),
            )
            return
        logger.info(
            "Reloaded the directory %s: %d services.", self.path, len(fresh.directory.services)
        )
        self._current = (
            fresh  # one assignment: a conversation sees the old directory or the new one
        )

    def _version(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size


_live: LiveDirectory | None = None


def signposting() -> Signposting:
    global _live
    path = os.environ.get("SERVICES_DIRECTORY", "services_directory.yml")
    if _live is None or _live.path != Path(path):
        _live = LiveDirectory(path)
    return _live.signposting()


def send(dispatcher: CollectingDispatcher, messages: list) -> None:
    """Domain response names go through Rasa's NLG; Replies are sent as they are."""
    for message in messages:
        if isinstance(message, Reply):
            dispatcher.utter_message(**message.as_message())
        else:
            dispatcher.utter_message(response=message)
