"""tokbench's own storage of a SentencePiece-style BPE encoding: JSON (pipeline, literal
tokens, provenance; "kind": "spm_bpe") plus an npz of arrays (piece texts, scores or
merges, byte-fallback ids), like formats/bundle.py for the byte-level encodings."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np

from ..definition import AddedToken, VocabArrays
from ..errors import VocabError
from ..spm_definition import SpmDefinition
from .bundle import read_npz

FORMAT_VERSION = 1
KIND = "spm_bpe"


def spm_vocab_to_npz(d: SpmDefinition) -> bytes:
    arrays: dict[str, Any] = {
        "token_bytes": np.frombuffer(d.pieces.token_bytes, dtype=np.uint8),
        "offsets": d.pieces.offsets.astype(np.uint32),
        "byte_ids": d.byte_ids.astype(np.int32),
    }
    if d.ranking == "merges" and d.pieces.merges is not None:
        arrays["merges"] = d.pieces.merges.astype(np.uint32)
    if d.scores is not None:
        arrays["scores"] = d.scores.astype(np.float32)
    if d.whole is not None:
        arrays["whole"] = np.packbits(d.whole.astype(bool))
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def spm_vocab_from_npz(path: Path, *, sha256: str | None = None) -> dict[str, Any]:
    """pieces (with merges), scores, byte_ids and whole (flags or None) from a bundled npz;
    with `sha256`, only if the file has that digest."""

    def unpack(z: Any) -> dict[str, Any]:
        merges = z["merges"] if "merges" in z.files else None
        offsets = z["offsets"].astype(np.uint32)
        whole = None
        if "whole" in z.files:
            whole = np.unpackbits(z["whole"], count=len(offsets) - 1).astype(np.uint8)
        return {
            "pieces": VocabArrays(z["token_bytes"].tobytes(), offsets, merges),
            "scores": z["scores"].astype(np.float32) if "scores" in z.files else None,
            "byte_ids": z["byte_ids"].astype(np.int64),
            "whole": whole,
        }

    return read_npz(path, sha256, unpack)


def spm_definition_to_json(d: SpmDefinition, *, vocab: str) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "kind": KIND,
        "name": d.name,
        "vocab": vocab,
        "ranking": d.ranking,
        "unk_id": d.unk_id,
        "fuse_unk": d.fuse_unk,
        "dummy_prefix": d.dummy_prefix,
        "escape_spaces": d.escape_spaces,
        "remove_extra_spaces": d.remove_extra_spaces,
        "literals_after_normalizing": d.literals_after_normalizing,
        "strip_leading_space": d.strip_leading_space,
        "named": {str(i): t for i, t in sorted(d.named.items())},
        "added": [[t.content, t.id, t.special, t.normalized] for t in d.added],
        "bos_eos": [list(d.bos_eos[0]), list(d.bos_eos[1])],
        "explicit_n_vocab": d.explicit_n_vocab,
        "info": d.info,
    }


def spm_definition_from_json(meta: dict[str, Any], vocab_path: Path) -> SpmDefinition:
    if meta.get("format_version") != FORMAT_VERSION or meta.get("kind") != KIND:
        msg = (
            f"encoding {meta.get('name')!r}: unsupported format_version "
            f"{meta.get('format_version')!r} / kind {meta.get('kind')!r}"
        )
        raise VocabError(msg)
    arrays = spm_vocab_from_npz(vocab_path, sha256=meta["info"].get("vocab_npz_sha256"))
    before, after = meta["bos_eos"]
    return SpmDefinition(
        name=meta["name"],
        ranking=meta["ranking"],
        **arrays,
        unk_id=meta["unk_id"],
        fuse_unk=meta["fuse_unk"],
        dummy_prefix=meta["dummy_prefix"],
        escape_spaces=meta["escape_spaces"],
        remove_extra_spaces=meta["remove_extra_spaces"],
        literals_after_normalizing=meta["literals_after_normalizing"],
        strip_leading_space=meta["strip_leading_space"],
        named={int(i): t for i, t in meta["named"].items()},
        added=tuple(AddedToken(c, i, s, n) for c, i, s, n in meta["added"]),
        bos_eos=(tuple(before), tuple(after)),
        explicit_n_vocab=meta["explicit_n_vocab"],
        info=meta["info"],
    )
