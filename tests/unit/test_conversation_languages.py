"""The conversation in the parent's language: action texts, services that speak it first,
choosing a language mid-way keeps everything, a draft language's notice, the referral note."""

from __future__ import annotations

import pytest
import yaml

from bot import translations as translations_module
from bot.conversation import ASK_AREA, ASK_NEED, Signposting, Turn
from bot.directory import load_directory
from bot.referral import Context, next_messages
from bot.replies import Reply
from tests.unit.conftest import Offline
from tests.unit.language_fixtures import complete_file, folder_with


@pytest.fixture
def languages(tmp_path, monkeypatch):
    """The fixture languages (ur reviewed and partial, pl complete and draft) in use."""
    monkeypatch.setenv("LANGUAGE_FILES", str(folder_with(tmp_path, {"pl": complete_file("pl")})))
    translations_module.translations.cache_clear()
    yield translations_module.translations()
    monkeypatch.delenv("LANGUAGE_FILES")
    translations_module.translations.cache_clear()


@pytest.fixture
def with_interpreters(raw_mini, tmp_path):
    """The mini directory, with the national food line able to book interpreters."""
    for service in raw_mini["services"]:
        if service["id"] == "nat-food-line":
            service["interpretation_services"] = "Interpreters can be booked."
    path = tmp_path / "directory.yml"
    path.write_text(yaml.safe_dump(raw_mini, allow_unicode=True), encoding="utf-8")
    return Signposting(load_directory(path), postcodes={}, lookup=Offline())


def texts(step):
    return [m.text if isinstance(m, Reply) else m for m in step.say]


def test_action_texts_and_need_labels_come_in_the_parents_language(
    languages, signposting, tuesday_noon
):
    step = signposting.next(
        Turn(intent="need_food", text="x", need="food", area="bradford", language="pl"),
        tuesday_noon,
    )
    said = texts(step)
    # The need's label is the language file's (made from the project directory's here).
    assert said[0].startswith("PL: Thank you for telling me. Here are some services for PL: Food")
    assert said[0].endswith(" in Bradford.")
    # Service names stay as the directory has them.
    assert any(t.startswith("Bradford Test Pantry") for t in said)
    buttons = [title for m in step.say if isinstance(m, Reply) for title, _ in m.buttons]
    assert "PL: Make a note for the next service" in buttons


def test_english_is_unchanged_when_no_language_is_set(languages, signposting, tuesday_noon):
    step = signposting.next(
        Turn(intent="need_food", text="x", need="food", area="bradford"), tuesday_noon
    )
    assert (
        texts(step)[0] == "Thank you for telling me. Here are some services for food in Bradford."
    )


def test_services_that_speak_the_language_come_first_then_interpreters(
    languages, with_interpreters, tuesday_noon
):
    step = with_interpreters.next(
        Turn(intent="need_food", text="x", need="food", area="bradford", language="ur"),
        tuesday_noon,
    )
    services = [m.text for m in step.say if isinstance(m, Reply) and "\n" in m.text]
    names = [s.splitlines()[0].split(" (")[0] for s in services]
    assert names[:2] == ["Bradford Test Pantry", "National Food Line"]
    assert "TEST-UR they speak اردو." in services[0]
    assert "TEST-UR interpreter." in services[1]
    # In English the order is the directory's own and no language line is added.
    english = with_interpreters.next(
        Turn(intent="need_food", text="x", need="food", area="bradford"), tuesday_noon
    )
    english_services = [m.text for m in english.say if isinstance(m, Reply) and "\n" in m.text]
    assert not any("TEST-UR" in s for s in english_services)


def test_a_description_in_the_parents_language_is_shown_instead(languages, raw_mini, tmp_path):
    from bot.replies import service_message

    raw_mini["services"][0]["descriptions"] = {"ur": "TEST-UR description"}
    path = tmp_path / "directory.yml"
    path.write_text(yaml.safe_dump(raw_mini, allow_unicode=True), encoding="utf-8")
    service = load_directory(path).services["bradford-pantry"]
    assert "TEST-UR description" in service_message(service, lang="ur").text
    assert "A bag of shopping each week." in service_message(service, lang="pl").text


def test_choosing_a_language_while_the_area_is_pending_asks_it_again_keeping_the_need(
    languages, signposting
):
    step = signposting.next(
        Turn(
            intent="choose_language",
            text='/choose_language{"language": "pl"}',
            need="food",
            asked="area",
            language="pl",
        )
    )
    assert step.say == [ASK_AREA]
    assert "need" not in step.slots and "area" not in step.slots


def test_choosing_a_language_before_anything_asks_what_would_help(languages, signposting):
    step = signposting.next(
        Turn(intent="choose_language", text='/choose_language{"language": "pl"}', language="pl")
    )
    assert step.say == [ASK_NEED]


def test_choosing_a_language_after_services_offers_what_next_without_repeating_them(
    languages, signposting
):
    step = signposting.next(
        Turn(
            intent="choose_language",
            text="/choose_language",
            need="food",
            area="bradford",
            shown=3,
            language="pl",
        )
    )
    assert (
        len(step.say) == 1
        and step.say[0].text == "PL: That's fine. What would you like to do next?"
    )
    assert "area" not in step.slots and "need" not in step.slots


def test_a_draft_language_found_from_a_message_shows_its_notice_first(languages, signposting):
    step = signposting.next(
        Turn(intent="need_food", text="x", need="food", language="pl", language_new=True)
    )
    assert texts(step)[0].startswith("PL: This translation is new")
    assert step.say[-1] == ASK_AREA
    reviewed = signposting.next(
        Turn(intent="need_food", text="x", need="food", language="ur", language_new=True)
    )
    assert reviewed.say == [ASK_AREA]


def test_the_referral_note_is_in_the_parents_language(languages):
    first = next_messages({}, Context(), "pl")[0]
    assert first.text.startswith("PL: I can make a short note")
    assert [t for t, _ in first.buttons] == ["PL: Yes, make a note", "PL: Not now"]
    note = next_messages(
        {"consent": "yes", "how": "text", "when": "skip", "language": "skip", "access": "skip"},
        Context(needs=("Food",)),
        "pl",
    )
    assert "PL: Safe ways to contact me: PL: a text message." in note[1].text
