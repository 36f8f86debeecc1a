"""Which inputs a list of paths names: files, directories (recursively), globs, `-`."""

from __future__ import annotations

import glob
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..corpus_errors import CorpusError, UsageError
from .streams import COMPRESSION_SUFFIXES

FORMATS = ("text", "jsonl", "csv", "tsv", "parquet")
_FORMAT_OF_SUFFIX = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
}
# The files a directory contributes (after removing a compression suffix).
CORPUS_SUFFIXES = (".txt", ".dev", ".devtest", ".jsonl", ".ndjson", ".json", ".csv", ".tsv")
_IGNORED_NAMES = frozenset({"index.tsv"})  # the index of a corpus folder, not its text
STDIN = "-"


def base_name(path: Path | str) -> str:
    """The file name without its compression suffix ("eng_Latn.dev.gz" -> "eng_Latn.dev")."""
    name = Path(path).name
    suffix = Path(name).suffix.lower()
    return name[: -len(suffix)] if suffix in COMPRESSION_SUFFIXES else name


def format_of(name: str) -> str:
    """The input format implied by a file name: jsonl, csv, tsv, parquet, else text."""
    return _FORMAT_OF_SUFFIX.get(Path(base_name(name)).suffix.lower(), "text")


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a file (or standard input when `path` is None), its format, its stored size
    in bytes (None when unknown), and optionally a byte range [start, end) of it (a shard;
    only for uncompressed line-structured files)."""

    name: str
    path: Path | None
    format: str
    size: int | None
    start: int = 0
    end: int | None = None

    @property
    def lang(self) -> str:
        """The language the file name gives: the name up to its first dot ("und" for stdin)."""
        return "und" if self.path is None else base_name(self.path).split(".")[0]


def _is_corpus_file(f: Path) -> bool:
    if not f.is_file() or f.name.startswith(".") or base_name(f) in _IGNORED_NAMES:
        return False
    name = base_name(f).lower()
    return name.endswith(CORPUS_SUFFIXES) or name.endswith(".parquet")


def _files_of(spec: str) -> list[Path]:
    p = Path(spec)
    if p.is_dir():
        return sorted(f for f in p.rglob("*") if _is_corpus_file(f))
    if p.is_file():
        return [p]
    if glob.has_magic(spec):
        # glob.glob takes absolute and relative patterns alike (Path.glob only relative ones).
        found = sorted(Path(m) for m in glob.glob(spec, recursive=True))  # noqa: PTH207
        files = [f for f in found if f.is_file()]
        for d in (f for f in found if f.is_dir()):
            files += sorted(f for f in d.rglob("*") if _is_corpus_file(f))
        if not files:
            msg = f"no files match {spec!r}"
            raise CorpusError(msg)
        return files
    msg = f"no such file or directory: {spec}"
    raise CorpusError(msg)


def expand_inputs(paths: Iterable[str | Path], *, input_format: str = "auto") -> list[Source]:
    """The inputs `paths` name, in order: files as given, the corpus files of a directory
    (recursively, sorted), the matches of a glob (`**` recurses), and `-` for standard input.
    `input_format` ("auto": by file suffix) overrides the format of every input."""
    if input_format != "auto" and input_format not in FORMATS:
        msg = f"unknown input format {input_format!r}; choose auto, {', '.join(FORMATS)}"
        raise UsageError(msg)
    sources: list[Source] = []
    for spec in (str(p) for p in paths):
        if spec == STDIN:
            fmt = "text" if input_format == "auto" else input_format
            if fmt == "parquet":
                msg = "Parquet cannot be read from standard input (it needs a seekable file)"
                raise UsageError(msg)
            sources.append(Source("<stdin>", None, fmt, None))
            continue
        for f in _files_of(spec):
            fmt = format_of(f.name) if input_format == "auto" else input_format
            sources.append(Source(str(f), f, fmt, f.stat().st_size))
    if sum(s.path is None for s in sources) > 1:
        msg = "standard input ('-') can be named only once"
        raise UsageError(msg)
    return sources
