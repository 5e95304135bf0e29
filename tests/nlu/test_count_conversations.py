"""How a written conversation is judged: the first services shown, the area kept, never asked twice."""

from bot.tools.conversation_counts import judge

EXPECTED = {
    "turns": ["a", "b", "c"],
    "need": "food",
    "area": "bradford",
    "area_in_turn": 2,
    "second_need": "money",
}


def test_right_need_and_area_with_the_second_need_offered():
    outcome = judge(
        EXPECTED, [True, False, False], {"needs_shown": ["food", "money"], "area": "bradford"}
    )
    assert (
        outcome.need_right
        and outcome.area_right
        and not outcome.asked_again
        and outcome.second_offered
    )


def test_asking_for_the_area_after_it_was_named_is_counted():
    assert judge(
        EXPECTED, [False, False, True], {"needs_shown": ["food"], "area": "bradford"}
    ).asked_again


def test_asking_before_it_was_named_is_fine():
    assert not judge(
        EXPECTED, [True, False, False], {"needs_shown": ["food"], "area": "bradford"}
    ).asked_again


def test_the_first_need_shown_must_be_the_expected_one():
    outcome = judge(EXPECTED, [False] * 3, {"needs_shown": ["money", "food"], "area": "bradford"})
    assert not outcome.need_right


def test_nothing_shown_is_wrong():
    assert not judge(EXPECTED, [False] * 3, {"needs_shown": None, "area": None}).need_right
