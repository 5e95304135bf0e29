"""The private tracker store on a real SQLite file, through Rasa's own classes."""

import stat

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.private_conversations import PrivateSQLTrackerStore
from tests.asyncio_thread import run as run_on_a_thread

SAID = "my name is Sarah Jones, I live at 12 Acacia Avenue, born 3rd March 2019, +44 (0)7700 900123"
SECRETS = [b"Sarah", b"Jones", b"Acacia", b"March 2019", b"7700 900123", b"900123"]


@pytest.fixture
def db(tmp_path):
    return tmp_path / "conversations.db"


def store_at(db):
    return PrivateSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(db))


def said(text, intent, entities=()):
    return UserUttered(
        text,
        {"name": intent, "confidence": 0.9},
        [{"entity": e, "value": v, "start": 0, "end": 3} for e, v in entities],
    )


def run(coroutine):
    # On its own thread: the browser tests leave Playwright's loop running on this one.
    return run_on_a_thread(coroutine)


def save(store, sender, *events):
    tracker = run(store.retrieve(sender))
    if tracker is None:
        tracker = DialogueStateTracker(sender, slots=[])
    for event in events:
        tracker.update(event)
    run(store.save(tracker))


def on_disk(db) -> bytes:
    return b"".join(path.read_bytes() for path in db.parent.glob(db.name + "*"))


def test_what_a_parent_typed_is_not_kept(db):
    store = store_at(db)
    save(
        store,
        "p1",
        said(SAID, "need_food", [("need", "food"), ("postcode", "BD7 1HY"), ("area", "bradford")]),
        SlotSet("postcode", "BD7 1HY"),
        ActionExecuted("action_signpost"),
        BotUttered("Here is Bradford food bank", metadata={"utter_action": "utter_x"}),
    )
    stored = run(store.retrieve("p1"))
    user = next(e for e in stored.events if isinstance(e, UserUttered))
    assert user.text is None and user.intent_name == "need_food"
    assert {(e["entity"], e["value"]) for e in user.entities} == {
        ("need", "food"),
        ("area", "bradford"),
        ("postcode", "[postcode]"),
    }
    for secret in SECRETS + [b"BD7 1HY", b"Bradford food bank"]:
        assert secret not in on_disk(db)


def unsure(text, intent="need_food"):
    """A message the assistant was unsure about: it got the safety check-in."""
    return UserUttered(
        text,
        {"name": intent, "confidence": 0.9},
        [],
        parse_data={
            "intent": {"name": intent, "confidence": 0.9},
            "entities": [],
            "safety": {"band": "check_in", "score": 0.3},
        },
    )


def test_safety_review_keeps_words_only_for_review_and_redacted(db, monkeypatch):
    from bot import review

    monkeypatch.setenv("SAFETY_REVIEW", "on")
    store = store_at(db)
    save(
        store,
        "p2",
        unsure("I can't go on like this. " + SAID),
        said("Sarah needs food", "need_food"),
    )
    assert [e.text for e in run(store.retrieve("p2")).events if isinstance(e, UserUttered)] == [
        None,
        None,
    ]
    kept = [item["text"] for item in review.waiting(store.engine)]
    assert len(kept) == 1 and kept[0].startswith("I can't go on like this.") and "[name]" in kept[0]
    for secret in SECRETS:
        assert secret not in on_disk(db)


@pytest.mark.parametrize("reply", ["utter_forgotten", "utter_quick_exit"])
def test_forgetting_or_quick_exit_leaves_nothing_on_disk(db, monkeypatch, reply):
    monkeypatch.setenv("SAFETY_REVIEW", "on")
    store = store_at(db)
    save(
        store,
        "p3",
        unsure("I'm scared of him, please help. zebracrossing"),
        ActionExecuted("action_listen"),
    )
    assert b"zebracrossing" in on_disk(db)
    save(
        store,
        "p3",
        said("yes", "forget_confirmed" if reply == "utter_forgotten" else "quick_exit"),
        ActionExecuted(reply),
        ActionExecuted("action_restart"),
    )
    assert not run(store.exists("p3"))
    assert b"zebracrossing" not in on_disk(db)  # neither in the database nor its write-ahead log


