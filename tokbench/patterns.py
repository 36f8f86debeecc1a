"""Pre-tokenizer patterns that the native core runs with a hand-written scanner.

Each pattern string, exactly as the reference libraries spell it, maps to the scanner that
reproduces its pieces. Any other pattern still works, through the `regex` module (slower).
tests/test_scanners.py checks every entry against the `regex` module on adversarial text.
"""

from __future__ import annotations

import re

_CONTRACTIONS_CI = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)"

GPT2 = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"""
GPT2_CLASSIC = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
CL100K = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
LLAMA3 = (
    _CONTRACTIONS_CI
    + r"""|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
)
QWEN2 = (
    _CONTRACTIONS_CI
    + r"""|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
)
QWEN3_5 = (
    _CONTRACTIONS_CI
    + r"""|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+"""
    r"""|\s+(?!\S)|\s+"""
)
_O200K_WORDS = (
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+{c}"""
    r"""|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*{c}"""
)
_O200K_REST = r"""| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
O200K = _O200K_WORDS.replace("{c}", _CONTRACTIONS_CI + "?") + r"|\p{N}{1,3}" + _O200K_REST
TEKKEN = _O200K_WORDS.replace("{c}", "") + r"|\p{N}" + _O200K_REST

DEEPSEEK_STAGES = (
    r"\p{N}{1,3}",
    "[\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff]+",
    "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?"
    "[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+",
)

# tiktoken-style patterns (a single find_iter; text between matches is dropped).
SCANNER_FOR_PATTERN: dict[str, str] = {
    GPT2: "gpt2",
    GPT2_CLASSIC: "gpt2",
    CL100K: "cl100k",
    LLAMA3: "llama3",
    QWEN2: "qwen2",
    QWEN3_5: "qwen3_5",
    O200K: "o200k",
    TEKKEN: "tekken",
}

# Hugging Face Split stages (behavior Isolated: unmatched text is kept as pieces). Hugging
# Face compiles its regexes with Oniguruma's Ruby syntax, where an interval followed by "+"
# is not possessive: tiktoken's cl100k "\p{N}{1,3}+" means "(?:\p{N}{1,3})+" there, a
# whole run of digits. So that spelling is not mapped to the cl100k scanner for
# tokenizer.json files (see oniguruma_to_regex for how it runs instead).
SCANNER_FOR_STAGES: dict[tuple[str, ...], str] = {
    **{(pattern,): name for pattern, name in SCANNER_FOR_PATTERN.items() if pattern != CL100K},
    DEEPSEEK_STAGES: "deepseek",
}

# An interval quantifier directly followed by "+", after an atom: \p{..}, a class, an
# escaped character or any single character.
_ONIG_INTERVAL_PLUS = re.compile(
    r"(\\[pP]\{[^}]*\}"  # \p{...}
    r"|\[(?:\\.|[^\]\\])*\]"  # [...]
    r"|\\.|[^\\()|])"  # \x or a plain character
    r"(\{\d+(?:,\d*)?\})\+"
)


def oniguruma_to_regex(pattern: str) -> str:
    """A pattern for the `regex` module that matches what Oniguruma (Ruby syntax, as used by
    Hugging Face tokenizers) matches: "X{n,m}+" is a repeated interval, not a possessive one."""
    return _ONIG_INTERVAL_PLUS.sub(r"(?:\1\2)+", pattern)
