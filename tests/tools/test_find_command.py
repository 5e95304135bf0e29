"""`python -m bot find`: what a family mentor types, in any case, with the same cards as the page."""

import subprocess
import sys

import pytest

from bot.__main__ import main
from bot.directory import load_directory

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def find(capsys, *args):
    code = main(["find", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_names_in_any_case_give_the_same_results_as_ids(capsys):
    by_ids = find(
        capsys, "--need", "food", "--area", "bradford", "--open-on", "SA", "--language", "ur"
    )
    by_names = find(
        capsys,
        "--need",
        "Food",
        "--area",
        "Bradford",
        "--open-on",
        "saturday",
        "--language",
        "Urdu",
    )
    shouting = find(
        capsys, "--need", "FOOD", "--area", "BRADFORD", "--open-on", "sat", "--language", "UR"
    )
    assert by_ids[0] == 0 and by_ids == by_names == shouting
    assert "Urdu spoken" in by_ids[1] and "Open Sat " in by_ids[1]


@pytest.mark.parametrize(
    "args,listed",
    [
        (["--area", "Leeds"], "Bradford"),
        (["--area", "bradford", "--language", "Klingon"], "Urdu (ur)"),
        (["--area", "bradford", "--open-on", "someday"], "Saturday"),
    ],
)
def test_unknown_choices_are_refused_with_the_valid_ones(capsys, args, listed):
    code, out, err = find(capsys, "--need", "food", *args)
    assert code == 2 and not out and "Unknown" in err and listed in err


def test_help_lists_every_need_id():
    result = subprocess.run(
        [sys.executable, "-m", "bot", "find", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    for need in load_directory().needs:
        assert f"\n  {need} " in result.stdout


def test_each_service_has_the_why_it_matched_line_and_no_codes(capsys):
    code, out, _ = find(capsys, "--need", "food", "--area", "bradford", "--language", "urdu")
    assert code == 0
    cards = [block for block in out.split("\n\n") if block and not block.startswith("==")]
    assert cards
    for block in cards:
        why = block.splitlines()[1]
        assert " · " in why and ("Urdu spoken" in why or "Interpreter on request" in why), block
    assert (
        "MO/" not in out
        and "helplines.md" not in out
        and "status:" not in out
        and "(voice)" not in out
    )


def test_unknown_hours_say_call_to_check_never_open(capsys):
    _, out, _ = find(capsys, "--need", "money", "--open-on", "saturday")
    block = next(b for b in out.split("\n\n") if b.startswith("Help through Hardship"))
    assert block.splitlines()[1].strip().startswith("Hours not known: call to check")


def test_zero_results_say_which_filter_to_drop(capsys):
    code, out, _ = find(
        capsys,
        "--need",
        "perinatal_mental_health",
        "--area",
        "lambeth",
        "--language",
        "pl",
        "--open-on",
        "sunday",
    )
    assert code == 0 and "No services match all these filters." in out
    assert 'Without "Polish: spoken or interpreter": ' in out or 'Without "Open on Sunday": ' in out


def test_results_come_a_page_at_a_time(capsys):
    _, first, _ = find(capsys, "--need", "food", "--area", "bradford", "--per-page", "2")
    _, second, _ = find(
        capsys, "--need", "food", "--area", "bradford", "--per-page", "2", "--page", "2"
    )
    assert "services 1-2 (more: --page 2)" in first and "services 3-4" in second

    def names(out):
        return [b.splitlines()[0] for b in out.split("\n\n") if b and not b.startswith("==")]

    assert len(names(first)) == 2 and not set(names(first)) & set(names(second))
