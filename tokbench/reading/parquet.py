"""Parquet files, read a record batch at a time through pyarrow (an optional dependency)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

from ..corpus_errors import CorpusError, LocatedError, MissingDependencyError
from .chunks import Chunk, ReadOptions
from .inputs import Source
from .records import missing_reason, no_column

_ROWS = 1024  # rows per batch: bounded memory even for long documents


def _pyarrow_parquet(name: str) -> Any:
    try:
        return importlib.import_module("pyarrow.parquet")
    except ImportError:
        msg = f"{name}: reading Parquet needs pyarrow (pip install pyarrow, or tokbench[formats])"
        raise MissingDependencyError(msg) from None


def parquet_chunks(src: Source, opts: ReadOptions) -> Iterator[Chunk]:
    """One document per row: the `field` column (default "text"); the language from `lang`,
    the `lang_field` column (else a "lang" column if there is one), else the file name."""
    pq = _pyarrow_parquet(src.name)
    if src.path is None:
        msg = "Parquet cannot be read from standard input"
        raise CorpusError(msg)
    try:
        pf = pq.ParquetFile(src.path)
    except Exception as e:  # pyarrow raises its own ArrowInvalid/OSError types
        msg = f"{src.name}: not a readable Parquet file ({e})"
        raise CorpusError(msg) from e
    names = list(pf.schema_arrow.names)
    field = opts.field or "text"
    if field not in names:
        raise CorpusError(no_column(src.name, field, names, "--field"))
    lang_col = opts.lang_field or ("lang" if "lang" in names else None)
    if opts.lang_field is not None and opts.lang_field not in names:
        raise CorpusError(no_column(src.name, opts.lang_field, names, "--lang-field"))
    if opts.lang:
        lang_col = None
    kind = pf.schema_arrow.field(field).type
    if str(kind) not in ("string", "large_string", "string_view"):
        msg = f"{src.name}: column {field!r} is {kind}, expected strings"
        raise CorpusError(msg)
    total = max(pf.metadata.num_rows, 1)
    size = src.size or 0
    row = 0
    columns = [field] if lang_col is None else [field, lang_col]
    for batch in pf.iter_batches(batch_size=_ROWS, columns=columns):
        values = batch.column(0).to_pylist()
        langs = batch.column(1).to_pylist() if lang_col is not None else None
        chunk = Chunk([], [], [], size * min(row + len(values), total) // total)
        for i, text in enumerate(values):
            n = row + i + 1
            if text is None:
                if not opts.skip_missing:
                    detail = f"{missing_reason(field)} (null); use --skip-missing to skip it"
                    raise LocatedError(src.name, n, None, detail)
                chunk.skipped.append((missing_reason(field), n))
                continue
            lang = opts.lang or (langs[i] if langs is not None else None)
            if not lang:
                if opts.lang_field is not None:
                    detail = f"no language in column {opts.lang_field!r}"
                    raise LocatedError(src.name, n, None, detail)
                lang = src.lang
            chunk.texts.append(text)  # type: ignore[union-attr]
            chunk.langs.append(str(lang))  # type: ignore[union-attr]
            chunk.records.append(n)  # type: ignore[union-attr]
        row += len(values)
        chunk.lines = row
        yield chunk
