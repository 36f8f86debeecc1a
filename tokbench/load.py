"""tokbench.load(path): an Encoding from a user's own tokenizer file (offline but for "hf:")."""

from __future__ import annotations

import gzip
import json
import lzma
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from .build import build_encoding, build_spm_encoding
from .encoding import Encoding
from .errors import UnsupportedTokenizerError, VocabError
from .formats import gguf, hf_json, hf_json_check, hf_spm, post_processor
from .formats.gguf_vocab import GgufVocab
from .formats.tiktoken_file import parse_ranks, ranks_to_arrays
from .formats.tiktoken_json import options_from_json, tiktoken_definition
from .hub import fetch as fetch_from_hub
from .hub import is_hub_spec
from .load_spm import is_sentencepiece_model, load_sentencepiece_model, model_stem
from .spm_definition import SpmDefinition


def _read(path: Path) -> bytes:
    try:
        if path.suffix == ".xz":
            return lzma.decompress(path.read_bytes())
        if path.suffix == ".gz":
            return gzip.decompress(path.read_bytes())
        return path.read_bytes()
    except (OSError, lzma.LZMAError, EOFError) as e:
        msg = f"cannot read {path}: {e}"
        raise VocabError(msg) from e


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(_read(path))
    except ValueError as e:
        msg = f"{path}: not valid JSON ({e})"
        raise VocabError(msg) from e
    except RecursionError as e:  # json's decoder recurses once per nesting level
        msg = f"{path}: JSON nested too deeply to be a tokenizer description"
        raise VocabError(msg) from e
    if not isinstance(data, dict):
        msg = f"{path}: expected a JSON object"
        raise VocabError(msg)
    return data


@contextmanager
def _naming(path: Path) -> Iterator[None]:
    """Prefixes the file to a VocabError raised without it (the core's checks name no file)."""
    try:
        yield
    except VocabError as e:
        if str(path) in str(e) or path.name in str(e):
            raise
        msg = f"{path}: {e}"
        raise VocabError(msg) from e


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".xz", ".gz", ".json", ".tiktoken", ".gguf"):
        name = name.removesuffix(suffix)
    return name


def _find_in_dir(path: Path) -> Path:
    for candidate in ("tokenizer.json", "tokenizer.json.xz", "tokenizer.json.gz", "encoding.json"):
        if (path / candidate).is_file():
            return path / candidate
    for pattern in ("*.tiktoken", "*.gguf", "*.gguf.xz"):
        found = sorted(path.glob(pattern))
        if len(found) == 1:
            return found[0]
    msg = (
        f"{path}: found no tokenizer.json, encoding.json or single *.tiktoken or *.gguf "
        "file; pass the file itself"
    )
    raise VocabError(msg)


