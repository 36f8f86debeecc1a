"""Differential fuzzing of the native pre-tokenizer scanners.

Oracle: the original pattern of each scanner run by Hugging Face tokenizers' Split
(Oniguruma, the references' Unicode 16 tables) and, where every character is classified
alike by both Unicode versions, by the `regex` module (tests/test_scanners.py). Every input
is checked against all nine scanners.

    python fuzz/fuzz_scanners.py [libFuzzer options] [corpus dirs]
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from inputs import max_len, record, text_from
    from test_scanners import CASES, hf_pieces, our_pieces, regex_pieces, regex_safe


def check(data: bytes) -> None:
    text = text_from(data)[: max_len()]
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        # Scanners take UTF-8; the core replaces lone surrogates first (as tiktoken does),
        # and Oniguruma cannot take them: compare on the replaced text.
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    for case in CASES:
        ours = our_pieces(case, text)
        if "".join(ours) != text:
            record("scanners", text, f"{case}: pieces do not rebuild the text: {ours!r}")
            raise AssertionError(case)
        hf = hf_pieces(case, text)
        if ours != hf:
            record("scanners", text, f"{case}: ours {ours!r} != Oniguruma {hf!r}")
            raise AssertionError(case)
        if all(regex_safe(c) for c in text):
            rx = regex_pieces(case, text)
            if ours != rx:
                record("scanners", text, f"{case}: ours {ours!r} != regex module {rx!r}")
                raise AssertionError(case)


if __name__ == "__main__":
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()
