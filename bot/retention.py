"""Delete stored conversations: after the retention period, or when a parent asks.

Works on Rasa's SQL tracker store table (`events`) through SQLAlchemy, so it runs both
inside Rasa (at start-up) and from `python -m bot purge`.
"""

from __future__ import annotations

import os
import time

import sqlalchemy as sa

DEFAULT_DAYS = 30


def retention_days() -> int:
    return int(os.environ.get("RETENTION_DAYS", DEFAULT_DAYS))


def purge_old(engine: sa.engine.Engine, days: int, now: float | None = None) -> int:
    """Delete every conversation whose last event is older than `days`; return how many."""
    cutoff = (now or time.time()) - days * 86400
    with engine.begin() as connection:
        if not sa.inspect(connection).has_table("events"):
            return 0
        old = connection.execute(
            sa.text("SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff"), {"cutoff": cutoff}
        ).scalars().all()
        for sender_id in old:
            connection.execute(sa.text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender_id})
    return len(old)


def forget(engine: sa.engine.Engine, sender_id: str) -> None:
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender_id})
