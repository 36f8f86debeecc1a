"""tokbench.load's branch for SentencePiece ``.model`` files (a protobuf ModelProto)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from .build import build_spm_encoding
from .encoding import Encoding
from .errors import UnsupportedTokenizerError, VocabError
from .formats import spm_model

# tokenizer.model, and Mistral's versioned names (tokenizer.model.v3, ....model.v7).
_MODEL_NAME = re.compile(r"\.model(\.v\d+)?$")


def is_sentencepiece_model(path: Path) -> bool:
    return _MODEL_NAME.search(path.name) is not None


def model_stem(path: Path) -> str:
    """The file name without .model (and a Mistral version suffix)."""
    return _MODEL_NAME.sub("", path.name)


def load_sentencepiece_model(
    path: Path, data: bytes, name: str, factory: tuple[Any, tuple[Any, ...]]
) -> Encoding:
    """A SentencePiece BPE model on the native core.

    Raises:
        VocabError: not a readable SentencePiece model.
        UnsupportedTokenizerError: a model the core does not run (Unigram, a normalization
            table): the message says how to run it anyway.
    """
    try:
        definition = spm_model.parse(data, name=name)
    except VocabError as e:
        msg = f"{path}: not a readable SentencePiece model ({e})"
        raise VocabError(msg) from e
    except UnsupportedTokenizerError as e:
        msg = (
            f"{path}: {e}. Convert it to a tokenizer.json (e.g. with transformers' "
            "convert_slow_tokenizer) and load that: Hugging Face tokenizers runs what the "
            "native core does not."
        )
        raise UnsupportedTokenizerError(msg) from e
    definition = replace(
        definition, info={**definition.info, "source": path.name, "format": "sentencepiece"}
    )
    try:
        return build_spm_encoding(definition, factory=factory)
    except VocabError as e:
        msg = f"{path}: {e}"
        raise VocabError(msg) from e
