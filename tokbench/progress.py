"""Progress of a long count: what is reported, and a one-line bar on stderr."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import TextIO


@dataclass(frozen=True, slots=True)
class Progress:
    """How far counting has got.

    Attributes:
        done_bytes: bytes of the input files read (as stored: compressed bytes for a
            compressed file).
        total_bytes: their total size, or None when unknown (standard input).
        docs: documents counted.
        elapsed: seconds since counting started.
        source: the input being read.
    """

    done_bytes: int
    total_bytes: int | None
    docs: int
    elapsed: float
    source: str

    @property
    def bytes_per_second(self) -> float:
        return self.done_bytes / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        """Seconds left at the rate so far (None when the total is unknown)."""
        rate = self.bytes_per_second
        if self.total_bytes is None or rate <= 0:
            return None
        return max(self.total_bytes - self.done_bytes, 0) / rate


def _size(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"  # pragma: no cover


def _duration(s: float) -> str:
    s = int(s + 0.5)
    if s >= 3600:
        return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


def format_progress(p: Progress) -> str:
    """'312.4 MB / 1.0 GB (31%), 85.2 MB/s, 1.2M docs, ETA 0:08'."""
    parts = [_size(p.done_bytes)]
    if p.total_bytes:
        pct = 100 * min(p.done_bytes / p.total_bytes, 1.0)
        parts = [f"{_size(p.done_bytes)} / {_size(p.total_bytes)} ({pct:.0f}%)"]
    parts.append(f"{_size(p.bytes_per_second)}/s")
    parts.append(f"{p.docs:,} docs")
    eta = p.eta_seconds
    if eta is not None:
        parts.append(f"ETA {_duration(eta)}")
    return ", ".join(parts)


class ProgressBar:
    """Rewrites one line on `stream` (stderr) with the progress, on a terminal only, once a
    count has run for `delay` seconds (short runs print nothing), at most 5 times a second."""

    def __init__(self, stream: TextIO | None = None, *, delay: float = 1.0) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty()
        self.delay = delay
        self._last = 0.0
        self._shown = False

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        if not self.enabled or p.elapsed < self.delay or now - self._last < 0.2:
            return
        self._last = now
        self._shown = True
        self.stream.write("\r" + format_progress(p).ljust(79))
        self.stream.flush()

    def close(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
