"""Lock stores that let several Rasa processes share conversations safely.

`SQLiteLockStore` is for several Sanic workers on one machine (`make run` on more than one
core): the locks live in a small SQLite file beside the conversations, and each change is one
`BEGIN IMMEDIATE` transaction, so two workers never hand out the same ticket. Rasa honours
SANIC_WORKERS only with a lock store like this or Redis's.

`AtomicRedisLockStore` is Rasa's Redis lock store, with every change to a conversation's lock
made atomically.

Several Rasa instances share one Redis lock store so that two messages of one conversation
are handled one after the other, even on different instances. Rasa Open Source 3.6's
`RedisLockStore` reads a conversation's ticket lock, changes it and writes it back in
separate Redis calls, so two instances taking two messages of one conversation at the same
moment (a parent's double tap) can both get the same ticket and handle both messages at
once; then one message's events are missing from the tracker store. (Rasa tried an atomic
version, RasaHQ/rasa#11256, and reverted it, #11428.) Here each read-change-write is one
Redis transaction (WATCH/MULTI/EXEC, retried on conflict). tests/scale/ shows both.

Same settings as Rasa's `type: redis` (url, port, db, username, password, use_ssl,
key_prefix...). endpoints.yml, as bot/endpoints.py writes it:
`lock_store: {type: components.conversation_locks.AtomicRedisLockStore, url: host, ...}`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")


class _AtomicTickets:
    """Every change to a conversation's lock as one `_change` (read, change, write, all at
    once), so two processes never get the same ticket. Rasa's version removes a ticket, then
    deletes the lock if nobody waits: two steps, between which another process's new ticket
    could be deleted with it; here `_change` deletes an empty lock in the same step."""

    def _change(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        raise NotImplementedError

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime))
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        self._change(conversation_id, lambda lock: None)  # drops expired tickets

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        self.finish_serving(conversation_id, ticket_number)


class AtomicRedisLockStore(_AtomicTickets, RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # how Rasa builds a lock store named by class path
            kwargs = {
                "host": endpoint_config.url or "localhost",
                **endpoint_config.kwargs,
                **kwargs,
            }
        super().__init__(**kwargs)

    def _change(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        """Apply `change` to the conversation's lock in one transaction; an empty lock is deleted."""
        key = self.key_prefix + conversation_id
        outcome: list = []

        def attempt(pipe) -> None:
            outcome.clear()
            raw = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(raw)) if raw else TicketLock(conversation_id)
            outcome.append(change(lock))
            lock.remove_expired_tickets()
            pipe.multi()
            if lock.tickets:
                pipe.set(key, lock.dumps())
            else:
                pipe.delete(key)

        self.red.transaction(attempt, key)
        return outcome[0]


DEFAULT_LOCKS_DB = "conversation_locks.db"


class SQLiteLockStore(_AtomicTickets, LockStore):
    """Conversation locks in SQLite, shared by every process on this machine.

    endpoints.yml: `lock_store: {type: components.conversation_locks.SQLiteLockStore,
    db: conversation_locks.db}`. The file holds conversation ids and ticket numbers only, and
    a lock is deleted as soon as nobody waits for it.
    """

    def __init__(
        self, endpoint_config: EndpointConfig | None = None, db: str | None = None
    ) -> None:
        kwargs = endpoint_config.kwargs if endpoint_config is not None else {}
        self.path = str(db or kwargs.get("db") or DEFAULT_LOCKS_DB)
        self._local = threading.local()
        with self._connection() as connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS locks (conversation_id TEXT PRIMARY KEY, lock TEXT NOT NULL)"
            )
        try:
            os.chmod(self.path, 0o600)
        except OSError:
            pass

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            # Autocommit mode: each change below opens its own IMMEDIATE transaction.
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")  # a lock lost in a power cut just expires
            self._local.connection = connection
        return connection

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        row = (
            self._connection()
            .execute("SELECT lock FROM locks WHERE conversation_id = ?", (conversation_id,))
            .fetchone()
        )
        return TicketLock.from_dict(json.loads(row[0])) if row else None

    def delete_lock(self, conversation_id: str) -> None:
        self._connection().execute(
            "DELETE FROM locks WHERE conversation_id = ?", (conversation_id,)
        )

    def save_lock(self, lock: TicketLock) -> None:
        self._connection().execute(
            "INSERT OR REPLACE INTO locks (conversation_id, lock) VALUES (?, ?)",
            (lock.conversation_id, lock.dumps()),
        )

    def _change(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        """Apply `change` to the conversation's lock in one transaction; an empty lock is deleted."""
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            lock = self.get_lock(conversation_id) or TicketLock(conversation_id)
            outcome = change(lock)
            lock.remove_expired_tickets()
            if lock.tickets:
                self.save_lock(lock)
            else:
                self.delete_lock(conversation_id)
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        return outcome
