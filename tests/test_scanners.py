"""The native pre-tokenizer scanners against the original patterns run by independent engines.

Oracle 1: Hugging Face tokenizers' Split pre-tokenizer (Oniguruma, the same Unicode 16 tables
as tiktoken; see test_unicode_tables.py), behavior "isolated", one Split per stage.
Oracle 2: the `regex` module (for every pattern, and in particular for those with `$`:
Oniguruma's `$` is end-of-line, Python's is end-of-text or before a final newline). The
`regex` module has a newer Unicode version, so it only sees characters whose general category
it shares with Unicode 16.

Inputs: every string of up to 4 characters over a representative alphabet (one character of
each class the scanners distinguish), seeded random longer strings, and hypothesis.
"""

from __future__ import annotations

import itertools
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from references import HFReference, definition, hf_json_from_bundle
from strategies import (
    ATOMS,
    CONTRACTIONS,
    INTERESTING_CHARS,
    REPRESENTATIVE,
    char_classes,
    class_samples,
    interesting_text,
    random_texts,
)
from tokenizers import Regex, pre_tokenizers

import tokbench
from tokbench.patterns import SCANNER_FOR_PATTERN, SCANNER_FOR_STAGES

# One bundled encoding per distinct (pattern stages, scanner).
CASES = {
    "gpt2": "r50k_base",
    "gpt2_classic": "claude_legacy",
    "cl100k": "cl100k_base",
    "llama3": "llama3",
    "qwen2": "qwen3",
    "qwen3_5": "qwen3_5",
    "o200k": "o200k_base",
    "tekken": "mistral_tekken",
    "deepseek": "deepseek_v3",
}
MAX_REPORTED = 8


def stages(case: str) -> tuple[str, ...]:
    return tuple(definition(CASES[case]).stages)


def core(case: str) -> Any:
    return tokbench.get_encoding(CASES[case])._backend._core


def for_oniguruma(pattern: str) -> str:
    r"""The pattern in Oniguruma's syntax (Ruby's, as Hugging Face compiles it).

    One construct differs: a possessive interval `X{m,n}+` (tiktoken's fancy-regex, the
    `regex` module) is `(X{m,n})+` in Ruby syntax, so cl100k's `\p{N}{1,3}+` would take any
    number of digits. The atomic group `(?>X{m,n})` means the same in both.
    """
    out = pattern.replace(r"\p{N}{1,3}+", r"(?>\p{N}{1,3})")
    interval = regex.search(r"\{\d+(,\d*)?\}\+", out)
    assert interval is None, f"unhandled possessive interval in {pattern!r}"
    return out


@cache
def hf_splitter(case: str) -> Any:
    splits = [
        pre_tokenizers.Split(Regex(for_oniguruma(p)), behavior="isolated") for p in stages(case)
    ]
    return splits[0] if len(splits) == 1 else pre_tokenizers.Sequence(splits)


@cache
def regex_stages(case: str) -> tuple[regex.Pattern[str], ...]:
    return tuple(regex.compile(p) for p in stages(case))


def our_pieces(case: str, text: str) -> list[str]:
    data = text.encode("utf-8")
    return [data[s : s + n].decode("utf-8") for s, n in core(case).pieces(text)]


def hf_pieces(case: str, text: str) -> list[str]:
    return [p for p, _ in hf_splitter(case).pre_tokenize_str(text)]


def regex_pieces(case: str, text: str) -> list[str]:
    """Split "isolated" stage by stage: matches and the text between them are pieces."""
    pieces = [text]
    for pattern in regex_stages(case):
        out: list[str] = []
        for piece in pieces:
            pos = 0
            for m in pattern.finditer(piece):
                if m.start() > pos:
                    out.append(piece[pos : m.start()])
                if m.end() > m.start():
                    out.append(m.group())
                pos = m.end()
            if pos < len(piece):
                out.append(piece[pos:])
        pieces = out
    return pieces


