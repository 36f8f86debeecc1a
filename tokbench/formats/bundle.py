"""tokbench's own storage of an encoding: a JSON description plus an npz of arrays.

The bundled encodings live in tokbench/data: encodings/<name>.json (pipeline, special tokens,
provenance) and vocabs/<vocab>.npz (token bytes, id offsets, merges), so that encodings that
share a vocabulary (o200k_base and o200k_harmony) share one file.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from ..definition import AddedToken, Definition, VocabArrays
from ..errors import VocabError

FORMAT_VERSION = 1

T = TypeVar("T")


def vocab_to_npz(vocab: VocabArrays) -> bytes:
    arrays: dict[str, Any] = {
        "token_bytes": np.frombuffer(vocab.token_bytes, dtype=np.uint8),
        "offsets": vocab.offsets.astype(np.uint32),
    }
    if vocab.merges is not None:
        arrays["merges"] = vocab.merges.astype(np.uint32)
    if vocab.splits is not None:
        arrays["splits"] = vocab.splits.astype(np.uint32)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def read_checked(path: Path, sha256: str | None) -> bytes:
    """The bytes of a bundled file; with `sha256`, only if the file has that digest."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        msg = f"{path}: cannot read the bundled vocabulary ({e}); reinstall tokbench"
        raise VocabError(msg) from e
    if sha256 is not None and hashlib.sha256(raw).hexdigest() != sha256:
        msg = (
            f"{path}: sha256 {hashlib.sha256(raw).hexdigest()} is not the {sha256} its "
            "encoding description records; the file is damaged or replaced, reinstall tokbench"
        )
        raise VocabError(msg)
    return raw


def read_npz(path: Path, sha256: str | None, unpack: Callable[[Any], T]) -> T:
    """`unpack` applied to the open npz of a bundled vocabulary (checked against `sha256` if
    given); a file that does not unpack is a VocabError."""
    raw = read_checked(path, sha256)
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as z:
            return unpack(z)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error) as e:
        msg = f"{path}: not a readable tokbench vocabulary ({e})"
        raise VocabError(msg) from e


def vocab_from_npz(path: Path, *, sha256: str | None = None) -> VocabArrays:
    """The arrays of a bundled vocabulary; with `sha256`, only if the file has that digest (a
    damaged file can still unpack to plausible arrays, e.g. a wrong backtracking table)."""

    def unpack(z: Any) -> VocabArrays:
        merges = z["merges"] if "merges" in z.files else None
        splits = z["splits"] if "splits" in z.files else None
        return VocabArrays(
            z["token_bytes"].tobytes(), z["offsets"].astype(np.uint32), merges, splits
        )

    return read_npz(path, sha256, unpack)


def definition_to_json(d: Definition, *, vocab: str) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "name": d.name,
        "vocab": vocab,
        "ranking": d.ranking,
        "whole_piece_first": d.whole_piece_first,
        "stages": list(d.stages),
        "keep_gaps": d.keep_gaps,
        "scanner": d.scanner,
        "prefix_space": d.prefix_space,
        "normalization": d.normalization,
        "normalize_first": d.normalize_first,
        "added": [[t.content, t.id, t.special, t.normalized] for t in d.added],
        "extra_decode": {
            str(i): base64.b64encode(b).decode() for i, b in sorted(d.extra_decode.items())
        },
        "explicit_n_vocab": d.explicit_n_vocab,
        **({"bos_eos": [list(d.bos_eos[0]), list(d.bos_eos[1])]} if any(d.bos_eos) else {}),
        "pattern_syntax": d.pattern_syntax,
        "info": d.info,
    }


def definition_from_json(meta: dict[str, Any], vocab: VocabArrays) -> Definition:
    if meta.get("format_version") != FORMAT_VERSION:
        version = meta.get("format_version")
        msg = f"encoding {meta.get('name')!r}: unsupported format_version {version!r}"
        raise VocabError(msg)
    return Definition(
        name=meta["name"],
        vocab=vocab,
        ranking=meta["ranking"],
        whole_piece_first=meta["whole_piece_first"],
        stages=tuple(meta["stages"]),
        keep_gaps=meta["keep_gaps"],
        scanner=meta["scanner"],
        prefix_space=meta["prefix_space"],
        normalization=meta["normalization"],
        normalize_first=meta["normalize_first"],
        added=tuple(AddedToken(c, i, s, n) for c, i, s, n in meta["added"]),
        extra_decode={int(i): base64.b64decode(b) for i, b in meta["extra_decode"].items()},
        explicit_n_vocab=meta["explicit_n_vocab"],
        bos_eos=_bos_eos(meta.get("bos_eos")),
        pattern_syntax=meta.get("pattern_syntax", "rust"),
        info=meta["info"],
    )


def _bos_eos(value: Any) -> tuple[tuple[int, ...], tuple[int, ...]]:
    if not value:
        return ((), ())
    before, after = value
    return (tuple(before), tuple(after))


def read_meta(path: Path) -> dict[str, Any]:
    try:
        meta: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        msg = f"{path}: not a readable encoding description ({e})"
        raise VocabError(msg) from e
    return meta
