"""Counting a corpus with several encodings in one pass over the data."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .corpus import Document
from .encoding import Encoding

BATCH_BYTES = 4 << 20  # documents are counted in batches of about this many UTF-8 bytes


@dataclass
class LangTotals:
    """Totals for one language: documents, Unicode code points, UTF-8 bytes, tokens by
    encoding name."""

    docs: int = 0
    chars: int = 0
    nbytes: int = 0
    tokens: dict[str, int] = field(default_factory=dict)

    def tokens_per_1k_chars(self, encoding: str) -> float:
        return 1000.0 * self.tokens[encoding] / self.chars if self.chars else 0.0


def count_documents(
    docs: Iterable[Document],
    encodings: Sequence[Encoding],
    *,
    num_threads: int | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> dict[str, LangTotals]:
    """Per-language totals for `docs` under each encoding (read once, counted with each).

    `on_batch(nbytes)` is called after each batch (for progress reporting).
    """
    totals: dict[str, LangTotals] = {}
    batch: list[Document] = []
    batch_bytes = 0

    def flush() -> None:
        nonlocal batch, batch_bytes
        if not batch:
            return
        texts = [d.text for d in batch]
        counts = {e.name: e.count_batch(texts, num_threads=num_threads) for e in encodings}
        for i, d in enumerate(batch):
            t = totals.setdefault(d.lang, LangTotals(tokens={e.name: 0 for e in encodings}))
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
