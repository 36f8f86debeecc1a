"""Counting a corpus on a Dask cluster (dask.distributed, an optional dependency).

The inputs are cut into shards: whole files, or byte ranges of big uncompressed text and
JSON Lines files (cut on line boundaries). Each worker counts shards with the same code as a
local run, and the tallies are put together in input order, so the result equals a local
run's. Every worker process loads each vocabulary once (a worker plugin keeps them).

    from tokbench.distributed import DaskOptions, count_corpus_dask
    tokbench.count_corpus(paths, ["o200k_base"], dask=DaskOptions(scheduler="tcp://host:8786"))
    count_corpus_dask(paths, ["o200k_base"], client=client)  # the same, shorter
"""

from __future__ import annotations

import importlib
import itertools
import logging
import pickle
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .corpus_errors import LocatedError, MissingDependencyError, UsageError
from .corpus_result import CorpusCounts
from .corpus_tally import SourceTally, assemble, count_source
from .encoding import Encoding
from .progress import Progress
from .reading import ReadOptions, Source
from .reading.streams import compression_of

PLUGIN_NAME = "tokbench-encodings"
SHARDABLE = ("text", "jsonl")


@dataclass(frozen=True)
class DaskOptions:
    """Where to count.

    Attributes:
        scheduler: address of a running Dask scheduler ("tcp://host:8786").
        local_workers: start a LocalCluster of this many worker processes instead.
        client: an existing dask.distributed.Client (used as is, not closed).
        shard_bytes: uncompressed text / JSON Lines files bigger than this are cut into byte
            ranges of about this size; other files are one shard each.
        threads_per_shard: count_batch threads per shard (default 1: a worker process per
            core is the usual layout; None means all cores).
    """

    scheduler: str | None = None
    local_workers: int | None = None
    client: Any = None
    shard_bytes: int = 64 << 20
    threads_per_shard: int | None = 1

    def __post_init__(self) -> None:
        given = [x is not None for x in (self.scheduler, self.local_workers, self.client)]
        if sum(given) != 1:
            msg = "DaskOptions needs exactly one of scheduler, local_workers, client"
            raise UsageError(msg)
        if self.shard_bytes < 1:
            msg = f"shard_bytes must be positive, not {self.shard_bytes}"
            raise UsageError(msg)


def _distributed() -> Any:
    try:
        return importlib.import_module("dask.distributed")
    except ImportError:
        msg = "counting on Dask needs dask.distributed: pip install 'tokbench[dask]'"
        raise MissingDependencyError(msg) from None


