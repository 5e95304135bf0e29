"""Loading and checking the directory: every problem named by entry and field."""

import copy

import pytest
import yaml

from bot.directory import DirectoryError, load_directory, parse_directory


def problems_for(raw):
    with pytest.raises(DirectoryError) as caught:
        parse_directory(raw, "test.yml")
    return caught.value.problems


def test_loads_needs_areas_and_services(mini):
    assert set(mini.needs) == {"food", "baby_essentials", "domestic_abuse"}
    assert mini.areas["bradford"].gss_code == "E08000032"
    assert mini.services["bradford-pantry"].languages == (("en", "English"), ("ur", "Urdu"))


def test_the_real_directory_loads():
    directory = load_directory()
    assert directory.needs and all(
        need.keywords and need.short_label for need in directory.needs.values()
    )
    assert set(directory.areas) == {"blackpool", "bradford", "lambeth", "nottingham", "southend"}


@pytest.mark.parametrize(
    ("field", "value", "expected_in_message"),
    [
        ("needs", ["food", "shoes"], "needs[1]"),
        ("service_areas", ["leeds"], "service_areas[0]"),
        ("status", "live", "field 'status'"),
        ("assured_date", "last week", "field 'assured_date'"),
        ("free", "yes", "field 'free'"),
        ("phones", [{"number": "call us", "type": "voice"}], "phones[0].number"),
        ("phones", [{"number": "0113 496 0001", "type": "fax"}], "phones[0].type"),
        (
            "schedules",
            [{"byday": ["MON"], "opens_at": "09:00", "closes_at": "17:00"}],
            "schedules[0].byday",
        ),
        (
            "schedules",
            [{"byday": ["MO"], "opens_at": "9am", "closes_at": "17:00"}],
            "schedules[0].opens_at",
        ),
        (
            "schedules",
            [{"byday": ["MO"], "opens_at": "17:00", "closes_at": "09:00"}],
            "schedules[0].closes_at",
        ),
        ("languages", [{"code": "English"}], "languages[0]"),
        ("description", "", "field 'description'"),
        ("minimum_age_months", -3, "field 'minimum_age_months'"),
        ("id", "Has Spaces", "field 'id'"),
    ],
)
def test_each_bad_field_is_named_with_its_entry(raw_mini, field, value, expected_in_message):
    raw = copy.deepcopy(raw_mini)
    raw["services"][0][field] = value
    problems = problems_for(raw)
    assert len(problems) == 1, problems
    assert expected_in_message in problems[0]
    assert "expected" in problems[0]


def test_missing_required_field_is_named(raw_mini):
    raw = copy.deepcopy(raw_mini)
    del raw["services"][1]["application_process"]
    assert problems_for(raw) == [
        "service 'bradford-saturday-food', field 'application_process': expected some text, got None"
    ]


def test_every_problem_is_listed_at_once(raw_mini):
    raw = copy.deepcopy(raw_mini)
    raw["services"][0]["status"] = "live"
    raw["services"][2]["needs"] = ["shoes"]
    raw["areas"][0]["gss_code"] = "bradford"
    problems = problems_for(raw)
    assert len(problems) == 3
    assert any("service 'bradford-pantry'" in p for p in problems)
    assert any("service 'nat-food-line'" in p for p in problems)
    assert any("area 'bradford'" in p and "gss_code" in p for p in problems)


def test_duplicate_ids_are_refused(raw_mini):
    raw = copy.deepcopy(raw_mini)
    raw["services"][1]["id"] = "bradford-pantry"
    assert any("a duplicate" in p for p in problems_for(raw))


def test_no_way_to_get_in_touch_is_refused(raw_mini):
    raw = copy.deepcopy(raw_mini)
    raw["services"][0]["phones"] = []
    assert any("at least one way to get in touch" in p for p in problems_for(raw))


def test_the_error_message_names_the_file(tmp_path, raw_mini):
    raw = copy.deepcopy(raw_mini)
    raw["services"][0]["status"] = "live"
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(raw))
    with pytest.raises(DirectoryError) as caught:
        load_directory(path)
    assert str(path) in str(caught.value)
    assert "service 'bradford-pantry'" in str(caught.value)


def test_invalid_yaml_and_missing_file_are_reported(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("services: [unclosed")
    with pytest.raises(DirectoryError, match="not valid YAML"):
        load_directory(bad)
    with pytest.raises(DirectoryError, match="does not exist"):
        load_directory(tmp_path / "nowhere.yml")


def test_verify_entries_are_never_listed_for_parents(mini):
    assert "nat-unchecked" in mini.services
    assert all(s.id != "nat-unchecked" for s in mini.listed("food", "national"))


def test_an_unknown_field_is_named(raw_mini):
    raw = copy.deepcopy(raw_mini)
    raw["services"][0]["warm place to live"] = (
        None  # what `{label: A safe, warm place to live}` turns into
    )
    assert problems_for(raw) == [
        "service 'bradford-pantry', field 'warm place to live': expected a known field (docs/directory-format.md), got an unknown field"
    ]
