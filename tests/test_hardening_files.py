"""Hostile and corrupt tokenizer files: each fails with a VocabError (or
UnsupportedTokenizerError) that names the file and the problem, never with another exception,
a crash, a hang or unbounded memory; a file that loads gives the reference library's ids.

The malformed .tiktoken lines and the basic tokenizer.json cases are in test_load.py; this
file adds wrong types and values in every field tokbench reads, ids that would size tables
by gigabytes, deep nesting, GGUF and SentencePiece .model files, the core's own checks, and
a corrupted bundled vocabulary."""

from __future__ import annotations

import base64
import copy
import json
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sentencepiece
from gguf_writer import gguf_bytes
from tokenizers import Tokenizer, models, pre_tokenizers

import tokbench
from tokbench import _core, registry
from tokbench.build import build_spm_encoding
from tokbench.formats import spm_model
from tokbench.formats.hf_json import byte_level_encode

# A byte-level BPE small enough to build in milliseconds: the 256 byte tokens, "ab", "abc".
TEXTS = ["abc", "ab ab abc", "xyz <s> abcabc", "", "\u00e9\u4e2d\U0001f600 a\u0000b", " " * 40]


def small_tokenizer_json() -> dict[str, Any]:
    vocab = {byte_level_encode(bytes([b])): b for b in range(256)}
    vocab |= {"ab": 256, "abc": 257}
    tok = Tokenizer(models.BPE(vocab, [("a", "b"), ("ab", "c")]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    data: dict[str, Any] = json.loads(tok.to_str())
    return data


def mutated(change: Callable[[dict[str, Any]], None]) -> Callable[[], bytes]:
    def build() -> bytes:
        data = copy.deepcopy(small_tokenizer_json())
        change(data)
        return json.dumps(data).encode()

    return build


def setting(*path_and_value: Any) -> Callable[[dict[str, Any]], None]:
    *path, value = path_and_value

    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def vocab_entry(token: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda data: data["model"]["vocab"].__setitem__(token, value)


def added(*entries: Any) -> Callable[[dict[str, Any]], None]:
    return setting("added_tokens", list(entries))


def split_step(pattern: Any) -> Callable[[dict[str, Any]], None]:
    byte_level = {
        "type": "ByteLevel",
        "add_prefix_space": False,
        "use_regex": True,
        "trim_offsets": True,
    }
    steps = [{"type": "Split", "pattern": pattern, "behavior": "Isolated", "invert": False}]
    return setting("pre_tokenizer", {"type": "Sequence", "pretokenizers": [*steps, byte_level]})


SPECIAL = {
    "content": "<s>",
    "id": 300,
    "special": True,
    "normalized": False,
    "lstrip": False,
    "rstrip": False,
    "single_word": False,
}

# file name -> (file bytes, words the message must contain). Every one names the file too.
HOSTILE_JSON: dict[str, tuple[Callable[[], bytes], str]] = {
    "id-is-a-bool.json": (mutated(vocab_entry("ab", True)), "model.vocab['ab']"),
    "id-is-a-string.json": (mutated(vocab_entry("ab", "256")), "model.vocab['ab']"),
    "id-is-negative.json": (mutated(vocab_entry("ab", -1)), "integer id"),
    "id-beyond-uint32.json": (mutated(vocab_entry("ab", 2**40)), "integer id"),
    # Without a bound these allocate 8 GB (tables indexed by id) before anything fails.
    "id-2-to-the-31.json": (mutated(vocab_entry("zz", 2**31 - 1)), "sparse"),
    "id-500-million.json": (mutated(vocab_entry("zz", 500_000_000)), "sparse"),
    "two-tokens-one-id.json": (mutated(vocab_entry("ab", 5)), "gives id 5 to both"),
    "vocab-is-a-list.json": (mutated(setting("model", "vocab", [["a", 0]])), "no vocab"),
    "vocab-is-a-string.json": (mutated(setting("model", "vocab", "a")), "model.vocab"),
    "merges-is-an-object.json": (mutated(setting("model", "merges", {"a": "b"})), "model.merges"),
    "merge-is-a-number.json": (mutated(setting("model", "merges", [1, 2])), "not a pair"),
    "merge-of-three.json": (mutated(setting("model", "merges", [["a", "b", "c"]])), "not a pair"),
    "merge-of-unknown-tokens.json": (mutated(setting("model", "merges", [["zq", "qz"]])), "vocab"),
    # Both halves are tokens but their concatenation is not: the core's check, now named.
    "merge-builds-no-token.json": (
        mutated(setting("model", "merges", [["a", "c"]])),
        "not a token",
    ),
    "model-type-is-a-number.json": (mutated(setting("model", "type", 3)), "model.type"),
    "ignore-merges-is-a-string.json": (
        mutated(setting("model", "ignore_merges", "no")),
        "model.ignore_merges",
    ),
    "byte-fallback-is-a-number.json": (mutated(setting("model", "byte_fallback", 1)), "true or"),
    "added-tokens-is-an-object.json": (mutated(setting("added_tokens", {"<s>": 300})), "array"),
    "added-token-is-a-string.json": (mutated(added("<s>")), "added_tokens[0]"),
    "added-token-without-id.json": (mutated(added({"content": "<s>"})), "added_tokens[0].id"),
    "added-token-id-string.json": (mutated(added({**SPECIAL, "id": "x"})), "added_tokens[0].id"),
    "added-token-id-negative.json": (mutated(added({**SPECIAL, "id": -1})), "added_tokens[0].id"),
    "added-token-id-huge.json": (mutated(added({**SPECIAL, "id": 2**40})), "added_tokens[0].id"),
    "added-token-id-sparse.json": (mutated(added({**SPECIAL, "id": 10**9})), "sparse"),
    "added-token-content-number.json": (mutated(added({**SPECIAL, "content": 5})), "content"),
    "added-token-content-empty.json": (mutated(added({**SPECIAL, "content": ""})), "content"),
    "added-token-special-string.json": (
        mutated(added({**SPECIAL, "special": "false"})),
        "added_tokens[0].special",
    ),
    "added-token-twice-two-ids.json": (
        mutated(added(SPECIAL, {**SPECIAL, "id": 301})),
        "added twice",
    ),
    "pre-tokenizer-is-a-string.json": (mutated(setting("pre_tokenizer", "ByteLevel")), "object"),
    "pre-tokenizer-is-a-list.json": (mutated(setting("pre_tokenizer", [1])), "pre_tokenizer"),
    "sequence-steps-not-a-list.json": (
        mutated(setting("pre_tokenizer", {"type": "Sequence", "pretokenizers": "x"})),
        "pre_tokenizer.pretokenizers",
    ),
    "sequence-step-is-a-number.json": (
        mutated(setting("pre_tokenizer", {"type": "Sequence", "pretokenizers": [1]})),
        "pre_tokenizer.pretokenizers[0]",
    ),
    "split-pattern-is-a-string.json": (mutated(split_step("x")), "pattern"),
    "split-pattern-two-kinds.json": (mutated(split_step({"Regex": "a", "String": "b"})), "pattern"),
    "split-regex-does-not-compile.json": (mutated(split_step({"Regex": "(["})), "pattern"),
    "normalizer-is-a-string.json": (mutated(setting("normalizer", "NFC")), "normalizer"),
    "normalizer-steps-a-number.json": (
        mutated(setting("normalizer", {"type": "Sequence", "normalizers": 3})),
        "normalizer.normalizers",
    ),
    "nested-100k-deep.json": (
        lambda: b'{"model": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "deep",
    ),
    "nan-id.json": (lambda: b'{"model": {"type": "BPE", "vocab": {"a": NaN}, "merges": []}}', "id"),
    "5000-digit-id.json": (
        lambda: b'{"model": {"type": "BPE", "vocab": {"a": ' + b"9" * 5000 + b"}}}",
        "JSON",
    ),
}


@pytest.mark.parametrize("file_name", list(HOSTILE_JSON))
def test_hostile_tokenizer_json_fails_naming_file_and_problem(
    tmp_path: Path, file_name: str
) -> None:
    make, words = HOSTILE_JSON[file_name]
    path = tmp_path / file_name
    path.write_bytes(make())
    with pytest.raises((tokbench.VocabError, tokbench.UnsupportedTokenizerError)) as info:
        tokbench.load(path)
    message = str(info.value)
    assert str(path) in message
    assert words in message


def hf_ids(tok: Tokenizer, text: str) -> list[int]:
    return list(tok.encode(text, add_special_tokens=False).ids)


# Odd but valid files: Hugging Face reads them, so tokbench must give its ids.
ODD_JSON: dict[str, Callable[[], bytes]] = {
    # Hugging Face keeps the last rank of a pair given twice.
    "merge-given-twice.json": mutated(setting("model", "merges", [["a", "b"], ["ab", "c"]] * 2)),
    "merge-of-a-later-token.json": mutated(setting("model", "merges", [["ab", "c"], ["a", "b"]])),
    "no-merges.json": mutated(setting("model", "merges", [])),
    "added-token-with-a-vocab-id.json": mutated(added({**SPECIAL, "id": 98})),
    "added-token-text-of-a-token.json": mutated(added({**SPECIAL, "content": "abc", "id": 300})),
    "split-regex-matches-empty.json": mutated(split_step({"Regex": "x*"})),
    "split-on-a-string.json": mutated(split_step({"String": "b"})),
}


@pytest.mark.parametrize("file_name", list(ODD_JSON))
def test_odd_but_valid_tokenizer_json_gives_hugging_face_ids(
    tmp_path: Path, file_name: str
) -> None:
    path = tmp_path / file_name
    path.write_bytes(ODD_JSON[file_name]())
    enc = tokbench.load(path)
    tok = Tokenizer.from_file(str(path))
    tok.encode_special_tokens = True
    for text in TEXTS:
        assert enc.encode_ordinary(text) == hf_ids(tok, text), (file_name, text)
        assert enc.count(text) == len(hf_ids(tok, text))


# ---------------------------------------------------------------------------------------------
# .tiktoken ranks and encoding.json
# ---------------------------------------------------------------------------------------------

RANKS = b"".join(b"%s %d\n" % (base64.b64encode(bytes([b])), b) for b in range(256))


@pytest.mark.parametrize("rank", [2**31 - 1, 10**8])
def test_sparse_tiktoken_rank_fails_before_allocating(tmp_path: Path, rank: int) -> None:
    path = tmp_path / "sparse.tiktoken"
    path.write_bytes(RANKS + b"YWI= %d\n" % rank)
    with pytest.raises(tokbench.VocabError, match="sparse") as info:
        tokbench.load(path, pattern=r"\S+|\s+")
    assert str(path) in str(info.value)


ENCODING_JSON: dict[str, tuple[dict[str, Any], str]] = {
    "pat-str-a-number": ({"pat_str": 5}, "'pat_str'"),
    "pat-str-empty": ({"pat_str": ""}, "'pat_str'"),
    "specials-a-list": ({"special_tokens": ["<s>"]}, "'special_tokens'"),
    "special-id-a-string": ({"special_tokens": {"<s>": "300"}}, "'special_tokens'['<s>']"),
    "special-id-negative": ({"special_tokens": {"<s>": -3}}, "'special_tokens'['<s>']"),
    "special-text-empty": ({"special_tokens": {"": 300}}, "'special_tokens'"),
    "offset-a-string": ({"token_id_offset": "1000"}, "'token_id_offset'"),
    "offset-negative": ({"token_id_offset": -1000}, "'token_id_offset'"),
    "offset-huge": ({"token_id_offset": 2**40}, "'token_id_offset'"),
    "n-vocab-a-string": ({"explicit_n_vocab": "256"}, "'explicit_n_vocab'"),
    "n-vocab-wrong": ({"explicit_n_vocab": 300}, "declares 300"),
    "normalization-unknown": ({"normalization": "NFD"}, "normalization"),
    "ranks-file-a-number": ({"ranks_file": 7}, "'ranks_file'"),
}


@pytest.mark.parametrize("case", list(ENCODING_JSON))
def test_bad_encoding_json_fails_naming_file_and_key(tmp_path: Path, case: str) -> None:
    change, words = ENCODING_JSON[case]
    (tmp_path / "v.tiktoken").write_bytes(RANKS)
    path = tmp_path / "encoding.json"
    path.write_text(json.dumps({"pat_str": r"\S+|\s+", "ranks_file": "v.tiktoken", **change}))
    with pytest.raises(tokbench.VocabError) as info:
        tokbench.load(path)
    assert words in str(info.value)
    assert "encoding.json" in str(info.value) or "v.tiktoken" in str(info.value)


@pytest.mark.parametrize("specials", [{"<s>": "1"}, {"<s>": -1}, {"": 300}, {5: 300}])
def test_bad_special_tokens_argument_is_a_vocab_error(tmp_path: Path, specials: Any) -> None:
    path = tmp_path / "v.tiktoken"
    path.write_bytes(RANKS)
    with pytest.raises(tokbench.VocabError, match="special token"):
        tokbench.load(path, pattern=r"\S+|\s+", special_tokens=specials)


# ---------------------------------------------------------------------------------------------
# GGUF and SentencePiece .model
# ---------------------------------------------------------------------------------------------


def gguf_header(n_kv: int) -> bytes:
    return b"GGUF" + struct.pack("<IQQ", 3, 0, n_kv)


def gguf_key(key: str) -> bytes:
    return struct.pack("<Q", len(key)) + key.encode()


HOSTILE_GGUF: dict[str, tuple[bytes, str]] = {
    # 12 bytes per level: without a depth bound Python's recursion limit is the only stop.
    "nested-arrays.gguf": (
        gguf_header(1)
        + gguf_key("x")
        + struct.pack("<I", 9)
        + struct.pack("<IQ", 9, 1) * 5000
        + struct.pack("<IQ", 4, 0),
        "nested",
    ),
    "2-to-the-62-strings.gguf": (
        gguf_header(1) + gguf_key("x") + struct.pack("<I", 9) + struct.pack("<IQ", 8, 2**62),
        "past the end",
    ),
    "2-to-the-62-keys.gguf": (gguf_header(2**62), "past the end"),
    "key-length-2-to-the-63.gguf": (gguf_header(1) + struct.pack("<Q", 2**63), "past the end"),
    "tokens-are-numbers.gguf": (
        gguf_bytes({"tokenizer.ggml.model": "gpt2", "tokenizer.ggml.tokens": [1, 2, 3]}),
        "tokenizer.ggml.tokens",
    ),
}


@pytest.mark.parametrize("file_name", list(HOSTILE_GGUF))
def test_hostile_gguf_fails_naming_file(tmp_path: Path, file_name: str) -> None:
    data, words = HOSTILE_GGUF[file_name]
    path = tmp_path / file_name
    path.write_bytes(data)
    with pytest.raises((tokbench.VocabError, tokbench.UnsupportedTokenizerError)) as info:
        tokbench.load(path)
    assert file_name in str(info.value)
    assert words in str(info.value)


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def pb_field(number: int, wire: int, payload: int | bytes) -> bytes:
    key = _varint(number << 3 | wire)
    if wire == 0:
        assert isinstance(payload, int)
        return key + _varint(payload)
    assert isinstance(payload, bytes)
    return key + (_varint(len(payload)) if wire == 2 else b"") + payload


def piece(text: str, ptype: int = 1, score: float = 0.0) -> bytes:
    body = pb_field(1, 2, text.encode()) + pb_field(2, 5, struct.pack("<f", score))
    return pb_field(1, 2, body + pb_field(3, 0, ptype))


BPE_TRAINER = pb_field(2, 2, pb_field(3, 0, 2) + pb_field(35, 0, 1))  # BPE, byte_fallback
BYTES = b"".join(piece(f"<0x{b:02X}>", 6) for b in range(256))
HEAD = piece("<unk>", 2) + piece("<s>", 3) + piece("</s>", 3)
GOOD_MODEL = HEAD + BYTES + piece("a", 1, -1.0) + piece("b", 1, -2.0) + BPE_TRAINER

# Files sentencepiece refuses: tokbench must refuse them too.
HOSTILE_MODEL: dict[str, bytes] = {
    "byte-piece-not-hex": HEAD + BYTES + piece("<0xZZ>", 6) + BPE_TRAINER,
    "byte-piece-twice": HEAD + BYTES + piece("<0x41>", 6) + BPE_TRAINER,
    "piece-twice": HEAD + BYTES + piece("a") + piece("a") + BPE_TRAINER,
    "empty-piece": HEAD + BYTES + piece("") + BPE_TRAINER,
    "255-byte-pieces": HEAD + BYTES[: -len(piece("<0xFF>", 6))] + piece("a") + BPE_TRAINER,
    "truncated": GOOD_MODEL[:-3],
    "wire-type-7": b"\x0f\x00",
    "piece-text-is-a-number": HEAD + pb_field(1, 2, pb_field(1, 0, 5)) + BPE_TRAINER,
    "random-bytes": bytes(np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8)),
}


# Files sentencepiece reads by taking a mistyped or unknown field as its default (a piece type
# it does not know becomes NORMAL, a score given as a varint becomes 0) or that have no <unk>:
# tokbench refuses them rather than guess what the file meant.
REFUSED_MODEL: dict[str, bytes] = {
    "piece-type-minus-1": HEAD + BYTES + piece("a", 2**64 - 1) + BPE_TRAINER,
    "piece-type-99": HEAD + BYTES + piece("a", 99) + BPE_TRAINER,
    "no-unk": BYTES + piece("a") + BPE_TRAINER,
    "score-varint-2-to-the-40": HEAD
    + BYTES
    + pb_field(1, 2, pb_field(1, 2, b"a") + pb_field(2, 0, 2**40))
    + BPE_TRAINER,
}


@pytest.mark.parametrize("case", list(REFUSED_MODEL))
def test_doubtful_sentencepiece_model_is_refused(case: str) -> None:
    with pytest.raises(tokbench.VocabError):
        build_spm_encoding(spm_model.parse(REFUSED_MODEL[case], name=case))


@pytest.mark.parametrize("case", list(HOSTILE_MODEL))
def test_sentencepiece_model_that_sentencepiece_refuses_is_a_vocab_error(case: str) -> None:
    data = HOSTILE_MODEL[case]
    with pytest.raises(RuntimeError):  # the reference refuses it too
        sentencepiece.SentencePieceProcessor(model_proto=data)
    with pytest.raises(tokbench.VocabError):
        build_spm_encoding(spm_model.parse(data, name=case))


def test_smallest_valid_sentencepiece_model_matches_sentencepiece() -> None:
    ref = sentencepiece.SentencePieceProcessor(model_proto=GOOD_MODEL)
    enc = build_spm_encoding(spm_model.parse(GOOD_MODEL, name="good"))
    for text in ["ab", "a b", "xyz", "\u00e9\U0001f600", "a\u0000b", ""]:
        assert enc.encode_ordinary(text) == ref.encode(text), text


# ---------------------------------------------------------------------------------------------
# the core's own checks, given arrays directly
# ---------------------------------------------------------------------------------------------

U32 = np.uint32


@pytest.mark.parametrize(
    ("token_bytes", "offsets", "merges", "ranking", "words"),
    [
        (b"ab", [0, 1, 5], [], "merges", "do not cover"),
        (b"ab", [0, 2, 1, 2], [], "merges", "not sorted"),
        (b"", [], [], "merges", "at least one"),
        (b"ab", [0, 1, 2], [0, 7], "merges", "not in the vocabulary"),
        (b"ab", [0, 1, 2], [0], "merges", "pairs"),
        (b"ab", [0, 1, 2], [0, 1], "merges", "not a token"),
        (b"aa", [0, 1, 2], [], "tiktoken", "same byte string"),
        (b"ab", [0, 1, 2], [], "bpe", "ranking"),
    ],
)
def test_core_rejects_inconsistent_tables(
    token_bytes: bytes, offsets: list[int], merges: list[int], ranking: str, words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        _core.BpeModel(
            token_bytes, np.asarray(offsets, U32), np.asarray(merges, U32), ranking, False
        )


def test_core_ignores_a_split_table_that_does_not_fit() -> None:
    """The stored backtracking table comes from the bundle; one that breaks its invariants
    (parts newer than the token, lengths that do not add up) must switch the backtracker off,
    not index out of bounds."""
    token_bytes = bytes(range(256)) + b"ab" + b"abc"
    offsets = np.asarray([*range(257), 258, 261], U32)
    byte_splits = [i for i in range(256) for _ in (0, 1)]
    for splits in ([7] * (2 * 258), [*byte_splits, 97, 98, 0, 99], [*byte_splits, 97, 98], []):
        model = _core.BpeModel(
            token_bytes, offsets, np.asarray([], U32), "tiktoken", True, np.asarray(splits, U32)
        )
        assert model.n_ids == 258


# ---------------------------------------------------------------------------------------------
# a bundled vocabulary that is not the one its description records
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def private_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled data that a test may corrupt, behind an empty registry."""
    data = tmp_path / "data"
    (data / "encodings").mkdir(parents=True)
    (data / "vocabs").mkdir()
    for name in ("r50k_base", "gpt2"):
        (data / "encodings" / f"{name}.json").write_bytes(
            (registry.DATA_DIR / "encodings" / f"{name}.json").read_bytes()
        )
    (data / "vocabs" / "r50k_base.npz").write_bytes(
        (registry.DATA_DIR / "vocabs" / "r50k_base.npz").read_bytes()
    )
    monkeypatch.setattr(registry, "DATA_DIR", data)
    for cache in ("_encodings", "_models", "_vocabs"):
        monkeypatch.setattr(registry, cache, {})
    return data


def test_bundled_copy_loads_when_intact(private_registry: Path) -> None:
    assert tokbench.get_encoding("r50k_base").encode("hello world") == [31373, 995]


@pytest.mark.parametrize("damage", ["flip-a-byte", "truncate", "empty"])
def test_corrupted_bundled_vocabulary_fails_naming_file(
    private_registry: Path, damage: str
) -> None:
    path = private_registry / "vocabs" / "r50k_base.npz"
    raw = bytearray(path.read_bytes())
    if damage == "flip-a-byte":
        raw[len(raw) // 2] ^= 0x01  # inside the compressed data: np.load alone may not notice
    elif damage == "truncate":
        raw = raw[: len(raw) // 2]
    else:
        raw = bytearray()
    path.write_bytes(bytes(raw))
    with pytest.raises(tokbench.VocabError) as info:
        tokbench.get_encoding("r50k_base")
    assert "r50k_base.npz" in str(info.value)


def test_bundled_vocabulary_with_wrong_recorded_sha256_fails(private_registry: Path) -> None:
    meta_path = private_registry / "encodings" / "r50k_base.json"
    meta = json.loads(meta_path.read_text())
    meta["info"]["vocab_npz_sha256"] = "0" * 64
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(tokbench.VocabError, match="sha256") as info:
        tokbench.get_encoding("r50k_base")
    assert "r50k_base.npz" in str(info.value)