def load(
    path: str | Path,
    *,
    name: str | None = None,
    pattern: str | None = None,
    special_tokens: dict[str, int] | None = None,
    normalization: str | None = None,
    id_offset: int | None = None,
) -> Encoding:
    """Loads a tokenizer from a file (or a directory holding one).

    Recognised: a Hugging Face ``tokenizer.json`` (any model type; ``.xz``/``.gz`` too), a
    tiktoken ``.tiktoken`` ranks file, an ``encoding.json`` describing one, and a llama.cpp
    GGUF file (``.gguf``, its tokenizer metadata; vocabulary-only files too). A
    ``"hf:OWNER/NAME"`` fetches the repository's ``tokenizer.json`` from the Hugging Face Hub
    (needs ``huggingface_hub``; cached, so later loads work offline). A
    ``.tiktoken`` file needs its pre-tokenizer pattern: pass ``pattern=`` (and
    ``special_tokens=``), or put an ``encoding.json`` with ``pat_str`` beside it.

    The native core runs it where it can (``enc.path == "native"``); other tokenizers
    (Unigram, WordPiece, and pipelines the core does not reproduce) run on Hugging Face
    ``tokenizers`` instead (``enc.path == "reference"``), built in memory from the file. A
    pattern without a native scanner runs through the ``regex`` module: slower, same ids.

    Raises:
        VocabError: unreadable, truncated or inconsistent file, or a missing pattern; for
            "hf:" names also a file that cannot be fetched (tokbench.hub.HubError).
        UnsupportedTokenizerError: a tokenizer type tokbench cannot run (e.g. a GGUF model
            or pre-tokenizer type it does not know).
    """
    factory = (_load_again, (str(path), name, pattern, special_tokens, normalization, id_offset))
    if is_hub_spec(path):
        p, spec = fetch_from_hub(str(path))
        name = name or spec.name
    else:
        p = Path(path)
    if p.is_dir():
        p = _find_in_dir(p)
    if not p.is_file():
        msg = f"no such file: {p}"
        raise VocabError(msg)
    # "tokenizer.json" and "encoding.json" say nothing: their folder names the tokenizer.
    stem = _stem(p)
    enc_name = name or (p.resolve().parent.name if stem in ("tokenizer", "encoding") else stem)
    if p.name.endswith((".tiktoken", ".tiktoken.gz", ".tiktoken.xz")):
        return _load_tiktoken(
            p, enc_name, pattern, special_tokens, normalization, id_offset, factory=factory
        )
    if is_sentencepiece_model(p):
        return load_sentencepiece_model(p, _read(p), name or model_stem(p), factory)
    if p.name.endswith((".gguf", ".gguf.gz", ".gguf.xz")) or _starts_with_gguf_magic(p):
        return _load_gguf(p, enc_name, factory)
    data = _json(p)
    if "model" in data:
        return _load_hf(p, data, enc_name, factory)
    if "pat_str" in data or "ranks_file" in data:
        ranks_file = data.get("ranks_file")
        if not ranks_file:
            msg = f"{p}: no 'ranks_file' naming the .tiktoken file"
            raise VocabError(msg)
        opts = options_from_json(data, source=str(p))
        return _load_tiktoken(
            p.parent / ranks_file,
            name or data.get("name") or enc_name,
            pattern or opts["pattern"],
            special_tokens if special_tokens is not None else opts["special_tokens"],
            normalization or opts["normalization"],
            id_offset if id_offset is not None else int(data.get("token_id_offset") or 0),
            explicit_n_vocab=opts["explicit_n_vocab"],
            factory=factory,
        )
    msg = f"{p}: neither a Hugging Face tokenizer.json nor a tiktoken encoding.json"
    raise VocabError(msg)


def _load_tiktoken(
    ranks_path: Path,
    name: str,
    pattern: str | None,
    special_tokens: dict[str, int] | None,
    normalization: str | None,
    id_offset: int | None,
    explicit_n_vocab: int | None = None,
    factory: tuple[Any, tuple[Any, ...]] | None = None,
) -> Encoding:
    if pattern is None:
        # An encoding.json beside the ranks file may describe it, if it names this file.
        beside = ranks_path.parent / "encoding.json"
        if beside.is_file():
            meta = _json(beside)
            if meta.get("ranks_file") == ranks_path.name:
                opts = options_from_json(meta, source=str(beside))
                return _load_tiktoken(
                    ranks_path,
                    name,
                    opts["pattern"],
                    special_tokens if special_tokens is not None else opts["special_tokens"],
                    normalization or opts["normalization"],
                    id_offset if id_offset is not None else int(meta.get("token_id_offset") or 0),
                    explicit_n_vocab=opts["explicit_n_vocab"],
                    factory=factory,
                )
        other = ""
        if beside.is_file():
            other = f" (the encoding.json beside it describes {_json(beside).get('ranks_file')!r})"
        msg = (
            f"{ranks_path}: a .tiktoken file has no pre-tokenizer pattern{other}. Pass pattern=... "
            '(e.g. tokbench.get_encoding("o200k_base").pattern) or put an encoding.json with '
            "'pat_str' beside it."
        )
        raise VocabError(msg)
    ranks = parse_ranks(_read(ranks_path), source=str(ranks_path))
    with _naming(ranks_path):  # the core's checks (e.g. a byte with no token)
        definition = tiktoken_definition(
            name,
            ranks_to_arrays(ranks, id_offset=id_offset or 0),
            pattern=pattern,
            special_tokens=special_tokens,
            normalization=normalization,
            explicit_n_vocab=explicit_n_vocab,
            info={"source": str(ranks_path.name), "format": "tiktoken"},
        )
        return build_encoding(definition, factory=factory)


