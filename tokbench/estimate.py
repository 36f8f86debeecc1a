"""Estimated encodings: token counts for tokenizers that are not public (or not bundled).

`tokbench.get_encoding("claude_3_to_4_6")` returns an EstimatedEncoding: it counts with the
family's proxy encoding (closed.py, data/reference/closed_tokenizers.csv) and scales the count
by the family's calibration ratio. It has no token ids, so everything that would return or
take ids raises EstimatedEncodingError; `exact` is False, and `count_range` gives the low and
high ends of the ratio's range.

Rounding: proxy count x ratio, rounded to the nearest integer with halves rounded up, in
exact decimal arithmetic (the ratios are decimals such as 1.18), separately for the low,
central and high ratio. The count of a text is never less than 0, and empty text counts 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any, NoReturn

import numpy as np
import numpy.typing as npt

from .backends import Utf8Spans
from .closed import ClosedFamily, closed_families
from .encoding import Encoding
from .errors import EstimatedEncodingError, UnknownEncodingError

# Model-name prefixes (lower case, after any "org/" part) -> closed family; longest wins.
MODEL_PREFIX_TO_FAMILY: dict[str, str] = {
    "claude-3": "claude_3_to_4_6",
    "claude-opus-4": "claude_3_to_4_6",
    "claude-sonnet-4": "claude_3_to_4_6",
    "claude-haiku-4": "claude_3_to_4_6",
    **{
        f"claude-{tier}-{version}": "claude_4_7_plus"
        for tier in ("opus", "sonnet", "haiku")
        for version in ("4-7", "4-8", "4-9", "5")
    },
    "claude-5": "claude_4_7_plus",
    "gemini-1": "gemini_1_x",
    "gemini-pro": "gemini_1_x",
    "gemini-2": "gemini_2_plus",
    "gemini-3": "gemini_2_plus",
    "grok": "grok",
    "doubao": "doubao",
    "kimi-k2": "kimi_k2",
    "glm-4": "glm_4",
    "minimax": "minimax",
    "llama-4": "llama_4",
}


def family_for_model(model_name: str) -> str | None:
    """The closed family of a model name, or None (e.g. "claude-sonnet-4-5" ->
    "claude_3_to_4_6")."""
    key = model_name.strip().lower().rsplit("/", 1)[-1]
    matches = [p for p in MODEL_PREFIX_TO_FAMILY if key.startswith(p)]
    if not matches:
        return None
    family = MODEL_PREFIX_TO_FAMILY[max(matches, key=len)]
    return family if family in closed_families() else None


def _scale(counts: npt.NDArray[np.uint64], ratio: Fraction) -> npt.NDArray[np.uint64]:
    """round_half_up(counts x ratio) in integers: floor((2*c*p + q) / (2*q)) for ratio p/q."""
    p, q = ratio.numerator, ratio.denominator
    if int(counts.max(initial=0)) * 2 * p >= 2**63:  # beyond uint64: exact Python integers
        return np.array([(2 * int(c) * p + q) // (2 * q) for c in counts], dtype=np.uint64)
    return (counts * np.uint64(2 * p) + np.uint64(q)) // np.uint64(2 * q)


class EstimatedEncoding(Encoding):
    """Token counts of a closed tokenizer family, estimated through a proxy encoding.

    Attributes:
        family: the ClosedFamily row (ratios, basis, source, as_of).
        proxy: the exact encoding whose counts are scaled.
        exact: always False.
        path: the proxy's path ("native" or "reference"): how the proxy counts are made.

    Thread-safe and picklable like Encoding. Methods that need token ids raise
    EstimatedEncodingError.

    >>> import tokbench
    >>> enc = tokbench.get_encoding("claude_3_to_4_6")
    >>> enc.exact, enc.proxy.name
    (False, 'o200k_base')
    """

    def __init__(self, family: ClosedFamily, proxy: Encoding) -> None:
        super().__init__(
            family.family,
            proxy._backend,
            special_tokens={},
            pattern=None,
            info={
                "estimate": True,
                "proxy_encoding": proxy.name,
                "ratio_central": str(family.ratio_central),
                "ratio_low": str(family.ratio_low),
                "ratio_high": str(family.ratio_high),
                "basis": family.basis,
                "source": family.source,
                "notes": family.notes,
                "as_of": family.as_of,
                "models": family.models,
            },
            factory=(_estimated_again, (family.family,)),
        )
        self.family = family
        self.proxy = proxy
        self._ratios = tuple(
            Fraction(r) for r in (family.ratio_low, family.ratio_central, family.ratio_high)
        )

    def __repr__(self) -> str:
        f = self.family
        return (
            f"<EstimatedEncoding {self.name!r}: {self.proxy.name} x {f.ratio_central} "
            f"(range {f.ratio_low}-{f.ratio_high}), not exact>"
        )

    @property
    def exact(self) -> bool:
        return False

    # -- counting ---------------------------------------------------------------------

    def proxy_count(self, text: str) -> int:
        """The proxy encoding's exact count of `text` (before scaling)."""
        return self.proxy.count(text)

    def count(self, text: str, *, add_special_tokens: bool = False) -> int:
        """Estimated tokens of `text`: the proxy's count x the central ratio, rounded
        (halves up). `add_special_tokens` is accepted for Encoding's signature; an estimate
        adds no framing tokens.

        >>> import tokbench
        >>> enc = tokbench.get_encoding("claude_3_to_4_6")
        >>> enc.proxy.count("hello world"), enc.count("hello world")
        (2, 2)
        """
        return self.count_range(text)[1]

    def count_range(self, text: str) -> tuple[int, int, int]:
        """(low, central, high) estimates of the tokens of `text`."""
        counts = np.array([self.proxy.count(text)], dtype=np.uint64)
        low, central, high = (int(_scale(counts, r)[0]) for r in self._ratios)
        return low, central, high

    def count_batch(
        self,
        texts: Iterable[str],
        *,
        num_threads: int | None = None,
        add_special_tokens: bool = False,
    ) -> npt.NDArray[np.uint64]:
        """count() for many texts (the proxy counts them in parallel, GIL released)."""
        return self.count_range_batch(texts, num_threads=num_threads)[1]

    def count_range_batch(
        self, texts: Iterable[str], *, num_threads: int | None = None
    ) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
        """(low, central, high) arrays of estimates, one entry per text."""
        counts = self.proxy.count_batch(texts, num_threads=num_threads)
        low, central, high = (_scale(counts, r) for r in self._ratios)
        return low, central, high

    def _count_spans(
        self, spans: Utf8Spans, *, num_threads: int | None = None
    ) -> npt.NDArray[np.uint64] | None:
        """count_batch() of byte ranges of UTF-8 (see Encoding._count_spans): the proxy's
        counts, scaled like count()."""
        counts = self.proxy._count_spans(spans, num_threads=num_threads)
        return None if counts is None else _scale(counts, self._ratios[1])

    # -- no ids -----------------------------------------------------------------------

    def _no_ids(self, *args: Any, **kwargs: Any) -> NoReturn:
        f = self.family
        msg = (
            f"{self.name} is an estimate ({f.proxy_encoding} count x {f.ratio_central}; "
            f"the real tokenizer is not public or not bundled), so it has no token ids. Use "
            f"count() or count_range(), or tokbench.get_encoding({f.proxy_encoding!r}) for "
            "the proxy's own ids."
        )
        raise EstimatedEncodingError(msg)

    encode = encode_ordinary = encode_to_numpy = encode_batch = _no_ids
    encode_ordinary_batch = encode_single_token = decode = decode_bytes = _no_ids
    decode_batch = decode_bytes_batch = decode_single_token_bytes = _no_ids
    decode_tokens_bytes = token_byte_values = is_special_token = _no_ids

    @property
    def n_vocab(self) -> int:
        self._no_ids()

    @property
    def eot_token(self) -> int:
        self._no_ids()


def estimated_encoding(family: str) -> EstimatedEncoding:
    """The EstimatedEncoding of a closed family (not cached; the registry caches)."""
    from .closed import closed_family
    from .registry import get_encoding

    row = closed_family(family)
    try:
        proxy = get_encoding(row.proxy_encoding)
    except UnknownEncodingError as e:
        msg = (
            f"{family} is estimated through the encoding {row.proxy_encoding!r}, which this "
            f"build of tokbench does not bundle: {e}"
        )
        raise UnknownEncodingError(msg) from e
    return EstimatedEncoding(row, proxy)


def _estimated_again(family: str) -> Encoding:
    """Unpickling: the registry's instance."""
    from .registry import get_encoding

    return get_encoding(family)
