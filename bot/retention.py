"""Delete stored conversations: after the retention period, or when a parent asks.

Works on Rasa's SQL tracker store table (`events`) through SQLAlchemy, so it runs inside
Rasa (at start-up and then on a timer) and from `python -m bot purge`. On SQLite, every
deletion is followed by a write-ahead-log checkpoint that empties the `-wal` file, so the
deleted words are not left behind in it (the store also turns on `secure_delete`).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

import sqlalchemy as sa

DEFAULT_DAYS = 30
logger = logging.getLogger(__name__)


def retention_days() -> int:
    """How many days a conversation is kept after its last message (env RETENTION_DAYS, 30)."""
    return int(os.environ.get("RETENTION_DAYS", DEFAULT_DAYS))


def purge_old(engine: sa.engine.Engine, days: int, now: float | None = None) -> int:
    """Delete every conversation whose last event is older than `days`; return how many."""
    cutoff = (now or time.time()) - days * 86400
    with engine.begin() as connection:
        if not sa.inspect(connection).has_table("events"):
            return 0
        old = (
            connection.execute(
                sa.text(
                    "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff"
                ),
                {"cutoff": cutoff},
            )
            .scalars()
            .all()
        )
        for sender_id in old:
            connection.execute(
                sa.text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender_id}
            )
    if old:
        checkpoint(engine)
    return len(old)


def forget(engine: sa.engine.Engine, sender_id: str) -> None:
    """Delete one conversation, all of it."""
    with engine.begin() as connection:
        connection.execute(
            sa.text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender_id}
        )
    checkpoint(engine)


def checkpoint(engine: sa.engine.Engine) -> None:
    """On SQLite, copy the write-ahead log into the database and empty it."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def private_file(path: Path) -> None:
    """Make sure `path` exists and only its owner can read or write it (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        if file.exists():
            file.chmod(0o600)


class PurgeSchedule:
    """Runs `purge_old` every `seconds` on a background thread until `stop()`."""

    def __init__(self, engine: sa.engine.Engine, days: int, seconds: float) -> None:
        self.engine, self.days, self.seconds = engine, days, seconds
        self.runs = 0
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="retention-purge", daemon=True)

    def start(self) -> PurgeSchedule:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stopped.wait(self.seconds):
            try:
                removed = purge_old(self.engine, self.days)
                self.runs += 1
                if removed:
                    logger.info(
                        f"Retention: deleted {removed} conversation(s) older than {self.days} days."
                    )
            except Exception as error:  # a busy or lost database: try again next time
                logger.warning(
                    f"Retention: the purge failed ({type(error).__name__}); trying again later."
                )


def purge_every(engine: sa.engine.Engine, days: int, seconds: float) -> PurgeSchedule:
    """Start purging conversations older than `days`, every `seconds`, while the process runs."""
    return PurgeSchedule(engine, days, seconds).start()
