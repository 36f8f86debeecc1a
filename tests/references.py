"""Reference tokenizers (tiktoken, Hugging Face tokenizers) built offline.

tiktoken's own get_encoding downloads its files, so the references are built from the
vocabularies tokbench bundles: tiktoken.Encoding from the ranks, and an equivalent
tokenizer.json for Hugging Face. That the bundle equals the original files is checked
separately (tests/test_bundle.py), against the source files where they are present.
"""

from __future__ import annotations

import json
import os
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import tiktoken
from tokenizers import Tokenizer

from tokbench.formats.bundle import definition_from_json, read_meta, vocab_from_npz
from tokbench.formats.hf_json import byte_level_encode
from tokbench.formats.spm_bundle import spm_definition_from_json
from tokbench.registry import DATA_DIR
from tokbench.spm_definition import SpmDefinition

SHARED = Path(os.environ.get("TOKBENCH_SHARED", Path(__file__).resolve().parents[2] / "shared"))
TOKENIZERS_DIR = SHARED / "tokenizers"
CORPORA_DIR = SHARED / "corpora"
FLORES_DIR = CORPORA_DIR / "flores200_dev"

TIKTOKEN_FORMAT = [
    "o200k_base",
    "o200k_harmony",
    "cl100k_base",
    "p50k_base",
    "p50k_edit",
    "r50k_base",
    "gpt2",
    "mistral_tekken",
    "claude_legacy",
    "qwen3_5",
]
# command_r comes from a GGUF file; its bundle is byte-level BPE like the tokenizer.json ones.
HF_FORMAT = ["llama3", "qwen3", "deepseek_v3", "deepseek_v4", "command_r"]
# SentencePiece-style BPE: the .model ones against sentencepiece on the original file (in the
# shared folder; skipped without it), the tokenizer.json ones against Hugging Face on a
# tokenizer.json rebuilt from the bundle.
SPM_MODEL_FILES = {
    "llama2": "llama2/llama2_from_gguf.model",
    "mistral_spm_v1": "mistral_spm/tokenizer.model.v1",
    "mistral_spm_v3": "mistral_spm/mistral_instruct_tokenizer_240323.model.v3",
    "mistral_spm_v7": "mistral_spm/mistral_instruct_tokenizer_241114.model.v7",
}
SPM_JSON = ["gemma3", "gemma2"]
SPM_FORMAT = [*SPM_JSON, *SPM_MODEL_FILES]


@cache
def spm_definition(name: str) -> SpmDefinition:
    meta = read_meta(DATA_DIR / "encodings" / f"{name}.json")
    return spm_definition_from_json(meta, DATA_DIR / "vocabs" / f"{meta['vocab']}.npz")


@cache
def definition(name: str):  # type: ignore[no-untyped-def]
    meta = read_meta(DATA_DIR / "encodings" / f"{name}.json")
    if meta.get("kind") == "spm_bpe":
        return spm_definition(name)
    return definition_from_json(meta, vocab_from_npz(DATA_DIR / "vocabs" / f"{meta['vocab']}.npz"))


class TiktokenReference:
    """tiktoken with the encoding's normalization and id offset applied around it."""

    def __init__(self, name: str) -> None:
        d = definition(name)
        offset = int(d.info.get("token_id_offset", 0))
        ranks = {b: i - offset for i, b in d.vocab.to_id_bytes().items()}
        self.offset = offset
        self.normalization = d.normalization
        self.enc = tiktoken.Encoding(
            name=f"ref_{name}",
            pat_str=d.stages[0],
            mergeable_ranks=ranks,
            special_tokens=d.special_tokens,
            explicit_n_vocab=d.explicit_n_vocab - offset if d.explicit_n_vocab else None,
        )

    def _norm(self, text: str) -> str:
        return unicodedata.normalize(self.normalization, text) if self.normalization else text

    def encode_ordinary(self, text: str) -> list[int]:
        return [t + self.offset for t in self.enc.encode_ordinary(self._norm(text))]

    def encode_ordinary_batch(self, texts: list[str]) -> list[list[int]]:
        out = self.enc.encode_ordinary_batch([self._norm(t) for t in texts], num_threads=2)
        return [[t + self.offset for t in ids] for ids in out]

    def encode(self, text: str, **kw: Any) -> list[int]:
        return [t + self.offset for t in self.enc.encode(self._norm(text), **kw)]


def added_tokens_json(added: Any) -> list[dict[str, Any]]:
    """The added_tokens list of a tokenizer.json for these AddedTokens."""
    return [
        {
            "id": t.id,
            "content": t.content,
            "single_word": False,
            "lstrip": False,
            "rstrip": False,
            "normalized": t.normalized,
            "special": t.special,
        }
        for t in added
    ]


