"""PostcodeLookup against a fake postcodes.io: exact areas, a cache, and quick, quiet failure."""

from __future__ import annotations

import time

import pytest

from bot.directory import load_directory
from bot.postcodes import PostcodeLookup
from tests.tools.conftest import FIXTURES
from tests.tools.fake_server import Reply


@pytest.fixture(scope="module")
def directory():
    return load_directory(FIXTURES / "directory.yml")


@pytest.fixture
def postcodes_io(server):
    server.postcodes.update({"BD201AA": "E08000032", "SE117PB": "E09000022", "LS11UR": "E08000035"})
    return server


@pytest.mark.parametrize("typed", ["BD20 1AA", "bd201aa", " Bd20  1AA "])
def test_resolves_a_shared_district_postcode_to_its_area(postcodes_io, directory, typed):
    assert PostcodeLookup(postcodes_io.url).area_for(typed, directory) == "bradford"


def test_fake_accepts_both_url_forms(postcodes_io):
    import requests

    for path in ("/postcodes/SE117PB", "/postcodes/SE11%207PB"):
        assert (
            requests.get(postcodes_io.url + path, timeout=2).json()["result"]["codes"][
                "admin_district"
            ]
            == "E09000022"
        )


def test_a_postcode_outside_our_areas_or_unknown_is_none(postcodes_io, directory):
    lookup = PostcodeLookup(postcodes_io.url)
    assert lookup.area_for("LS1 1UR", directory) is None  # Leeds: a real place, not ours
    assert lookup.area_for("ZZ9 9ZZ", directory) is None  # 404


def test_second_lookup_comes_from_the_cache(postcodes_io, directory):
    lookup = PostcodeLookup(postcodes_io.url)
    assert lookup.area_for("SE11 7PB", directory) == "lambeth"
    assert lookup.area_for("se117pb", directory) == "lambeth"
    assert lookup.area_for("ZZ9 9ZZ", directory) is None
    assert lookup.area_for("ZZ9 9ZZ", directory) is None  # "not a postcode" is remembered too
    assert len(postcodes_io.hits) == 2


def test_the_cache_is_bounded(postcodes_io, directory):
    lookup = PostcodeLookup(postcodes_io.url, cache_size=1)
    lookup.area_for("SE11 7PB", directory)
    lookup.area_for("BD20 1AA", directory)
    lookup.area_for("SE11 7PB", directory)  # pushed out by BD20 1AA: asked again
    assert len(postcodes_io.hits) == 3


def test_not_a_full_postcode_sends_nothing(postcodes_io, directory):
    lookup = PostcodeLookup(postcodes_io.url)
    for text in ("BD20", "", "my address", "BD20 1AA; DROP TABLE"):
        assert lookup.area_for(text, directory) is None
    assert postcodes_io.hits == []


def test_a_slow_service_gives_none_quickly_and_is_left_alone_for_a_while(server, directory):
    server.reply = lambda path: Reply({"status": 200}, delay=3)  # every answer comes too late
    lookup = PostcodeLookup(server.url, timeout=0.3)
    started = time.monotonic()
    assert lookup.area_for("BD20 1AA", directory) is None
    assert time.monotonic() - started < 1.5
    started = time.monotonic()
    assert lookup.area_for("SE11 7PB", directory) is None  # not asked: the service just failed
    assert time.monotonic() - started < 0.05
    assert len(server.hits) == 1


def test_offline_gives_none_quickly(closed_port_url, directory):
    started = time.monotonic()
    assert PostcodeLookup(closed_port_url, timeout=2).area_for("BD20 1AA", directory) is None
    assert time.monotonic() - started < 1


def test_a_server_error_is_not_remembered(postcodes_io, directory):
    lookup = PostcodeLookup(postcodes_io.url, pause_after_failure=0)
    real_reply = postcodes_io.reply
    postcodes_io.reply = lambda path: Reply({"status": 500}, status=500)
    assert lookup.area_for("BD20 1AA", directory) is None
    postcodes_io.reply = real_reply
    assert lookup.area_for("BD20 1AA", directory) == "bradford"


def test_base_url_from_the_environment(postcodes_io, directory, monkeypatch):
    monkeypatch.setenv("POSTCODES_IO_URL", postcodes_io.url + "/")
    lookup = PostcodeLookup()
    assert lookup.base_url == postcodes_io.url
    assert lookup.area_for("BD20 1AA", directory) == "bradford"
    monkeypatch.delenv("POSTCODES_IO_URL")
    assert PostcodeLookup().base_url == "https://api.postcodes.io"


def test_postcodes_io_is_off_unless_the_deployment_turns_it_on(
    postcodes_io, directory, monkeypatch
):
    # A parent's postcode leaves the server only when a partnership chose that (and said so).
    monkeypatch.delenv("POSTCODES_IO_URL", raising=False)
    assert PostcodeLookup.if_turned_on() is None
    monkeypatch.setenv("POSTCODES_IO_URL", postcodes_io.url)
    assert PostcodeLookup.if_turned_on().area_for("BD20 1AA", directory) == "bradford"


def test_the_conversation_sends_a_postcode_only_when_the_lookup_is_turned_on(
    postcodes_io, directory, monkeypatch
):
    from bot.conversation import Signposting, Turn

    turn = Turn(intent="inform_area", text="BD20 1AA", need="food")
    monkeypatch.delenv("POSTCODES_IO_URL", raising=False)
    off = Signposting(directory, postcodes={}).next(turn)
    assert off.slots.get("asked") == "area" and "area" not in off.slots  # "which area?" instead
    assert postcodes_io.hits == []
    monkeypatch.setenv("POSTCODES_IO_URL", postcodes_io.url)
    on = Signposting(directory, postcodes={}).next(turn)
    assert on.slots["area"] == "bradford" and len(postcodes_io.hits) == 1
