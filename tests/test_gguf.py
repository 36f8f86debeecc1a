"""llama.cpp GGUF vocabularies: the upstream test vectors, native vs Hugging Face parity,
a hand-computed tiny vocabulary, and clear errors for broken files.

The vectors (shared tokenizers/gguf_vocab/test_vectors) were made upstream with Hugging Face
tokenizers on the original tokenizer.json, so they check tokbench's reconstruction of each
pipeline as well as its BPE. Tests that need the shared folder skip when it is absent.
"""

from __future__ import annotations

import json
import lzma
from functools import cache
from pathlib import Path

import pytest
from fixtures_api import expected_ids, mixed_text
from gguf_writer import gguf_bytes
from references import TOKENIZERS_DIR
from tokenizers import Tokenizer

import tokbench
from tokbench.formats.gguf import read_metadata
from tokbench.formats.gguf_vocab import GgufVocab
from tokbench.formats.hf_json import byte_level_encode

GGUF_DIR = TOKENIZERS_DIR / "gguf_vocab"
VECTORS_DIR = GGUF_DIR / "test_vectors"
SEPARATOR = "\n__ggml_vocab_test__\n"

# file stem -> the path tokbench runs it on. Loading the three largest takes seconds, so
# they are in the slow run only; the default run checks Command-R through the bundled
# command_r (its vectors below; test_bundle: GGUF load == bundle, llama.cpp's ids).
VOCABS = {
    "ggml-vocab-starcoder": "native",
    "ggml-vocab-deepseek-coder": "native",
    "ggml-vocab-deepseek-llm": "native",
    "ggml-vocab-gpt-neox": "native",
    "ggml-vocab-falcon": "reference",  # Digits and Split run after ByteLevel, on mapped bytes
    "ggml-vocab-llama-spm": "native",  # SentencePiece BPE (scores -> merges)
    "ggml-vocab-phi-3": "native",
    "ggml-vocab-baichuan": "native",
    "ggml-vocab-bert-bge": "reference",  # WordPiece
}
SLOW_VOCABS = {
    "ggml-vocab-command-r": "native",
    "ggml-vocab-gemma-4": "native",
    "ggml-vocab-nomic-bert-moe": "reference",  # Unigram
}
NATIVE = [k for k, v in VOCABS.items() if v == "native"]
SLOW_NATIVE = [k for k, v in SLOW_VOCABS.items() if v == "native"]


def gguf_path(stem: str) -> Path:
    for suffix in (".gguf", ".gguf.xz"):
        if (GGUF_DIR / f"{stem}{suffix}").is_file():
            return GGUF_DIR / f"{stem}{suffix}"
    pytest.skip(f"{stem}: not in the shared tokenizers folder")


@cache
def loaded(stem: str) -> tokbench.Encoding:
    return tokbench.load(gguf_path(stem))


def vectors(stem: str) -> list[tuple[str, list[int]]]:
    """llama.cpp's layout: inputs separated by SEPARATOR (the file may end with one), and one
    line of space-separated ids per input in the .out file."""
    inp = VECTORS_DIR / f"{stem}.gguf.inp"
    out = VECTORS_DIR / f"{stem}.gguf.out"
    if not inp.is_file():
        return []
    text = inp.read_text(encoding="utf-8")
    inputs = text.removesuffix(SEPARATOR).split(SEPARATOR)
    lines = out.read_text(encoding="utf-8").removesuffix("\n").split("\n")
    assert len(inputs) == len(lines), f"{stem}: {len(inputs)} inputs, {len(lines)} id lines"
    return [(t, [int(x) for x in line.split()]) for t, line in zip(inputs, lines, strict=True)]


def check_vocab(stem: str, expected_path: str) -> None:
    enc = loaded(stem)
    assert enc.path == expected_path, enc.info.get("reference_because")
    cases = vectors(stem)
    failed = [(t, ids, enc.encode_ordinary(t)) for t, ids in cases if enc.encode_ordinary(t) != ids]
    assert not failed, f"{len(failed)}/{len(cases)} vectors differ, first: {failed[0]!r}"
    counts = enc.count_batch([t for t, _ in cases]).tolist()
    assert counts == [len(ids) for _, ids in cases]


@pytest.mark.parametrize("stem", list(VOCABS))
def test_llama_cpp_vectors(stem: str) -> None:
    check_vocab(stem, VOCABS[stem])


@pytest.mark.slow
@pytest.mark.parametrize("stem", list(SLOW_VOCABS))
def test_llama_cpp_vectors_large(stem: str) -> None:
    check_vocab(stem, SLOW_VOCABS[stem])


def test_every_vector_file_with_a_vocabulary_is_covered() -> None:
    if not VECTORS_DIR.is_dir():
        pytest.skip("no shared test vectors")
    with_gguf = {
        p.name.removesuffix(".gguf.inp")
        for p in VECTORS_DIR.glob("*.gguf.inp")
        if any(GGUF_DIR.glob(p.name.removesuffix(".inp") + "*"))
    }
    assert with_gguf <= set(VOCABS) | set(SLOW_VOCABS)
    assert all(vectors(stem) for stem in with_gguf)


