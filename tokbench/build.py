"""Turning a Definition into an Encoding, sharing core models between encodings."""

from __future__ import annotations

from typing import Any

from . import _core
from .backends.native import NativeBackend
from .backends.spm import SpmBackend, core_spm_model
from .definition import Definition
from .encoding import Encoding
from .errors import VocabError
from .spm_definition import SpmDefinition


def core_model(definition: Definition) -> _core.BpeModel:
    """Builds the core's BPE tables for a definition (releases the GIL while it works)."""
    vocab = definition.vocab
    merges = vocab.merges if definition.ranking == "merges" and vocab.merges is not None else None
    return _core.BpeModel(
        vocab.token_bytes,
        vocab.offsets,
        merges.reshape(-1) if merges is not None else [],
        definition.ranking,
        definition.whole_piece_first,
        vocab.splits if definition.ranking == "tiktoken" else None,
    )


def _check_n_vocab(name: str, n_vocab: int, declared: int | None) -> None:
    if declared is not None and n_vocab != declared:
        msg = f"{name}: the vocabulary has {n_vocab} ids but the source declares {declared}"
        raise VocabError(msg)


def build_encoding(
    definition: Definition,
    model: _core.BpeModel | None = None,
    *,
    factory: tuple[Any, tuple[Any, ...]] | None = None,
) -> Encoding:
    """An Encoding for `definition`, on `model` if given (to share one between encodings).
    `factory` (callable, args) rebuilds it when unpickled."""
    backend = NativeBackend(definition, model if model is not None else core_model(definition))
    pattern = definition.stages[0] if len(definition.stages) == 1 else None
    return _encoding(definition, backend, pattern, factory)


def build_spm_encoding(
    definition: SpmDefinition,
    model: _core.SpmModel | None = None,
    *,
    factory: tuple[Any, tuple[Any, ...]] | None = None,
) -> Encoding:
    """An Encoding for a SentencePiece-style BPE definition, on `model` if given."""
    backend = SpmBackend(definition, model if model is not None else core_spm_model(definition))
    return _encoding(definition, backend, None, factory)


def _encoding(
    definition: Definition | SpmDefinition,
    backend: NativeBackend | SpmBackend,
    pattern: str | None,
    factory: tuple[Any, tuple[Any, ...]] | None,
) -> Encoding:
    """The Encoding of `definition` on `backend`, once its vocabulary size is checked."""
    _check_n_vocab(definition.name, backend.n_vocab, definition.explicit_n_vocab)
    return Encoding(
        definition.name,
        backend,
        special_tokens=definition.special_tokens,
        pattern=pattern,
        info=definition.info,
        factory=factory,
        bos_eos=definition.bos_eos,
    )
