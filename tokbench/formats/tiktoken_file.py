"""tiktoken's vocabulary format: one "<base64 token bytes> <rank>" pair per line."""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from ..definition import VocabArrays
from ..errors import VocabError
from .limits import check_id_range


def parse_ranks(data: bytes, *, source: str = "<bytes>") -> dict[bytes, int]:
    """Parses a .tiktoken file's contents into {token bytes: rank}.

    Raises:
        VocabError: naming the file and line, for a malformed line, bad base64, a negative
            rank, or a token or rank given twice; naming the file for ranks so sparse that
            the tables indexed by them would dwarf the vocabulary.
    """
    ranks: dict[bytes, int] = {}
    seen_ranks: set[int] = set()
    for lineno, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2:
            msg = f"{source}:{lineno}: expected '<base64 token> <rank>', got {line[:80]!r}"
            raise VocabError(msg)
        try:
            token = base64.b64decode(parts[0], validate=True)
            rank = int(parts[1])
        except (binascii.Error, ValueError) as e:
            msg = f"{source}:{lineno}: {e}"
            raise VocabError(msg) from e
        if rank < 0 or rank >= 2**31:
            msg = f"{source}:{lineno}: rank {rank} is out of range"
            raise VocabError(msg)
        if token in ranks:
            msg = f"{source}:{lineno}: token {token!r} already has rank {ranks[token]}"
            raise VocabError(msg)
        if rank in seen_ranks:
            msg = f"{source}:{lineno}: rank {rank} is given to two tokens"
            raise VocabError(msg)
        ranks[token] = rank
        seen_ranks.add(rank)
    if not ranks:
        msg = f"{source}: no tokens found"
        raise VocabError(msg)
    check_id_range(max(seen_ranks), len(seen_ranks), source)
    return ranks


def read_ranks(path: str | Path) -> dict[bytes, int]:
    p = Path(path)
    return parse_ranks(p.read_bytes(), source=str(p))


def ranks_to_arrays(ranks: dict[bytes, int], *, id_offset: int = 0) -> VocabArrays:
    """Token ids are ranks plus `id_offset` (Mistral Tekken reserves ids 0..999)."""
    return VocabArrays.from_id_bytes({rank + id_offset: token for token, rank in ranks.items()})
