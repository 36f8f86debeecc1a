"""tokbench.Encoding: tiktoken's API, plus counting that never builds token lists."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from .backends import Backend
from .errors import DisallowedSpecialTokenError, TokenIdError

AllowedSpecial = Literal["all"] | Collection[str]


@lru_cache(maxsize=128)
def _special_regex(tokens: frozenset[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True)))


class Encoding:
    """A tokenizer: text to token ids and back, and token counts.

    Use tokbench.get_encoding(name) or tokbench.load(path) rather than the constructor.
    Instances are immutable and thread-safe; batch methods run on several threads with the
    GIL released.

    Attributes:
        name: the encoding's name (e.g. "o200k_base").
        path: "native" when tokbench's C++ core runs it, "reference" when the reference
            library (Hugging Face tokenizers) does.
        info: provenance of the vocabulary (source file, sha256, package, license, models).
    """

    def __init__(
        self,
        name: str,
        backend: Backend,
        *,
        special_tokens: dict[str, int],
        pattern: str | None,
        info: dict[str, Any] | None = None,
    ) -> None:
        self.name = name
        self._backend = backend
        self._special_tokens = dict(special_tokens)
        self.pattern = pattern
        self.info: dict[str, Any] = dict(info or {})

    def __repr__(self) -> str:
        return f"<Encoding {self.name!r} ({self.path})>"

    # -- properties -------------------------------------------------------------------

    @property
    def path(self) -> str:
        return self._backend.path

    @property
    def n_vocab(self) -> int:
        """Number of ids: the largest id plus one, as in tiktoken."""
        return self._backend.n_vocab

    @property
    def max_token_value(self) -> int:
        return self.n_vocab - 1

    @property
    def special_tokens_set(self) -> set[str]:
        return set(self._special_tokens)

    @property
    def eot_token(self) -> int:
        try:
            return self._special_tokens["<|endoftext|>"]
        except KeyError:
            msg = f"{self.name} has no <|endoftext|> token"
            raise AttributeError(msg) from None

    # -- counting ---------------------------------------------------------------------

    def count(self, text: str) -> int:
        """Number of tokens in `text`, without building the token list.

        Special-token text (e.g. "<|endoftext|>") counts as plain text, as in
        encode_ordinary(); for Hugging Face tokenizers, added tokens that are not special
        are still matched, as Hugging Face does. No BOS/EOS is added.

        >>> import tokbench
        >>> tokbench.get_encoding("o200k_base").count("hello world")
        2
        """
        return self._backend.count(text)

    def count_batch(
        self, texts: Sequence[str], *, num_threads: int | None = None
    ) -> npt.NDArray[np.uint64]:
        """Token counts of many texts (as count()), on `num_threads` threads (None: all
        cores). The result does not depend on the number of threads.

        >>> import tokbench
        >>> tokbench.get_encoding("cl100k_base").count_batch(["a b", "hello"]).tolist()
        [2, 1]
        """
        return self._backend.count_batch(texts, num_threads)

    # -- encoding ---------------------------------------------------------------------

    def _allowed(
        self,
        text_or_texts: str | Sequence[str],
        allowed_special: AllowedSpecial,
        disallowed_special: AllowedSpecial,
    ) -> frozenset[str]:
        specials = frozenset(self._special_tokens)
        allowed = specials if allowed_special == "all" else frozenset(allowed_special) & specials
        disallowed = (
            specials - allowed if disallowed_special == "all" else frozenset(disallowed_special)
        )
        if disallowed:
            texts = [text_or_texts] if isinstance(text_or_texts, str) else text_or_texts
            regex = _special_regex(disallowed)
            for text in texts:
                if m := regex.search(text):
                    raise _disallowed(m.group())
        return allowed

    def encode(
        self,
        text: str,
        *,
        allowed_special: AllowedSpecial = frozenset(),
        disallowed_special: AllowedSpecial = "all",
    ) -> list[int]:
        """Token ids of `text`, with tiktoken's special-token rules.

        Special-token text raises DisallowedSpecialTokenError unless it is allowed (it is
        then encoded as the special token) or not disallowed (then it is plain text).

        Raises:
            DisallowedSpecialTokenError: the text contains a disallowed special token.

        >>> import tokbench
        >>> enc = tokbench.get_encoding("o200k_base")
        >>> enc.encode("hi<|endoftext|>", allowed_special="all")
        [3686, 199999]
        """
        allowed = self._allowed(text, allowed_special, disallowed_special)
        return self._backend.encode(text, allowed)

    def encode_ordinary(self, text: str) -> list[int]:
        """Token ids of `text`, with special-token text encoded as plain text."""
        return self._backend.encode(text, frozenset())

    def encode_to_numpy(
        self,
        text: str,
        *,
        allowed_special: AllowedSpecial = frozenset(),
        disallowed_special: AllowedSpecial = "all",
    ) -> npt.NDArray[np.uint32]:
        """As encode(), as a uint32 numpy array (no Python list is built)."""
        allowed = self._allowed(text, allowed_special, disallowed_special)
        return self._backend.encode_to_numpy(text, allowed)

    def encode_batch(
        self,
        texts: Sequence[str],
        *,
        num_threads: int | None = None,
        allowed_special: AllowedSpecial = frozenset(),
        disallowed_special: AllowedSpecial = "all",
    ) -> list[list[int]]:
        """encode() for many texts, on `num_threads` threads (None: all cores)."""
        allowed = self._allowed(texts, allowed_special, disallowed_special)
        return self._backend.encode_batch(texts, num_threads, allowed)

    def encode_ordinary_batch(
        self, texts: Sequence[str], *, num_threads: int | None = None
    ) -> list[list[int]]:
        """encode_ordinary() for many texts."""
        return self._backend.encode_batch(texts, num_threads, frozenset())

    # -- decoding ---------------------------------------------------------------------

    def decode_bytes(self, tokens: Sequence[int]) -> bytes:
        """The bytes the tokens stand for. Raises TokenIdError for an unknown id."""
        return self._backend.decode_bytes(tokens)

    def decode(self, tokens: Sequence[int], errors: str = "replace") -> str:
        """The text the tokens stand for; invalid UTF-8 is handled per `errors`."""
        return self.decode_bytes(tokens).decode("utf-8", errors=errors)

    def decode_single_token_bytes(self, token: int) -> bytes:
        b = self._backend.token_bytes(token)
        if b is None:
            msg = f"token id {token} is not in {self.name} (n_vocab {self.n_vocab})"
            raise TokenIdError(msg)
        return b

    def decode_tokens_bytes(self, tokens: Sequence[int]) -> list[bytes]:
        return [self.decode_single_token_bytes(t) for t in tokens]


def _disallowed(token: str) -> DisallowedSpecialTokenError:
    return DisallowedSpecialTokenError(
        f"Encountered text corresponding to disallowed special token {token!r}.\n"
        "If you want this text to be encoded as a special token, pass it to `allowed_special`, "
        f"e.g. `allowed_special={{{token!r}, ...}}`.\n"
        "If you want this text to be encoded as normal text, disable the check for this token "
        f"by passing `disallowed_special=(enc.special_tokens_set - {{{token!r}}})`.\n"
        "To disable this check for all special tokens, pass `disallowed_special=()`.\n"
    )
