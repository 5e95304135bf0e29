"""The three bands (bot/safety.py): urgent help, the safety check-in, or the ordinary conversation."""

import pytest

from bot.safety import (
    CHECK_IN,
    ORDINARY,
    URGENT,
    SoFar,
    Thresholds,
    decide,
    read_so_far,
    urgent_score,
)

LIMITS = Thresholds(check_in=0.2, near_miss=0.1)
CALM, NEAR, UNSURE = 0.02, 0.15, 0.3  # below near miss; a near miss; the check-in band


def test_one_score_per_message_is_the_strongest_sentence():
    assert urgent_score(0.05, [0.01, 0.42, 0.1]) == 0.42
    assert urgent_score(0.3) == 0.3
    assert urgent_score(1.7) == 1.0


@pytest.mark.parametrize(
    ("score", "band"), [(CALM, ORDINARY), (NEAR, ORDINARY), (UNSURE, CHECK_IN)]
)
def test_on_its_own_a_message_is_banded_by_its_score(score, band):
    assert decide(score, LIMITS).band == band


def test_phrases_and_the_classifiers_own_choice_are_urgent_whatever_the_score():
    assert decide(0.0, LIMITS, phrase=True).band == URGENT
    assert decide(0.6, LIMITS, classifier_urgent=True).band == URGENT


def test_a_single_everyday_message_full_of_alarm_words_is_not_moved_up():
    # "he's killing me with these night feeds, I could scream": a near miss, nothing before it.
    decision = decide(NEAR, LIMITS, SoFar())
    assert decision.band == ORDINARY
    assert decision.near_miss  # ... but the next message will know


def test_two_near_misses_in_a_row_move_up_a_band():
    first = decide(NEAR, LIMITS)
    second = decide(
        NEAR,
        LIMITS,
        read_so_far([{"band": first.band, "near_miss": first.near_miss, "score": NEAR}]),
    )
    assert second.band == CHECK_IN


def test_a_near_miss_after_feeling_unsafe_moves_up_a_band():
    earlier = [
        {"band": ORDINARY, "near_miss": False, "said_unsafe": True, "score": 0.0},
        {"band": ORDINARY, "near_miss": False, "score": 0.0},
    ]
    assert decide(NEAR, LIMITS, read_so_far(earlier)).band == CHECK_IN


def test_a_check_in_band_message_after_a_near_miss_becomes_urgent():
    earlier = [{"band": ORDINARY, "near_miss": True, "score": NEAR}]
    assert decide(UNSURE, LIMITS, read_so_far(earlier)).band == URGENT


def test_a_calm_message_after_a_near_miss_stays_ordinary():
    earlier = [{"band": ORDINARY, "near_miss": True, "score": NEAR}]
    assert decide(CALM, LIMITS, read_so_far(earlier)).band == ORDINARY


def test_an_answer_in_between_ends_the_row():
    # near miss, then a button press (no result stored), then a near miss: not two in a row
    earlier = [{"band": ORDINARY, "near_miss": True, "score": NEAR}, {}]
    assert decide(NEAR, LIMITS, read_so_far(earlier)).band == ORDINARY


def test_the_check_in_is_asked_at_most_once_unless_a_stronger_signal_comes():
    earlier = [{"band": CHECK_IN, "near_miss": True, "score": UNSURE}, {}]
    assert decide(UNSURE, LIMITS, read_so_far(earlier)).band == ORDINARY
    assert decide(UNSURE - 0.05, LIMITS, read_so_far(earlier)).band == ORDINARY
    assert decide(UNSURE + 0.1, LIMITS, read_so_far(earlier)).band == CHECK_IN


def test_asking_whether_we_are_safe_gets_the_check_in_once():
    assert decide(CALM, LIMITS, asks_check_in=True).band == CHECK_IN
    earlier = [{"band": CHECK_IN, "near_miss": True, "score": CALM}, {}]
    assert decide(CALM, LIMITS, read_so_far(earlier), asks_check_in=True).band == ORDINARY


def test_urgent_is_never_taken_back_by_an_earlier_check_in():
    earlier = [{"band": CHECK_IN, "near_miss": True, "score": 0.9}]
    assert decide(0.5, LIMITS, read_so_far(earlier), classifier_urgent=True).band == URGENT


def test_thresholds_must_make_sense():
    with pytest.raises(ValueError):
        Thresholds(check_in=0.1, near_miss=0.2)
    with pytest.raises(ValueError):
        Thresholds(check_in=1.0, near_miss=0.2)


# ---- weaker evidence gets the check-in, not urgent help (config.yml: classifier_urgent)

WITH_BAR = Thresholds(check_in=0.3, near_miss=0.1, classifier_urgent=0.5)


def test_the_classifiers_unsure_urgent_choice_gets_the_check_in():
    assert decide(0.45, WITH_BAR, classifier_urgent=True).band == CHECK_IN
    # ... even below the check-in threshold: it chose an urgent intent
    assert decide(0.25, WITH_BAR, classifier_urgent=True).band == CHECK_IN
    assert decide(0.5, WITH_BAR, classifier_urgent=True).band == URGENT


def test_a_softened_phrase_gets_the_check_in_not_urgent_help():
    # "my brother died by suicide last year ... any bereavement groups?"
    decision = decide(0.6, WITH_BAR, phrase=True, softened=True)
    assert decision.band == CHECK_IN and decision.near_miss
    # The same phrase without the softening frame is urgent.
    assert decide(0.0, WITH_BAR, phrase=True).band == URGENT


def test_a_softened_message_is_never_urgent_on_its_own_even_when_the_classifier_is_sure():
    # "what does shaken baby syndrome actually mean?"
    assert decide(0.9, WITH_BAR, classifier_urgent=True, softened=True).band == CHECK_IN
    assert (
        decide(0.9, WITH_BAR, phrase=True, classifier_urgent=True, softened=True).band == CHECK_IN
    )


def test_a_softened_phrase_the_classifier_gives_nothing_carries_on_as_a_near_miss():
    # "how do i get my baby to stop hitting me in the face lol"
    decision = decide(0.02, WITH_BAR, phrase=True, softened=True)
    assert decision.band == ORDINARY and decision.near_miss


def test_a_softened_phrase_after_a_near_miss_moves_up_a_band():
    earlier = [{"band": ORDINARY, "near_miss": True, "score": 0.15}]
    assert decide(0.02, WITH_BAR, read_so_far(earlier), phrase=True, softened=True).band == CHECK_IN
    assert decide(0.6, WITH_BAR, read_so_far(earlier), phrase=True, softened=True).band == URGENT


def test_the_classifier_bar_must_make_sense():
    with pytest.raises(ValueError):
        Thresholds(check_in=0.3, near_miss=0.1, classifier_urgent=1.0)
