"""Golden ids: tests/data/expected_ids.json holds the ids the original reference libraries
gave for tests/data/mixed_test_text.txt, from the original tokenizer files."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from parity import ENCODINGS, assert_same_ids, expected_decode
from references import HF_FORMAT, SPM_FORMAT, SPM_MODEL_FILES, TIKTOKEN_FORMAT, reference

import tokbench

DATA = Path(__file__).resolve().parent / "data"
ALIASES = {"gpt2": "r50k_base", "p50k_edit": "p50k_base"}
GOLDEN_NAMES = [n for n in ENCODINGS if n not in ALIASES]
# Golden ids filed under their source file rather than the encoding's name.
GOLDEN_KEYS = {**SPM_MODEL_FILES, "command_r": "gguf_vocab/ggml-vocab-command-r"}


@cache
def golden() -> dict[str, Any]:
    data = json.loads((DATA / "expected_ids.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@cache
def golden_text() -> str:
    # Bytes as stored: no newline translation.
    return (DATA / golden()["text_file"]).read_bytes().decode("utf-8")


def golden_ids(name: str) -> list[int]:
    ids = golden()["results"][GOLDEN_KEYS.get(name, name)]["ids"]
    assert isinstance(ids, list)
    return ids


def test_every_bundled_encoding_is_covered() -> None:
    assert sorted(ENCODINGS) == sorted(TIKTOKEN_FORMAT + HF_FORMAT + SPM_FORMAT)
    missing = [n for n in GOLDEN_NAMES if GOLDEN_KEYS.get(n, n) not in golden()["results"]]
    assert not missing, f"no golden ids for {missing}"


@pytest.mark.parametrize("name", GOLDEN_NAMES)
def test_golden_ids(name: str) -> None:
    enc = tokbench.get_encoding(name)
    text = golden_text()
    expected = golden_ids(name)
    assert_same_ids(name, text, enc.encode_ordinary(text), expected, "golden")
    assert enc.encode(text) == expected
    assert enc.encode_to_numpy(text).tolist() == expected
    assert enc.encode_batch([text, text], num_threads=2) == [expected, expected]
    assert enc.encode_ordinary_batch([text], num_threads=1) == [expected]
    assert enc.count(text) == len(expected)
    assert enc.count_batch([text, "", text], num_threads=2).tolist() == [
        len(expected),
        0,
        len(expected),
    ]
    assert golden()["results"][GOLDEN_KEYS.get(name, name)]["count"] == len(expected)


@pytest.mark.parametrize("name", GOLDEN_NAMES)
def test_golden_round_trip(name: str) -> None:
    enc = tokbench.get_encoding(name)
    text = golden_text()
    decoded = enc.decode(golden_ids(name))
    # claude_legacy decodes to NFKC(text), qwen3 and qwen3_5 to NFC(text), others to text.
    assert decoded == expected_decode(name, text)


@pytest.mark.parametrize("name", GOLDEN_NAMES)
def test_offline_reference_matches_golden(name: str) -> None:
    """The references built from the bundle (tests/references.py) give the golden ids too,
    so the other parity tests compare against the real thing."""
    text = golden_text()
    assert_same_ids(name, text, reference(name).encode_ordinary(text), golden_ids(name), "ref")


@pytest.mark.parametrize(("alias", "base"), sorted(ALIASES.items()))
def test_alias_ids(alias: str, base: str) -> None:
    text = golden_text()
    enc = tokbench.get_encoding(alias)
    assert_same_ids(alias, text, enc.encode_ordinary(text), golden_ids(base), f"= {base}")
    assert enc.count(text) == len(golden_ids(base))
    assert enc.decode(golden_ids(base)) == text


def test_p50k_edit_differs_only_in_specials() -> None:
    edit = tokbench.get_encoding("p50k_edit")
    base = tokbench.get_encoding("p50k_base")
    extra = edit.special_tokens_set - base.special_tokens_set
    assert extra, "p50k_edit should have the FIM/edit special tokens"
    text = golden_text() + "".join(sorted(extra))
    # As ordinary text the special tokens' text is plain text, identical in both.
    assert edit.encode_ordinary(text) == base.encode_ordinary(text)
