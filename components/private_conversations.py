"""Rasa's SQL tracker store, made private by default.

- what a parent typed is redacted (postcodes, phone numbers, emails...) before it is stored;
- conversations older than RETENTION_DAYS (30) are deleted when Rasa starts;
- "forget me" deletes the whole conversation instead of storing it;
- with the safety review on (SAFETY_REVIEW=on), the messages it was unsure about are kept,
  redacted, for a person to read (bot/review.py), and deleted with the conversation on
  "forget me" and quick exit.
Used from endpoints.yml: `tracker_store: type: components.private_conversations.PrivateSQLTrackerStore`.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import review
from bot.redact import redact
from bot.referral import NOTE_INTENT, is_note_payload, words
from bot.retention import forget, purge_old, retention_days

logger = logging.getLogger(__name__)
FORGET_INTENT = "forget_me"
QUICK_EXIT = "quick_exit"
PERSONAL_SLOTS = {"postcode"}


class PrivateSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            _fast_sqlite(self)
        removed = purge_old(self.engine, retention_days())
        review.purge_old(self.engine, retention_days())
        logger.info(f"Retention: deleted {removed} conversation(s) older than {retention_days()} days.")

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
        if any(isinstance(e, UserUttered) and e.intent_name == FORGET_INTENT for e in new_events):
            forget(self.engine, tracker.sender_id)
            review.forget(self.engine, tracker.sender_id)
            return
        if any(isinstance(e, UserUttered) and e.intent_name == QUICK_EXIT for e in new_events):
            review.forget(self.engine, tracker.sender_id)
        elif review.review_on():
            _keep_for_review(self.engine, tracker.sender_id, new_events)
        with self.session_scope() as session:
            for event in new_events:
                data = private_copy(event)
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=(data.get("parse_data") or {}).get("intent", {}).get("name"),
                        action_name=data.get("name"),
                        data=self._json(data),
                    )
                )
            session.commit()

    @staticmethod
    def _json(data: dict) -> str:
        import json

        return json.dumps(data)


def _keep_for_review(engine, sender_id: str, events: list) -> None:
    """The typed messages the assistant was unsure about, redacted, for the safety review."""
    for event in events:
        if isinstance(event, UserUttered) and event.text and not event.text.startswith("/"):
            what = review.unsure_about(event.parse_data or {})
            if what:
                score = ((event.parse_data or {}).get("safety") or {}).get("score") or 0.0
                review.keep(engine, sender_id, event.text, what, score, event.timestamp)


def private_copy(event) -> dict:
    """The stored copy of an event: personal details redacted, the referral note left out."""
    data = event.as_dict()
    if isinstance(event, UserUttered) and event.intent_name == NOTE_INTENT and is_note_payload(event.text or ""):
        data["text"] = "[referral note choice]"
        data["parse_data"] = {"intent": data.get("parse_data", {}).get("intent"), "entities": [], "text": data["text"]}
    elif isinstance(event, BotUttered) and _is_note_message(data):
        data["text"] = "[referral note]"
        data["data"] = {}
    elif isinstance(event, UserUttered):
        if data.get("text"):
            data["text"] = redact(data["text"])
        parse = data.get("parse_data") or {}
        if parse.get("text"):
            parse["text"] = redact(parse["text"])
        for entity in parse.get("entities") or []:
            if entity.get("entity") in PERSONAL_SLOTS:
                entity["value"] = f"[{entity['entity']}]"
        parse.pop("response_selector", None)
    elif isinstance(event, SlotSet) and event.key in PERSONAL_SLOTS and event.value is not None:
        data["value"] = f"[{event.key}]"
    return data


def _is_note_message(data: dict) -> bool:
    buttons = (data.get("data") or {}).get("buttons") or []
    return any(is_note_payload(str(b.get("payload", ""))) for b in buttons) or str(data.get("text") or "").startswith(
        words()["title"]
    )


def _fast_sqlite(store: SQLTrackerStore) -> None:
    """Keep one SQLite connection open, in write-ahead-log mode.

    SQLAlchemy 1.4 opens and closes a connection per session on an SQLite file, and each
    close forces a disk write: measured ~40-50 ms of every turn (bench/results.md). A kept
    connection makes the commit nearly free; WAL with synchronous=NORMAL stays consistent
    after a crash (at worst the last turns before a power cut are lost).
    """
    import sqlalchemy as sa

    engine = sa.create_engine(
        store.engine.url, poolclass=sa.pool.QueuePool, pool_size=1, max_overflow=2,
        connect_args={"check_same_thread": False},
    )

    @sa.event.listens_for(engine, "connect")
    def _pragmas(connection, _record) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    store.engine.dispose()
    store.engine = engine
    store.sessionmaker = sa.orm.session.sessionmaker(bind=engine)
