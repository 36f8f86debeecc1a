"""Counting a corpus with several encodings in one pass: read once, count with each."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .corpus import Document
from .corpus_errors import UsageError
from .corpus_result import CorpusCounts
from .corpus_result import Totals as Totals
from .corpus_tally import SourceTally, assemble, count_source
from .encoding import Encoding
from .progress import Progress, ProgressBar
from .reading import ReadOptions, Source, expand_inputs
from .registry import get_encoding

if TYPE_CHECKING:
    from .distributed import DaskOptions

BATCH_BYTES = 4 << 20  # documents are counted in batches of about this many UTF-8 bytes
LangTotals = Totals  # the name count_documents has always returned


class CountInterrupted(KeyboardInterrupt):
    """Counting was interrupted (Ctrl-C): `partial` holds the totals of what was counted
    (complete=False). A KeyboardInterrupt, so callers that do not look still stop."""

    def __init__(self, partial: CorpusCounts) -> None:
        super().__init__("counting interrupted")
        self.partial = partial


def resolve_encodings(encodings: Sequence[str | Encoding] | str | Encoding) -> list[Encoding]:
    """Encoding objects for names or objects (at least one, no name twice)."""
    if isinstance(encodings, (str, Encoding)):
        encodings = [encodings]
    out = [e if isinstance(e, Encoding) else get_encoding(e) for e in encodings]
    if not out:
        msg = "no encodings given: name at least one (e.g. encodings=['o200k_base'])"
        raise UsageError(msg)
    names = [e.name for e in out]
    if len(set(names)) != len(names):
        msg = f"an encoding is named twice: {', '.join(names)}"
        raise UsageError(msg)
    return out


def count_corpus(
    paths: Iterable[str | Path] | str | Path,
    encodings: Sequence[str | Encoding] | str | Encoding = ("o200k_base",),
    *,
    field: str | None = None,
    lang: str | None = None,
    lang_field: str | None = None,
    per_file: bool = False,
    input_format: str = "auto",
    num_threads: int | None = None,
    progress: bool | Callable[[Progress], None] = True,
    errors: str = "strict",
    skip_missing: bool = False,
    per_document: bool = True,
    chunk_bytes: int = BATCH_BYTES,
    dask: DaskOptions | None = None,
) -> CorpusCounts:
    """Token counts of a corpus under several encodings, reading it once.

    Inputs are files, directories (their .txt/.dev/.jsonl/.csv/.tsv/.parquet files, also
    .gz/.xz/.bz2/.zst compressed, recursively), globs and "-" (standard input). Plain text
    is one document per line (or per file with `per_file`); JSON Lines, CSV/TSV (first row
    = column names) and Parquet give one document per record, its `field` ("text" by
    default). Reading streams in chunks of `chunk_bytes`, so memory stays bounded.

    Args:
        paths: what to count.
        encodings: names or Encoding objects.
        field: the record field / column holding the text.
        lang: the language of every document (default: a record's `lang_field` or "lang"
            field, else the file name up to its first dot).
        lang_field: the record field / column holding the language.
        per_file: plain text files are one document each.
        input_format: "auto" (by suffix) or text, jsonl, csv, tsv, parquet for every input.
        num_threads: threads per count_batch call (None: all cores).
        progress: True: a progress line on stderr when it is a terminal and the run is long;
            False: none; a callable: called with a Progress after every chunk.
        errors: "strict": invalid UTF-8 raises CorpusError naming file, line and byte
            offset; "replace": invalid bytes become U+FFFD.
        skip_missing: skip (and count in `skipped`) records without the text field instead
            of raising.
        per_document: keep the per-document arrays: 32 + 8 x encodings bytes per document
            (about 190 MB for 4.7M lines and one encoding; `tokbench count` does not keep
            them). False keeps memory flat however long the corpus.
        chunk_bytes: about how many bytes are read and counted at a time.
        dask: run on a Dask cluster (tokbench.distributed.DaskOptions); same result.

    Returns:
        CorpusCounts: per file, per language and total documents, characters, UTF-8 bytes,
        tokens and tokens per 1k characters per encoding; per-document arrays; skipped
        records.

    Raises:
        CorpusError: unreadable input (located), missing field, missing optional package.
        CountInterrupted: on KeyboardInterrupt, with the partial result in `.partial`.

    >>> import pathlib, tempfile, tokbench
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "eng.txt").write_text("hello world\\nbye\\n", encoding="utf-8")
    >>> r = tokbench.count_corpus([folder], ["o200k_base", "gpt2"], progress=False)
    >>> r.languages["eng"].docs, r.languages["eng"].chars, r.languages["eng"].tokens
    (2, 14, {'o200k_base': 3, 'gpt2': 3})
    >>> r.documents.tokens["o200k_base"].tolist()
    [2, 1]
    >>> import shutil; shutil.rmtree(folder)
    """
    encs = resolve_encodings(encodings)
    opts = ReadOptions(
        field=field,
        lang=lang,
        lang_field=lang_field,
        per_file=per_file,
        errors=errors,
        skip_missing=skip_missing,
        chunk_bytes=chunk_bytes,
    )
    if isinstance(paths, (str, Path)):
        paths = [paths]
    sources = expand_inputs(paths, input_format=input_format)
    report = _reporter(progress, sources)
    if dask is not None:
        from .distributed import count_sources_dask

        return count_sources_dask(
            sources,
            opts,
            encs,
            dask,
            num_threads=num_threads,
            per_document=per_document,
            on_progress=report,
        )
    return count_sources(
        sources, opts, encs, num_threads=num_threads, per_document=per_document, on_progress=report
    )


def _reporter(
    progress: bool | Callable[[Progress], None], sources: Sequence[Source]
) -> Callable[[Progress], None] | None:
    if progress is False:
        return None
    if progress is True:
        return ProgressBar()
    return progress


def count_sources(
    sources: Sequence[Source],
    opts: ReadOptions,
    encodings: Sequence[Encoding],
    *,
    num_threads: int | None = None,
    per_document: bool = True,
    on_progress: Callable[[Progress], None] | None = None,
) -> CorpusCounts:
    """count_corpus on inputs already expanded, in this process."""
    names = [e.name for e in encodings]
    sizes = [s.size for s in sources]
    total = None if None in sizes else sum(s or 0 for s in sizes)
    start = time.monotonic()
    tallies: list[SourceTally] = []
    done_before = docs_before = 0

    def on_chunk(t: SourceTally) -> None:
        if on_progress is not None:
            done = done_before + min(max(t.position - t.source.start, 0), t.source.size or 0)
            p = Progress(
                done, total, docs_before + t.totals.docs, time.monotonic() - start, t.source.name
            )
            on_progress(p)

    try:
        for src in sources:
            tally = SourceTally(src, names, per_document)
            tallies.append(tally)
            count_source(tally, opts, encodings, num_threads=num_threads, on_chunk=on_chunk)
            done_before += src.size or 0
            docs_before += tally.totals.docs
    except KeyboardInterrupt as e:
        raise CountInterrupted(assemble(tallies, names, complete=False)) from e
    finally:
        close = getattr(on_progress, "close", None)
        if close is not None:
            close()
    return assemble(tallies, names, complete=True)


def count_documents(
    docs: Iterable[Document],
    encodings: Sequence[Encoding],
    *,
    num_threads: int | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> dict[str, Totals]:
    """Per-language totals for `docs` under each encoding (read once, counted with each).

    `on_batch(nbytes)` is called after each batch (for progress reporting).
    """
    totals: dict[str, Totals] = {}
    batch: list[Document] = []
    batch_bytes = 0

    def flush() -> None:
        nonlocal batch, batch_bytes
        if not batch:
            return
        texts = [d.text for d in batch]
        counts = {e.name: e.count_batch(texts, num_threads=num_threads) for e in encodings}
        for i, d in enumerate(batch):
            t = totals.setdefault(d.lang, Totals(tokens={e.name: 0 for e in encodings}))
            t.docs += 1
            t.chars += len(d.text)
            t.nbytes += len(d.text.encode("utf-8", "surrogatepass"))
            for name, c in counts.items():
                t.tokens[name] += int(c[i])
        if on_batch is not None:
            on_batch(batch_bytes)
        batch, batch_bytes = [], 0

    for d in docs:
        batch.append(d)
        batch_bytes += len(d.text)
        if batch_bytes >= BATCH_BYTES:
            flush()
    flush()
    return totals
