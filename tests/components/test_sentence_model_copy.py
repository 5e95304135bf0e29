"""The sentence model's optimised copy (components/sentence_embeddings.py, made by set-up)
gives the same vectors, bit for bit, and is used only when it is the copy of the pinned
model made by this onnxruntime."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from components import sentence_embeddings as se

ROOT = Path(__file__).resolve().parents[2]
TOKENIZER = ROOT / "build" / "minilm" / "tokenizer.json"
LINES = [
    line.strip()
    for path in sorted((ROOT / "tests" / "dev").glob("*.txt"))
    for line in path.read_text(encoding="utf-8").splitlines()[:8]
    if line.strip() and not line.startswith("#")
]

pytestmark = pytest.mark.skipif(not TOKENIZER.exists(), reason="make setup puts the tokenizer")


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """A folder with the tokenizer and the optimised copy, and one with the tokenizer alone."""
    with_copy = tmp_path_factory.mktemp("with_copy")
    alone = tmp_path_factory.mktemp("alone")
    for folder in (with_copy, alone):
        shutil.copy(TOKENIZER, folder / "tokenizer.json")
    se.optimise(Path(se.default_model_path()), with_copy)
    return with_copy, alone


def test_the_copy_gives_the_same_vectors_bit_for_bit(folders):
    with_copy, alone = folders
    assert se.optimised_copy(with_copy) == with_copy / se.OPTIMISED
    assert se.optimised_copy(alone) is None
    assert len(LINES) > 50
    fast = se.encoder(tokenizer_path=str(with_copy / "tokenizer.json")).encode(LINES)
    plain = se.encoder(tokenizer_path=str(alone / "tokenizer.json")).encode(LINES)
    assert np.array_equal(fast, plain)


def test_a_copy_made_from_another_model_or_changed_since_is_not_used(folders, tmp_path):
    with_copy, _ = folders
    for name in (se.OPTIMISED, se.OPTIMISED_RECORD):
        shutil.copy(with_copy / name, tmp_path / name)
    assert se.optimised_copy(tmp_path) is not None
    record = json.loads((tmp_path / se.OPTIMISED_RECORD).read_text())
    (tmp_path / se.OPTIMISED_RECORD).write_text(json.dumps({**record, "source_sha256": "0" * 64}))
    assert se.optimised_copy(tmp_path) is None
    (tmp_path / se.OPTIMISED_RECORD).write_text(json.dumps(record))
    with (tmp_path / se.OPTIMISED).open("ab") as f:
        f.write(b"\0")
    assert se.optimised_copy(tmp_path) is None
    (tmp_path / se.OPTIMISED_RECORD).write_text("not json")
    assert se.optimised_copy(tmp_path) is None
