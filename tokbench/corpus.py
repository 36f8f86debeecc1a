"""Reading corpora as streams of documents: plain text, JSON Lines, and the UDHR collection.

A document is a (lang, text) pair. Files may be gzip-, xz-, bz2- or zstd-compressed. Nothing
is skipped silently: undecodable input raises CorpusError naming the file, line and byte
offset. (Counting reads through tokbench.reading, which adds CSV/TSV, Parquet, stdin, globs
and chunked streaming; this module keeps the one-document-at-a-time view.)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .corpus_errors import CorpusError as CorpusError
from .reading.inputs import base_name as base_name
from .reading.records import udhr_text
from .reading.streams import open_decompressed

TEXT_SUFFIXES = (".txt", ".dev", ".devtest", ".jsonl", ".json", ".tsv")


@dataclass(frozen=True, slots=True)
class Document:
    lang: str
    text: str
    source: str


def _open(path: Path) -> IO[bytes]:
    return open_decompressed(path)


def lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text without the newline), with located decoding errors."""
    offset = 0
    with _open(path) as raw:
        for lineno, line in enumerate(raw, start=1):
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as e:
                msg = f"{path}:{lineno}: invalid UTF-8 at byte offset {offset + e.start}"
                raise CorpusError(msg) from e
            offset += len(line)
            yield lineno, text.removesuffix("\n").removesuffix("\r")


def json_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line of a JSON Lines file; a line that is
    not a JSON object is an error naming the file and line."""
    for lineno, line in lines(path):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as e:
            msg = f"{path}:{lineno}: not a JSON object ({e})"
            raise CorpusError(msg) from e
        if not isinstance(record, dict):
            msg = f"{path}:{lineno}: expected a JSON object"
            raise CorpusError(msg)
        yield lineno, record


def read_file(
    path: Path, *, field: str | None = None, lang: str | None = None
) -> Iterator[Document]:
    """Documents of one file.

    - JSON Lines (.jsonl): one document per line, its `field` (default "text"); the UDHR
      collection's lines (title, preamble, articles) become one document per declaration,
      with lang = its "code".
    - Anything else: one document per line; lang = the file name without extensions
      (FLORES: "eng_Latn.dev" -> "eng_Latn"), unless `lang` is given.
    """
    base = base_name(path)
    if base.endswith(".jsonl"):
        for lineno, record in json_records(path):
            if field is None and "articles" in record and "code" in record:
                yield Document(str(record["code"]), udhr_text(record), str(path))
                continue
            key = field or "text"
            if key not in record:
                msg = f"{path}:{lineno}: no field {key!r} (fields: {', '.join(record)})"
                raise CorpusError(msg)
            doc_lang = lang or str(record.get("lang") or base.removesuffix(".jsonl"))
            yield Document(doc_lang, str(record[key]), str(path))
        return
    doc_lang = lang or base.split(".")[0]
    for _, line in lines(path):
        yield Document(doc_lang, line, str(path))


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the corpus files inside directories named (sorted, recursively)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(
                f
                for f in p.rglob("*")
                if f.is_file() and base_name(f).endswith(TEXT_SUFFIXES) and f.name != "index.tsv"
            )
        elif p.is_file():
            out.append(p)
        else:
            msg = f"no such file or directory: {p}"
            raise CorpusError(msg)
    return out


def read_documents(
    paths: Iterable[str | Path], *, field: str | None = None, lang: str | None = None
) -> Iterator[Document]:
    for path in expand_paths(paths):
        yield from read_file(path, field=field, lang=lang)