@cache
def regex_safe(ch: str) -> bool:
    """The `regex` module classifies `ch` as Unicode 16 does (letter/mark/number/punctuation/
    symbol subclasses and White_Space), so it can serve as an oracle for text with `ch`."""
    table = char_classes()
    cls = table[ord(ch)]
    probes = {
        r"\p{Lu}": cls == 1, r"\p{Ll}": cls == 2, r"\p{Lt}": cls == 3, r"\p{Lm}": cls == 4,
        r"\p{Lo}": cls == 5, r"\p{M}": cls == 6, r"\p{N}": cls == 7, r"\p{P}": cls == 8,
        r"\p{S}": cls == 9, r"\s": cls in (10, 11, 12),
    }  # fmt: skip
    if any(bool(regex.fullmatch(p, ch)) != want for p, want in probes.items()):
        return False
    try:
        import unicodedata2
    except ImportError:
        return True
    return bool(regex.fullmatch(r"\p{gc=" + unicodedata2.category(ch) + "}", ch))


def compare(case: str, texts: list[str], *, use_regex: bool, min_regex: int = 0) -> None:
    failures: list[str] = []
    n_regex = 0
    for text in texts:
        try:
            ours = our_pieces(case, text)
        except UnicodeDecodeError as e:
            failures.append(f"{text!r}: a piece is not on character boundaries ({e})")
            continue
        hf = hf_pieces(case, text)
        if "".join(ours) != text:
            failures.append(f"{text!r}: pieces do not concatenate to the text: {ours!r}")
        elif ours != hf:
            failures.append(f"{text!r}: ours {ours!r} != Oniguruma {hf!r}")
        elif use_regex and all(regex_safe(c) for c in text):
            n_regex += 1
            rx = regex_pieces(case, text)
            if ours != rx:
                failures.append(f"{text!r}: ours {ours!r} != regex module {rx!r} (= Oniguruma)")
        if len(failures) >= MAX_REPORTED:
            break
    assert not failures, (
        f"scanner {core(case).scanner!r} ({CASES[case]}) differs from the original pattern:\n  "
        + "\n  ".join(failures)
    )
    assert n_regex >= min_regex, f"only {n_regex} texts were checked with the regex module"


# -- the cases are what the encodings run ---------------------------------------------------


def test_cases_cover_every_bundled_encoding() -> None:
    covered = {(stages(c), core(c).scanner) for c in CASES}
    for name in tokbench.list_encoding_names():
        enc = tokbench.get_encoding(name)
        scanner = getattr(enc._backend._core, "scanner", None)
        if scanner in (None, "whole"):
            # SentencePiece-style encodings have no regex pre-tokenizer; command_r has no
            # native scanner, its stages run through the regex module, which the corpus,
            # adversarial and hypothesis parity tests check against Oniguruma.
            continue
        key = (tuple(definition(name).stages), scanner)
        assert key in covered, f"{name}: scanner/pattern pair not covered by test_scanners"


@pytest.mark.parametrize("case", CASES)
def test_case_uses_the_named_scanner(case: str) -> None:
    # tiktoken-style patterns map through SCANNER_FOR_PATTERN, Hugging Face Split stages
    # (Oniguruma syntax) through SCANNER_FOR_STAGES.
    known = {**SCANNER_FOR_STAGES, **{(p,): s for p, s in SCANNER_FOR_PATTERN.items()}}
    assert stages(case) in known
    assert core(case).scanner == known[stages(case)]
    assert core(case).scanner == case.removesuffix("_classic")


# -- exhaustive short strings ---------------------------------------------------------------


def all_strings(alphabet: list[str], max_len: int) -> list[str]:
    return [
        "".join(p) for k in range(1, max_len + 1) for p in itertools.product(alphabet, repeat=k)
    ]


@pytest.mark.parametrize("case", CASES)
def test_exhaustive_up_to_3(case: str) -> None:
    texts = all_strings(REPRESENTATIVE, 3)
    compare(case, texts, use_regex=True, min_regex=len(texts))


