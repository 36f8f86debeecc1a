"""What readers produce: documents in chunks of bounded size, with where each came from."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from ..corpus_errors import UsageError
from .utf8_lines import Utf8Lines

ERRORS = ("strict", "replace")
DEFAULT_CHUNK_BYTES = 4 << 20  # about this many bytes of text per chunk: bounded memory


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to turn inputs into documents.

    Attributes:
        field: the JSON Lines field / CSV/TSV/Parquet column holding the text (None: "text";
            a UDHR collection record without it is one document of its title, preamble and
            articles).
        lang: the language of every document (None: from `lang_field`, else the file name).
        lang_field: the field/column holding a record's language (None: "lang" where a
            record has it, else the file name).
        per_file: plain text files are one document each (instead of one per line).
        errors: "strict" (invalid UTF-8 is an error naming file, line and byte offset) or
            "replace" (invalid bytes become U+FFFD).
        skip_missing: records without the text field (or with null) are skipped and counted
            in the result's `skipped`, instead of being an error.
        chunk_bytes: the size of the pieces the inputs are read and counted in.
    """

    field: str | None = None
    lang: str | None = None
    lang_field: str | None = None
    per_file: bool = False
    errors: str = "strict"
    skip_missing: bool = False
    chunk_bytes: int = DEFAULT_CHUNK_BYTES

    def __post_init__(self) -> None:
        if self.errors not in ERRORS:
            msg = f"errors must be 'strict' or 'replace', not {self.errors!r}"
            raise UsageError(msg)
        if self.chunk_bytes < 1:
            msg = f"chunk_bytes must be positive, not {self.chunk_bytes}"
            raise UsageError(msg)


@dataclass(slots=True)
class Chunk:
    """Documents read from one input.

    Attributes:
        texts: the documents: a list of str, or Utf8Lines (lines of UTF-8 bytes, which the
            core counts without decoding them; read as str, they are decoded once).
        langs: their language: one for all, or one per document.
        records: where each document starts: its 1-based line number (text and JSON Lines,
            relative to the start of a byte-range shard; CSV/TSV: the line the record starts
            on), or its 1-based row (Parquet).
        position: how far reading has got in the stored file, in bytes.
        skipped: (reason, record) of each record skipped in this chunk.
        lines: lines read so far from the start of the input (or shard).
        nbytes: UTF-8 bytes of each text when the reader knows them (else they are measured).
    """

    texts: list[str] | Utf8Lines
    langs: str | list[str]
    records: list[int] | range
    position: int
    skipped: list[tuple[str, int]] = field(default_factory=list)
    lines: int = 0
    nbytes: npt.NDArray[np.int64] | None = None  # UTF-8 bytes of each text, when known
