"""find_services: local before national, open now first, filters for mentors."""

import datetime as dt

from bot.search import LONDON, Filters, clock, find_services, today_hours


def names(services):
    return [s.name for s in services]


def test_local_services_come_before_national(mini, tuesday_noon):
    found = names(find_services(mini, "food", "bradford", now=tuesday_noon))
    assert found == ["Bradford Test Pantry", "Saturday Food Club", "National Food Line"]


def test_open_now_comes_first(mini):
    saturday_11am = dt.datetime(2026, 11, 28, 11, 0, tzinfo=LONDON)
    found = names(find_services(mini, "food", "bradford", now=saturday_11am))
    assert found[0] == "Saturday Food Club"


def test_without_an_area_only_national_services(mini, tuesday_noon):
    assert names(find_services(mini, "food", None, now=tuesday_noon)) == ["National Food Line"]


def test_other_areas_services_are_not_shown(mini, tuesday_noon):
    assert "Bradford Test Pantry" not in names(
        find_services(mini, "food", "lambeth", now=tuesday_noon)
    )


def test_filters(mini, tuesday_noon):
    def find(**kw):
        return names(find_services(mini, "food", "bradford", Filters(**kw), now=tuesday_noon))

    assert find(free=True) == ["Saturday Food Club", "National Food Line"]
    assert find(self_referral=True) == ["Bradford Test Pantry", "National Food Line"]
    assert find(language="ur") == ["Bradford Test Pantry"]
    assert find(child_age_months=72) == ["Saturday Food Club", "National Food Line"]
    assert find(open_on="SA") == ["Saturday Food Club", "National Food Line"]
    assert find(open_now=True) == ["Bradford Test Pantry", "National Food Line"]


def test_today_hours_in_plain_words(mini, tuesday_noon):
    assert today_hours(mini.services["bradford-pantry"], tuesday_noon) == "Open now until 5pm"
    assert today_hours(mini.services["nat-da-line"], tuesday_noon) == "Open 24 hours, every day"
    assert (
        today_hours(mini.services["nat-food-line"], tuesday_noon)
        == "Check opening hours on their website"
    )
    early = tuesday_noon.replace(hour=7)
    assert today_hours(mini.services["bradford-pantry"], early) == "Opens today at 9am"
    assert (
        clock("17:30") == "5:30pm" and clock("12:00") == "midday" and clock("24:00") == "midnight"
    )


def test_a_limit_gives_the_same_first_services_in_the_same_order(mini, tuesday_noon):
    saturday_11am = dt.datetime(2026, 11, 28, 11, 0, tzinfo=LONDON)
    for now in (tuesday_noon, saturday_11am, tuesday_noon.replace(hour=23)):
        for area in ("bradford", "lambeth", None):
            full = find_services(mini, "food", area, now=now)
            for limit in range(len(full) + 2):
                assert find_services(mini, "food", area, now=now, limit=limit) == full[:limit]
    assert (
        find_services(mini, "food", "bradford", Filters(free=True), now=tuesday_noon, limit=1)
        == find_services(mini, "food", "bradford", Filters(free=True), now=tuesday_noon)[:1]
    )
