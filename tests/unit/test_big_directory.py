"""A big directory read on every core gives exactly what reading it whole gives."""

import gc
import re
from pathlib import Path

import msgpack
import pytest
import yaml

from bot import big_directory
from bot.big_directory import ServiceTable, Unsplittable, service_from_row, service_row, split
from bot.directory import DirectoryError, load_directory, parse_directory

MINI = Path(__file__).parent / "fixtures" / "mini_directory.yml"


@pytest.fixture
def in_parallel(monkeypatch, tmp_path):
    """Read even a small file on every core, cut into one chunk per item or two."""
    monkeypatch.setattr(big_directory, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(big_directory, "CHUNKS_PER_CORE", 4)
    monkeypatch.setenv("DIRECTORY_CACHE_DIR", str(tmp_path / "cache"))


def whole(text):
    """The directory read whole, as load_directory reads a file (with libyaml's loader)."""
    return parse_directory(yaml.load(text, Loader=_WHOLE_LOADER), "test.yml")  # noqa: S506 - safe


_WHOLE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def test_every_core_reads_the_same_directory_as_one(in_parallel):
    text = MINI.read_text()
    fast = big_directory.parse_on_every_core(text, "test.yml")
    slow = whole(text)
    assert dict(fast.services) == slow.services
    assert (
        fast.needs == slow.needs
        and fast.areas == slow.areas
        and fast.place_names == slow.place_names
    )
    assert fast.listed("food", "bradford") == slow.listed("food", "bradford")


def test_problems_name_the_right_entry_in_any_chunk(in_parallel):
    text = MINI.read_text().replace("status: active", "status: open")
    with pytest.raises(DirectoryError) as fast:
        big_directory.parse_on_every_core(text, "test.yml")
    with pytest.raises(DirectoryError) as slow:
        whole(text)
    assert fast.value.problems == slow.value.problems


def test_a_repeated_id_across_chunks_is_a_problem(in_parallel):
    text = MINI.read_text().replace("id: bradford-pantry", "id: lambeth-baby-bank")
    with pytest.raises(DirectoryError) as caught:
        big_directory.parse_on_every_core(text, "test.yml")
    assert any(
        "'lambeth-baby-bank', field 'id': expected a unique id" in p for p in caught.value.problems
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda t: "---\n" + t,  # an explicit document
        lambda t: t[: t.index("services:")] + "services: [{id: one}, {id: two}]\n",  # flow style
    ],
)
def test_a_file_that_cant_be_cut_is_refused_for_the_whole_reader(change):
    with pytest.raises(Unsplittable):
        split(change(MINI.read_text()), 4)


def test_an_alias_across_items_falls_back_to_reading_whole(in_parallel, monkeypatch, tmp_path):
    text = MINI.read_text()
    text = text.replace("organization: {name: Test Org}", "organization: &org {name: Test Org}", 1)
    text = text.replace("organization: {name: Test Org}", "organization: *org")
    path = tmp_path / "services_directory.yml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr("bot.directory_cache.MIN_BYTES", 0)
    assert load_directory(path).services["lambeth-baby-bank"].organization == "Test Org"


def test_a_row_gives_back_the_same_service():
    for service in whole(MINI.read_text()).services.values():
        assert service_from_row(service_row(service)) == service


def test_services_are_built_only_when_asked_for():
    services = whole(MINI.read_text()).services
    table = ServiceTable([service_row(s) for s in services.values()])
    assert len(table) == len(services) and not table._built
    assert table["bradford-pantry"] == services["bradford-pantry"]
    assert list(table._built) == ["bradford-pantry"]


# Scalars YAML 1.1 reads in surprising ways, each in some services of a generated directory:
# a time with a leading zero stays text, one without becomes a number (10:30 is 630); a phone
# number with a space stays text, 0113 alone is an octal number; yes is true; a quoted date
# is text the checks read as a date; a quoted "true" is text, not true.
ACCEPTED = [
    (r'opens_at: "09:00"', "opens_at: 09:00"),
    (r"free: true", "free: yes"),
    (r'number: "(0113 496 0\d+)"', r"number: \1"),
    (r"assured_date: (\d{4}-\d\d-\d\d)", r'assured_date: "\1"'),
]
REFUSED = [
    (r'opens_at: "10:00"', "opens_at: 10:00"),
    (r'closes_at: "16:00"', "closes_at: 1_6:00"),
    (r"self_referral: false", 'self_referral: "false"'),
    (r'number: "0113 496 0\d+"', "number: 0113"),
    (r"minimum_age_months: 0", 'minimum_age_months: "0"'),
    (r"status: example", "status: on"),
]


def generated(size: int, changes: list[tuple[str, str]]) -> str:
    """A generated directory (the bench's) with each change made in its first 40 places."""
    from bench.directory_bench import synthetic_raw, to_yaml

    text = to_yaml(synthetic_raw(size, seed=16))
    for pattern, replacement in changes:
        text, made = re.subn(pattern, replacement, text, count=40)
        assert made, pattern
    return text


def test_tricky_scalars_read_on_every_core_give_the_same_services(in_parallel):
    text = generated(600, ACCEPTED)
    fast = big_directory.parse_on_every_core(text, "test.yml")
    slow = whole(text)
    assert len(slow.services) == 600
    assert dict(fast.services) == slow.services


def test_tricky_scalars_read_on_every_core_give_the_same_problems(in_parallel):
    text = generated(600, REFUSED)
    with pytest.raises(DirectoryError) as fast:
        big_directory.parse_on_every_core(text, "test.yml")
    with pytest.raises(DirectoryError) as slow:
        whole(text)
    assert fast.value.problems == slow.value.problems
    problems = "\n".join(slow.value.problems)
    for expected in ("got 600", "got 960", "got 'false'", "got 75", "got '0'", "got True"):
        assert expected in problems


def test_libyaml_reads_the_tricky_scalars_as_pyyaml_does():
    for changes in (ACCEPTED, REFUSED):
        text = generated(60, changes)
        assert yaml.load(text, Loader=_WHOLE_LOADER) == yaml.safe_load(text)  # noqa: S506 - safe


def test_the_real_directory_read_on_every_core_is_the_same(in_parallel):
    text = Path("services_directory.yml").read_text(encoding="utf-8")
    fast = big_directory.parse_on_every_core(text, "services_directory.yml")
    slow = whole(text)
    assert dict(fast.services) == slow.services and len(slow.services) > 50
    assert (fast.needs, fast.areas, fast.place_names) == (slow.needs, slow.areas, slow.place_names)


def test_the_cycle_collector_is_back_on_after_reading(tmp_path, monkeypatch):
    monkeypatch.setenv("DIRECTORY_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "services_directory.yml"
    path.write_text(MINI.read_text() + "  - {broken: [\n", encoding="utf-8")
    with pytest.raises(DirectoryError):
        load_directory(path)
    assert gc.isenabled()
    path.write_text(MINI.read_text(), encoding="utf-8")
    assert load_directory(path).services and gc.isenabled()


def test_services_built_from_rows_share_what_they_repeat():
    services = list(whole(MINI.read_text()).services.values())
    rows = [service_row(s) for s in services] * 2
    rows = [[f"copy-{n}", *row[1:]] for n, row in enumerate(rows)]
    table = ServiceTable(msgpack.unpackb(msgpack.packb(rows), use_list=False))
    first, again = table["copy-0"], table[f"copy-{len(services)}"]
    assert first.description == again.description and first.description is again.description
    assert first.needs is again.needs and first.schedules is again.schedules
