"""The safety review, round trip on a temporary database: keep, list, mark, apply, forget."""

import time

import pytest
import sqlalchemy as sa
import yaml

from bot import review
from bot.__main__ import main

CHECK_IN = {"intent": {"name": "safety_check_in"}, "safety": {"band": "check_in", "score": 0.31}}
FALLBACK = {"intent": {"name": "nlu_fallback"}, "safety": {"band": "ordinary", "score": 0.01}}
CLOSE = {
    "intent": {"name": "urgent_danger"},
    "safety": {"band": "urgent", "score": 0.55, "why": ["classifier"]},
}
PHRASE = {
    "intent": {"name": "urgent_danger"},
    "safety": {"band": "urgent", "score": 0.2, "why": ["phrase"]},
}
SURE = {"intent": {"name": "need_food"}, "safety": {"band": "ordinary", "score": 0.0}}


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "conversations.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:  # the tracker store's table, so the file is a real store
        connection.execute(
            sa.text(
                "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, timestamp REAL, data TEXT)"
            )
        )
    return path, engine


def test_only_unsure_decisions_are_kept_each_with_what_it_did():
    assert review.unsure_about(CHECK_IN) == review.CHECKED_IN
    assert review.unsure_about(FALLBACK) == review.FALLBACK
    assert review.unsure_about(CLOSE) == review.CLOSE_URGENT
    assert review.unsure_about(PHRASE) is None
    assert review.unsure_about(SURE) is None


def test_the_review_is_off_unless_the_partnership_turns_it_on(monkeypatch):
    monkeypatch.delenv(review.SETTING, raising=False)
    assert not review.review_on()
    monkeypatch.setenv(review.SETTING, "on")
    assert review.review_on()


def test_round_trip_list_mark_apply(db, tmp_path, capsys):
    path, engine = db
    review.keep(
        engine,
        "parent-1",
        "my number is 07700 900123 and I'm not sure we're ok",
        review.CHECKED_IN,
        0.31,
    )
    review.keep(engine, "parent-2", "he gets so angry, I don't know", review.CLOSE_URGENT, 0.55)
    review.keep(engine, "parent-3", "asdf the thing for the baby", review.FALLBACK, 0.0)

    listing = tmp_path / "review.yml"
    assert main(["review", "--db", str(path), "--output", str(listing)]) == 0
    out = capsys.readouterr()
    text = listing.read_text(encoding="utf-8")
    assert "07700 900123" not in text and "[phone]" in text  # redacted before it was stored
    assert "parent-" not in text + out.out + out.err  # no sender ids shown anywhere
    assert "3 message(s) to review" in out.err
    assert "he gets so angry" not in out.err  # the summary is counts only

    marked = yaml.safe_load(text)
    marks = {
        "he gets so angry, I don't know": "urgent",
        "asdf the thing for the baby": "baby_essentials",
    }
    for item in marked["items"]:
        item["mark"] = marks.get(item["text"], "ordinary")
    listing.write_text(yaml.safe_dump(marked), encoding="utf-8")
    dev = tmp_path / "dev"
    assert main(["review", "--db", str(path), "--apply", str(listing), "--dev-dir", str(dev)]) == 0
    assert (dev / "review_urgent.txt").read_text(encoding="utf-8").splitlines() == [
        "he gets so angry, I don't know"
    ]
    (ordinary,) = (dev / "review_ordinary.txt").read_text(encoding="utf-8").splitlines()
    assert ordinary.startswith("my number is [phone]") and "07700" not in ordinary
    assert yaml.safe_load((dev / "review_needs.yml").read_text(encoding="utf-8")) == {
        "baby_essentials": ["asdf the thing for the baby"]
    }
    assert review.waiting(engine) == []  # applied items leave the store

    # applying the same file again adds nothing twice
    assert (
        main(
            [
                "review",
                "--apply",
                str(listing),
                "--dev-dir",
                str(dev),
                "--db",
                str(tmp_path / "none.db"),
            ]
        )
        == 0
    )
    assert len((dev / "review_urgent.txt").read_text(encoding="utf-8").splitlines()) == 1


def test_a_bad_mark_is_refused_and_nothing_is_written(tmp_path, capsys):
    marked = tmp_path / "review.yml"
    marked.write_text(
        yaml.safe_dump({"items": [{"id": 1, "text": "x", "mark": "urgnet"}]}), encoding="utf-8"
    )
    assert main(["review", "--apply", str(marked), "--dev-dir", str(tmp_path / "dev")]) == 1
    assert "unknown mark 'urgnet'" in capsys.readouterr().err
    assert not (tmp_path / "dev").exists()


def test_never_into_a_sealed_set(tmp_path):
    with pytest.raises(review.ReviewError):
        review.apply(
            {"items": [{"id": 1, "text": "x", "mark": "urgent"}]},
            set(),
            tmp_path / "heldout_sixteenth_author",
        )


def test_forget_and_retention_delete_review_messages(db):
    _, engine = db
    review.keep(engine, "parent-1", "not sure", review.CHECKED_IN, 0.3)
    review.keep(
        engine,
        "parent-2",
        "not sure either",
        review.CHECKED_IN,
        0.3,
        timestamp=time.time() - 40 * 86400,
    )
    review.forget(engine, "parent-1")
    assert [i["text"] for i in review.waiting(engine)] == ["not sure either"]
    assert review.purge_old(engine, 30) == 1
    assert review.waiting(engine) == []


def test_listing_an_empty_store_says_so(db, capsys):
    path, _ = db
    assert main(["review", "--db", str(path)]) == 0
    assert "0 message(s) to review" in capsys.readouterr().err
