"""The exact peers: other libraries that count tiktoken-format tokens, loaded offline, one thread.

Each `Peer` says how to load the library from LOCAL files (the original `.tiktoken` rank file
in the shared tokenizers folder where the library can read one, else the vocabulary the
package itself ships; nothing is downloaded) and which call is timed: the library's fastest
single-threaded way to get per-document counts, found by trying its batch and per-document
calls (see bench/README.md). A peer that is not installed, or cannot load an encoding, is
reported as such and never stops a run.

Import this module before anything imports a peer: the thread-count environment variables
some of them read when they first start their thread pool are set here.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import impls  # sets RAYON_NUM_THREADS=1 and TOKENIZERS_PARALLELISM=false

# fastokens sizes its BPE thread pool from this variable (rayon's is pinned by impls); the
# hub variable makes a library that could reach a model hub fail instead of downloading.
THREAD_ENV = {"FASTOKENS_BPE_THREADS": "1", "HF_HUB_OFFLINE": "1"}
os.environ.update(THREAD_ENV)

Counter = impls.Counter

# Packages whose pip install needs more than a wheel (shown in the report for missing peers).
INSTALL_NOTES = {
    "tokendagger": "no wheel: pip builds it from source and needs the PCRE2 headers "
    "(Debian/Ubuntu: apt-get install libpcre2-dev)",
}


@dataclass(frozen=True)
class LocalVocab:
    """An encoding's ranks file and the pieces a .tiktoken file does not carry."""

    name: str
    path: Path
    pat_str: str
    special_tokens: dict[str, int]
    source: str


def check_encoding(name: str) -> None:
    """Raise ValueError (saying why and what to use instead) unless the peers can count `name`:
    a tiktoken-format encoding without input normalization."""
    import references

    if impls.reference_kind(name) != "tiktoken":
        msg = (
            f"{name} is not a tiktoken-format encoding: the peers here read .tiktoken ranks "
            f"(known: {', '.join(references.TIKTOKEN_FORMAT)}). Use bench/throughput.py for "
            "the others."
        )
        raise ValueError(msg)
    if references.definition(name).normalization:
        msg = f"{name} normalizes its input and the peers do not: they cannot be compared on it"
        raise ValueError(msg)


def local_vocab(name: str, tmp: Path) -> LocalVocab:
    """The original .tiktoken file from the shared tokenizers folder (one written from the
    bundle into `tmp` when it is absent), with the split pattern and special tokens of the
    bundle."""
    check_encoding(name)
    rf = impls.reference_file(name, tmp)
    spec = json.loads(rf.spec_path.read_text(encoding="utf-8"))
    return LocalVocab(name, Path(spec["path"]), spec["pat_str"], spec["special_tokens"], rf.source)


@dataclass(frozen=True)
class Peer:
    """One way of counting with one library.

    `load(vocab)` builds a new instance (untimed) and returns its counter. `caches` says
    whether an instance keeps what it has seen (then every cold run gets a new instance; the
    others reuse one). `call` and `vocab` describe, for the report, the timed call and where
    the vocabulary comes from; `threads` how it is kept on one thread.
    """

    key: str
    dist: str
    module: str
    call: str
    vocab: str
    caches: bool
    threads: str
    load: Callable[[LocalVocab], Counter]

    def version(self) -> str | None:
        try:
            return importlib.metadata.version(self.dist)
        except importlib.metadata.PackageNotFoundError:
            return None

    def missing(self) -> str | None:
        """Why the library cannot be imported (None: it can)."""
        try:
            importlib.import_module(self.module)
        except ImportError as e:
            return f"not installed ({e})".replace("\n", " ")
        return None


# -- loaders: each returns a counter over a new instance ------------------------------------

# gigatoken names the split scheme instead of taking a pattern.
_GIGATOKEN_SCHEMES = {"o200k_base": "o200k", "cl100k_base": "gpt4", "r50k_base": "gpt2"}


def _gigatoken(v: LocalVocab) -> Any:
    import gigatoken

    # No special tokens: its encode would turn "<|endoftext|>" in the text into one token,
    # where the count of ordinary text (tiktoken's encode_ordinary) splits it.
    return gigatoken.Tokenizer.from_tiktoken(str(v.path), _GIGATOKEN_SCHEMES.get(v.name), {})


def _gigatoken_loop(v: LocalVocab) -> Counter:
    encode = _gigatoken(v).encode
    return lambda docs: [len(encode(d)) for d in docs]


def _gigatoken_batch(v: LocalVocab) -> Counter:
    import awkward as ak
    import numpy as np

    tok = _gigatoken(v)
    return lambda docs: np.asarray(ak.num(tok.encode_batch(list(docs), parallel=False)))


def _toktok(v: LocalVocab) -> Any:
    # toktok.batch_count keeps one instance per process; its class gives a new one.
    from toktok._toktok import Tokenizer

    return Tokenizer(v.name, "")