# llama.cpp's own ids for the shared mixed test text (tests/data/expected_ids.json), an
# independent implementation. Where llama.cpp and Hugging Face part ways tokbench follows
# Hugging Face (which made the vectors), so three vocabularies are not compared: GPT-NeoX (the
# file names no pre-tokenizer and llama.cpp falls back to a Falcon-like split; 504 vs 480
# tokens), bert-bge (llama.cpp's WordPiece preprocessing drops Hangul jamo and Devanagari
# vowel signs that Hugging Face's BertNormalizer keeps; 353 vs 365) and the Unigram
# nomic-bert-moe (one extra "▁" from Hugging Face's whitespace handling; 306 vs 307).
LLAMA_CPP_AGREES = [
    "ggml-vocab-starcoder",
    "ggml-vocab-deepseek-coder",
    "ggml-vocab-deepseek-llm",
    "ggml-vocab-falcon",
    "ggml-vocab-llama-spm",
    "ggml-vocab-phi-3",
    "ggml-vocab-baichuan",
]


@pytest.mark.parametrize("stem", LLAMA_CPP_AGREES)
def test_mixed_text_ids_equal_llama_cpp(stem: str) -> None:
    golden = expected_ids()[f"gguf_vocab/{stem}"]
    enc = loaded(stem)
    assert enc.encode_ordinary(mixed_text()) == golden["ids"]
    assert enc.count(mixed_text()) == golden["count"]


# ---------------------------------------------------------------------------------------------
# the native path against Hugging Face on the same reconstructed tokenizer.json
# ---------------------------------------------------------------------------------------------


@cache
def hf_reference(stem: str) -> Tokenizer:
    path = gguf_path(stem)
    data = path.read_bytes()
    if path.suffix == ".xz":
        data = lzma.decompress(data)
    vocab = GgufVocab.from_metadata(read_metadata(data, source=path.name), source=path.name)
    tok = Tokenizer.from_str(json.dumps(vocab.tokenizer_json()))
    tok.encode_special_tokens = True
    return tok


@pytest.mark.parametrize(
    "stem", [*NATIVE, *(pytest.param(s, marks=pytest.mark.slow) for s in SLOW_NATIVE)]
)
def test_native_equals_hugging_face(stem: str, corpus_loader) -> None:  # type: ignore[no-untyped-def]
    # A regex the regex module reads differently from Oniguruma would show here (the vectors
    # are short); e.g. "\\uXXXX" escapes, which Oniguruma does not read.
    texts = [t.text[:3000] for _, chunk in corpus_loader("udhr") for t in chunk[:12]]
    texts += [t.text[:3000] for _, chunk in corpus_loader("code") for t in chunk[:3]]
    mixed = Path(__file__).parent / "data" / "mixed_test_text.txt"
    texts.append(mixed.read_text(encoding="utf-8"))
    enc, ref = loaded(stem), hf_reference(stem)
    expected = [e.ids for e in ref.encode_batch(texts, add_special_tokens=False)]
    got = enc.encode_ordinary_batch(texts)
    bad = [i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b]
    assert not bad, f"{len(bad)} texts differ, first: {texts[bad[0]][:200]!r}"


# ---------------------------------------------------------------------------------------------
# a tiny vocabulary with hand-computed ids
# ---------------------------------------------------------------------------------------------


def tiny_byte_level(**extra: object) -> dict[str, object]:
    """Byte tokens 0..255 (id = byte value), then he, ll, hell, Ġw, a control token, a padding
    token from llama.cpp's converter and a user-defined token."""
    tokens = [byte_level_encode(bytes([b])) for b in range(256)]
    tokens += ["he", "ll", "hell", "\u0120w", "<|eot|>", "[PAD261]", "xyz"]
    types = [1] * 260 + [3, 4, 4]
    meta: dict[str, object] = {
        "general.architecture": "gpt2",
        "tokenizer.ggml.model": "gpt2",
        "tokenizer.ggml.pre": "gpt-2",
        "tokenizer.ggml.tokens": tokens,
        "tokenizer.ggml.token_type": types,
        "tokenizer.ggml.merges": ["h e", "l l", "he ll", "\u0120 w"],
        "tokenizer.ggml.eos_token_id": 260,
    }
    meta.update(extra)
    return meta


def write(tmp_path: Path, meta: dict[str, object], name: str = "tiny.gguf") -> Path:
    path = tmp_path / name
    path.write_bytes(gguf_bytes(meta))  # type: ignore[arg-type]
    return path


