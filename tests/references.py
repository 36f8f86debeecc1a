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

import tiktoken
from tokenizers import Tokenizer

from tokbench.formats.bundle import definition_from_json, read_meta, vocab_from_npz
from tokbench.formats.hf_json import byte_level_encode
from tokbench.registry import DATA_DIR

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
HF_FORMAT = ["llama3", "qwen3", "deepseek_v3", "deepseek_v4"]


@cache
def definition(name: str):  # type: ignore[no-untyped-def]
    meta = read_meta(DATA_DIR / "encodings" / f"{name}.json")
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
        "added_tokens": [
            {
                "id": t.id,
                "content": t.content,
                "single_word": False,
                "lstrip": False,
                "rstrip": False,
                "normalized": t.normalized,
                "special": t.special,
            }
            for t in d.added
        ],
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


@cache
def reference(name: str) -> TiktokenReference | HFReference:
    return TiktokenReference(name) if name in TIKTOKEN_FORMAT else HFReference(name)
