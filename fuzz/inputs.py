"""What the fuzz targets share: turning fuzzer bytes into text, and keeping what they find.

Run from the repository root (see README, Development); the oracles are the tests' own
(tests/references.py, tests/parity.py, tests/test_scanners.py), so the fuzzers and the test
suite judge a text the same way.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
# Findings are written here as UTF-8 text (lone surrogates kept with surrogatepass);
# tests/test_fuzz_regressions.py replays every file in it.
REGRESSIONS = ROOT / "fuzz" / "regressions"


@cache
def alphabet() -> list[str]:
    """Atoms the structured mode draws from: one character per scanner class, the
    characters and sequences the patterns name, both sides of sampled class boundaries,
    newer-than-Unicode-16 characters and lone surrogates."""
    from strategies import ATOMS, CONTRACTIONS, INTERESTING_CHARS, REPRESENTATIVE
    from test_hardening_unicode import boundary_code_points

    from tokbench.backends.unicode_version import stand_ins

    boundaries = [chr(cp) for cp in boundary_code_points()[::7]]
    newer = [chr(cp) for cp in sorted(stand_ins())[::97]]
    surrogates = ["\ud800", "\udfff", "\ud83d", "\ude00"]
    atoms = [*REPRESENTATIVE, *INTERESTING_CHARS, *CONTRACTIONS, *ATOMS]
    return sorted(set(atoms + boundaries + newer + surrogates))


def text_from(data: bytes) -> str:
    """A text from fuzzer bytes. The first byte picks the mode: raw UTF-8 (invalid bytes
    replaced), UTF-16 code units (lone surrogates included), or atoms of alphabet() picked
    by each following byte, so that mutations explore sequences of character classes."""
    if not data:
        return ""
    mode, body = data[0] % 4, data[1:]
    if mode == 0:
        return body.decode("utf-8", "replace")
    if mode == 1:
        units = body[: len(body) // 2 * 2]
        return units.decode("utf-16-le", "surrogatepass")
    atoms = alphabet()
    if mode == 2:
        return "".join(atoms[b % len(atoms)] for b in body)
    # Runs: pairs of (atom, repeat count), for long pieces and the caches.
    pairs = zip(body[::2], body[1::2], strict=False)  # an odd last byte is dropped
    return "".join(atoms[a % len(atoms)] * (1 + n % 64) for a, n in pairs)


def record(target: str, text: str, what: str) -> Path:
    """Saves a finding for the regression test and returns its path; the fuzz run stops."""
    raw = text.encode("utf-8", "surrogatepass")
    REGRESSIONS.mkdir(parents=True, exist_ok=True)
    path = REGRESSIONS / f"{target}-{hashlib.sha1(raw).hexdigest()[:12]}.txt"
    path.write_bytes(raw)
    print(f"\n{target}: {what}\nsaved as {path}", file=sys.stderr)  # noqa: T201
    return path


def max_len() -> int:
    """Texts longer than this are cut (TOKBENCH_FUZZ_MAX_LEN, default 4096 code points)."""
    return int(os.environ.get("TOKBENCH_FUZZ_MAX_LEN", "4096"))
