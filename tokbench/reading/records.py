"""Records with named fields: JSON Lines, CSV and TSV. The text is one field; the language
is the options' `lang`, else a field (`lang_field`, else "lang" where present), else the
file name. A record without the text field is an error, or skipped and counted with
`skip_missing`; blank lines are skipped and counted."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from typing import Any

from ..corpus_errors import CorpusError, LocatedError
from .chunks import Chunk, ReadOptions
from .inputs import Source
from .lines import line_blocks

BLANK = "blank line"


def missing_reason(field: str) -> str:
    return f"no field {field!r}"


def no_column(name: str, column: str, columns: list[str], option: str) -> str:
    return f"{name}: no column {column!r} (columns: {', '.join(columns)}); name one with {option}"


class _Picker:
    """Text and language of one record, with the checks and skips the options ask for."""

    def __init__(self, src: Source, opts: ReadOptions) -> None:
        self.src, self.opts = src, opts
        self.field = opts.field or "text"
        self.texts: list[str] = []
        self.langs: list[str] = []
        self.records: list[int] = []
        self.skipped: list[tuple[str, int]] = []

    def add(self, record: dict[str, Any], line: int) -> None:
        opts = self.opts
        value = record.get(self.field)
        if value is None:
            if opts.field is None and "articles" in record and "code" in record:
                value = udhr_text(record)  # the UDHR collection: one declaration
            else:
                self._missing(record, line)
                return
        if not isinstance(value, str):
            detail = f"field {self.field!r} is {type(value).__name__}, expected a string"
            raise LocatedError(self.src.name, line, None, detail)
        self.texts.append(value)
        self.records.append(line)
        self.langs.append(self._lang(record, line))

    def _lang(self, record: dict[str, Any], line: int) -> str:
        if self.opts.lang:
            return self.opts.lang
        if self.opts.lang_field is not None:
            lang = record.get(self.opts.lang_field)
            if lang is None or lang == "":
                detail = f"no language in field {self.opts.lang_field!r}"
                raise LocatedError(self.src.name, line, None, detail)
            return str(lang)
        if self.field not in record and "code" in record:
            return str(record["code"])  # a UDHR declaration
        return str(record.get("lang") or self.src.lang)

    def _missing(self, record: dict[str, Any], line: int) -> None:
        reason = missing_reason(self.field)
        if self.opts.skip_missing:
            self.skipped.append((reason, line))
            return
        fields = ", ".join(map(str, record)) or "none"
        detail = f"{reason} (fields: {fields}); choose one with --field, or --skip-missing"
        raise LocatedError(self.src.name, line, None, detail)

    def take(self, position: int, lines: int) -> Chunk:
        chunk = Chunk(
            self.texts, self.langs, self.records, position, skipped=self.skipped, lines=lines
        )
        self.texts, self.langs, self.records, self.skipped = [], [], [], []
        return chunk


def udhr_text(record: dict[str, Any]) -> str:
    """A UDHR declaration record as one text: title, preamble, articles in order."""
    parts = [str(record.get("title") or ""), str(record.get("preamble") or "")]
    articles = record.get("articles") or {}
    if isinstance(articles, dict):
        parts += [str(articles[k]) for k in sorted(articles, key=lambda k: int(k))]
    return "\n".join(p for p in parts if p)


def jsonl_chunks(src: Source, opts: ReadOptions) -> Iterator[Chunk]:
    pick = _Picker(src, opts)
    for b in line_blocks(src, errors=opts.errors, chunk_bytes=opts.chunk_bytes):
        for i, line in enumerate(b.lines):
            line_no = b.first_line + i
            if not line.strip():
                pick.skipped.append((BLANK, line_no))
                continue
            try:
                record = json.loads(line)
            except ValueError as e:
                raise LocatedError(src.name, line_no, None, f"not a JSON object ({e})") from e
            if not isinstance(record, dict):
                detail = f"expected a JSON object, got {type(record).__name__}"
                raise LocatedError(src.name, line_no, None, detail)
            pick.add(record, line_no)
        yield pick.take(b.position, b.first_line + len(b.lines) - 1)


def _raise_csv_field_limit() -> None:
    # The csv module refuses fields over 128 KiB by default; documents can be longer. The
    # limit is process-wide: only ever raised (to the largest C long), never lowered.
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(max(csv.field_size_limit(), limit))
            return
        except OverflowError:
            limit //= 2


def _next_row(reader: Any, src: Source) -> list[str] | None:
    """The next row of a csv.reader (None at the end); malformed CSV is a located error."""
    try:
        row: list[str] = next(reader)
    except StopIteration:
        return None
    except csv.Error as e:
        raise LocatedError(src.name, reader.line_num, None, f"bad CSV ({e})") from e
    return row


def table_chunks(src: Source, opts: ReadOptions) -> Iterator[Chunk]:
    """CSV (RFC 4180 quoting; fields may span lines) or TSV (tab-separated, no quoting);
    the first row names the columns."""
    _raise_csv_field_limit()
    position = 0

    def physical_lines() -> Iterator[str]:
        nonlocal position
        for b in line_blocks(src, errors=opts.errors, chunk_bytes=opts.chunk_bytes):
            position = b.position
            for line in b.lines:
                yield line + "\n"

    if src.format == "tsv":
        reader = csv.reader(physical_lines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(physical_lines())
    header = _next_row(reader, src)
    if header is None:
        return
    field = opts.field or "text"
    if field not in header:
        raise CorpusError(no_column(src.name, field, header, "--field"))
    if opts.lang_field is not None and opts.lang_field not in header:
        raise CorpusError(no_column(src.name, opts.lang_field, header, "--lang-field"))
    pick = _Picker(src, opts)
    size = 0
    while True:
        start = reader.line_num + 1
        row = _next_row(reader, src)
        if row is None:
            break
        if not row:
            pick.skipped.append((BLANK, start))
            continue
        # A short row lacks its last columns: its text may be missing.
        pick.add(dict(zip(header, row, strict=False)), start)
        size += len(pick.texts[-1]) if pick.records and pick.records[-1] == start else 0
        if size >= opts.chunk_bytes:
            yield pick.take(position, reader.line_num)
            size = 0
    yield pick.take(position, reader.line_num)
