"""Unicode edge cases against the references, beyond test_parity_adversarial's families:

- both sides of every boundary in the scanners' class table (where the generated Unicode
  16 table changes class from one code point to the next: 3,575 boundaries), as ids for
  every bundled encoding and as pieces against the pattern run by the `regex` module;
- noncharacters (all 66), the edges of the private-use planes, unassigned code points, NUL
  and BOM in every position, lone surrogates at class boundaries;
- very long lines of mixed text (no newline), and lines of many one-character pieces;
- inputs that are not str (bytes), and invalid UTF-8 in corpus files: overlong forms,
  UTF-8-encoded surrogates, code points past U+10FFFF, a sequence cut by the end of file.
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import pytest
from parity import ENCODINGS, check_text, first_difference
from strategies import char_classes
from test_parity_adversarial import CODE_POINT_TEMPLATES, check_family, check_many
from test_scanners import CASES, compare
from tokenizers import Regex, Tokenizer, models, pre_tokenizers

import tokbench
from tokbench.backends.unicode_version import stand_ins
from tokbench.cli import main
from tokbench.formats.hf_json import byte_level_encode


@cache
def class_boundaries() -> list[int]:
    """Code points whose scanner class differs from the previous code point's."""
    table = char_classes()
    return [
        cp
        for cp in range(1, 0x110000)
        if table[cp] != table[cp - 1] and not 0xD800 <= cp <= 0xDFFF and cp != 0xE000
    ]


def boundary_code_points() -> list[int]:
    """Both sides of every boundary (the surrogate block's edges excluded: not text)."""
    out: set[int] = set()
    for cp in class_boundaries():
        out |= {cp - 1, cp}
    return sorted(cp for cp in out if not 0xD800 <= cp <= 0xDFFF)


def boundary_pair_texts(*, alone: bool = True) -> list[str]:
    """The two sides of each boundary together, alone and in a context that reaches every
    branch of the patterns (a letter run, a contraction, digits, punctuation, spaces)."""
    out = []
    for cp in class_boundaries():
        if 0xD800 <= cp - 1 <= 0xDFFF:
            continue
        pair = chr(cp - 1) + chr(cp)
        out += [pair] if alone else []
        out += [f"a{pair}'s {pair}1{pair}!{pair}  {pair}\n"]
    return out


def some_by_default(names: list[str], default: set[str]) -> list[object]:
    """All of `names`, those outside `default` marked slow (the default run's time budget)."""
    return [pytest.param(n, marks=[] if n in default else [pytest.mark.slow]) for n in names]


# One encoding per kind of pipeline: o200k and cl100k scanners, DeepSeek's three stages,
# a SentencePiece model; the rest (same scanners and models) under -m slow.
DEFAULT_ENCODINGS = {"o200k_base", "cl100k_base", "deepseek_v3", "llama2"}
# The boundary code points in every context: ~20k texts per encoding, so fewer by default
# (DeepSeek's stages still meet every boundary pair in test_boundary_pairs_split_like_the_pattern).
BOUNDARY_DEFAULT = {"o200k_base", "cl100k_base", "llama2"}


def test_the_table_has_the_expected_boundaries() -> None:
    """Guards the premise: if the table's shape changes, this file's coverage changes."""
    assert 3000 < len(class_boundaries()) < 5000
    assert 0x41 in class_boundaries()  # '@' (P) -> 'A' (Lu)


@pytest.mark.parametrize("name", some_by_default(ENCODINGS, BOUNDARY_DEFAULT))
def test_boundary_code_points_match_reference(name: str) -> None:
    texts = [t.format(c=chr(cp)) for t in CODE_POINT_TEMPLATES for cp in boundary_code_points()]
    check_many(name, texts + boundary_pair_texts())


@pytest.mark.parametrize("case", list(CASES))
def test_boundary_pairs_split_like_the_pattern(case: str) -> None:
    """Pieces of the native scanner vs the `regex` module, for every boundary pair (where
    the `regex` module's newer Unicode agrees with the table; compare() filters)."""
    compare(case, boundary_pair_texts(alone=False), use_regex=True, min_regex=1000)


NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [
    chr(plane << 16 | low) for plane in range(17) for low in (0xFFFE, 0xFFFF)
]
PRIVATE_USE_EDGES = [chr(c) for c in (0xE000, 0xF8FF, 0xF0000, 0xFFFFD, 0x100000, 0x10FFFD)]
# Unassigned in Unicode 16 (some assigned in 17, which the `regex` module may know).
UNASSIGNED = [chr(c) for c in (0x0378, 0x0EDA, 0x2FFFF, 0x3134B, 0xE0080, 0x1FBFA, 0x10FFF0)]


def odd_code_point_texts() -> list[str]:
    out = []
    for c in NONCHARACTERS + PRIVATE_USE_EDGES + UNASSIGNED:
        out += [c, c * 3, f"a{c}b", f"{c}'s", f" {c}1", f"{c}\n{c}", f"\u0301{c}\u0301"]
    for c in ("\x00", "\ufeff"):  # NUL and BOM: first, last, doubled, between each class
        out += [c + "hello", "hello" + c, c * 2 + "x", "x" + c * 2, c + " " + c, c + "\r\n"]
        out += [c.join("aA1 !\n中\u0301'"), c.join(["don", "t"]) + "'s", "'" + c + "s"]
    return out


