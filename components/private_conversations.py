"""Rasa's SQL tracker store, made private by default.

What is kept of a conversation: intents (with their confidence), entity types with the
ids of needs and areas, slots (the postcode as "[postcode]"), actions and the names of the
responses sent. What a parent typed is not kept, nor the words of the replies. The one
exception is the partnership's safety review: with SAFETY_REVIEW=on, the messages the
assistant was unsure about are kept, redacted by bot/redact.py, in the review table for a
person to read (bot/review.py), and deleted with the conversation.

Deleting: "forget me" asks first; when the parent confirms (the `utter_forgotten` reply is
sent) or leaves with quick exit (`utter_quick_exit`), the whole conversation is deleted, with
anything kept for the review. Conversations older than RETENTION_DAYS (30) are deleted at
start and every PURGE_EVERY seconds (3600) while Rasa runs. On SQLite every deletion is
overwritten (secure_delete) and the write-ahead log emptied, and the database files are
readable by their owner only.
Used from endpoints.yml: `tracker_store: type: components.private_conversations.PrivateSQLTrackerStore`.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
from pathlib import Path
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot import review
from bot.retention import (
    PurgeSchedule,
    forget,
    private_file,
    purge_every,
    purge_old,
    retention_days,
)
from components import event_types  # noqa: F401  (Rasa's event lookup, remembered)

logger = logging.getLogger(__name__)
DELETING_REPLIES = {"utter_forgotten", "utter_quick_exit"}
PERSONAL_SLOTS = {"postcode"}
ID_ENTITIES = {"need", "area"}


class PrivateSQLTrackerStore(SQLTrackerStore):
    _statements: dict[str, Any] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        db = kwargs.get("db")
        sqlite = kwargs.get("dialect", "sqlite") == "sqlite"
        if sqlite and db and db != ":memory:":
            private_file(Path(db))  # created 0600 before SQLite opens it; its -wal and -shm follow
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            _fast_sqlite(self)
        removed = purge_old(self.engine, retention_days())
        review.purge_old(self.engine, retention_days())
        logger.info(
            f"Retention: deleted {removed} conversation(s) older than {retention_days()} days."
        )
        self.purge_schedule: PurgeSchedule = purge_every(
            self.engine, retention_days(), _purge_every_seconds()
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            stored = self.stored_count(session, tracker.sender_id)
            new_events = list(itertools.islice(tracker.events, stored, len(tracker.events)))
            deleting = any(
                isinstance(e, ActionExecuted) and e.action_name in DELETING_REPLIES
                for e in new_events
            )
            if not deleting:
                if review.review_on():
                    _keep_for_review(self.engine, tracker.sender_id, new_events)
                rows = [_row(tracker.sender_id, event) for event in new_events]
                if rows:  # one INSERT for the turn's events, in their order
                    session.execute(self.SQLEvent.__table__.insert(), rows)
                session.commit()
        if deleting:
            review.forget(self.engine, tracker.sender_id)
            forget(
                self.engine, tracker.sender_id
            )  # last: its secure delete and checkpoint cover both

    def stored_count(self, session: Any, sender_id: str) -> int:
        """How many of the conversation's events are stored, counted as Rasa counts them
        (`SQLTrackerStore._additional_events`)."""
        statement = self._statement("count")
        return int(session.execute(statement, {"sender_id": sender_id}).scalar())

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """Rasa's `_retrieve`, with its query as a statement built once (the ORM query
        took 2.0 ms for a 33-event conversation, this 0.34 ms)."""
        statement = self._statement("all" if fetch_events_from_all_sessions else "latest")
        with self.session_scope() as session:
            stored = session.execute(statement, {"sender_id": sender_id}).scalars().all()
        events = [json.loads(data) for data in stored]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    def _statement(self, name: str) -> Any:
        if self._statements is None:
            self._statements = _statements(self.SQLEvent.__table__)
        return self._statements[name]


def _keep_for_review(engine, sender_id: str, events: list) -> None:
    """The typed messages the assistant was unsure about, redacted, for the safety review."""
    for event in events:
        if isinstance(event, UserUttered) and event.text and not event.text.startswith("/"):
            what = review.unsure_about(event.parse_data or {})
            if what:
                score = ((event.parse_data or {}).get("safety") or {}).get("score") or 0.0
                review.keep(engine, sender_id, event.text, what, score, event.timestamp)


def _row(sender_id: str, event) -> dict:
    """The events table's row for an event, with the columns Rasa's store fills."""
    data = private_copy(event)
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": (data.get("parse_data") or {}).get("intent", {}).get("name"),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def _statements(events) -> dict[str, Any]:
    """Rasa's queries of a conversation's stored events (`SQLTrackerStore._event_query`), as
    SQL statements built once: the events of the latest session (or all when none started),
    all of them, and how many the latest session has."""
    import sqlalchemy as sa

    sender = sa.bindparam("sender_id")
    start = (
        sa.select(sa.func.max(events.c.timestamp).label("session_start"))
        .where(events.c.sender_id == sender, events.c.type_name == SessionStarted.type_name)
        .subquery()
    )
    latest = (
        events.c.sender_id == sender,
        sa.or_(events.c.timestamp >= start.c.session_start, start.c.session_start.is_(None)),
    )
    return {
        "latest": sa.select(events.c.data)
        .select_from(events)
        .select_from(start)
        .where(*latest)
        .order_by(events.c.id),
        "all": sa.select(events.c.data).where(events.c.sender_id == sender).order_by(events.c.id),
        "count": sa.select(sa.func.count()).select_from(events).select_from(start).where(*latest),
    }


def private_copy(event) -> dict:
    """The stored copy of an event: no free text (see the module's docstring)."""
    data = event.as_dict()
    if isinstance(event, UserUttered):
        parse = data.get("parse_data") or {}
        intent = parse.get("intent") or {}
        data["text"] = None
        data["parse_data"] = {
            "intent": {"name": intent.get("name"), "confidence": intent.get("confidence")},
            "entities": [_private_entity(e) for e in parse.get("entities") or []],
            "text": None,
        }
        data.pop("metadata", None)
        data.pop("message_id", None)
    elif isinstance(event, BotUttered):
        data["text"] = None
        data["data"] = {}
        data["metadata"] = {
            k: v for k, v in (data.get("metadata") or {}).items() if k == "utter_action"
        }
    elif isinstance(event, SlotSet) and event.key in PERSONAL_SLOTS and event.value is not None:
        data["value"] = f"[{event.key}]"
    return data


def _private_entity(entity: dict) -> dict:
    name = entity.get("entity")
    value = entity.get("value")
    if (
        name not in ID_ENTITIES
        or not isinstance(value, str)
        or not value.replace("_", "").isalnum()
    ):
        value = f"[{name}]"
    return {"entity": name, "value": value}


def _purge_every_seconds() -> float:
    return float(os.environ.get("PURGE_EVERY", 3600))


def _fast_sqlite(store: SQLTrackerStore) -> None:
    """Keep one SQLite connection open, in write-ahead-log mode.

    SQLAlchemy 1.4 opens and closes a connection per session on an SQLite file, and each
    close forces a disk write: measured ~40-50 ms of every turn (bench/results.md). A kept
    connection makes the commit nearly free; WAL with synchronous=NORMAL stays consistent
    after a crash (at worst the last turns before a power cut are lost).
    """
    import sqlalchemy as sa

    engine = sa.create_engine(
        store.engine.url,
        poolclass=sa.pool.QueuePool,
        pool_size=1,
        max_overflow=2,
        connect_args={"check_same_thread": False},
    )

    @sa.event.listens_for(engine, "connect")
    def _pragmas(connection, _record) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(
            "PRAGMA secure_delete=ON"
        )  # deleted rows are overwritten, not left in free pages
        cursor.close()

    store.engine.dispose()
    store.engine = engine
    store.sessionmaker = sa.orm.session.sessionmaker(bind=engine)