def test_a_forget_me_question_deletes_nothing(db):
    store = store_at(db)
    save(store, "p4", said("x", "need_money"), ActionExecuted("action_signpost"))
    save(store, "p4", said("forget me", "forget_me"), ActionExecuted("utter_confirm_forget"))
    assert run(store.exists("p4"))


def test_database_files_are_readable_by_their_owner_only(db):
    store = store_at(db)
    save(store, "p5", said("x", "greet"))
    files = list(db.parent.glob(db.name + "*"))
    assert db in files and len(files) >= 2  # the database and its write-ahead log
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_the_store_purges_old_conversations_while_it_runs(db, monkeypatch):
    monkeypatch.setenv("RETENTION_DAYS", "30")
    monkeypatch.setenv("PURGE_EVERY", "0.2")
    store = store_at(db)
    old = said("x", "greet")
    old.timestamp -= 40 * 86400
    save(store, "old", old)
    save(store, "new", said("x", "greet"))
    first = store.purge_schedule.runs
    import time

    deadline = time.monotonic() + 20
    while run(store.exists("old")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not run(store.exists("old")) and run(store.exists("new"))
    assert store.purge_schedule.runs > first
    store.purge_schedule.stop()


def rasas_count(store, sender):
    """Rasa's own count of stored events (SQLTrackerStore._additional_events)."""
    with store.session_scope() as session:
        return store._event_query(session, sender, fetch_events_from_all_sessions=False).count()


def test_each_event_is_stored_once_in_order_across_sessions(db):
    from rasa.shared.core.events import SessionStarted

    store = store_at(db)
    sent = []
    turns = [
        [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")],
        [said("x", "greet"), ActionExecuted("utter_greet"), ActionExecuted("action_listen")],
        [],  # saved again with nothing new: nothing added
        [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")],
        [said("food", "need_food", [("need", "food")]), SlotSet("need", "food")],
    ]
    for number, events in enumerate(turns):  # each turn as Rasa runs it: read, add, save
        tracker = run(store.retrieve("p6")) or DialogueStateTracker("p6", slots=[])
        for event in events:
            event.timestamp = 1000.0 + number  # a turn's events share a timestamp
            tracker.update(event)
        sent += events
        with store.session_scope() as session:
            assert store.stored_count(session, "p6") == rasas_count(store, "p6")
        run(store.save(tracker))
        with store.session_scope() as session:
            assert store.stored_count(session, "p6") == rasas_count(store, "p6")
    stored = run(store.retrieve_full_tracker("p6")).events
    assert [(e.type_name, getattr(e, "action_name", None)) for e in stored] == [
        (e.type_name, getattr(e, "action_name", None)) for e in sent
    ]
    latest = run(store.retrieve("p6")).events  # the latest session only
    assert [e.type_name for e in latest] == ["action", "session_started", "action", "user", "slot"]


def test_the_count_agrees_with_rasas_for_unknown_and_sessionless_conversations(db):
    store = store_at(db)
    save(store, "p7", said("x", "greet"), ActionExecuted("action_listen"))
    for sender in ("p7", "nobody"):
        with store.session_scope() as session:
            assert store.stored_count(session, sender) == rasas_count(store, sender)
    assert rasas_count(store, "p7") == 2


def test_a_conversation_reads_back_as_rasas_own_query_reads_it(db):
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import SessionStarted

    store = store_at(db)
    for number, events in enumerate(
        [
            [
                ActionExecuted("action_session_start"),
                SessionStarted(),
                ActionExecuted("action_listen"),
            ],
            [said("x", "greet"), ActionExecuted("utter_greet"), ActionExecuted("action_listen")],
            [
                ActionExecuted("action_session_start"),
                SessionStarted(),
                ActionExecuted("action_listen"),
            ],
            [said("food", "need_food", [("need", "food")]), SlotSet("need", "food")],
        ]
    ):
        for event in events:
            event.timestamp = 2000.0 + number
        save(store, "p8", *events)
    for sender in ("p8", "nobody"):
        for everything in (False, True):
            ours = run(store._retrieve(sender, everything))
            rasas = run(SQLTrackerStore._retrieve(store, sender, everything))
            if rasas is None:
                assert ours is None
                continue
            assert ours.events == rasas.events and ours.current_state() == rasas.current_state()
    assert len(run(store.retrieve_full_tracker("p8")).events) == 11
    assert len(run(store.retrieve("p8")).events) == 5  # the latest session
