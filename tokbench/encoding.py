"""tokbench.Encoding: tiktoken's API, plus counting that never builds token lists."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from .backends import Backend, Utf8Spans
from .errors import DisallowedSpecialTokenError, TokenIdError

AllowedSpecial = Literal["all"] | Collection[str]


@lru_cache(maxsize=128)
def _special_regex(tokens: frozenset[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True)))


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        msg = f"expected str, got {type(text).__name__}"
        raise TypeError(msg)
    return text


def _check_texts(texts: Iterable[str]) -> Sequence[str]:
    """An ordered sequence of str (a generator is read once, into a list)."""
    if isinstance(texts, (str, bytes)):
        msg = f"expected a sequence of str, got a single {type(texts).__name__} (wrap it in a list)"
        raise TypeError(msg)
    if isinstance(texts, (set, frozenset, dict)):
        msg = f"expected an ordered sequence of str, got a {type(texts).__name__}"
        raise TypeError(msg)
    # The elements are checked where they are read (the core raises TypeError for a non-str).
    return texts if isinstance(texts, (list, tuple)) else list(texts)


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
        factory: tuple[Any, tuple[Any, ...]] | None = None,
        bos_eos: tuple[Sequence[int], Sequence[int]] = ((), ()),
    ) -> None:
        self.name = name
        self._n_added_by_post_processor = len(bos_eos[0]) + len(bos_eos[1])
        self._backend = backend
        self._special_tokens = dict(special_tokens)
        self._special_ids = frozenset(self._special_tokens.values())
        self._specials = frozenset(self._special_tokens)
        self._factory = factory
        self.pattern = pattern
        self.info: dict[str, Any] = dict(info or {})

    def __repr__(self) -> str:
        return f"<Encoding {self.name!r} ({self.path})>"

    # -- properties -------------------------------------------------------------------

    @property
    def path(self) -> str:
        return self._backend.path

    @property
    def exact(self) -> bool:
        """True: the ids and counts are the tokenizer's own (on either path). Estimated
        encodings of closed tokenizers (tokbench.EstimatedEncoding) say False."""
        return True

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

    def count(self, text: str, *, add_special_tokens: bool = False) -> int:
        """Number of tokens in `text`, without building the token list.

        Special-token text (e.g. "<|endoftext|>") counts as plain text, as in
        encode_ordinary(); for Hugging Face tokenizers, added tokens that are not special
        are still matched, as Hugging Face does. No BOS/EOS is added unless
        `add_special_tokens` is true: then the tokens the model's post-processor puts around
        a text count too (Llama 2, Gemma, Mistral: BOS; tiktoken encodings: none).

        >>> import tokbench
        >>> tokbench.get_encoding("o200k_base").count("hello world")
        2
        """
        n = self._backend.count(_check_text(text))
        return n + self._n_added_by_post_processor if add_special_tokens else n

    def count_batch(
        self,
        texts: Iterable[str],
        *,
        num_threads: int | None = None,
        add_special_tokens: bool = False,
    ) -> npt.NDArray[np.uint64]:
        """Token counts of many texts (as count()), on `num_threads` threads (None: all
        cores), with the GIL released. The result does not depend on the number of threads.

        >>> import tokbench
        >>> tokbench.get_encoding("cl100k_base").count_batch(["a b", "hello"]).tolist()
        [2, 1]
        """
        counts = self._backend.count_batch(_check_texts(texts), _check_threads(num_threads))
        if add_special_tokens and self._n_added_by_post_processor:
            counts += np.uint64(self._n_added_by_post_processor)
        return counts

    def _count_spans(
        self, spans: Utf8Spans, *, num_threads: int | None = None
    ) -> npt.NDArray[np.uint64] | None:
        """count_batch() of texts given as byte ranges of one buffer of valid UTF-8 (as
        tokbench._core.line_spans finds them), counted in place: no str objects and no UTF-8
        conversion. None when this encoding needs the texts as str (it normalizes, or
        pre-tokenizes in Python): then decode them and call count_batch()."""
        return self._backend.count_spans(spans, _check_threads(num_threads))

    # -- encoding ---------------------------------------------------------------------

    def _allowed(
        self,
        texts: Sequence[str],
        allowed_special: AllowedSpecial,
        disallowed_special: AllowedSpecial,
    ) -> frozenset[str]:
        """tiktoken's rule: the allowed special tokens, after checking that no text holds a
        disallowed one."""
        specials = self._specials
        if (
            type(allowed_special) is frozenset
            and not allowed_special
            and disallowed_special == "all"
        ):
            # The defaults, made short: a call on a short text costs well under a microsecond.
            allowed: frozenset[str] = frozenset()
            disallowed = specials
        else:
            for value, name in (
                (allowed_special, "allowed_special"),
                (disallowed_special, "disallowed_special"),
            ):
                if isinstance(value, str) and value != "all":
                    msg = f'{name} must be "all" or a collection of strings, not the str {value!r}'
                    raise TypeError(msg)
            allowed = (
                specials if allowed_special == "all" else frozenset(allowed_special) & specials
            )
            disallowed = (
                specials - allowed if disallowed_special == "all" else frozenset(disallowed_special)
            )
        if disallowed:
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
        allowed = self._allowed([_check_text(text)], allowed_special, disallowed_special)
        return self._backend.encode(text, allowed)

    def encode_ordinary(self, text: str) -> list[int]:
        """Token ids of `text`, with special-token text encoded as plain text."""
        return self._backend.encode(_check_text(text), frozenset())

    def encode_to_numpy(
        self,
        text: str,
        *,
        allowed_special: AllowedSpecial = frozenset(),
        disallowed_special: AllowedSpecial = "all",
    ) -> npt.NDArray[np.uint32]:
        """As encode(), as a uint32 numpy array (no Python list is built)."""
        allowed = self._allowed([_check_text(text)], allowed_special, disallowed_special)
        return self._backend.encode_to_numpy(text, allowed)

    def encode_batch(
        self,
        text: Iterable[str],
        *,
        num_threads: int | None = None,
        allowed_special: AllowedSpecial = frozenset(),
        disallowed_special: AllowedSpecial = "all",
    ) -> list[list[int]]:
        """encode() for many texts, on `num_threads` threads (None: all cores)."""
        texts = _check_texts(text)
        allowed = self._allowed(texts, allowed_special, disallowed_special)
        return self._backend.encode_batch(texts, _check_threads(num_threads), allowed)

    def encode_ordinary_batch(
        self, text: Iterable[str], *, num_threads: int | None = None
    ) -> list[list[int]]:
        """encode_ordinary() for many texts."""
        return self._backend.encode_batch(
            _check_texts(text), _check_threads(num_threads), frozenset()
        )

    def encode_single_token(self, text_or_bytes: str | bytes) -> int:
        """The id of a single token given its text or bytes (special tokens included).

        Raises:
            KeyError: the text is not exactly one token.
        """
        raw = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
        if isinstance(text_or_bytes, str) and text_or_bytes in self._special_tokens:
            return self._special_tokens[text_or_bytes]
        token = self._backend.token_id(raw)
        if token is None:
            raise KeyError(text_or_bytes)
        return token

    # -- decoding ---------------------------------------------------------------------

    def decode_bytes(self, tokens: Sequence[int]) -> bytes:
        """The bytes the tokens stand for. Raises TokenIdError for an unknown id."""
        return self._backend.decode_bytes(tokens)

    def decode(self, tokens: Sequence[int], errors: str = "replace") -> str:
        """The text the tokens stand for; invalid UTF-8 is handled per `errors`."""
        return self.decode_bytes(tokens).decode("utf-8", errors=errors)

    def decode_batch(
        self, batch: Sequence[Sequence[int]], *, errors: str = "replace", num_threads: int = 8
    ) -> list[str]:
        """decode() for many token lists (num_threads is accepted for tiktoken's signature)."""
        return [self.decode(tokens, errors) for tokens in batch]

    def decode_bytes_batch(
        self, batch: Sequence[Sequence[int]], *, num_threads: int = 8
    ) -> list[bytes]:
        return [self.decode_bytes(tokens) for tokens in batch]

    def decode_single_token_bytes(self, token: int) -> bytes:
        b = self._backend.token_bytes(token) if isinstance(token, int) and token >= 0 else None
        if b is None:
            msg = f"token id {token!r} is not in {self.name} (n_vocab {self.n_vocab})"
            raise TokenIdError(msg)
        return b

    def decode_tokens_bytes(self, tokens: Sequence[int]) -> list[bytes]:
        return [self.decode_single_token_bytes(t) for t in tokens]

    def decode_with_offsets(self, tokens: Sequence[int]) -> tuple[str, list[int]]:
        """The text and, per token, the index of the character where it starts, as tiktoken's
        method: a token that begins inside a multi-byte character (with a UTF-8 continuation
        byte) points at that character. Raises UnicodeDecodeError if the bytes are not UTF-8.
        """
        parts = self.decode_tokens_bytes(tokens)
        offsets: list[int] = []
        chars = 0  # characters started so far = bytes that are not continuation bytes
        for b in parts:
            inside = len(b) > 0 and 0x80 <= b[0] < 0xC0
            offsets.append(max(0, chars - inside))
            chars += sum(1 for x in b if not 0x80 <= x < 0xC0)
        return b"".join(parts).decode("utf-8", errors="strict"), offsets

    def is_special_token(self, token: int) -> bool:
        return token in self._special_ids

    def token_byte_values(self) -> list[bytes]:
        """The byte strings of the ordinary (BPE) tokens, as tiktoken's method."""
        return self._backend.token_byte_values()

    # -- pickling -----------------------------------------------------------------------

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Rebuilt from where it came from (a bundled name or a file), not from its tables.
        if self._factory is None:
            msg = f"encoding {self.name!r} was built directly and cannot be pickled"
            raise TypeError(msg)
        return self._factory


def _check_threads(num_threads: int | None) -> int | None:
    if num_threads is None:
        return None
    if not isinstance(num_threads, int) or isinstance(num_threads, bool):
        msg = f"num_threads must be an int or None, not {type(num_threads).__name__}"
        raise TypeError(msg)
    if num_threads < 1:
        msg = "num_threads must be at least 1, or None for all cores"
        raise ValueError(msg)
    return num_threads


def _disallowed(token: str) -> DisallowedSpecialTokenError:
    return DisallowedSpecialTokenError(
        f"Encountered text corresponding to disallowed special token {token!r}.\n"
        "If you want this text to be encoded as a special token, pass it to `allowed_special`, "
        f"e.g. `allowed_special={{{token!r}, ...}}`.\n"
        "If you want this text to be encoded as normal text, disable the check for this token "
        f"by passing `disallowed_special=(enc.special_tokens_set - {{{token!r}}})`.\n"
        "To disable this check for all special tokens, pass `disallowed_special=()`.\n"
    )
