"""Several Sanic workers on one machine share conversation locks in SQLite: tickets issued
from several processes at once are all different, and the last one out deletes the lock."""

import multiprocessing

from rasa.utils.endpoints import EndpointConfig

from components.conversation_locks import SQLiteLockStore

PROCESSES, TICKETS = 4, 100


def issue(db: str) -> list[int]:
    store = SQLiteLockStore(
        EndpointConfig(type="components.conversation_locks.SQLiteLockStore", db=db)
    )
    return [store.issue_ticket("double-tap", lock_lifetime=600) for _ in range(TICKETS)]


def test_tickets_issued_at_once_from_several_processes_are_all_different(tmp_path):
    db = str(tmp_path / "locks.db")
    with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
        issued = [t for batch in pool.map(issue, [db] * PROCESSES) for t in batch]
    assert len(set(issued)) == PROCESSES * TICKETS
    store = SQLiteLockStore(db=db)
    assert len(store.get_lock("double-tap").tickets) == PROCESSES * TICKETS
    for ticket in issued:
        store.cleanup("double-tap", ticket)
    assert store.get_lock("double-tap") is None


def test_a_conversation_waits_for_the_one_before_it(tmp_path):
    store = SQLiteLockStore(db=str(tmp_path / "locks.db"))
    first = store.issue_ticket("c1")
    second = store.issue_ticket("c1")
    lock = store.get_lock("c1")
    assert not lock.is_locked(first) and lock.is_locked(second)
    store.cleanup("c1", first)
    assert not store.get_lock("c1").is_locked(second)


def test_only_the_owner_can_read_the_locks_file(tmp_path):
    path = tmp_path / "locks.db"
    SQLiteLockStore(db=str(path))
    assert path.stat().st_mode & 0o777 == 0o600
