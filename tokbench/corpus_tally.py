"""Counting one input (or one byte range of it) into a tally, and putting tallies together
into a CorpusCounts. The local run and the Dask run both go through here, so they agree."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from .corpus_result import CorpusCounts, DocumentCounts, Skipped, Totals
from .encoding import Encoding
from .reading import Chunk, ReadOptions, Source, read_chunks
from .reading.prefetch import Prefetched
from .reading.utf8_lines import Utf8Lines


def utf8_sizes(texts: Sequence[str]) -> npt.NDArray[np.int64]:
    # str.isascii() is O(1) in CPython: most documents skip the encode.
    return np.fromiter(
        (len(t) if t.isascii() else len(t.encode("utf-8", "surrogatepass")) for t in texts),
        np.int64,
        len(texts),
    )


@dataclass
class SourceTally:
    """What counting one source has found so far (complete or not)."""

    source: Source
    encodings: list[str]
    per_document: bool
    totals: Totals = field(default_factory=Totals)
    langs: dict[str, Totals] = field(default_factory=dict)
    skipped: dict[str, list[int]] = field(default_factory=dict)  # reason -> [count, first]
    lines: int = 0  # lines (text, JSON Lines, CSV) or rows (Parquet) read
    position: int = 0  # bytes of the stored file read
    lang_order: list[str] = field(default_factory=list)
    _docs: dict[str, list[npt.NDArray[np.generic]]] = field(default_factory=dict)

    def add(self, chunk: Chunk, counts: dict[str, npt.NDArray[np.uint64]]) -> None:
        """Adds a chunk, given its documents' counts under every encoding."""
        for reason, line in chunk.skipped:
            entry = self.skipped.setdefault(reason, [0, line])
            entry[0] += 1
        self.lines, self.position = chunk.lines, chunk.position
        texts = chunk.texts
        if not texts:
            return
        if isinstance(texts, Utf8Lines):
            chars = texts.chars  # the core measured them: the lines need not be decoded
        else:
            chars = np.fromiter(map(len, texts), np.int64, len(texts))
        nbytes = chunk.nbytes if chunk.nbytes is not None else utf8_sizes(texts)
        lang_idx = self._lang_indices(chunk.langs, len(texts))
        self._add_totals(self.totals, chars, nbytes, counts)
        if isinstance(chunk.langs, str):
            t = self.langs.setdefault(chunk.langs, Totals())
            self._add_totals(t, chars, nbytes, counts)
        else:
            self._add_by_lang(lang_idx, chars, nbytes, counts)
        if self.per_document:
            self._keep(
                record=np.asarray(chunk.records, np.int64),
                lang=lang_idx,
                chars=chars,
                nbytes=nbytes,
                **{f"tokens:{n}": c for n, c in counts.items()},
            )

    def _lang_indices(self, langs: str | list[str], n: int) -> npt.NDArray[np.int32]:
        index = {lang: i for i, lang in enumerate(self.lang_order)}
        if isinstance(langs, str):
            langs = [langs]
        ids = []
        for lang in langs:
            if lang not in index:
                index[lang] = len(self.lang_order)
                self.lang_order.append(lang)
            ids.append(index[lang])
        out = np.asarray(ids, np.int32)
        return np.full(n, out[0], np.int32) if len(out) == 1 and n != 1 else out

    def _add_by_lang(
        self,
        lang_idx: npt.NDArray[np.int32],
        chars: npt.NDArray[np.int64],
        nbytes: npt.NDArray[np.int64],
        counts: dict[str, npt.NDArray[np.uint64]],
    ) -> None:
        # Sums per language index; float64 sums are exact below 2**53 (a chunk is far below).
        n = len(self.lang_order)
        docs = np.bincount(lang_idx, minlength=n)
        sums = {
            "chars": np.bincount(lang_idx, weights=chars, minlength=n),
            "nbytes": np.bincount(lang_idx, weights=nbytes, minlength=n),
        }
        tok = {k: np.bincount(lang_idx, weights=c, minlength=n) for k, c in counts.items()}
        for i in np.flatnonzero(docs):
            t = self.langs.setdefault(self.lang_order[i], Totals())
            t.docs += int(docs[i])
            t.chars += int(sums["chars"][i])
            t.nbytes += int(sums["nbytes"][i])
            for k, c in tok.items():
                t.tokens[k] = t.tokens.get(k, 0) + int(c[i])

    @staticmethod
    def _add_totals(
        t: Totals,
        chars: npt.NDArray[np.int64],
        nbytes: npt.NDArray[np.int64],
        counts: dict[str, npt.NDArray[np.uint64]],
    ) -> None:
        t.docs += len(chars)
        t.chars += int(chars.sum())
        t.nbytes += int(nbytes.sum())
        for name, c in counts.items():
            t.tokens[name] = t.tokens.get(name, 0) + int(c.sum())

    def _keep(self, **arrays: npt.NDArray[np.generic]) -> None:
        for key, a in arrays.items():
            self._docs.setdefault(key, []).append(a)

    def doc_array(self, key: str, dtype: type[np.generic]) -> npt.NDArray[np.generic]:
        parts = self._docs.get(key)
        return np.concatenate(parts) if parts else np.zeros(0, dtype)