@cache
def hf_json_from_bundle(name: str) -> str:
    """A tokenizer.json equivalent to the bundled definition (byte-level BPE)."""
    d = definition(name)
    by_id = d.vocab.to_id_bytes()
    vocab = {byte_level_encode(b): i for i, b in by_id.items()}
    for i, raw in d.extra_decode.items():
        vocab[raw.decode("utf-8")] = i
    # Added tokens whose ids lie inside the vocabulary's range were vocabulary entries in the
    # source (DeepSeek's ids 0-2); put them back so that Hugging Face keeps their ids.
    for t in d.added:
        if t.id < d.vocab.n_ids and t.id not in by_id:
            vocab.setdefault(t.content, t.id)
    id_to_str = {i: s for s, i in vocab.items()}
    merges = [[id_to_str[int(a)], id_to_str[int(b)]] for a, b in d.vocab.merges]
    steps: list[dict[str, Any]] = [
        {"type": "Split", "pattern": {"Regex": p}, "behavior": "Isolated", "invert": False}
        for p in d.stages
    ]
    steps.append(
        {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}
    )
    data = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added_tokens_json(d.added),
        "normalizer": {"type": d.normalization} if d.normalization else None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": steps},
        "post_processor": None,
        "decoder": {
            "type": "ByteLevel",
            "add_prefix_space": False,
            "trim_offsets": False,
            "use_regex": False,
        },
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": d.whole_piece_first,
            "vocab": vocab,
            "merges": merges,
        },
    }
    return json.dumps(data, ensure_ascii=False)


class HFReference:
    """Hugging Face tokenizers with encode_special_tokens=True and no BOS/EOS."""

    def __init__(self, name: str, tokenizer_json: str | None = None) -> None:
        self.tok = Tokenizer.from_str(tokenizer_json or hf_json_from_bundle(name))
        self.tok.encode_special_tokens = True

    def encode_ordinary(self, text: str) -> list[int]:
        return list(self.tok.encode(text, add_special_tokens=False).ids)

    def encode_ordinary_batch(self, texts: list[str]) -> list[list[int]]:
        return [list(e.ids) for e in self.tok.encode_batch(texts, add_special_tokens=False)]


class SentencePieceReference:
    """sentencepiece on the original .model file (skips the test when it is absent)."""

    def __init__(self, name: str) -> None:
        import sentencepiece

        path = TOKENIZERS_DIR / SPM_MODEL_FILES[name]
        if not path.is_file():
            pytest.skip(f"no {path} (the shared tokenizers folder)")
        self.sp = sentencepiece.SentencePieceProcessor(model_file=str(path))

    def encode_ordinary(self, text: str) -> list[int]:
        return list(self.sp.encode(text))

    def encode_ordinary_batch(self, texts: list[str]) -> list[list[int]]:
        return [list(ids) for ids in self.sp.encode(texts, num_threads=2)]


@cache
def hf_spm_json_from_bundle(name: str) -> str:
    """A tokenizer.json equivalent to a bundled SentencePiece-style definition."""
    d = spm_definition(name)
    vocab = {b.decode("utf-8"): i for i, b in d.pieces.to_id_bytes().items()}
    id_to_str = {i: s for s, i in vocab.items()}
    assert d.pieces.merges is not None
    merges = [[id_to_str[a], id_to_str[b]] for a, b in d.pieces.merges.tolist()]
    replace = {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}
    prepend = [{"type": "Prepend", "prepend": "\u2581"}] if d.dummy_prefix else []
    strip = [{"type": "Strip", "content": " ", "start": 1, "stop": 0}]
    data = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added_tokens_json(d.added),
        "normalizer": {"type": "Sequence", "normalizers": [*prepend, replace]},
        "pre_tokenizer": None,
        "post_processor": None,
        "decoder": {
            "type": "Sequence",
            "decoders": [
                {"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "},
                {"type": "ByteFallback"},
                {"type": "Fuse"},
                *(strip if d.strip_leading_space else []),
            ],
        },
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": id_to_str.get(d.unk_id) if d.unk_id is not None else None,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": d.fuse_unk,
            "byte_fallback": len(d.byte_ids) > 0,
            "ignore_merges": False,
            "vocab": vocab,
            "merges": merges,
        },
    }
    return json.dumps(data, ensure_ascii=False)


@cache
def reference(name: str) -> TiktokenReference | HFReference | SentencePieceReference:
    if name in TIKTOKEN_FORMAT:
        return TiktokenReference(name)
    if name in SPM_MODEL_FILES:
        return SentencePieceReference(name)
    if name in SPM_JSON:
        return HFReference(name, hf_spm_json_from_bundle(name))
    return HFReference(name)