def _toktok_batch(v: LocalVocab) -> Counter:
    tok = _toktok(v)
    return lambda docs: tok.count_batch(list(docs), 1)


def _toktok_loop(v: LocalVocab) -> Counter:
    count = _toktok(v).count
    return lambda docs: [count(d) for d in docs]


def _quicktok(v: LocalVocab) -> Counter:
    import quicktok

    tok = quicktok.Tokenizer(v.name, "")
    return lambda docs: quicktok.count_batch(tok, docs, threads=1)


def _splintr(v: LocalVocab) -> Counter:
    import splintr

    # splintr's regex engine rejects the possessive quantifiers of tiktoken's cl100k pattern;
    # it ships equivalent patterns for the encodings it knows.
    own = {"o200k_base": splintr.O200K_BASE_PATTERN, "cl100k_base": splintr.CL100K_BASE_PATTERN}
    encode = splintr.Tokenizer(str(v.path), own.get(v.name, v.pat_str), v.special_tokens)
    encode_ordinary = encode.encode_ordinary
    return lambda docs: [len(encode_ordinary(d)) for d in docs]


def _bpe_openai(v: LocalVocab) -> Counter:
    from bpe_openai import _bindings

    count = _bindings.tokenizer_for_encoding(v.name).count
    return lambda docs: [count(d) for d in docs]


def _rs_bpe(v: LocalVocab) -> Counter:
    from rs_bpe.bpe import openai

    builders = {"o200k_base": openai.o200k_base, "cl100k_base": openai.cl100k_base}
    if v.name not in builders:
        msg = f"rs-bpe bundles only {', '.join(builders)}"
        raise ValueError(msg)
    count = builders[v.name]().count
    return lambda docs: [count(d) for d in docs]


def _tokendagger(v: LocalVocab) -> Counter:
    import tiktoken.load
    import tokendagger

    enc = tokendagger.Encoding(
        v.name,
        pat_str=v.pat_str,
        mergeable_ranks=tiktoken.load.load_tiktoken_bpe(str(v.path)),
        special_tokens=v.special_tokens,
    )
    encode_ordinary = enc.encode_ordinary
    return lambda docs: [len(encode_ordinary(d)) for d in docs]


def _kitoken(v: LocalVocab) -> Counter:
    from kitoken import Kitoken

    encode = Kitoken.from_tiktoken_file(str(v.path)).encode
    return lambda docs: [len(encode(d)) for d in docs]


def _fastokens(v: LocalVocab) -> Counter:
    import fastokens

    tok = fastokens.Tokenizer.from_tiktoken(str(v.path), v.pat_str, v.special_tokens)
    encode_ordinary = tok.encode_ordinary
    return lambda docs: [len(encode_ordinary(d)) for d in docs]


_TIKTOKEN_FILE = "the .tiktoken file"
_ONE = "single-threaded call"

PEERS: tuple[Peer, ...] = (
    Peer(
        "gigatoken",
        "gigatoken",
        "gigatoken",
        "a loop of `Tokenizer.encode(doc)` (numpy ids), count = len",
        f"`Tokenizer.from_tiktoken` on {_TIKTOKEN_FILE}",
        caches=True,
        threads=_ONE,
        load=_gigatoken_loop,
    ),
    Peer(
        "gigatoken batch",
        "gigatoken",
        "gigatoken",
        "`Tokenizer.encode_batch(docs, parallel=False)`, count = `awkward.num`",
        f"`Tokenizer.from_tiktoken` on {_TIKTOKEN_FILE}",
        caches=True,
        threads="parallel=False (runs on the calling thread)",
        load=_gigatoken_batch,
    ),
    Peer(
        "toktok-rs",
        "toktok-rs",
        "toktok",
        "`Tokenizer.count_batch(docs, threads=1)` (what `toktok.batch_count` calls; no ids)",
        "bundled in the package (it reads only its own vocabulary format)",
        caches=True,
        threads="threads=1",
        load=_toktok_batch,
    ),
    Peer(
        "toktok-rs loop",
        "toktok-rs",
        "toktok",
        "a loop of `Tokenizer.count(doc)`",
        "bundled in the package (it reads only its own vocabulary format)",
        caches=True,
        threads=_ONE,
        load=_toktok_loop,
    ),
    Peer(
        "quicktok-v1",
        "quicktok-v1",
        "quicktok",
        "`quicktok.count_batch(tok, docs, threads=1)`",
        "bundled in the package (it reads only its own vocabulary format)",
        caches=True,
        threads="threads=1",
        load=_quicktok,
    ),
    Peer(
        "splintr-rs",
        "splintr-rs",
        "splintr",
        "a loop of `Tokenizer.encode_ordinary(doc)`, count = len",
        f"`Tokenizer(path, pattern, specials)` on {_TIKTOKEN_FILE}, splintr's own "
        "equivalent split pattern",
        caches=True,
        threads="RAYON_NUM_THREADS=1 (the loop does not use its pool)",
        load=_splintr,
    ),
    Peer(
        "bpe-openai",
        "bpe-openai",
        "bpe_openai",
        "a loop of the Rust tokenizer's `count(doc)` (no ids)",
        "bundled in the package (compiled in)",
        caches=False,
        threads=_ONE,
        load=_bpe_openai,
    ),
    Peer(
        "rs-bpe",
        "rs_bpe",
        "rs_bpe",
        "a loop of `openai.<encoding>().count(doc)` (no ids)",
        "bundled in the package (compiled in)",
        caches=False,
        threads=_ONE,
        load=_rs_bpe,
    ),
    Peer(
        "tokendagger",
        "tokendagger",
        "tokendagger",
        "a loop of `encode_ordinary(doc)`, count = len",
        f"`tokendagger.Encoding` on the ranks of {_TIKTOKEN_FILE} (`load_tiktoken_bpe`)",
        caches=False,
        threads=_ONE,
        load=_tokendagger,
    ),
    Peer(
        "kitoken",
        "kitoken",
        "kitoken",
        "a loop of `Kitoken.encode(doc)`, count = len",
        f"`Kitoken.from_tiktoken_file` on {_TIKTOKEN_FILE}",
        caches=False,
        threads=_ONE,
        load=_kitoken,
    ),
    Peer(
        "fastokens",
        "fastokens",
        "fastokens",
        "a loop of `Tokenizer.encode_ordinary(doc)`, count = len",
        f"`Tokenizer.from_tiktoken(path, pattern, specials)` on {_TIKTOKEN_FILE}",
        caches=True,
        threads="FASTOKENS_BPE_THREADS=1, RAYON_NUM_THREADS=1",
        load=_fastokens,
    ),
)
PEER_KEYS: tuple[str, ...] = tuple(p.key for p in PEERS)


