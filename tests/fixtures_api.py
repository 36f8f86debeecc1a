"""Helpers shared by test_api.py, test_load.py, test_threads.py and test_bundle.py.

Plain functions (cached), not pytest fixtures, so that they never collide with conftest.py.
"""

from __future__ import annotations

import json
import lzma
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

from references import FLORES_DIR, SPM_FORMAT, definition, hf_json_from_bundle
from tokenizers import Tokenizer

import tokbench
from tokbench.build import build_encoding, build_spm_encoding
from tokbench.spm_definition import SpmDefinition

TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = TESTS_DIR.parent
MIXED_TEXT_PATH = TESTS_DIR / "data" / "mixed_test_text.txt"
EXPECTED_IDS_PATH = TESTS_DIR / "data" / "expected_ids.json"
UDHR_PATH = REPO_DIR / "corpora" / "udhr" / "udhr_articles.jsonl.xz"

BUNDLED = [
    "cl100k_base",
    "claude_legacy",
    "command_r",
    "deepseek_v3",
    "deepseek_v4",
    "gemma2",
    "gemma3",
    "gpt2",
    "llama2",
    "llama3",
    "mistral_spm_v1",
    "mistral_spm_v3",
    "mistral_spm_v7",
    "mistral_tekken",
    "o200k_base",
    "o200k_harmony",
    "p50k_base",
    "p50k_edit",
    "qwen3",
    "qwen3_5",
    "r50k_base",
]

# A few FLORES-200 languages with different scripts (Latin with diacritics, CJK, Arabic,
# Devanagari, Cyrillic, Hangul, Thai).
FLORES_LANGS = [
    "eng_Latn",
    "vie_Latn",
    "zho_Hans",
    "jpn_Jpan",
    "arb_Arab",
    "hin_Deva",
    "rus_Cyrl",
    "kor_Hang",
    "tha_Thai",
]

# Short texts that stress the pre-tokenizers: digits, contractions, whitespace runs, CJK,
# combining marks, emoji sequences, and text that is not NFC/NFKC.
TRICKY = [
    "",
    " ",
    "hello world",
    "Hello, World! I'm here; you're there. WE'LL SEE.",
    "12345 678 9, 1,234,567.89 and $99.95 or ٣٤٥ and ①②③ and 12³",
    "x1y22z333 a 1 22 333 4444 55555",
    "   leading and trailing   ",
    "tabs\tand\nnewlines\r\n\r\n  \n\n\tmixed",
    "日本語のテキストと中文文本\uff0c还有한국어 텍스트。",
    "مرحبا بالعالم — नमस्ते दुनिया — Привет, мир!",
    "e\u0301 (decomposed) vs \u00e9 (composed); \ufb01 ligature; \uff21\uff22 fullwidth",
    "👨\u200d👩\u200d👧\u200d👦 family, 👍🏽 thumbs, 🇫🇷 flag",
    "def f(x):\n    return x ** 2  # comment\n",
    "a" * 300,
    " " * 50 + "x" + "\n" * 20,
]


@cache
def mixed_text() -> str:
    return MIXED_TEXT_PATH.read_text(encoding="utf-8")


@cache
def expected_ids() -> dict[str, Any]:
    """The golden ids of mixed_test_text.txt, by tokenizer (tests/data/expected_ids.json)."""
    results: dict[str, Any] = json.loads(EXPECTED_IDS_PATH.read_text(encoding="utf-8"))["results"]
    return results


@cache
def flores_lines(per_language: int = 40) -> tuple[str, ...]:
    """The first `per_language` FLORES-200 dev sentences of each language in FLORES_LANGS,
    or () when the shared corpora are not there."""
    lines: list[str] = []
    for lang in FLORES_LANGS:
        path = FLORES_DIR / f"{lang}.dev"
        if path.is_file():
            lines += path.read_text(encoding="utf-8").splitlines()[:per_language]
    return tuple(lines)


@cache
def udhr_texts(max_chars: int | None = None) -> tuple[str, ...]:
    """One text per declaration of corpora/udhr (title, preamble and articles joined),
    optionally cut to `max_chars` characters."""
    out = []
    for line in lzma.decompress(UDHR_PATH.read_bytes()).decode("utf-8").splitlines():
        d = json.loads(line)
        text = "\n".join([d["title"], d["preamble"], *d["articles"].values()])
        out.append(text[:max_chars] if max_chars else text)
    return tuple(out)


@cache
def hf_json(name: str) -> str:
    """references.hf_json_from_bundle(name), with the added tokens that the original
    tokenizer.json also lists in model.vocab put back there.

    DeepSeek's tokenizer.json has its begin/end-of-sentence and pad tokens both in
    model.vocab (ids 0..2) and in added_tokens. hf_json_from_bundle leaves them out of
    model.vocab, and Hugging Face then gives those added tokens new ids (127997..) instead of
    the ids in added_tokens.
    """
    data = json.loads(hf_json_from_bundle(name))
    vocab = data["model"]["vocab"]
    taken = set(vocab.values())
    for token in data["added_tokens"]:
        if token["content"] not in vocab and token["id"] not in taken:
            vocab[token["content"]] = token["id"]
    return json.dumps(data, ensure_ascii=False)


def hf_tokenizer(name: str, *, match_special: bool) -> Tokenizer:
    """Hugging Face tokenizers on the bundled vocabulary. match_special=True matches special
    added tokens in the text (encode_special_tokens=False), as allowed_special="all"."""
    tok = Tokenizer.from_str(hf_json(name))
    tok.encode_special_tokens = not match_special
    return tok


def hf_ids(tok: Tokenizer, text: str) -> list[int]:
    return list(tok.encode(text, add_special_tokens=False).ids)


def added_tokens(name: str, *, special: bool) -> list[str]:
    """Contents of the bundled encoding's added tokens that are (not) special."""
    return [t.content for t in definition(name).added if t.special == special]


def fresh_encoding(name: str) -> tokbench.Encoding:
    """A new Encoding for a bundled name, with its own core tables and empty caches (unlike
    get_encoding, which returns one shared object)."""
    d = definition(name)
    return build_spm_encoding(d) if isinstance(d, SpmDefinition) else build_encoding(d)


def normalized(name: str, text: str) -> str:
    if name in SPM_FORMAT:
        return text.replace("\u2581", " ")  # '▁' is how these write a space
    form = definition(name).normalization
    return unicodedata.normalize(form, text) if form else text
