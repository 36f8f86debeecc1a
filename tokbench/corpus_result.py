"""The result of counting a corpus: totals per file and per language, per-document arrays,
and the records skipped. Built up chunk by chunk (`Tally`), merged across shards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt


@dataclass
class Totals:
    """Documents, Unicode code points (`chars`), UTF-8 bytes (`nbytes`) and tokens by
    encoding name, of some documents."""

    docs: int = 0
    chars: int = 0
    nbytes: int = 0
    tokens: dict[str, int] = field(default_factory=dict)

    def tokens_per_1k_chars(self, encoding: str) -> float:
        """Tokens per 1000 characters under `encoding` (0.0 for no characters)."""
        return 1000.0 * self.tokens[encoding] / self.chars if self.chars else 0.0

    def add(self, other: Totals) -> None:
        self.docs += other.docs
        self.chars += other.chars
        self.nbytes += other.nbytes
        for name, n in other.tokens.items():
            self.tokens[name] = self.tokens.get(name, 0) + n

    def as_dict(self, encodings: Sequence[str]) -> dict[str, Any]:
        return {
            "docs": self.docs,
            "chars": self.chars,
            "bytes": self.nbytes,
            "tokens": {n: self.tokens.get(n, 0) for n in encodings},
            "tokens_per_1k_chars": {n: round(self.tokens_per_1k_chars(n), 3) for n in encodings},
        }


@dataclass(frozen=True, slots=True)
class Skipped:
    """Records of one file skipped for one reason: how many, and the first one's line."""

    file: str
    reason: str
    count: int
    first_line: int


@dataclass(frozen=True)
class DocumentCounts:
    """One entry per document, in reading order.

    Attributes:
        file: index into CorpusCounts.file_names.
        record: where the document starts in its file: 1-based line (text, JSON Lines,
            CSV/TSV) or row (Parquet).
        lang: index into CorpusCounts.lang_names.
        chars, nbytes: its Unicode code points and UTF-8 bytes.
        tokens: its token count under each encoding (as Encoding.count_batch gives).
    """

    file: npt.NDArray[np.int32]
    record: npt.NDArray[np.int64]
    lang: npt.NDArray[np.int32]
    chars: npt.NDArray[np.int64]
    nbytes: npt.NDArray[np.int64]
    tokens: dict[str, npt.NDArray[np.uint64]]

    def __len__(self) -> int:
        return len(self.chars)


@dataclass
class CorpusCounts:
    """Token counts of a corpus under several encodings (see tokbench.count_corpus).

    Attributes:
        encodings: the encodings' names, in the order asked.
        files: totals per input file (in reading order; "<stdin>" for standard input).
        languages: totals per language (sorted by code).
        total: totals of everything counted.
        documents: per-document arrays (None when not asked for).
        skipped: records skipped (blank lines, records without the text field), per file
            and reason; never silent.
        complete: False when counting was interrupted: the totals are those of the
            documents counted so far.
    """

    encodings: list[str]
    files: dict[str, Totals]
    languages: dict[str, Totals]
    total: Totals
    documents: DocumentCounts | None
    skipped: list[Skipped]
    complete: bool = True

    @property
    def file_names(self) -> list[str]:
        return list(self.files)

    @property
    def lang_names(self) -> list[str]:
        """Languages in the order DocumentCounts.lang indexes them (first seen first)."""
        return list(self._lang_order)

    _lang_order: list[str] = field(default_factory=list, repr=False)

    @property
    def skipped_records(self) -> int:
        return sum(s.count for s in self.skipped)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: encodings, languages, files, total, skipped, complete."""
        enc = self.encodings
        return {
            "encodings": enc,
            "complete": self.complete,
            "languages": [{"lang": k, **t.as_dict(enc)} for k, t in self.languages.items()],
            "files": [{"file": k, **t.as_dict(enc)} for k, t in self.files.items()],
            "total": self.total.as_dict(enc),
            "skipped": [
                {"file": s.file, "reason": s.reason, "count": s.count, "first_line": s.first_line}
                for s in self.skipped
            ],
        }