@pytest.mark.parametrize("name", some_by_default(ENCODINGS, DEFAULT_ENCODINGS))
def test_noncharacters_private_use_unassigned_nul_bom(name: str) -> None:
    check_family(name, odd_code_point_texts(), "odd code points")


SURROGATES_AT_BOUNDARIES = [
    "a\ud800A", "1\udfff!", "\ud800\u0301", "'\udc00s", " \ud83d\ude00 ", "\ud800\n\udfff",
    "\udbff\udfff\udbff", "x" + "\ud800" * 100 + "y", "\ud83d" + "\ude00" * 3,
]  # fmt: skip


@pytest.mark.parametrize("name", sorted(DEFAULT_ENCODINGS))
def test_lone_surrogates_at_class_boundaries(name: str) -> None:
    for text in SURROGATES_AT_BOUNDARIES:
        check_text(name, text, repr(text))


def long_line(n_chars: int, seed: int) -> str:
    """Words of several scripts, digits and punctuation, no newline."""
    rng = random.Random(seed)
    words = ["the", "Straße", "мир", "世界", "مرحبا", "नमस्ते", "42", "3.14", "!?", "don't", "😀"]
    out: list[str] = []
    size = 0
    while size < n_chars:
        w = rng.choice(words)
        out.append(w)
        size += len(w) + 1
    return " ".join(out)[:n_chars]


LONG_LINES = {
    "mixed_300k": lambda: long_line(300_000, 1),
    "alternating_classes_200k": lambda: "a1!" * 66_667,  # a piece boundary every character
    "letter_mark_100k": lambda: "a\u0301" * 50_000,  # one letter-mark piece
    "spaced_letters_200k": lambda: "a " * 100_000,
}


@pytest.mark.parametrize("line", list(LONG_LINES))
@pytest.mark.parametrize(
    "name", some_by_default(["o200k_base", "cl100k_base", "llama3", "deepseek_v3"], {"o200k_base"})
)
def test_long_lines_match_reference(name: str, line: str) -> None:
    check_text(name, LONG_LINES[line](), line)


@pytest.mark.parametrize("bad", [b"abc", bytearray(b"abc"), memoryview(b"abc"), 3, None])
def test_non_str_input_is_a_type_error(bad: object) -> None:
    enc = tokbench.get_encoding("o200k_base")
    for call in (enc.encode_ordinary, enc.count, enc.encode):
        with pytest.raises(TypeError):
            call(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        enc.count_batch(["ok", bad])  # type: ignore[list-item]


INVALID_UTF8 = {
    "overlong-nul": b"\xc0\x80",
    "overlong-slash": b"\xe0\x80\xaf",
    "overlong-4-byte": b"\xf0\x80\x80\x80",
    "encoded-surrogate": b"\xed\xa0\x80",
    "past-10ffff": b"\xf4\x90\x80\x80",
    "f5-lead-byte": b"\xf5\x80\x80\x80",
    "lone-continuation": b"\x80",
    "cut-at-end-of-file": b"\xe4\xb8",
}


@pytest.mark.parametrize("case", list(INVALID_UTF8))
def test_invalid_utf8_in_a_corpus_file_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    path = tmp_path / "eng.txt"
    path.write_bytes(b"first line\nsecond " + INVALID_UTF8[case])
    code = main(["count", str(path), "--encodings", "cl100k_base"])
    err = capsys.readouterr().err
    assert code == 1
    assert "eng.txt:2" in err


def newer_character_texts() -> list[str]:
    newer = sorted(stand_ins())
    if not newer:
        pytest.skip("the installed regex module is on Unicode 16: nothing to stand in for")
    return [f"{chr(cp)}'s a{chr(cp)}1 {chr(cp)}{chr(cp)}!\n" for cp in newer]


# A pattern no native scanner implements, so that the `regex` module runs it.
UNSCANNED = r"'s|\p{L}+|\p{N}|[^\s\p{L}\p{N}]+|\s+"


def test_characters_assigned_after_unicode_16_split_like_hugging_face(tmp_path: Path) -> None:
    """Regression: the `regex` module (Unicode 17) read characters assigned after Unicode 16
    as letters, so a pattern without a native scanner cut "\u088f's" as "\u088f" + "'s",
    where Hugging Face tokenizers (Unicode 16) cuts "\u088f'" + "s" (seen on command_r)."""
    vocab = {byte_level_encode(bytes([b])): b for b in range(256)}
    tok = Tokenizer(models.BPE(vocab | {"'s": 256}, [("'", "s")]))
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(UNSCANNED), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    path = tmp_path / "tokenizer.json"
    path.write_text(tok.to_str(), encoding="utf-8")
    enc = tokbench.load(path)
    assert enc.path == "native"
    assert enc._backend._def.scanner is None  # the regex module runs the pattern
    texts = newer_character_texts()
    ours = enc.encode_ordinary_batch(texts)
    ref = [tok.encode(t, add_special_tokens=False).ids for t in texts]
    i = first_difference(ours, ref)
    assert i is None, (texts[i], ours[i], ref[i])


@pytest.mark.slow
def test_characters_assigned_after_unicode_16_in_command_r() -> None:
    check_many("command_r", newer_character_texts())
