"""Name lookups that answer 404 with close names instead of raising library errors."""

from __future__ import annotations

import tokbench

from .errors import unknown_name


def encoding(name: str) -> tokbench.Encoding:
    """The bundled encoding `name` (loaded once per process by tokbench's registry).

    Raises:
        ServiceError: 404 listing close names when `name` is not bundled.
    """
    try:
        return tokbench.get_encoding(name)
    except tokbench.UnknownEncodingError:
        known = tokbench.list_encoding_names()
        raise unknown_name(name, known, kind="tokenizer") from None
