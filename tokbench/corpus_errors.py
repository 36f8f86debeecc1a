"""Errors of corpus reading and counting (re-exported by tokbench.corpus)."""

from __future__ import annotations

from .errors import TokbenchError


class CorpusError(TokbenchError, ValueError):
    """A corpus input that cannot be read as documents; the message names the file (and the
    line and byte offset where that applies) and how to fix it."""


class LocatedError(CorpusError):
    """A problem at one place of a file: `path`, 1-based `line` (of the decompressed text;
    for CSV/Parquet the record's line/row), `offset` (byte offset in the decompressed data,
    or None) and what is wrong (`detail`)."""

    def __init__(self, path: str, line: int, offset: int | None, detail: str) -> None:
        self.path, self.line, self.offset, self.detail = path, line, offset, detail
        where = f"{path}:{line}"
        at = "" if offset is None else f" at byte offset {offset}"
        super().__init__(f"{where}: {detail}{at}")

    def __reduce__(self) -> tuple[type[LocatedError], tuple[str, int, int | None, str]]:
        # Rebuilt from its parts when it travels (from a Dask worker) in a pickle.
        return (LocatedError, (self.path, self.line, self.offset, self.detail))

    def moved(self, lines_before: int) -> LocatedError:
        """The same error, for a reader that started `lines_before` lines into the file."""
        return LocatedError(self.path, self.line + lines_before, self.offset, self.detail)


class MissingDependencyError(CorpusError):
    """An input format or option that needs an optional package that is not installed."""


class UsageError(TokbenchError, ValueError):
    """Options that do not go together (exit status 2 on the command line)."""
