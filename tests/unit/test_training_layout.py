"""data/nlu/ stays organised by meaning: any other file is folded into place, nothing relabelled."""

import shutil
from pathlib import Path

import yaml

from bot.tools.needs import training_examples
from bot.tools.training_layout import main

ROOT = Path(__file__).resolve().parents[2]


def test_the_training_data_is_in_its_places():
    assert main(["--check"]) == 0


def test_a_file_from_another_layout_is_folded_in_without_losing_or_relabelling(tmp_path, capsys):
    nlu = tmp_path / "nlu"
    shutil.copytree(ROOT / "data" / "nlu", nlu)
    before = training_examples(nlu)
    (nlu / "in_their_words_new.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: need_food\n  examples: |\n    - the cupboards are bare till friday\n'
        "- intent: out_of_scope\n  examples: |\n    - the school run is the death of me on mondays\n"
        "- intent: urgent_self_harm\n  examples: |\n    - i have the pills counted out\n",
        encoding="utf-8",
    )
    assert main(["--check"], nlu) == 1
    assert main([], nlu) == 0
    assert not (nlu / "in_their_words_new.yml").exists()
    after = training_examples(nlu)
    for intent, line in (
        ("need_food", "the cupboards are bare till friday"),
        ("out_of_scope", "the school run is the death of me on mondays"),
        ("urgent_self_harm", "i have the pills counted out"),
    ):
        assert line in after[intent] and line not in before[intent]
        assert [x for x in after[intent] if x != line] == before[intent]
    idioms = yaml.safe_load((nlu / "idioms.yml").read_text(encoding="utf-8"))["nlu"]
    assert "- the school run is the death of me on mondays" in idioms[0]["examples"]
    assert {k: len(v) for k, v in after.items()} == {
        k: len(v) + (k in ("need_food", "out_of_scope", "urgent_self_harm"))
        for k, v in before.items()
    }
    assert main(["--check"], nlu) == 0
