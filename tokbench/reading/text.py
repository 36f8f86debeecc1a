"""Plain text: one document per line, or one per file."""

from __future__ import annotations

from collections.abc import Iterator

from .chunks import Chunk, ReadOptions
from .inputs import Source
from .lines import decode, line_blocks, open_source


def text_chunks(src: Source, opts: ReadOptions) -> Iterator[Chunk]:
    """One document per line (empty lines are empty documents); lang from the options or
    the file name. Blocks of valid UTF-8 stay bytes (Utf8Lines): the core counts them."""
    lang = opts.lang or src.lang
    blocks = line_blocks(src, errors=opts.errors, chunk_bytes=opts.chunk_bytes, keep_bytes=True)
    for b in blocks:
        end = b.first_line + len(b.lines)
        yield Chunk(
            b.lines, lang, range(b.first_line, end), b.position, lines=end - 1, nbytes=b.nbytes
        )


def file_chunks(src: Source, opts: ReadOptions) -> Iterator[Chunk]:
    """The whole file as one document (read whole: a document is counted at once)."""
    with open_source(src) as stream:
        parts = []
        while data := stream.read(1 << 20):
            parts.append(data)
        raw = b"".join(parts)
        del parts
        text = decode(raw, opts.errors, name=src.name, first_line=1, offset=0)
        yield Chunk([text], opts.lang or src.lang, [1], stream.position())
