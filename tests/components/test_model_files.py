"""The MiniLM files are the ones pinned in the repository, checked whenever a process loads them."""

import shutil

import pytest

from components.sentence_embeddings import DEFAULT_TOKENIZER, ROOT, ModelFileChanged, check_files, default_model_path


def test_the_installed_files_are_the_pinned_ones():
    check_files(default_model_path(), str(ROOT / DEFAULT_TOKENIZER))


def test_a_changed_tokenizer_is_refused(tmp_path):
    changed = tmp_path / "tokenizer.json"
    shutil.copy(ROOT / DEFAULT_TOKENIZER, changed)
    changed.write_text(changed.read_text(encoding="utf-8").replace("[UNK]", "[UNK ]", 1), encoding="utf-8")
    with pytest.raises(ModelFileChanged):
        check_files(default_model_path(), str(changed))
