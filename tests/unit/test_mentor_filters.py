"""The mentor's filters over the real directory: what a family mentor means by each one."""

import datetime as dt

import pytest

from bot.directory import load_directory
from bot.mentor import (
    ChoiceError,
    area_choice,
    card,
    day_choice,
    details,
    filter_words,
    hint_text,
    hints,
    language_choice,
    need_choice,
    why_it_matched,
)
from bot.search import LONDON, Filters, count_services, find_page, find_services, language_match

SUNDAY_3_36_AM = dt.datetime(2026, 12, 6, 3, 36, tzinfo=LONDON)
TUESDAY_11_AM = dt.datetime(2026, 12, 1, 11, 0, tzinfo=LONDON)


@pytest.fixture(scope="module")
def directory():
    return load_directory()


def test_language_means_spoken_or_interpreter_and_the_card_says_which(directory):
    found = find_services(
        directory, "perinatal_mental_health", "lambeth", Filters(language="ur"), TUESDAY_11_AM
    )
    assert found, "Lambeth, feeling low, Urdu must not be empty: services book interpreters"
    for service in found:
        match = language_match(service, "ur")
        line = why_it_matched(service, Filters(language="ur"), TUESDAY_11_AM, directory)
        assert match in ("spoken", "interpreter")
        assert ("Urdu spoken" in line) == (match == "spoken") and (
            "Interpreter on request" in line
        ) == (match == "interpreter")
    # Every service that books interpreters is in, and none that neither speaks it nor books one.
    everyone = find_services(directory, "perinatal_mental_health", "lambeth", now=TUESDAY_11_AM)
    assert {s.id for s in found} == {
        s.id for s in everyone if "ur" in s.language_codes() or s.interpretation_services
    }
    spoken = find_services(directory, "food", "bradford", Filters(language="ur"), TUESDAY_11_AM)
    assert any(
        "Urdu spoken" in why_it_matched(s, Filters(language="ur"), TUESDAY_11_AM, directory)
        for s in spoken
    )


@pytest.mark.parametrize("when", [Filters(open_now=True), Filters(open_on="SA")])
def test_unknown_hours_never_count_as_open_and_come_after_known_open(directory, when):
    found = find_services(directory, "food", None, when, SUNDAY_3_36_AM)
    hardship = directory.services["nat-trussell-help-through-hardship"]
    assert hardship in found  # still listed, to call and check ...
    line = why_it_matched(hardship, when, SUNDAY_3_36_AM, directory)
    assert (
        line.startswith("Hours not known: call to check") and "Open" not in line
    )  # ... never as open
    known = [when.open_when_asked(s, SUNDAY_3_36_AM) for s in found]
    assert False not in known  # closed ones are left out
    assert known == sorted(known, key=lambda k: k is None)  # known-open first, then unknown


def test_saturday_lists_services_open_on_saturday_first(directory):
    found = find_services(directory, "food", "bradford", Filters(open_on="SA"), TUESDAY_11_AM)
    first = found[0]
    assert first.open_on("SA") is True
    assert why_it_matched(first, Filters(open_on="SA"), TUESDAY_11_AM, directory).startswith(
        "Open Sat "
    )


@pytest.mark.parametrize("text", ["Urdu", "ur", "UR", " urdu "])
def test_language_in_any_case(directory, text):
    assert language_choice(directory, text) == "ur"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Bradford", "bradford"),
        ("BRADFORD", "bradford"),
        ("Southend-on-Sea", "southend"),
        ("southend", "southend"),
    ],
)
def test_area_in_any_case(directory, text, expected):
    assert area_choice(directory, text) == expected


@pytest.mark.parametrize("text", ["saturday", "Saturday", "sat", "SA", "sa"])
def test_day_in_any_case(text):
    assert day_choice(text) == "SA"


def test_need_by_id_or_short_label(directory):
    assert (
        need_choice(directory, "FOOD") == "food"
        and need_choice(directory, "Feeling low or anxious") == "perinatal_mental_health"
    )


@pytest.mark.parametrize(
    "kind,text,listed",
    [
        ("language", "Klingon", "Urdu (ur)"),
        ("area", "Leeds", "Bradford"),
        ("day", "Caturday", "Saturday"),
        ("need", "hugs", "food"),
    ],
)
def test_unknown_choices_list_the_valid_ones(directory, kind, text, listed):
    pick = {
        "language": lambda t: language_choice(directory, t),
        "area": lambda t: area_choice(directory, t),
        "day": day_choice,
        "need": lambda t: need_choice(directory, t),
    }[kind]
    with pytest.raises(ChoiceError) as error:
        pick(text)
    assert text in str(error.value) and listed.casefold() in str(error.value).casefold()


def test_zero_results_say_which_single_filter_to_drop_and_how_many(directory):
    filters = Filters(language="pl", open_on="SU", free=True)
    assert not find_services(
        directory, "perinatal_mental_health", "lambeth", filters, TUESDAY_11_AM
    )
    found = hints(directory, "perinatal_mental_health", "lambeth", filters, TUESDAY_11_AM)
    assert found
    for hint in found:
        name = {
            "Free": "free",
            "Open on Sunday": "open_on",
            "Polish: spoken or interpreter": "language",
        }[hint.filter]
        assert hint.count == len(
            find_services(
                directory,
                "perinatal_mental_health",
                "lambeth",
                filters.without(name),
                TUESDAY_11_AM,
            )
        )
    text = hint_text(found)
    assert (
        text.startswith("No services match all these filters.")
        and f'Without "{found[0].filter}": {found[0].count}' in text
    )