def select(keys: Sequence[str] | None) -> list[Peer]:
    """The peers named in `keys` (None: all), in PEERS order."""
    if keys is None:
        return list(PEERS)
    unknown = sorted(set(keys) - set(PEER_KEYS))
    if unknown:
        msg = f"unknown peer(s) {unknown}; known: {', '.join(PEER_KEYS)}"
        raise ValueError(msg)
    return [p for p in PEERS if p.key in keys]


# -- Hugging Face tokenizers, built from the ranks ------------------------------------------


def _merges_from_ranks(ranks: dict[bytes, int]) -> list[tuple[bytes, bytes]]:
    """The merge list equivalent to tiktoken ranks: each token, in rank order, is the merge
    of the two parts that byte-pair encoding with only lower ranks leaves of its bytes."""
    merges: list[tuple[bytes, bytes]] = []
    for token, rank in sorted(ranks.items(), key=lambda kv: kv[1]):
        parts = [token[i : i + 1] for i in range(len(token))]
        while len(parts) > 2:
            pairs = [
                (r, i)
                for i in range(len(parts) - 1)
                if (r := ranks.get(parts[i] + parts[i + 1], rank)) < rank
            ]
            if not pairs:
                break
            _, i = min(pairs)
            parts[i : i + 2] = [parts[i] + parts[i + 1]]
        if len(parts) == 2:
            merges.append((parts[0], parts[1]))
    return merges


def _oniguruma(pattern: str) -> str:
    """The pattern in the syntax of Hugging Face's regex engine (Oniguruma, Ruby syntax).

    Two spellings mean something else there: `$` matches at the end of every line
    (tiktoken's only at the end of the text: `\\z`), and `{1,3}+` is not a possessive interval but
    the interval repeated (`\\p{N}{1,3}+` would take any run of digits). In tiktoken's
    patterns a possessive interval ends its alternative, where greedy matches the same.
    """
    pattern = re.sub(r"(?<!\\)\$", r"\\z", pattern)
    return re.sub(r"(\{\d+(?:,\d*)?\})\+", r"\1", pattern)


def hf_tokenizer(v: LocalVocab) -> Any:
    """A Hugging Face `tokenizers.Tokenizer` equal to the tiktoken encoding: byte-level BPE
    over the ranks (merges derived from them), split by the same pattern, whole pieces that
    are tokens looked up first (`ignore_merges`, as tiktoken does)."""
    import tiktoken.load
    import tokenizers
    from tokenizers import decoders, models, pre_tokenizers

    from tokbench.formats.hf_json import byte_level_encode

    ranks = tiktoken.load.load_tiktoken_bpe(str(v.path))
    as_str = {b: byte_level_encode(b) for b in ranks}
    model = models.BPE(
        vocab={as_str[b]: r for b, r in ranks.items()},
        merges=[(as_str[a], as_str[b]) for a, b in _merges_from_ranks(ranks)],
        ignore_merges=True,
    )
    tok = tokenizers.Tokenizer(model)
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(tokenizers.Regex(_oniguruma(v.pat_str)), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    tok.decoder = decoders.ByteLevel()
    return tok