def _starts_with_gguf_magic(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return gguf.is_gguf(f.read(4))
    except OSError:
        return False


def _load_gguf(path: Path, name: str, factory: tuple[Any, tuple[Any, ...]]) -> Encoding:
    vocab = GgufVocab.from_metadata(
        gguf.read_metadata(_read(path), source=path.name), source=path.name
    )
    info: dict[str, Any] = {
        "source": path.name,
        "format": "gguf",
        "gguf_model": vocab.model,
        "gguf_pre": vocab.pre,
        "special_token_ids": vocab.special_ids,
        "add_bos": vocab.add_bos,
        "add_eos": vocab.add_eos,
    }
    return _load_hf(path, vocab.tokenizer_json(), name, factory, info=info)


def _load_hf(
    path: Path,
    data: dict[str, Any],
    name: str,
    factory: tuple[Any, tuple[Any, ...]],
    *,
    info: dict[str, Any] | None = None,
) -> Encoding:
    """A tokenizer.json (parsed): native where hf_spm/hf_json describe it, else Hugging Face."""
    model = data.get("model")
    if not isinstance(model, dict):
        msg = f"{path}: 'model' must be a JSON object, not {type(model).__name__}"
        raise VocabError(msg)
    info = info or {"source": path.name, "format": "tokenizer.json"}
    if model.get("dropout") not in (None, 0, 0.0):
        msg = f"{path}: BPE dropout is random, so its token counts would not be reproducible"
        raise UnsupportedTokenizerError(msg)
    # SentencePiece-style BPE (byte fallback over '▁' text) goes to the core's SPM model,
    # byte-level BPE to its BPE model.
    try:
        hf_json_check.check(data)
        spm = hf_spm.is_spm_form(data)
        parsed = hf_spm.parse(data, name=name) if spm else hf_json.parse(data, name=name)
    except VocabError as e:
        msg = f"{path}: {e}"
        raise VocabError(msg) from e
    except UnsupportedTokenizerError as e:
        # Unigram, WordPiece, or a pipeline step the core does not reproduce.
        return _reference(path, data, name, {**info, "reference_because": str(e)}, factory)
    parsed = replace(parsed, info={**parsed.info, **info})
    with _naming(path):  # the core's checks (merges that build no token, ...)
        if isinstance(parsed, SpmDefinition):
            return build_spm_encoding(parsed, factory=factory)
        return build_encoding(parsed, factory=factory)


def _reference(
    path: Path,
    data: dict[str, Any],
    name: str,
    info: dict[str, Any],
    factory: tuple[Any, tuple[Any, ...]],
) -> Encoding:
    """Hugging Face tokenizers runs the file, so the ids are the reference's by construction."""
    from .backends.reference import ReferenceBackend  # imports Hugging Face tokenizers

    try:
        backend = ReferenceBackend(json.dumps(data))
    except Exception as e:  # tokenizers raises a bare Exception for a file it cannot read
        msg = f"{path}: Hugging Face tokenizers cannot read it either: {e}"
        raise VocabError(msg) from e
    return Encoding(
        name,
        backend,
        special_tokens={
            t["content"]: int(t["id"]) for t in data.get("added_tokens") or [] if t.get("special")
        },
        pattern=None,
        info=info,
        factory=factory,
        bos_eos=post_processor.bos_eos(data.get("post_processor")),
    )


def _load_again(
    path: str,
    name: str | None,
    pattern: str | None,
    special_tokens: dict[str, int] | None,
    normalization: str | None,
    id_offset: int | None,
) -> Encoding:
    """Unpickling a loaded Encoding: load the same file again."""
    return load(
        path,
        name=name,
        pattern=pattern,
        special_tokens=special_tokens,
        normalization=normalization,
        id_offset=id_offset,
    )
