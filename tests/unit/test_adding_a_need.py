"""Adding a need to the directory reaches everything generated from it, and `python -m bot
needs --check` names each step still missing (docs/adding-a-need.md)."""

import shutil
from pathlib import Path

import pytest
import yaml

from bot.directory import load_directory
from bot.tools.label_overlap import overlaps
from bot.tools.needs import Project, disagreements, generate, main, stale
from bot.tools.nlu_lookups import lookups

ROOT = Path(__file__).resolve().parents[2]
CHILDCARE = """  - id: childcare
    label: Childcare, nurseries and free hours
    short_label: Childcare
    keywords: [childcare, nursery, nursery places, childminder, free hours]
"""


@pytest.fixture
def project(tmp_path):
    """A copy of the directory, domain, rules and training data, with a tenth need added."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "domain.yml", tmp_path / "domain.yml")
    text = (ROOT / "services_directory.yml").read_text(encoding="utf-8")
    assert "\nneeds:\n" in text
    (tmp_path / "services_directory.yml").write_text(text.replace("\nneeds:\n", "\nneeds:\n" + CHILDCARE, 1), encoding="utf-8")
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
    for missing in ("no intent need_childcare", "no mapping from need_childcare", "no button for /need_childcare",
                    "no training examples for need_childcare"):
        assert missing in err


def test_everything_generated_picks_up_the_new_need(project):
    generate(project)
    domain = yaml.safe_load(project.domain_path.read_text(encoding="utf-8"))
    assert "need_childcare" in domain["intents"]
    assert {"type": "from_intent", "intent": "need_childcare", "value": "childcare"} in domain["slots"]["need"]["mappings"]
    buttons = domain["responses"]["utter_ask_need"][0]["buttons"]
    assert {"title": "Childcare", "payload": "/need_childcare"} in buttons
    assert buttons[-1]["payload"] == "/rather_not_say"  # the hand-written button stays last
    rules = yaml.safe_load(project.rules_path.read_text(encoding="utf-8"))["rules"]
    assert {"intent": "need_childcare"} in rules[0]["steps"][0]["or"]
    assert rules[0]["steps"][1] == {"action": "action_signpost"}
    nlu = lookups(load_directory(project.directory_path))["nlu"]
    assert any(block.get("lookup") == "childcare_words" and "- nursery places\n" in block["examples"] for block in nlu)
    assert any(block.get("synonym") == "childcare" for block in nlu)
    # Only the hand-written step is left, and the check says which.
    assert stale(project) == []
    assert disagreements(project) == ["need 'childcare': no training examples for need_childcare under data/nlu/ "
                                      "(docs/adding-a-need.md)"]


def test_with_training_examples_the_new_need_passes_the_check(project):
    generate(project)
    needs = project.nlu_dir / "needs"
    needs.mkdir(exist_ok=True)
    (needs / "childcare.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: need_childcare\n  examples: |\n    - any nursery places near me\n'
        "    - how do I get the free hours for my toddler\n", encoding="utf-8")
    assert main(["--check"], project) == 0


def test_a_need_taken_out_of_the_directory_leaves_no_stale_intent(project):
    generate(project)
    text = project.directory_path.read_text(encoding="utf-8")
    project.directory_path.write_text(text.replace(CHILDCARE, ""), encoding="utf-8")
    generate(project)
    assert "need_childcare" not in project.domain_path.read_text(encoding="utf-8")
    assert "need_childcare" not in project.rules_path.read_text(encoding="utf-8")


def test_a_hand_edit_inside_a_generated_section_is_caught(project):
    generate(project)
    text = project.domain_path.read_text(encoding="utf-8")
    project.domain_path.write_text(text.replace("{title: Food,", "{title: Meals,", 1), encoding="utf-8")
    assert stale(project) == [str(project.domain_path)]


def test_an_intent_no_rule_uses_fails_the_check(project):
    generate(project)
    text = project.domain_path.read_text(encoding="utf-8")
    project.domain_path.write_text(text.replace("  - greet\n", "  - greet\n  - ask_weather\n", 1), encoding="utf-8")
    problems = disagreements(project)
    assert "intent ask_weather: no rule uses it, so the assistant would not answer it" in problems
    assert "intent ask_weather: no training examples" in problems


def test_the_overlap_check_lists_examples_that_now_belong_to_the_new_need(project):
    directory = load_directory(project.directory_path)
    examples = {"need_money": ["can I get help paying for nursery places", "my universal credit is late"],
                "need_childcare": ["a childminder near me"]}
    found = overlaps(examples, directory)
    assert [(o.text, o.label, o.other_need) for o in found] == [
        ("can I get help paying for nursery places", "need_money", "childcare")]
    assert found[0].words == ("nursery", "nursery places")
