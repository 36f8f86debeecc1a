"""The reference backend: Hugging Face `tokenizers` runs a tokenizer.json that the native core
cannot (yet). Slower, but the same ids as the reference by construction."""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from tokenizers import Tokenizer

from ..definition import AddedToken
from ..errors import TokenIdError
from ..formats.hf_json import byte_level_decode, byte_level_encode
from . import Path, Utf8Spans
from .literals import split_literals


class ReferenceBackend:
    path: Path = "reference"

    def __init__(self, tokenizer_json: str) -> None:
        data = json.loads(tokenizer_json)
        # Two instances, since encode_special_tokens is a setting of the instance: one that
        # treats special-token text as text (count, encode_ordinary), one that matches it.
        self._plain = Tokenizer.from_str(tokenizer_json)
        self._plain.encode_special_tokens = True
        self._plain.no_truncation()
        self._plain.no_padding()
        self._with_specials = Tokenizer.from_str(tokenizer_json)
        self._with_specials.no_truncation()
        self._with_specials.no_padding()
        self._specials = {
            t["content"]: AddedToken(t["content"], int(t["id"]))
            for t in data.get("added_tokens") or []
            if t.get("special")
        }
        self._byte_level = (data.get("decoder") or {}).get("type") == "ByteLevel"
        self.n_vocab: int = self._plain.get_vocab_size(with_added_tokens=True)

    def _ids(self, text: str) -> list[int]:
        return list(self._plain.encode(text, add_special_tokens=False).ids)

    def encode(self, text: str, allowed: frozenset[str]) -> list[int]:
        if not allowed:
            return self._ids(text)
        if allowed == frozenset(self._specials):
            # Hugging Face itself, so that lstrip/rstrip/single_word behave as it defines.
            return list(self._with_specials.encode(text, add_special_tokens=False).ids)
        # A subset: the allowed tokens are split out here, the rest is Hugging Face's.
        ids: list[int] = []
        for stretch, token in split_literals(text, [self._specials[s] for s in allowed]):
            ids.extend([token] if token is not None else self._ids(stretch))
        return ids

    def encode_to_numpy(self, text: str, allowed: frozenset[str]) -> npt.NDArray[np.uint32]:
        return np.asarray(self.encode(text, allowed), dtype=np.uint32)

    def count(self, text: str) -> int:
        return len(self._ids(text))

    def count_batch(self, texts: Sequence[str], num_threads: int | None) -> npt.NDArray[np.uint64]:
        encodings = self._plain.encode_batch(list(texts), add_special_tokens=False)
        return np.fromiter((len(e.ids) for e in encodings), dtype=np.uint64, count=len(texts))

    def count_spans(self, spans: Utf8Spans, num_threads: int | None) -> None:
        return None  # Hugging Face tokenizers takes str

    def encode_batch(
        self, texts: Sequence[str], num_threads: int | None, allowed: frozenset[str]
    ) -> list[list[int]]:
        if not allowed:
            return [
                list(e.ids) for e in self._plain.encode_batch(list(texts), add_special_tokens=False)
            ]
        return [self.encode(t, allowed) for t in texts]

    def token_bytes(self, token: int) -> bytes | None:
        piece = self._plain.id_to_token(token)
        if piece is None:
            return None
        if self._byte_level:
            raw = byte_level_decode(piece)
            if raw is not None:
                return raw
        return str(piece).encode("utf-8")

    def token_id(self, token: bytes) -> int | None:
        piece = byte_level_encode(token) if self._byte_level else token.decode("utf-8", "replace")
        found = self._plain.token_to_id(piece)
        return None if found is None else int(found)

    def token_byte_values(self) -> list[bytes]:
        out = []
        for i in range(self._plain.get_vocab_size(with_added_tokens=False)):
            b = self.token_bytes(i)
            if b is not None:
                out.append(b)
        return out

    def decode_bytes(self, tokens: Sequence[int]) -> bytes:
        if not self._byte_level:
            return str(self._plain.decode(list(tokens), skip_special_tokens=False)).encode("utf-8")
        out = bytearray()
        for t in tokens:
            b = self.token_bytes(t) if isinstance(t, int) and t >= 0 else None
            if b is None:
                msg = f"token id {t} is not in the vocabulary (n_vocab {self.n_vocab})"
                raise TokenIdError(msg)
            out += b
        return bytes(out)
