"""Turning a Definition into an Encoding, sharing core models between encodings."""

from __future__ import annotations

from typing import Any

from . import _core
from .backends.native import NativeBackend
from .definition import Definition
from .encoding import Encoding
from .errors import VocabError


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


def build_encoding(
    definition: Definition,
    model: _core.BpeModel | None = None,
    *,
    factory: tuple[Any, tuple[Any, ...]] | None = None,
) -> Encoding:
    """An Encoding for `definition`, on `model` if given (to share one between encodings).
    `factory` (callable, args) rebuilds it when unpickled."""
    backend = NativeBackend(definition, model if model is not None else core_model(definition))
    if definition.explicit_n_vocab is not None and backend.n_vocab != definition.explicit_n_vocab:
        msg = (
            f"{definition.name}: the vocabulary has {backend.n_vocab} ids but the source declares "
            f"{definition.explicit_n_vocab}"
        )
        raise VocabError(msg)
    pattern = definition.stages[0] if len(definition.stages) == 1 else None
    return Encoding(
        definition.name,
        backend,
        special_tokens=definition.special_tokens,
        pattern=pattern,
        info=definition.info,
        factory=factory,
    )