def shards(sources: Sequence[Source], opts: ReadOptions, shard_bytes: int) -> list[Source]:
    """The sources, with big uncompressed line-structured files cut into byte ranges."""
    out: list[Source] = []
    for src in sources:
        if src.path is None:
            msg = "standard input ('-') cannot be counted on Dask: workers read files themselves"
            raise UsageError(msg)
        cut = (
            src.format in SHARDABLE
            and not opts.per_file
            and compression_of(src.name) is None
            and (src.size or 0) > shard_bytes
        )
        if not cut:
            out.append(src)
            continue
        size = src.size or 0
        n = -(-size // shard_bytes)
        bounds = [size * i // n for i in range(n + 1)]
        out += [replace(src, start=a, end=b) for a, b in itertools.pairwise(bounds)]
    return out


def _count_shard(
    src: Source, opts: ReadOptions, recipes: list[bytes], num_threads: int | None, keep: bool
) -> SourceTally:
    worker = _distributed().get_worker()
    cache = worker.plugins[PLUGIN_NAME]
    encodings = [cache.get(r) for r in recipes]
    tally = SourceTally(src, [e.name for e in encodings], keep)
    return count_source(tally, opts, encodings, num_threads=num_threads)


def _lines_before(src: Source) -> int:
    """Lines of the file before the first line of the byte range `src` (see shards())."""
    if src.start == 0 or src.path is None:
        return 0
    n, left = 0, src.start - 1
    with src.path.open("rb") as f:
        while left > 0:
            data = f.read(min(left, 1 << 20))
            if not data:
                break
            n += data.count(b"\n")
            left -= len(data)
    return n + 1


@contextmanager
def client_for(options: DaskOptions) -> Iterator[Any]:
    """The Dask client the options name (a LocalCluster is started and closed here)."""
    dd = _distributed()
    if options.client is not None:
        yield options.client
        return
    if options.scheduler is not None:
        try:
            client = dd.Client(options.scheduler, timeout=30)
        except OSError as e:
            msg = f"cannot reach the Dask scheduler at {options.scheduler} ({e})"
            raise MissingDependencyError(msg) from e
        with client:
            yield client
        return
    cluster = dd.LocalCluster(
        n_workers=options.local_workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    with cluster, dd.Client(cluster) as client:
        yield client


def count_sources_dask(
    sources: Sequence[Source],
    opts: ReadOptions,
    encodings: Sequence[Encoding],
    options: DaskOptions,
    *,
    num_threads: int | None = None,
    per_document: bool = True,
    on_progress: Callable[[Progress], None] | None = None,
) -> CorpusCounts:
    """count_corpus on a Dask cluster (see the module docstring)."""
    from .counting import CountInterrupted

    names = [e.name for e in encodings]
    parts = shards(sources, opts, options.shard_bytes)
    recipes = [pickle.dumps(e) for e in encodings]  # a name or a path, not the tables
    threads = num_threads if num_threads is not None else options.threads_per_shard
    sizes = [(p.end if p.end is not None else p.size or 0) - p.start for p in parts]
    total = sum(sizes)
    done: list[SourceTally | None] = [None] * len(parts)
    start = time.monotonic()
    with client_for(options) as client:
        from .dask_plugin import EncodingCache

        client.register_plugin(EncodingCache(), name=PLUGIN_NAME)
        futures = client.map(
            _count_shard,
            parts,
            opts=opts,
            recipes=recipes,
            num_threads=threads,
            keep=per_document,
            pure=False,
        )
        index = {f.key: i for i, f in enumerate(futures)}
        try:
            for fut in _distributed().as_completed(futures):
                i = index[fut.key]
                try:
                    done[i] = fut.result()
                except LocatedError as e:
                    raise e.moved(_lines_before(parts[i])) from None
                if on_progress is not None:
                    got = sum(s for s, t in zip(sizes, done, strict=True) if t is not None)
                    n = sum(t.totals.docs for t in done if t is not None)
                    on_progress(Progress(got, total, n, time.monotonic() - start, parts[i].name))
        except KeyboardInterrupt as e:
            client.cancel(futures)
            raise CountInterrupted(_partial(parts, done, names)) from e
        finally:
            close = getattr(on_progress, "close", None)
            if close is not None:
                close()
    return assemble([t for t in done if t is not None], names, complete=True)


def count_corpus_dask(
    paths: Iterable[str | Path] | str | Path,
    encodings: Sequence[str | Encoding] | str | Encoding = ("o200k_base",),
    *,
    client: Any = None,
    scheduler: str | None = None,
    local_workers: int | None = None,
    shard_bytes: int = 64 << 20,
    **kwargs: Any,
) -> CorpusCounts:
    """tokbench.count_corpus on Dask: give `client` (a dask.distributed.Client),
    `scheduler` (an address) or `local_workers` (a LocalCluster of that many processes);
    other keyword arguments are count_corpus's. The result equals a local run's."""
    from .counting import count_corpus

    dask = DaskOptions(
        scheduler=scheduler, local_workers=local_workers, client=client, shard_bytes=shard_bytes
    )
    return count_corpus(paths, encodings, dask=dask, **kwargs)


def _partial(
    parts: Sequence[Source], done: Sequence[SourceTally | None], names: list[str]
) -> CorpusCounts:
    """The shards done, keeping of each file only the shards before its first missing one
    (so that line numbers stay right)."""
    broken: set[str] = set()
    kept: list[SourceTally] = []
    for part, tally in zip(parts, done, strict=True):
        if tally is None:
            broken.add(part.name)
        elif part.name not in broken:
            kept.append(tally)
    return assemble(kept, names, complete=False)