@pytest.mark.parametrize("case", CASES)
def test_exhaustive_length_4(case: str) -> None:
    texts = ["".join(p) for p in itertools.product(REPRESENTATIVE, repeat=4)]
    compare(case, texts, use_regex=False)


# -- random longer strings ------------------------------------------------------------------


def random_alphabet() -> list[str]:
    return sorted(set(REPRESENTATIVE + INTERESTING_CHARS + class_samples())) + CONTRACTIONS + ATOMS


@pytest.mark.parametrize("case", CASES)
def test_random_strings(case: str) -> None:
    alphabet = random_alphabet()
    texts = random_texts(3000, alphabet, max_len=30, seed=hash(case) & 0xFFFF)
    texts += random_texts(300, [*REPRESENTATIVE, "\r\n", "  ", "'s"], max_len=200, seed=7)
    compare(case, texts, use_regex=True, min_regex=len(texts) // 2)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_random_strings_many(case: str) -> None:
    alphabet = random_alphabet()
    compare(case, random_texts(100_000, alphabet, max_len=60, seed=99), use_regex=True)
    compare(case, all_strings(REPRESENTATIVE[:14], 5), use_regex=False)


# -- hypothesis -----------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_hypothesis_interesting(case: str) -> None:
    @settings(max_examples=150, deadline=None, database=None)
    @given(interesting_text())
    def check(text: str) -> None:
        compare(case, [text], use_regex=True)

    check()


@pytest.mark.parametrize("case", CASES)
def test_hypothesis_any_text(case: str) -> None:
    @settings(max_examples=100, deadline=None, database=None)
    @given(st.text(alphabet=st.characters(codec="utf-8")))
    def check(text: str) -> None:
        compare(case, [text], use_regex=True)

    check()


# -- where Oniguruma's syntax differs from tiktoken's -----------------------------------------


def test_oniguruma_dollar_is_harmless_for_possessive_runs() -> None:
    r"""Oniguruma's `$` also matches before "\n", but in `\s++$` the possessive run has
    already taken every following "\n", so `$` can only match at the end of the text there:
    the untranslated patterns give the same pieces as the `regex` module."""
    for case in ("gpt2", "cl100k"):
        raw = pre_tokenizers.Split(Regex(stages(case)[0]), behavior="isolated")
        for text in ["a \n", "a  \n\nb", " \n", "x\n \n", "x \t\n", "\n", "a\n  ", "a \r\n"]:
            assert [p for p, _ in raw.pre_tokenize_str(text)] == regex_pieces(case, text)
            assert our_pieces(case, text) == regex_pieces(case, text)


def test_oniguruma_reads_possessive_interval_as_repetition() -> None:
    r"""Why for_oniguruma() exists: in Ruby syntax `\p{N}{1,3}+` is `(?:\p{N}{1,3})+`."""
    raw = pre_tokenizers.Split(Regex(stages("cl100k")[0]), behavior="isolated")
    assert [p for p, _ in raw.pre_tokenize_str("1234567")] == ["1234567"]
    assert hf_pieces("cl100k", "1234567") == ["123", "456", "7"]
    assert our_pieces("cl100k", "1234567") == ["123", "456", "7"]


def test_tokenizer_json_with_cl100k_pattern_follows_hugging_face(tmp_path: Path) -> None:
    data = json.loads(hf_json_from_bundle("llama3"))
    split = data["pre_tokenizer"]["pretokenizers"][0]
    assert split["type"] == "Split"
    split["pattern"]["Regex"] = stages("cl100k")[0]
    text = json.dumps(data, ensure_ascii=False)
    path = tmp_path / "tokenizer.json"
    path.write_text(text, encoding="utf-8")
    enc = tokbench.load(path)
    ref = HFReference("llama3_with_cl100k_pattern", text)
    for sample in ["1234567", "a 1234567 b", "12345"]:
        assert enc.encode_ordinary(sample) == ref.encode_ordinary(sample), sample