def count_texts(
    encoding: Encoding, texts: list[str] | Utf8Lines, num_threads: int | None
) -> npt.NDArray[np.uint64]:
    """encoding.count_batch(texts); lines still in UTF-8 bytes are counted in place when the
    encoding can (else decoded, once for all the encodings that need str)."""
    if isinstance(texts, Utf8Lines):
        counts = encoding._count_spans(texts, num_threads=num_threads)
        if counts is not None:
            return counts
        texts = texts.texts()
    return encoding.count_batch(texts, num_threads=num_threads)


def count_source(
    tally: SourceTally,
    opts: ReadOptions,
    encodings: Sequence[Encoding],
    *,
    num_threads: int | None,
    on_chunk: Callable[[SourceTally], None] | None = None,
) -> SourceTally:
    """Reads `tally.source` once and counts each chunk with every encoding, into `tally`
    (which keeps what was counted if this is interrupted)."""
    with Prefetched(read_chunks(tally.source, opts)) as chunks:
        for chunk in chunks:
            counts = {e.name: count_texts(e, chunk.texts, num_threads) for e in encodings}
            tally.add(chunk, counts)
            if isinstance(chunk.texts, Utf8Lines):
                chunk.texts.release()  # counted: the reader may fill its buffer again
            if on_chunk is not None:
                on_chunk(tally)
    return tally


def assemble(
    tallies: Sequence[SourceTally], encodings: Sequence[str], *, complete: bool
) -> CorpusCounts:
    """One CorpusCounts from the tallies of the inputs (or shards: consecutive byte ranges
    of a file, in order), as if they had been counted in one pass."""
    names = list(encodings)
    files: dict[str, Totals] = {}
    languages: dict[str, Totals] = {}
    total = Totals(tokens=dict.fromkeys(names, 0))
    skipped: dict[tuple[str, str], list[int]] = {}
    lang_order: list[str] = []
    lang_index: dict[str, int] = {}
    file_index: dict[str, int] = {}
    lines_before: dict[str, int] = {}
    keep = bool(tallies) and all(t.per_document for t in tallies)
    parts: dict[str, list[npt.NDArray[np.generic]]] = {}
    for t in tallies:
        name = t.source.name
        shift = lines_before.get(name, 0)
        lines_before[name] = shift + t.lines
        f = files.setdefault(name, Totals(tokens=dict.fromkeys(names, 0)))
        file_index.setdefault(name, len(file_index))
        f.add(t.totals)
        total.add(t.totals)
        for lang, lt in t.langs.items():
            languages.setdefault(lang, Totals(tokens=dict.fromkeys(names, 0))).add(lt)
        for reason, (count, first) in t.skipped.items():
            entry = skipped.setdefault((name, reason), [0, first + shift])
            entry[0] += count
        for lang in t.lang_order:
            if lang not in lang_index:
                lang_index[lang] = len(lang_order)
                lang_order.append(lang)
        if keep:
            local = t.doc_array("lang", np.int32)
            remap = np.asarray([lang_index[x] for x in t.lang_order] or [0], np.int32)
            n = len(local)
            parts.setdefault("file", []).append(np.full(n, file_index[name], np.int32))
            parts.setdefault("record", []).append(t.doc_array("record", np.int64) + shift)
            parts.setdefault("lang", []).append(remap[local] if n else local)
            for key in ("chars", "nbytes", *(f"tokens:{e}" for e in names)):
                dtype = np.uint64 if key.startswith("tokens:") else np.int64
                parts.setdefault(key, []).append(t.doc_array(key, dtype))
    documents = None
    if keep:

        def cat(key: str, dtype: type[np.generic]) -> npt.NDArray[np.generic]:
            out: npt.NDArray[np.generic] = np.concatenate(parts[key]).astype(dtype, copy=False)
            return out

        documents = DocumentCounts(
            file=cat("file", np.int32),  # type: ignore[arg-type]
            record=cat("record", np.int64),  # type: ignore[arg-type]
            lang=cat("lang", np.int32),  # type: ignore[arg-type]
            chars=cat("chars", np.int64),  # type: ignore[arg-type]
            nbytes=cat("nbytes", np.int64),  # type: ignore[arg-type]
            tokens={e: cat(f"tokens:{e}", np.uint64) for e in names},  # type: ignore[misc]
        )
    return CorpusCounts(
        encodings=names,
        files=files,
        languages=dict(sorted(languages.items())),
        total=total,
        documents=documents,
        skipped=[Skipped(f, r, c, first) for (f, r), (c, first) in skipped.items()],
        complete=complete,
        _lang_order=lang_order,
    )
