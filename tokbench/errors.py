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


class UnknownNameError(TokbenchError, KeyError):
    """A model, offer or tokenizer family that tokbench does not know (the message lists close
    names). A KeyError for lookups, but printed as plain text rather than KeyError's repr()."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class PriceBookError(TokbenchError, ValueError):
    """A price book (bundled or the user's) with a bad row: the message names the row and field."""


class EstimatedEncodingError(TokbenchError, TypeError):
    """An operation that needs token ids, asked of an estimated encoding (a closed tokenizer
    counted through a proxy): it has counts, not ids."""
