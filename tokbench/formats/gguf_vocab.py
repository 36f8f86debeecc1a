"""A GGUF vocabulary as the Hugging Face tokenizer.json it was converted from.

llama.cpp's converter writes the tokens, token types, merges or scores, and the special-token
ids of a model's tokenizer into GGUF metadata. Rebuilding the tokenizer.json from them gives
one description that both of tokbench's paths read: hf_json.parse turns a byte-level BPE one
into a native definition, and Hugging Face tokenizers runs the rest (`reference` path).

Model types (`tokenizer.ggml.model`):
- "gpt2": byte-level BPE with merges; the pre-tokenizer comes from `tokenizer.ggml.pre`
  (gguf_pre.py).
- "llama": SentencePiece BPE (scores, byte-fallback tokens <0xNN>); the merges are derived
  from the scores, as Hugging Face's SentencePiece converter does.
- "gemma4": SentencePiece BPE with its merges stored (Gemma 3/4 style: no dummy prefix).
- "t5": SentencePiece Unigram (scores, precompiled normalization map).
- "bert": WordPiece (## continuation, lowercasing BERT normalizer).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import UnsupportedTokenizerError, VocabError
from .gguf_pre import pipeline_for

# llama.cpp token types.
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6

# Ids llama.cpp's converter invents to pad a vocabulary to the model's embedding size; they
# are not tokens of the original tokenizer, so they are never matched in text.
_PADDING = re.compile(r"\[PAD\d+\]")
# BERT's reserved "[unusedN]" tokens are stored bare by llama.cpp, as in the original.
_UNUSED = re.compile(r"\[unused\d+\]")

MODEL_TYPES = ("gpt2", "llama", "gemma4", "t5", "bert")


@dataclass(frozen=True)
class GgufVocab:
    """The tokenizer metadata of a GGUF file."""

    source: str
    model: str
    pre: str | None
    architecture: str | None
    tokens: list[str]
    types: npt.NDArray[np.int32]
    scores: npt.NDArray[np.float32] | None
    merges: list[str] | None
    special_ids: dict[str, int]
    add_bos: bool | None
    add_eos: bool | None
    add_space_prefix: bool | None
    remove_extra_whitespaces: bool | None
    charsmap: bytes | None

    @classmethod
    def from_metadata(cls, meta: dict[str, Any], *, source: str) -> GgufVocab:
        """Raises VocabError for missing or inconsistent tokenizer keys."""

        def get(key: str, kind: type | tuple[type, ...], required: bool = False) -> Any:
            value = meta.get(f"tokenizer.ggml.{key}")
            if value is None:
                if required:
                    msg = (
                        f"{source}: the GGUF file has no tokenizer.ggml.{key}; it is not a "
                        "tokenizer vocabulary (or was converted without one)"
                    )
                    raise VocabError(msg)
                return None
            if not isinstance(value, kind):
                msg = f"{source}: tokenizer.ggml.{key} has the wrong type ({type(value).__name__})"
                raise VocabError(msg)
            return value

        model = get("model", str, required=True)
        tokens = get("tokens", list, required=True)
        n = len(tokens)
        types = get("token_type", np.ndarray)
        if types is None:
            types = np.full(n, NORMAL, dtype=np.int32)
        scores = get("scores", np.ndarray)
        for key, arr in (("token_type", types), ("scores", scores)):
            if arr is not None and len(arr) != n:
                msg = f"{source}: tokenizer.ggml.{key} has {len(arr)} entries for {n} tokens"
                raise VocabError(msg)
        special_ids = {}
        for role in ("bos", "eos", "unknown", "padding", "seperator", "cls", "mask"):
            value = meta.get(f"tokenizer.ggml.{role}_token_id")
            if value is not None:
                if not 0 <= int(value) < n:
                    msg = f"{source}: tokenizer.ggml.{role}_token_id {value} is not a token id"
                    raise VocabError(msg)
                special_ids[role] = int(value)
        charsmap = get("precompiled_charsmap", np.ndarray)
        arch = meta.get("general.architecture")
        return cls(
            source=source,
            model=model,
            pre=get("pre", str),
            architecture=arch if isinstance(arch, str) else None,
            tokens=tokens,
            types=types.astype(np.int32),
            scores=None if scores is None else scores.astype(np.float32),
            merges=get("merges", list),
            special_ids=special_ids,
            add_bos=get("add_bos_token", bool),
            add_eos=get("add_eos_token", bool),
            add_space_prefix=get("add_space_prefix", bool),
            remove_extra_whitespaces=get("remove_extra_whitespaces", bool),
            charsmap=None if charsmap is None else charsmap.astype(np.uint8).tobytes(),
        )

    # -- pieces of a tokenizer.json ------------------------------------------------------

    def _need(self, what: str, value: Any) -> Any:
        if value is None:
            msg = f"{self.source}: a {self.model!r} vocabulary needs tokenizer.ggml.{what}"
            raise VocabError(msg)
        return value

    def _token(self, role: str, fallback: str) -> str:
        i = self.special_ids.get(role)
        return self.tokens[i] if i is not None else fallback

    def vocab_dict(self) -> dict[str, int]:
        vocab: dict[str, int] = {}
        for i, token in enumerate(self.tokens):
            vocab.setdefault(token, i)  # a repeated string keeps its first id
        return vocab

    def added_tokens(self) -> list[dict[str, Any]]:
        """Control and unknown tokens as special added tokens; user-defined ones as
        added tokens that are always matched (Hugging Face's special=false). SentencePiece
        conversions match them in the raw text (normalized=false, as Llama's and Gemma's
        tokenizer.json do); byte-level ones in the normalized text (GPT-NeoX's space runs)."""
        in_normalized = self.model == "gpt2"
        out = []
        for i in np.nonzero(np.isin(self.types, (UNKNOWN, CONTROL, USER_DEFINED)))[0].tolist():
            token = self.tokens[i]
            kind = int(self.types[i])
            if kind == USER_DEFINED and _PADDING.fullmatch(token):
                continue
            out.append(
                {
                    "id": i,
                    "content": token,
                    "single_word": False,
                    "lstrip": False,
                    "rstrip": False,
                    "normalized": kind == USER_DEFINED and in_normalized,
                    "special": kind != USER_DEFINED,
                }
            )
        return out

    def merge_pairs(self) -> list[list[str]]:
        pairs = []
        for k, merge in enumerate(self._need("merges", self.merges)):
            # A left piece may start with a space, so split at the first space after it.
            cut = merge.find(" ", 1)
            if cut < 0:
                msg = f"{self.source}: merge {k} ({merge!r}) is not two pieces"
                raise VocabError(msg)
            pairs.append([merge[:cut], merge[cut + 1 :]])
        return pairs

    def merges_from_scores(self) -> list[list[str]]:
        """SentencePiece BPE merges in priority order: every split of a normal piece into two
        normal pieces, ranked by the merged piece's score (higher first), then by ids."""
        scores = self._need("scores", self.scores)
        normal = {t: i for i, t in enumerate(self.tokens) if self.types[i] == NORMAL}
        found = []
        for piece, i in normal.items():
            for cut in range(1, len(piece)):
                left, right = piece[:cut], piece[cut:]
                j = normal.get(left)
                k = normal.get(right)
                if j is not None and k is not None:
                    found.append((-float(scores[i]), i, j, k, left, right))
        found.sort()
        return [[left, right] for *_, left, right in found]

    # -- the tokenizer.json ----------------------------------------------------------------

    def tokenizer_json(self) -> dict[str, Any]:
        """The Hugging Face tokenizer.json this vocabulary was converted from (as far as
        the GGUF file records it).

        Raises:
            UnsupportedTokenizerError: a model type or pre-tokenizer tokbench does not know.
            VocabError: metadata the model type needs is missing.
        """
        build = {
            "gpt2": self._byte_level_bpe,
            "llama": self._spm_bpe,
            "gemma4": self._spm_bpe,
            "t5": self._unigram,
            "bert": self._wordpiece,
        }.get(self.model)
        if build is None:
            msg = (
                f"{self.source}: GGUF tokenizer model {self.model!r} is not supported "
                f"(tokbench reads {', '.join(MODEL_TYPES)})"
            )
            raise UnsupportedTokenizerError(msg)
        data: dict[str, Any] = {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "post_processor": None,
        }
        data.update(build())
        data["added_tokens"] = self.added_tokens()
        return data

    def _bpe_model(
        self, merges: list[list[str]], *, unk: str | None, ignore_merges: bool = False
    ) -> dict[str, Any]:
        """A BPE model; with an unknown token it is SentencePiece-style (byte fallback)."""
        return {
            "type": "BPE",
            "dropout": None,
            "unk_token": unk,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": unk is not None,
            "byte_fallback": unk is not None,
            "ignore_merges": ignore_merges,
            "vocab": self.vocab_dict(),
            "merges": merges,
        }

    def _byte_level_bpe(self) -> dict[str, Any]:
        pipeline = pipeline_for(self.pre, self.architecture, source=self.source)
        return {
            "normalizer": pipeline.normalizer,
            "pre_tokenizer": pipeline.pre_tokenizer(),
            "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True},
            "model": self._bpe_model(
                self.merge_pairs(), unk=None, ignore_merges=pipeline.ignore_merges
            ),
        }

    def _spm_bpe(self) -> dict[str, Any]:
        # Llama-style files default to SentencePiece's dummy prefix; Gemma's record False.
        prefix = self.add_space_prefix if self.add_space_prefix is not None else True
        replace = {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}
        normalizer: dict[str, Any] = replace
        if prefix:
            normalizer = {
                "type": "Sequence",
                "normalizers": [{"type": "Prepend", "prepend": "\u2581"}, replace],
            }
        merges = self.merge_pairs() if self.merges is not None else self.merges_from_scores()
        decoders: list[dict[str, Any]] = [
            {"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "},
            {"type": "ByteFallback"},
            {"type": "Fuse"},
        ]
        if prefix:
            decoders.append({"type": "Strip", "content": " ", "start": 1, "stop": 0})
        return {
            "normalizer": normalizer,
            "pre_tokenizer": None,
            "decoder": {"type": "Sequence", "decoders": decoders},
            "model": self._bpe_model(merges, unk=self._token("unknown", "<unk>")),
        }

    def _unigram(self) -> dict[str, Any]:
        scores = self._need("scores", self.scores)
        normalizers: list[dict[str, Any]] = []
        if self.charsmap:
            charsmap = base64.b64encode(self.charsmap).decode("ascii")
            normalizers.append({"type": "Precompiled", "precompiled_charsmap": charsmap})
        if self.remove_extra_whitespaces is not False:
            normalizers.append({"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "})
        prefix = self.add_space_prefix is not False
        return {
            "normalizer": {"type": "Sequence", "normalizers": normalizers},
            "pre_tokenizer": {
                "type": "Metaspace",
                "replacement": "\u2581",
                "prepend_scheme": "always" if prefix else "never",
                "split": True,
            },
            "decoder": {
                "type": "Metaspace",
                "replacement": "\u2581",
                "prepend_scheme": "always" if prefix else "never",
                "split": True,
            },
            "model": {
                "type": "Unigram",
                "unk_id": self.special_ids.get("unknown"),
                "vocab": [[t, float(s)] for t, s in zip(self.tokens, scores.tolist(), strict=True)],
                "byte_fallback": False,
            },
        }

    def wordpiece_vocab(self) -> dict[str, int]:
        """llama.cpp stores a word-initial WordPiece token with a leading '▁' and a
        continuation token bare; Hugging Face writes them bare and with '##'."""
        vocab: dict[str, int] = {}
        for i, token in enumerate(self.tokens):
            if self.types[i] == NORMAL:
                if token.startswith("\u2581"):
                    token = token[1:]
                elif not _UNUSED.fullmatch(token):
                    token = "##" + token
            vocab.setdefault(token, i)
        return vocab

    def _wordpiece(self) -> dict[str, Any]:
        return {
            "normalizer": {
                "type": "BertNormalizer",
                "clean_text": True,
                "handle_chinese_chars": True,
                "strip_accents": None,
                "lowercase": True,
            },
            "pre_tokenizer": {"type": "BertPreTokenizer"},
            "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
            "model": {
                "type": "WordPiece",
                "unk_token": self._token("unknown", "[UNK]"),
                "continuing_subword_prefix": "##",
                "max_input_chars_per_word": 100,
                "vocab": self.wordpiece_vocab(),
            },
        }
