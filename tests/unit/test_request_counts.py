"""Counting requests and their look-alikes: what each reading would do, counted per set."""

from pathlib import Path

import pytest

from bot.tools.heldout_sets import heldout_sets
from bot.tools.request_counts import consequences, recognised, report

READINGS = {
    "get this off my screen": "quick_exit",
    "delete what I said": "forget_me",
    "can we start over": "nlu_fallback",
    "I want to leave him": "need_domestic_abuse",
    "starting weaning again": "start_again",
    "forgot her feed": "forget_me",
}


def understand(text):
    return {"intent": {"name": READINGS[text]}}


def test_a_request_counts_only_when_read_as_itself():
    requests = {
        "quick_exit": ["get this off my screen"],
        "forget_me": ["delete what I said"],
        "start_again": ["can we start over"],
    }
    assert recognised(requests, understand) == {"quick_exit": 1, "forget_me": 1, "start_again": 0}


def test_an_ordinary_message_is_counted_by_what_it_would_do():
    found = consequences(
        ["I want to leave him", "starting weaning again", "forgot her feed"], understand
    )
    assert found == {"leave": 0, "clear": 1, "ask to delete": 1}


def test_the_report_gives_counts_and_never_a_line(tmp_path: Path):
    (tmp_path / "requests.yml").write_text(
        "quick_exit: [get this off my screen]\nforget_me: [delete what I said]\n"
        "start_again: [can we start over]\n",
        encoding="utf-8",
    )
    (tmp_path / "not_requests.txt").write_text(
        "I want to leave him\nforgot her feed\n", encoding="utf-8"
    )
    line = report(tmp_path, understand)
    assert "requests read as asked 2/3" in line and "ask to delete 1" in line
    assert not any(text in line for text in READINGS)


def test_a_set_with_requests_needs_both_lists(tmp_path: Path):
    folder = tmp_path / "28-someone"
    folder.mkdir()
    (folder / "meta.yml").write_text("status: sealed\nrequests:\n  floors: {}\n", encoding="utf-8")
    (folder / "requests.yml").write_text("quick_exit: [x]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not_requests.txt"):
        heldout_sets(tmp_path)
    (folder / "not_requests.txt").write_text("hello\n", encoding="utf-8")
    assert heldout_sets(tmp_path)[0].request_floors == {}
