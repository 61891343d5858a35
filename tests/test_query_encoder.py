"""Questions encoded in numpy match sentence-transformers, and answering a question never imports torch."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qa.embed import Embedder, _load_path
from qa.query_encoder import QueryEncoder

from conftest import DATA, ROOT

MODEL_FOLDER = Path(_load_path(Embedder().model_name))


def _questions() -> list[str]:
    questions = [
        json.loads(line)["question"]
        for name in ("questions.jsonl", "calibration.jsonl")
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
    ]
    return questions + [
        "Was sagte Stoltenberg über den Dialog?",  # other languages and scripts
        "Что сказал Столтенберг?",
        "¿Qué dijo Baerbock? 🤔",
        "a",
        "word " * 400,  # past the model's 256 tokens: both truncate
    ]


@pytest.mark.slow
def test_numpy_vectors_match_sentence_transformers(embedder):
    encoder = QueryEncoder.load(MODEL_FOLDER)
    assert encoder is not None
    questions = _questions()
    ours = np.stack([encoder.encode_one(question) for question in questions])
    theirs = embedder.encode(questions)
    assert ours.dtype == np.float32 and ours.shape == theirs.shape
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() >= 0.9999, questions[int(cosines.argmin())]


def _model_copy(tmp_path: Path) -> Path:
    """The bundled model's folder, its weights linked rather than copied."""
    folder = tmp_path / "model"
    shutil.copytree(MODEL_FOLDER, folder, ignore=shutil.ignore_patterns("model.safetensors"))
    (folder / "model.safetensors").symlink_to(MODEL_FOLDER / "model.safetensors")
    return folder


@pytest.mark.parametrize(
    "change",
    [
        lambda f: (f / "1_Pooling" / "config.json").write_text(
            json.dumps({"word_embedding_dimension": 384, "pooling_mode_cls_token": True})
        ),
        lambda f: (f / "modules.json").write_text(json.dumps([{"type": "sentence_transformers.models.Transformer"}])),
        lambda f: (f / "config.json").write_text(json.dumps({"model_type": "roberta", "hidden_act": "gelu"})),
        lambda f: (f / "tokenizer.json").unlink(),
        lambda f: (f / "modules.json").write_text("{not json"),
        lambda f: (f / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 256, "do_lower_case": True})),
        lambda f: (f / "config_sentence_transformers.json").write_text(json.dumps({"prompts": {"query": "query: "}})),
    ],
    ids=["cls-pooling", "no-normalize", "not-bert", "no-fast-tokenizer", "broken-modules", "lower-cases", "prompt"],
)
def test_other_model_shapes_are_left_to_sentence_transformers(tmp_path, change):
    folder = _model_copy(tmp_path)
    assert QueryEncoder.load(folder) is not None
    change(folder)
    assert QueryEncoder.load(folder) is None


@pytest.mark.slow
def test_a_model_of_another_shape_still_encodes_questions(tmp_path, embedder):
    folder = _model_copy(tmp_path)
    (folder / "1_Pooling" / "config.json").write_text(
        json.dumps({"word_embedding_dimension": 384, "pooling_mode_cls_token": True})
    )
    other = Embedder(str(folder))
    question = "What did Stoltenberg say about dialogue?"
    vector = other.encode_query(question)
    assert np.allclose(vector, other.encode([question])[0], atol=1e-6)
    assert float(vector @ embedder.encode([question])[0]) < 0.99  # CLS pooling: truly another model


@pytest.mark.slow
def test_answering_a_question_imports_neither_torch_nor_sentence_transformers():
    code = (
        "import sys, qa\n"
        "answer = qa.ask('What did Stoltenberg say about dialogue?')\n"
        "print(answer.found, sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "True []"
