"""The bundled encodings, by name. Loaded lazily, once, from the package data (no network)."""

from __future__ import annotations

import difflib
import threading
from pathlib import Path
from typing import Any

from . import _core
from .backends.spm import core_spm_model
from .build import build_encoding, build_spm_encoding, core_model
from .closed import closed_families
from .definition import VocabArrays
from .encoding import Encoding
from .errors import UnknownEncodingError
from .formats.bundle import definition_from_json, read_meta, vocab_from_npz
from .formats.spm_bundle import spm_definition_from_json

DATA_DIR = Path(__file__).resolve().parent / "data"

_lock = threading.RLock()
_encodings: dict[str, Encoding] = {}
_models: dict[tuple[str, str, bool], _core.BpeModel] = {}
_vocabs: dict[str, VocabArrays] = {}
_spm_models: dict[str, _core.SpmModel] = {}


def list_encoding_names() -> list[str]:
    """Names of the bundled encodings (all usable offline).

    >>> import tokbench
    >>> "o200k_base" in tokbench.list_encoding_names()
    True
    """
    return sorted(p.stem for p in (DATA_DIR / "encodings").glob("*.json"))


def get_encoding(name: str) -> Encoding:
    """The bundled encoding called `name` (e.g. "o200k_base", "llama3", "deepseek_v3"), or
    the estimated encoding of a closed tokenizer family (e.g. "claude_3_to_4_6", see
    tokbench.closed_families()): an EstimatedEncoding with exact=False, counts only.

    The first call per name reads its vocabulary from the package data; later calls return
    the same object. Encodings that share a vocabulary share its tables.

    Raises:
        UnknownEncodingError: for a name that is not bundled (the message lists close ones).

    >>> import tokbench
    >>> tokbench.get_encoding("cl100k_base").encode("hello world")
    [15339, 1917]
    """
    with _lock:
        enc = _encodings.get(name)
        if enc is not None:
            return enc
        path = DATA_DIR / "encodings" / f"{name}.json"
        if isinstance(name, str) and not path.is_file() and name in closed_families():
            from .estimate import estimated_encoding

            enc = _encodings[name] = estimated_encoding(name)
            return enc
        if not isinstance(name, str) or "/" in name or not path.is_file():
            names = list_encoding_names()
            close = difflib.get_close_matches(str(name).lower(), names, n=3)
            hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
            msg = (
                f"Unknown encoding {name!r}.{hint} Bundled encodings: {', '.join(names)}. "
                f"Estimated (closed tokenizer) families: {', '.join(sorted(closed_families()))}. "
                "To use your own tokenizer file, call tokbench.load(path)."
            )
            raise UnknownEncodingError(msg)
        meta = read_meta(path)
        if meta.get("kind") == "spm_bpe":
            enc = _encodings[name] = _spm_encoding(name, meta)
            return enc
        key = (meta["vocab"], meta["ranking"], bool(meta["whole_piece_first"]))
        model = _models.get(key)
        vocab = _vocabs.get(meta["vocab"])
        if vocab is None:
            vocab = _vocabs[meta["vocab"]] = vocab_from_npz(
                DATA_DIR / "vocabs" / f"{meta['vocab']}.npz",
                sha256=meta["info"].get("vocab_npz_sha256"),
            )
        definition = definition_from_json(meta, vocab)
        if model is None:
            model = _models[key] = core_model(definition)
        enc = _encodings[name] = build_encoding(definition, model, factory=(get_encoding, (name,)))
        return enc


def _spm_encoding(name: str, meta: dict[str, Any]) -> Encoding:
    """A bundled SentencePiece-style encoding (caller holds the lock)."""
    definition = spm_definition_from_json(meta, DATA_DIR / "vocabs" / f"{meta['vocab']}.npz")
    model = _spm_models.get(meta["vocab"])
    if model is None:
        model = _spm_models[meta["vocab"]] = core_spm_model(definition)
    return build_spm_encoding(definition, model, factory=(get_encoding, (name,)))