def test_no_internal_codes_or_file_names_in_any_card(directory):
    codes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    for service in directory.services.values():
        if not service.shown_to_parents:
            continue
        shown = card(service, Filters(open_on="SA", language="ur"), TUESDAY_11_AM, directory)
        text = " ".join([shown["why"], *(f"{label} {value}" for label, value in shown["details"])])
        assert not any(
            f" {code} " in f" {text.replace('/', ' ').replace(',', ' ')} " for code in codes
        ), (service.id, text)
        for internal in (
            ".md",
            ".yml",
            "status:",
            "(voice)",
            "Covers national",
            ".;",
            "midnight to midnight",
        ):
            assert internal not in text, (service.id, internal, text)


def test_cards_flag_entries_not_checked_for_six_months(directory):
    service = next(iter(directory.services.values()))
    later = dt.datetime.combine(service.assured_date + dt.timedelta(days=200), dt.time(12), LONDON)
    sooner = dt.datetime.combine(service.assured_date + dt.timedelta(days=30), dt.time(12), LONDON)
    assert (
        card(service, Filters(), later, directory)["stale"]
        and not card(service, Filters(), sooner, directory)["stale"]
    )


def test_details_read_as_sentences(directory):
    rows = dict(details(directory.services["nat-healthy-start"], directory))
    assert (
        rows["Who can use it"].endswith("For a child under 4. Open in pregnancy.")
        and ".;" not in rows["Who can use it"]
    )
    assert rows["Covers"] == "Anywhere in the UK"
    assert "helplines.md" not in rows["Last checked"] and rows["Last checked"].startswith(
        "1 November 2026"
    )


def test_pages_never_rank_more_than_asked(directory):
    full = find_services(directory, "food", "bradford", now=TUESDAY_11_AM)
    first = find_page(directory, "food", "bradford", now=TUESDAY_11_AM, start=0, size=2)
    second = find_page(directory, "food", "bradford", now=TUESDAY_11_AM, start=2, size=2)
    assert first.services + second.services == full[:4] and first.more
    last = find_page(directory, "food", "bradford", now=TUESDAY_11_AM, start=len(full) - 1, size=5)
    assert last.services == full[-1:] and not last.more
    assert count_services(directory, "food", "bradford", Filters(free=True), TUESDAY_11_AM) == len(
        find_services(directory, "food", "bradford", Filters(free=True), TUESDAY_11_AM)
    )


def test_why_line_without_a_time_filter_says_today_or_the_next_opening(directory):
    pantry = directory.services["bradford-food-pantry"]
    monday_9am = dt.datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)
    tuesday_9am = monday_9am + dt.timedelta(days=1)
    tuesday_11am = tuesday_9am.replace(hour=11)
    assert why_it_matched(pantry, Filters(), monday_9am, directory).startswith(
        "Next open Tue 10am to 1pm · £3.50 a week · refer yourself"
    )
    assert why_it_matched(pantry, Filters(), tuesday_9am, directory).startswith(
        "Opens today at 10am"
    )
    assert why_it_matched(pantry, Filters(open_now=True), tuesday_11am, directory).startswith(
        "Open now until 1pm"
    )


def test_no_card_sends_a_mentor_to_a_website_it_does_not_show(directory):
    for service in directory.services.values():
        rows = dict(details(service, directory))
        if "website" in rows["Hours"].lower():
            assert "Website" in rows, service.id
    hardship = dict(details(directory.services["nat-trussell-help-through-hardship"], directory))
    assert (
        hardship["Hours"]
        == "Usually Monday to Friday, 9am to 5pm. Call to check the opening hours."
    )


def test_a_newborn_age_of_0_months_is_a_filter_in_use(directory):
    assert Filters(child_age_months=0).active() == ["child_age_months"]
    assert filter_words(Filters(child_age_months=0, free=True), directory) == [
        "Free",
        "Child aged 0 months",
    ]


def test_a_page_holds_at_most_a_page_of_each_kind_while_ranking(monkeypatch):
    import bot.search as search
    from bench.directory_bench import synthetic_raw
    from bot.directory import parse_directory

    big = parse_directory(synthetic_raw(5000))
    need, area = max(
        ((n, a) for n in big.needs for a in big.areas), key=lambda pair: len(big.listed(*pair))
    )
    assert len(big.listed(need, area)) > 150
    held = []
    real = search._open_first

    def spy(services, day, hhmm, wanted):
        found = real(services, day, hhmm, wanted)
        if wanted is not None:
            held.append(len(found))
        return found

    monkeypatch.setattr(search, "_open_first", spy)
    for now in (TUESDAY_11_AM, SUNDAY_3_36_AM):  # at 3am on a Sunday almost everything is closed
        for filters in (
            Filters(),
            Filters(open_on="SA"),
            Filters(language="ur"),
            Filters(open_now=True),
        ):
            for start in (0, 20):
                page = find_page(big, need, area, filters, now, start=start, size=10)
                assert (
                    page.services
                    == find_services(big, need, area, filters, now)[start : start + 10]
                )
    assert held and max(held) <= 3 * 31  # open, unknown and closed: each at most start + size + 1
