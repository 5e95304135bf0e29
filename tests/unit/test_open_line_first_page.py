"""For domestic abuse and perinatal mental health, the first page of results holds a line that
is open now, whatever the hour (helplines.md: at night every local service is closed); and
the need is acknowledged before the area question (conversation.md: acknowledge, then ask)."""

import datetime as dt

import pytest

from bot.conversation import ASK_AREA, PAGE, Signposting, Turn
from bot.directory import load_directory
from bot.replies import Reply, say
from bot.search import LONDON, find_services, open_line_on_first_page

SATURDAY_NIGHT = dt.datetime(2026, 12, 5, 23, 30, tzinfo=LONDON)
WEDNESDAY_AFTERNOON = dt.datetime(2026, 12, 2, 14, 0, tzinfo=LONDON)
SENSITIVE = ("domestic_abuse", "perinatal_mental_health")


@pytest.fixture(scope="module")
def real():
    return Signposting(load_directory(), postcodes={}, lookup=Offline())


class Offline:
    def area_for(self, postcode, directory):
        return None


def first_page(signposting, need, area, now):
    turn = Turn(intent=f"need_{need}", need=need, area=area, area_skipped=area is None)
    step = signposting.next(turn, now)
    return [m for m in step.say if is_service(m)]


def is_service(message):
    """A service as shown in the chat: every one ends with who can refer."""
    return isinstance(message, Reply) and message.text.endswith(
        (say("service_self_referral"), say("service_referral"))
    )


def open_now_lines(cards):
    return [
        c.text.split("\n")[0]
        for c in cards
        if "Open now" in c.text or "Open 24 hours, every day" in c.text
    ]


@pytest.mark.parametrize(
    "now", [SATURDAY_NIGHT, WEDNESDAY_AFTERNOON], ids=["Saturday 23:30", "Wednesday 14:00"]
)
@pytest.mark.parametrize("need", SENSITIVE)
@pytest.mark.parametrize(
    "area", ["blackpool", "bradford", "lambeth", "nottingham", "southend", None]
)
def test_the_first_page_has_a_line_open_now(real, need, area, now):
    cards = first_page(real, need, area, now)
    assert 0 < len(cards) <= PAGE
    assert open_now_lines(cards), (
        f"nothing open now among {[c.text.splitlines()[0] for c in cards]}"
    )


@pytest.mark.parametrize("area", ["blackpool", "bradford", "lambeth", "nottingham", "southend"])
def test_at_night_the_abuse_helpline_comes_first_with_the_mens_advice_line_beside_it(real, area):
    names = [
        c.text.split("\n")[0] for c in first_page(real, "domestic_abuse", area, SATURDAY_NIGHT)
    ]
    assert names[:2] == ["National Domestic Abuse Helpline", "Men's Advice Line"]


def test_in_the_day_open_local_services_keep_their_place(real):
    services = find_services(real.directory, "domestic_abuse", "lambeth", now=WEDNESDAY_AFTERNOON)
    assert any(s.open_at(WEDNESDAY_AFTERNOON) for s in services[:PAGE])  # (the sample data)
    assert (
        open_line_on_first_page(
            services, ["nat-domestic-abuse-helpline"], WEDNESDAY_AFTERNOON, PAGE
        )
        == services
    )


def test_every_service_is_still_shown_once_across_the_pages(real):
    services = find_services(
        real.directory, "perinatal_mental_health", "bradford", now=SATURDAY_NIGHT
    )
    moved = open_line_on_first_page(
        services, ["nat-samaritans", "nat-pandas-text"], SATURDAY_NIGHT, PAGE
    )
    assert sorted(s.id for s in moved) == sorted(s.id for s in services)
    assert moved[0].id == "nat-samaritans" and moved[0].open_at(SATURDAY_NIGHT)


def test_more_options_after_the_night_page_repeats_nothing(real):
    shown = []
    for page in range(3):
        turn = Turn(
            intent="more_services" if page else "need_domestic_abuse",
            need="domestic_abuse",
            area="bradford",
            shown=page * PAGE,
        )
        step = real.next(turn, SATURDAY_NIGHT)
        shown += [m.text.split("\n")[0] for m in step.say if is_service(m)]
    assert len(shown) == len(set(shown))


def test_when_the_named_lines_are_closed_another_line_open_now_is_used(real):
    services = find_services(real.directory, "domestic_abuse", "southend", now=SATURDAY_NIGHT)
    moved = open_line_on_first_page(
        services, ["nat-mens-advice-line"], SATURDAY_NIGHT, PAGE
    )  # hours unknown
    assert moved[0].open_at(SATURDAY_NIGHT)


@pytest.mark.parametrize(
    "need, words",
    [
        ("domestic_abuse", "You deserve to feel safe."),
        ("perinatal_mental_health", "That sounds really hard."),
    ],
)
def test_a_sensitive_need_is_acknowledged_before_the_area_question(real, need, words):
    step = real.next(Turn(intent=f"need_{need}", text="I'm scared of him", need=need))
    assert (
        isinstance(step.say[0], Reply) and step.say[0].text == f"Thank you for telling me. {words}"
    )
    assert step.say[1:] == [ASK_AREA]


def test_other_needs_are_asked_without_a_preamble(real):
    assert real.next(Turn(intent="need_food", text="no food", need="food")).say == [ASK_AREA]


def test_the_area_question_asked_again_is_not_acknowledged_twice(real):
    step = real.next(Turn(intent="go_back", need="domestic_abuse", area="lambeth"))
    assert step.say == [ASK_AREA]
