"""Questions to vectors without torch: the same BERT sentence-transformers model, run in numpy.

Importing torch, transformers and sentence-transformers costs seconds, more than answering takes. A
question is a few dozen tokens, and a small BERT model over them is a few matrix products that numpy
does in milliseconds. So questions are encoded here, from the model's own files (`tokenizer.json`,
`model.safetensors`), with the same arithmetic as the model's sentence-transformers pipeline: BERT, mean
pooling, unit length. The index is still built with sentence-transformers; tests check that both give
the same vectors (cosine at least 0.9999).

Only models of that shape are run here (`QueryEncoder.load` returns None for any other), and the caller
falls back to sentence-transformers.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Sequence

import numpy as np

# The pipeline this module reproduces, as sentence-transformers writes it in modules.json.
_PIPELINE = [
    "sentence_transformers.models.Transformer",
    "sentence_transformers.models.Pooling",
    "sentence_transformers.models.Normalize",
]


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _supported(folder: Path) -> bool:
    """Whether sentence-transformers would encode a question in `folder` exactly as this module does:
    BERT, mean pooling, normalisation, and nothing done to the text first (no lower-casing of its own,
    no prompt)."""
    try:
        modules = [module["type"] for module in _read_json(folder / "modules.json")]
        config = _read_json(folder / "config.json")
        pooling = _read_json(folder / "1_Pooling" / "config.json")
        settings_file = folder / "sentence_bert_config.json"
        settings = _read_json(settings_file) if settings_file.is_file() else {}
        prompts_file = folder / "config_sentence_transformers.json"
        prompts = _read_json(prompts_file).get("prompts") if prompts_file.is_file() else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    mean_pooling_only = pooling.get("pooling_mode_mean_tokens") is True and not any(
        value is True for key, value in pooling.items() if key.startswith("pooling_mode_") and "mean_tokens" not in key
    )
    return (
        modules == _PIPELINE
        and config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and config.get("position_embedding_type", "absolute") == "absolute"
        and mean_pooling_only
        and not settings.get("do_lower_case")
        and not any(prompts.values() if isinstance(prompts, dict) else prompts or ())
        and (folder / "tokenizer.json").is_file()
        and (folder / "model.safetensors").is_file()
    )


# Numerical Recipes' Chebyshev fit of erfc, highest power first.
_ERFC_COEFFICIENTS = (
    0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807,
    -0.18628806, 0.09678418, 0.37409196, 1.00002368, -1.26551223,
)


def _erf(x: np.ndarray) -> np.ndarray:
    """The error function to within 1.2e-7 (Numerical Recipes' erfc); numpy has none of its own."""
    z = np.abs(x)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = np.zeros_like(t)
    for coefficient in _ERFC_COEFFICIENTS:
        poly = poly * t + coefficient
    erfc = t * np.exp(-z * z + poly)
    return np.where(x >= 0, 1.0 - erfc, erfc - 1.0)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + eps) * weight + bias


class QueryEncoder:
    """A BERT sentence-transformers model with mean pooling and normalisation, in numpy."""

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = _read_json(folder / "config.json")
        settings_file = folder / "sentence_bert_config.json"
        settings = _read_json(settings_file) if settings_file.is_file() else {}
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        weights = load_file(str(folder / "model.safetensors"))
        # Dense weights transposed once into aligned arrays of their own, which numpy hands straight to
        # BLAS; each layer's query, key and value side by side, so that one product makes all three.
        self.weights = {
            name: np.ascontiguousarray(array.T if array.ndim == 2 and ".layer." in name else array)
            for name, array in weights.items()
        }
        for number in range(self.layers):
            prefix = f"encoder.layer.{number}.attention.self"
            for part in ("weight", "bias"):
                parts = [self.weights.pop(f"{prefix}.{name}.{part}") for name in ("query", "key", "value")]
                self.weights[f"{prefix}.qkv.{part}"] = np.ascontiguousarray(np.concatenate(parts, axis=-1))
        positions = int(config["max_position_embeddings"])
        max_length = min(int(settings.get("max_seq_length") or positions), positions)
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length)
        self.tokenizer.no_padding()

    @classmethod
    def load(cls, folder: str | Path) -> QueryEncoder | None:
        """The encoder for the model in `folder`, or None if the model is not of the shape run here."""
        folder = Path(folder)
        return cls(folder) if folder.is_dir() and _supported(folder) else None

    def _w(self, name: str) -> np.ndarray:
        return self.weights[name]

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self._w(f"{name}.weight") + self._w(f"{name}.bias")

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        return _layer_norm(x, self._w(f"{name}.LayerNorm.weight"), self._w(f"{name}.LayerNorm.bias"), self.eps)

    def _layer(self, x: np.ndarray, number: int) -> np.ndarray:
        prefix = f"encoder.layer.{number}"
        tokens, width = x.shape
        size = width // self.heads

        qkv = self._dense(x, f"{prefix}.attention.self.qkv").reshape(tokens, 3, self.heads, size)
        query, key, value = qkv.transpose(1, 2, 0, 3)
        scores = query @ key.transpose(0, 2, 1) / math.sqrt(size)
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        attention = scores / scores.sum(axis=-1, keepdims=True)
        context = (attention @ value).transpose(1, 0, 2).reshape(tokens, width)
        x = self._norm(self._dense(context, f"{prefix}.attention.output.dense") + x, f"{prefix}.attention.output")
        inner = self._dense(x, f"{prefix}.intermediate.dense")
        inner = 0.5 * inner * (1.0 + _erf(inner / math.sqrt(2.0)))
        return self._norm(self._dense(inner, f"{prefix}.output.dense") + x, f"{prefix}.output")

    def encode_one(self, text: str) -> np.ndarray:
        """The unit-length vector of `text`, as float32."""
        encoding = self.tokenizer.encode(text)
        ids = np.asarray(encoding.ids)
        types = np.asarray(encoding.type_ids)
        x = (
            self._w("embeddings.word_embeddings.weight")[ids]
            + self._w("embeddings.position_embeddings.weight")[: len(ids)]
            + self._w("embeddings.token_type_embeddings.weight")[types]
        )
        x = self._norm(x, "embeddings")
        for number in range(self.layers):
            x = self._layer(x, number)
        pooled = x.mean(axis=0)
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype("float32")

    def whole_words(self, words: Sequence[str]) -> list[bool]:
        """Whether the vocabulary holds each of `words` whole, as one piece: "coast" is a word it knows,
        "redy" one it spells in pieces, as it does a misspelling."""
        return [self.tokenizer.token_to_id(word.lower()) is not None for word in words]

    def word_vectors(self, words: Sequence[str]) -> np.ndarray:
        """One unit-length vector per word, as float32: the mean of its word pieces' input embeddings.

        These are the model's vectors before any context, the ones its first layer reads: words used
        alike in its training data lie close ("penalties", "sanctions"). They cost a lookup, not a run of
        the model, so a whole vocabulary is ready in milliseconds. The unknown piece is left out: words
        the vocabulary cannot spell would otherwise all be the same word. A word of nothing else is zero."""
        table = self._w("embeddings.word_embeddings.weight")
        unknown = self.tokenizer.token_to_id(self.tokenizer.model.unk_token)
        vectors = np.zeros((len(words), table.shape[1]), dtype="float32")
        for row, encoding in enumerate(self.tokenizer.encode_batch(list(words), add_special_tokens=False)):
            pieces = [piece for piece in encoding.ids if piece != unknown]
            if pieces:
                vectors[row] = table[pieces].mean(axis=0)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)
