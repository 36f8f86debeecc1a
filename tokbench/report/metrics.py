"""Token counts of a parallel corpus and the per-language metrics built from them.

Definitions (per language L and encoding E; docs/report.md says the same in prose):
- tokens: tokens of all of L's units under E (no BOS/EOS);
- chars: Unicode code points of those units as read; bytes: their UTF-8 bytes;
- tokens_per_1k_chars = 1000 * tokens / chars; bytes_per_token = bytes / tokens;
- tokens_per_word = tokens / whitespace-separated words, only for scripts written with
  spaces between words (empty otherwise);
- premium_vs_eng = sum of L's tokens / sum of English's tokens over the units both have
  (Petrov et al., NeurIPS 2023), so a language missing some articles is compared fairly;
- premium_median / premium_p90: the same ratio per unit (units where English has at least
  one token), its median and 90th percentile (linear interpolation).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..encoding import Encoding
from .parallel import ParallelCorpus


@dataclass(frozen=True)
class Cell:
    """Metrics of one language under one encoding."""

    lang: str
    encoding: str
    tokens: int
    chars: int
    bytes: int
    words: int | None
    common_units: int
    tokens_common: int  # tokens over the units shared with English
    eng_tokens_common: int
    premium_median: float | None
    premium_p90: float | None

    @property
    def tokens_per_1k_chars(self) -> float:
        return 1000.0 * self.tokens / self.chars if self.chars else 0.0

    @property
    def bytes_per_token(self) -> float:
        return self.bytes / self.tokens if self.tokens else 0.0

    @property
    def tokens_per_word(self) -> float | None:
        return self.tokens / self.words if self.words else None

    @property
    def premium_vs_eng(self) -> float | None:
        return self.tokens_common / self.eng_tokens_common if self.eng_tokens_common else None


@dataclass
class Counts:
    """Per-unit token counts: counts[encoding][lang] is aligned with corpus units' order."""

    corpus: ParallelCorpus
    encodings: list[str]
    counts: dict[str, dict[str, npt.NDArray[np.uint64]]]


def count_corpus_units(
    corpus: ParallelCorpus,
    encodings: Sequence[Encoding],
    *,
    num_threads: int | None = None,
    on_language: Callable[[str], None] | None = None,
) -> Counts:
    """Counts every unit of every language with every encoding (one language at a time,
    calling `on_language(code)` after each, for a progress bar)."""
    out: dict[str, dict[str, npt.NDArray[np.uint64]]] = {e.name: {} for e in encodings}
    for code, lang in corpus.languages.items():
        texts = list(lang.units.values())
        for e in encodings:
            out[e.name][code] = e.count_batch(texts, num_threads=num_threads)
        if on_language is not None:
            on_language(code)
    return Counts(corpus, [e.name for e in encodings], out)


def cells(counts: Counts) -> list[Cell]:
    """One Cell per (language, encoding), languages sorted, encodings in the given order."""
    corpus = counts.corpus
    eng = corpus.languages[corpus.english]
    eng_index = {u: i for i, u in enumerate(eng.units)}
    result: list[Cell] = []
    for code, lang in corpus.languages.items():
        index = {u: i for i, u in enumerate(lang.units)}
        common = corpus.common_units(code)
        texts = list(lang.units.values())
        chars = sum(len(t) for t in texts)
        nbytes = sum(len(t.encode("utf-8", "surrogatepass")) for t in texts)
        words = sum(len(t.split()) for t in texts) if lang.space_separated else None
        for name in counts.encodings:
            mine = counts.counts[name][code]
            theirs = counts.counts[name][corpus.english]
            a = np.array([int(mine[index[u]]) for u in common], dtype=np.float64)
            b = np.array([int(theirs[eng_index[u]]) for u in common], dtype=np.float64)
            ok = b > 0
            ratios = a[ok] / b[ok]
            result.append(
                Cell(
                    lang=code,
                    encoding=name,
                    tokens=int(mine.sum()),
                    chars=chars,
                    bytes=nbytes,
                    words=words,
                    common_units=len(common),
                    tokens_common=int(a.sum()),
                    eng_tokens_common=int(b.sum()),
                    premium_median=float(np.median(ratios)) if ratios.size else None,
                    premium_p90=float(np.percentile(ratios, 90)) if ratios.size else None,
                )
            )
    return result
