"""Adding a need to the directory reaches everything generated from it, and `python -m bot
needs --check` names each step still missing (docs/adding-a-need.md)."""

import shutil
from pathlib import Path

import pytest
import yaml

from bot.directory import load_directory
from bot.tools.label_overlap import main as overlap_main
from bot.tools.label_overlap import overlaps
from bot.tools.needs import Project, disagreements, generate, main, stale
from bot.tools.nlu_lookups import lookups

ROOT = Path(__file__).resolve().parents[2]
# A need no partnership would add, with words no real need uses, so that a maintainer adding a
# real need (childcare, say) to the directory changes nothing these tests see.
NEW_NEED = """  - id: test_only_need
    label: Widget swaps and widget clubs
    short_label: Widget swaps
    keywords: [widget, widget swap, widget club]
"""


@pytest.fixture
def project(tmp_path):
    """A copy of the directory, domain, rules and training data, with one more need added."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "domain.yml", tmp_path / "domain.yml")
    text = (ROOT / "services_directory.yml").read_text(encoding="utf-8")
    assert "\nneeds:\n" in text
    (tmp_path / "services_directory.yml").write_text(
        text.replace("\nneeds:\n", "\nneeds:\n" + NEW_NEED, 1), encoding="utf-8"
    )
    return Project(
        directory_path=tmp_path / "services_directory.yml",
        domain_path=tmp_path / "domain.yml",
        rules_path=tmp_path / "data" / "rules" / "needs.yml",
        rules_dir=tmp_path / "data" / "rules",
        nlu_dir=tmp_path / "data" / "nlu",
    )


def test_the_repository_agrees_with_its_directory():
    assert stale(Project()) == []
    assert disagreements(Project()) == []


def test_a_new_need_in_the_directory_alone_fails_the_check(project, capsys):
    assert main(["--check"], project) == 1
    err = capsys.readouterr().err
    assert "domain.yml is out of date" in err and "needs.yml is out of date" in err
    for missing in (
        "no intent need_test_only_need",
        "no mapping from need_test_only_need",
        "no button for /need_test_only_need",
        "no training examples for need_test_only_need",
    ):
        assert missing in err


def test_everything_generated_picks_up_the_new_need(project):
    generate(project)
    domain = yaml.safe_load(project.domain_path.read_text(encoding="utf-8"))
    assert "need_test_only_need" in domain["intents"]
    assert {
        "type": "from_intent",
        "intent": "need_test_only_need",
        "value": "test_only_need",
    } in domain["slots"]["need"]["mappings"]
    buttons = domain["responses"]["utter_ask_need"][0]["buttons"]
    assert {"title": "Widget swaps", "payload": "/need_test_only_need"} in buttons
    assert buttons[-1]["payload"] == "/rather_not_say"  # the hand-written button stays last
    rules = yaml.safe_load(project.rules_path.read_text(encoding="utf-8"))["rules"]
    assert {"intent": "need_test_only_need"} in rules[0]["steps"][0]["or"]
    assert rules[0]["steps"][1] == {"action": "action_signpost"}
    nlu = lookups(load_directory(project.directory_path))["nlu"]
    assert any(
        block.get("lookup") == "test_only_need_words" and "- widget swap\n" in block["examples"]
        for block in nlu
    )
    assert any(block.get("synonym") == "test_only_need" for block in nlu)
    # Only the hand-written step is left, and the check says which.
    assert stale(project) == []
    assert disagreements(project) == [
        "need 'test_only_need': no training examples for need_test_only_need under data/nlu/ "
        "(docs/adding-a-need.md)"
    ]


def test_with_training_examples_the_new_need_passes_the_check(project):
    generate(project)
    needs = project.nlu_dir / "needs"
    needs.mkdir(exist_ok=True)
    (needs / "test_only_need.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: need_test_only_need\n  examples: |\n    - any widget swaps near me\n'
        "    - is there a widget club for toddlers\n",
        encoding="utf-8",
    )
    assert main(["--check"], project) == 0


def test_a_need_taken_out_of_the_directory_leaves_no_stale_intent(project):
    generate(project)
    text = project.directory_path.read_text(encoding="utf-8")
    project.directory_path.write_text(text.replace(NEW_NEED, ""), encoding="utf-8")
    generate(project)
    assert "need_test_only_need" not in project.domain_path.read_text(encoding="utf-8")
    assert "need_test_only_need" not in project.rules_path.read_text(encoding="utf-8")


def test_a_hand_edit_inside_a_generated_section_is_caught(project):
    generate(project)
    text = project.domain_path.read_text(encoding="utf-8")
    project.domain_path.write_text(
        text.replace("{title: Widget swaps,", "{title: Gadget swaps,", 1), encoding="utf-8"
    )
    assert stale(project) == [str(project.domain_path)]


def test_an_intent_no_rule_uses_fails_the_check(project):
    generate(project)
    text = project.domain_path.read_text(encoding="utf-8")
    project.domain_path.write_text(
        text.replace("  - greet\n", "  - greet\n  - ask_weather\n", 1), encoding="utf-8"
    )
    problems = disagreements(project)
    assert "intent ask_weather: no rule uses it, so the assistant would not answer it" in problems
    assert "intent ask_weather: no training examples" in problems


def test_the_overlap_check_lists_examples_that_now_belong_to_the_new_need(project):
    directory = load_directory(project.directory_path)
    examples = {
        "need_money": ["can I get help paying for the widget club", "my universal credit is late"],
        "need_test_only_need": ["a widget swap near me"],
    }
    found = overlaps(examples, directory)
    assert [(o.text, o.label, o.other_need) for o in found] == [
        ("can I get help paying for the widget club", "need_money", "test_only_need")
    ]
    assert found[0].words == ("widget", "widget club")


def test_overlap_for_one_need_lists_only_examples_that_use_its_words(project, capsys):
    generate(project)
    (project.nlu_dir / "needs" / "money.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: need_money\n  examples: |\n    - can I get help paying for the widget club\n'
        "    - I need help with my rent\n",
        encoding="utf-8",
    )
    assert overlap_main(["--need", "test_only_need"], project) == 0
    lines = capsys.readouterr().out.splitlines()
    # "rent" is housing's word, so the whole-list command shows that line; --need leaves it out.
    assert lines == [
        "need_money -> need_test_only_need? (widget, widget club): can I get help paying for the widget club",
        "1 training example(s) use need test_only_need's words",
    ]
    assert overlap_main([], project) == 0
    assert any("I need help with my rent" in line for line in capsys.readouterr().out.splitlines())


def test_overlap_names_the_need_ids_when_given_one_that_does_not_exist(project, capsys):
    assert overlap_main(["--need", "widgets"], project) == 1
    err = capsys.readouterr().err
    assert "No need with id 'widgets'" in err and "test_only_need" in err
