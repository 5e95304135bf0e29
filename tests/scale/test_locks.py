"""The shared lock store: tickets issued from several processes at once are all different.

Rasa's own RedisLockStore reads, changes and writes a conversation's lock in separate calls,
so two processes can issue the same ticket (then two messages of one conversation run at
once and one's events are lost); ours does each change in one Redis transaction."""

import multiprocessing
from urllib.parse import urlsplit

import pytest
from rasa.utils.endpoints import EndpointConfig

from components.conversation_locks import AtomicRedisLockStore
from tests.scale.cluster import redis_server

pytestmark = pytest.mark.scale
PROCESSES, TICKETS = 4, 150


def store_for(redis_url: str, kind: type = AtomicRedisLockStore):
    parts = urlsplit(redis_url)
    config = {"port": parts.port, "db": 0, "password": parts.password}
    if kind is AtomicRedisLockStore:
        return kind(EndpointConfig(url=parts.hostname, **config))
    return kind(host=parts.hostname, **config)  # Rasa's own, for comparison


def issue(args: tuple[str, type]) -> list[int]:
    store = store_for(*args)
    return [store.issue_ticket("double-tap", lock_lifetime=600) for _ in range(TICKETS)]


def issue_at_once(redis_url: str, kind: type = AtomicRedisLockStore) -> list[int]:
    with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
        return [t for batch in pool.map(issue, [(redis_url, kind)] * PROCESSES) for t in batch]


def test_tickets_issued_at_once_from_several_processes_are_all_different():
    with redis_server() as redis_url:
        issued = issue_at_once(redis_url)
        assert len(set(issued)) == PROCESSES * TICKETS
        store = store_for(redis_url)
        assert len(store.get_lock("double-tap").tickets) == PROCESSES * TICKETS
        for ticket in issued:
            store.cleanup("double-tap", ticket)
        assert store.get_lock("double-tap") is None  # the last one out deletes the lock
