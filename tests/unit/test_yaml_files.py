"""The fast YAML reader gives exactly what `yaml.safe_load` gives, for every data file it reads."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.yaml_files import read_yaml

ROOT = Path(__file__).resolve().parents[2]
WORDS = sorted((ROOT / "bot" / "words").rglob("*.yml"))


def test_there_are_words_files_to_compare():
    assert len(WORDS) >= 10


@pytest.mark.parametrize("path", WORDS, ids=lambda p: str(p.relative_to(ROOT)))
def test_same_values_as_safe_load(path: Path):
    assert read_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8"))


def test_types_as_safe_load_reads_them(tmp_path: Path):
    # Dates, numbers, booleans, nulls and non-BMP text come back as safe_load makes them.
    path = tmp_path / "sample.yml"
    path.write_text(
        "when: 2026-12-06\ncount: 012\nratio: 1e3\nyes_no: no\nnothing: ~\n"
        'emoji: "\U0001f476 baby"\nrtl: \u0645\u0631\u062d\u0628\u0627\n',
        encoding="utf-8",
    )
    assert read_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8"))


def test_bad_yaml_still_fails(tmp_path: Path):
    path = tmp_path / "bad.yml"
    path.write_text("a: [1, 2\n", encoding="utf-8")
    with pytest.raises(yaml.YAMLError):
        read_yaml(path)
