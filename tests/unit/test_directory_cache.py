"""A big directory is read once; a restart reads the checked copy and gets the same directory or problems."""

from pathlib import Path

import pytest

from bot import directory as directory_module
from bot import directory_cache
from bot.directory import DirectoryError, load_directory

MINI = Path(__file__).parent / "fixtures" / "mini_directory.yml"
PADDING = "# " + "x" * directory_cache.MIN_BYTES + "\n"  # a comment makes it big enough to cache


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("DIRECTORY_CACHE_DIR", str(folder))
    return folder


def big_copy(tmp_path, text=None):
    path = tmp_path / "services_directory.yml"
    path.write_text(PADDING + (text or MINI.read_text()), encoding="utf-8")
    return path


def no_yaml(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("YAML was parsed although a copy was kept")

    monkeypatch.setattr(directory_module.yaml, "load", refuse)


def test_a_restart_reads_the_parsed_copy_and_gets_the_same_directory(tmp_path, cache, monkeypatch):
    path = big_copy(tmp_path)
    first = load_directory(path)
    assert len(list(cache.glob("*" + directory_cache.SUFFIX))) == 1
    no_yaml(monkeypatch)
    again = load_directory(path)
    assert (
        again.services == first.services
        and again.areas == first.areas
        and again.needs == first.needs
    )
    assert again.place_names == first.place_names


def test_an_edit_is_seen_at_once(tmp_path, cache):
    path = big_copy(tmp_path)
    load_directory(path)
    path.write_text(
        path.read_text().replace("Test Baby Bank", "Renamed Baby Bank"), encoding="utf-8"
    )
    names = {s.name for s in load_directory(path).services.values()}
    assert any("Renamed Baby Bank" in n for n in names) and not any(
        n.endswith(" Test Baby Bank") for n in names
    )


def test_a_cached_load_reports_the_same_problems(tmp_path, cache, monkeypatch):
    broken = MINI.read_text().replace("status: active", "status: open", 1)
    path = big_copy(tmp_path, broken)
    with pytest.raises(DirectoryError) as fresh:
        load_directory(path)
    no_yaml(monkeypatch)
    with pytest.raises(DirectoryError) as cached:
        load_directory(path)
    assert cached.value.problems == fresh.value.problems and "status" in cached.value.problems[0]


def test_a_damaged_copy_is_ignored(tmp_path, cache):
    path = big_copy(tmp_path)
    expected = load_directory(path).services
    for copy in cache.glob("*" + directory_cache.SUFFIX):
        copy.write_text("{not json")
    assert load_directory(path).services == expected


def test_an_unwritable_cache_never_stops_the_directory_loading(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(
        "DIRECTORY_CACHE_DIR", str(blocker / "cache")
    )  # can't make a folder in a file
    assert load_directory(big_copy(tmp_path)).services


def test_the_real_sized_directory_is_not_cached(tmp_path, cache):
    load_directory(MINI)
    assert not cache.exists()


def test_only_a_few_copies_are_kept(tmp_path, cache):
    path = big_copy(tmp_path)
    for n in range(directory_cache.KEEP + 2):
        path.write_text(PADDING + f"# version {n}\n" + MINI.read_text(), encoding="utf-8")
        load_directory(path)
    assert len(list(cache.glob("*" + directory_cache.SUFFIX))) == directory_cache.KEEP


def test_a_file_that_is_not_utf8_gets_a_clear_problem(tmp_path):
    path = tmp_path / "services_directory.yml"
    path.write_bytes(b"needs: [\xff\xfe]\n")
    with pytest.raises(DirectoryError, match="not UTF-8"):
        load_directory(path)


def test_dates_survive_the_copy(tmp_path, cache):
    path = big_copy(tmp_path)
    dates = {
        k: s.assured_date for k, s in load_directory(path).services.items()
    }  # parsed from YAML
    assert all(d.year == 2026 for d in dates.values())
    assert {k: s.assured_date for k, s in load_directory(path).services.items()} == dates
