"""Alphabets and hypothesis strategies biased to what tokenizer patterns care about."""

# ruff: noqa: RUF001, RUF003  (ambiguous-looking characters are the point of these alphabets)
from __future__ import annotations

import itertools
import random
from functools import cache

from hypothesis import strategies as st

import tokbench._core as _core

# One character of each class the scanners distinguish, plus the characters the patterns
# name (apostrophe, s/S/ſ for the contractions, CR/LF, slash for o200k, NUL, ZWJ).
REPRESENTATIVE = [
    "a", "A", "ǅ", "ʰ", "中", "\u0301", "1", "²", " ", "\t", "\n", "\r", "\u3000", "!", "$",
    "'", "s", "S", "ſ", "/", "\x00", "\u200d",
]  # fmt: skip

LETTERS = "aAzZéÉßſǅǈʰˇαΩσςжЖمرحשלוםनमसกขๆ中文字ひらカター한국ᏣᎳ𐌰𝔘\u212a\u0130\u0131"
MARKS = "\u0301\u0308\u0327\u064b\u05b0\u093f\u0e33\u0e48\u20dd\ufe0f\u0903"
DIGITS = "0123456789²½٣१１Ⅻ①"
WHITESPACE = " \t\n\r\x0b\x0c\u3000\u00a0\u0085\u2028\u2029\u1680\u2009\u202f"
PUNCTUATION = "!\"#%&'()*,-./:;?@[\\]_{}¿¡、。「」…—–‘’“”«»"
SYMBOLS = "$+<=>^`|~€£©®°±×÷→∑😀👍🏽🇺🇸\u200d"
OTHER = "\x00\x01\x1f\x7f\x85\ufeff\ue000\u0378\uffff\ufffd\u200b\U000e0001\U0010ffff"
CONTRACTIONS = [
    "'" + "".join(c)
    for s in ("s", "t", "re", "ve", "m", "ll", "d")
    for c in itertools.product(*[(x, x.upper()) for x in s])
] + ["'ſ", "'\u212a", "’s"]
ATOMS = [
    "\r\n", "\r\n\r\n", "  ", "    ", "\n\n", " \n", "\t\t", "123", "1234567", "ab", "Ab", "AB",
    "aB", "don't", "I'M", "e\u0301", "👨‍👩‍👧", "<|endoftext|>", "<tool_call>", "http://x.y/z",
]  # fmt: skip

INTERESTING_CHARS = sorted(
    set(LETTERS + MARKS + DIGITS + WHITESPACE + PUNCTUATION + SYMBOLS + OTHER)
)


def interesting_text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Text made of characters and short sequences of the interesting classes."""
    pieces = st.one_of(
        st.sampled_from(INTERESTING_CHARS),
        st.sampled_from(CONTRACTIONS),
        st.sampled_from(ATOMS),
        st.sampled_from(REPRESENTATIVE),
    )
    return st.lists(pieces, max_size=max_size).map("".join)


CLASS_NAMES = ["other", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "N", "P", "S", "White_Space", "CR", "LF"]


@cache
def char_classes() -> bytes:
    table = _core.char_classes()
    assert len(table) == 0x110000
    return table


@cache
def class_samples(per_class: int = 12, seed: int = 1234) -> list[str]:
    """A few code points of every scanner class, drawn from the whole code space (surrogates
    excluded), so that rare and recent characters are covered too."""
    table = char_classes()
    by_class: dict[int, list[int]] = {}
    for cp in range(0x110000):
        if not 0xD800 <= cp <= 0xDFFF:
            by_class.setdefault(table[cp], []).append(cp)
    rng = random.Random(seed)
    out: list[str] = []
    for _, cps in sorted(by_class.items()):
        out += [chr(cp) for cp in rng.sample(cps, min(per_class, len(cps)))]
    return out


def random_texts(n: int, alphabet: list[str], *, max_len: int = 40, seed: int = 0) -> list[str]:
    """`n` seeded random strings over `alphabet` (single characters or short sequences)."""
    rng = random.Random(seed)
    return ["".join(rng.choices(alphabet, k=rng.randint(1, max_len))) for _ in range(n)]