def test_tiny_vocabulary_hand_computed(tmp_path: Path) -> None:
    enc = tokbench.load(write(tmp_path, tiny_byte_level()))
    assert enc.path == "native"
    assert enc.name == "tiny"
    # "hello": h+e -> he, l+l -> ll, he+ll -> hell, then o; " world": Ġ+w -> Ġw, o r l d.
    assert enc.encode_ordinary("hello world") == [258, 111, 259, 111, 114, 108, 100]
    assert enc.count("hello world") == 7
    # A user-defined token is matched in text; llama.cpp's [PADn] filler is not.
    assert enc.encode_ordinary("axyzb") == [97, 262, 98]
    assert enc.encode_ordinary("[PAD261]") == [91, 80, 65, 68, 50, 54, 49, 93]
    # A control token is special: plain text unless allowed.
    assert enc.encode("<|eot|>", allowed_special="all") == [260]
    assert enc.special_tokens_set == {"<|eot|>"}
    assert enc.decode(enc.encode_ordinary("hello world")) == "hello world"
    assert enc.info["format"] == "gguf"
    assert enc.info["special_token_ids"] == {"eos": 260}


def test_gguf_found_by_magic_and_compressed(tmp_path: Path) -> None:
    raw = gguf_bytes(tiny_byte_level())  # type: ignore[arg-type]
    (tmp_path / "vocab.bin").write_bytes(raw)
    (tmp_path / "tiny.gguf.xz").write_bytes(lzma.compress(raw))
    for name in ("vocab.bin", "tiny.gguf.xz"):
        assert tokbench.load(tmp_path / name).encode_ordinary("hello") == [258, 111]


def test_folder_with_one_gguf(tmp_path: Path) -> None:
    write(tmp_path, tiny_byte_level(), "vocab.gguf")
    enc = tokbench.load(tmp_path)
    assert enc.name == "vocab"
    assert enc.encode_ordinary("hello") == [258, 111]


def test_loaded_gguf_pickles(tmp_path: Path) -> None:
    import pickle

    enc = tokbench.load(write(tmp_path, tiny_byte_level()))
    again = pickle.loads(pickle.dumps(enc))
    assert again.encode_ordinary("hello world") == enc.encode_ordinary("hello world")


# ---------------------------------------------------------------------------------------------
# broken and unsupported files
# ---------------------------------------------------------------------------------------------


def test_truncated_gguf_is_a_clear_error(tmp_path: Path) -> None:
    raw = gguf_bytes(tiny_byte_level())  # type: ignore[arg-type]
    # Cut in the header, in a key, in the token array, in the merges.
    for cut in (10, 30, len(raw) // 2, len(raw) - 3):
        path = tmp_path / f"cut{cut}.gguf"
        path.write_bytes(raw[:cut])
        with pytest.raises(tokbench.VocabError) as info:
            tokbench.load(path)
        assert path.name in str(info.value)
        assert "truncated" in str(info.value)


def test_wrong_magic_and_version(tmp_path: Path) -> None:
    path = write(tmp_path, {}, "notgguf.gguf")
    path.write_bytes(b"GGML" + path.read_bytes()[4:])
    with pytest.raises(tokbench.VocabError, match=r"notgguf\.gguf.*starts with b'GGML'"):
        tokbench.load(path)
    old = tmp_path / "v1.gguf"
    old.write_bytes(gguf_bytes({"a": "b"}, version=1))
    with pytest.raises(tokbench.VocabError, match="version 1"):
        tokbench.load(old)


def test_gguf_without_a_tokenizer(tmp_path: Path) -> None:
    path = write(tmp_path, {"general.architecture": "llama"}, "model.gguf")
    with pytest.raises(tokbench.VocabError, match=r"model\.gguf.*tokenizer\.ggml\.model"):
        tokbench.load(path)


def test_inconsistent_arrays(tmp_path: Path) -> None:
    meta = tiny_byte_level(**{"tokenizer.ggml.token_type": [1, 1, 1]})
    with pytest.raises(tokbench.VocabError, match="token_type has 3 entries for 263 tokens"):
        tokbench.load(write(tmp_path, meta))
    bad_merge = tiny_byte_level(**{"tokenizer.ggml.merges": ["h e", "hell"]})
    with pytest.raises(tokbench.VocabError, match="merge 1"):
        tokbench.load(write(tmp_path, bad_merge))


@pytest.mark.parametrize(
    ("key", "value", "what"),
    [
        ("tokenizer.ggml.model", "rwkv", "model 'rwkv'"),
        ("tokenizer.ggml.pre", "no-such-pre", "pre-tokenizer 'no-such-pre'"),
    ],
)
def test_unsupported_gguf_types(tmp_path: Path, key: str, value: str, what: str) -> None:
    path = write(tmp_path, tiny_byte_level(**{key: value}))
    with pytest.raises(tokbench.UnsupportedTokenizerError) as info:
        tokbench.load(path)
    assert what in str(info.value)
    assert path.name in str(info.value)


def test_bundled_command_r_passes_the_vectors_and_is_mapped() -> None:
    enc = tokbench.get_encoding("command_r")
    assert enc.path == "native"
    cases = vectors("ggml-vocab-command-r")
    if not cases:
        pytest.skip("no shared test vectors")
    assert [enc.encode_ordinary(t) for t, _ in cases] == [ids for _, ids in cases]
    for model in ("command-r", "command-r-plus-08-2024", "CohereForAI/c4ai-command-r-v01"):
        assert tokbench.encoding_for_model(model) is enc
