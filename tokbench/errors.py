"""Exceptions raised by tokbench. Each also derives from the builtin a caller would expect."""

from __future__ import annotations


class TokbenchError(Exception):
    """Base class of every error tokbench raises on purpose."""


class UnknownEncodingError(TokbenchError, ValueError, LookupError):
    """An encoding or model name that tokbench does not know."""


class VocabError(TokbenchError, ValueError):
    """A tokenizer file that cannot describe a tokenizer (malformed, inconsistent)."""


class UnsupportedTokenizerError(TokbenchError, ValueError):
    """A tokenizer type or feature that tokbench cannot run yet."""


class DisallowedSpecialTokenError(TokbenchError, ValueError):
    """encode() met a special token's text that the caller did not allow."""


class TokenIdError(TokbenchError, KeyError):
    """A token id outside the vocabulary (in decode)."""
