"""Reading corpora as chunks of documents, for counting: every input format in one place."""

from __future__ import annotations

from collections.abc import Iterator

from ..corpus_errors import UsageError
from .chunks import Chunk as Chunk
from .chunks import ReadOptions as ReadOptions
from .inputs import Source as Source
from .inputs import base_name as base_name
from .inputs import expand_inputs as expand_inputs
from .parquet import parquet_chunks
from .records import jsonl_chunks, table_chunks
from .text import file_chunks, text_chunks


def read_chunks(src: Source, opts: ReadOptions) -> Iterator[Chunk]:
    """The documents of one input, in chunks of about `opts.chunk_bytes` of text."""
    if opts.per_file:
        if src.format != "text":
            msg = f"{src.name}: one document per file applies to plain text, not {src.format}"
            raise UsageError(msg)
        return file_chunks(src, opts)
    readers = {
        "text": text_chunks,
        "jsonl": jsonl_chunks,
        "csv": table_chunks,
        "tsv": table_chunks,
        "parquet": parquet_chunks,
    }
    return readers[src.format](src, opts)
