"""Differential fuzzing of encoding (pre-tokenizer + BPE merges + caches) against the
reference libraries: tiktoken for the tiktoken-format encodings, Hugging Face tokenizers for
tokenizer.json ones (command_r on the regex path), sentencepiece for llama2.

Per input and encoding (tests/fuzz_oracle.py): encode_ordinary == the reference's ids, count
== their number, decode gives the text back (for normalizing encodings: text that encodes to
the same ids), and count_batch with 2 threads agrees.
The encodings keep their caches across inputs, as a long-running service would.

    python fuzz/fuzz_encode.py [libFuzzer options] [corpus dirs]
    TOKBENCH_FUZZ_ENCODINGS=o200k_base,llama3 python fuzz/fuzz_encode.py ...
"""

from __future__ import annotations

import os
import sys

import atheris
import inputs  # noqa: F401  (first: it puts tests/, the oracles, on sys.path)

with atheris.instrument_imports():
    from fuzz_oracle import encode_problem
    from inputs import max_len, record, text_from

    import tokbench

DEFAULT = "o200k_base,cl100k_base,r50k_base,llama3,qwen3,deepseek_v3,command_r,llama2"
NAMES = os.environ.get("TOKBENCH_FUZZ_ENCODINGS", DEFAULT).split(",")
ENCODINGS = {name: tokbench.get_encoding(name) for name in NAMES}


def check(data: bytes) -> None:
    text = text_from(data)[: max_len()]
    for name, enc in ENCODINGS.items():
        problem = encode_problem(name, enc, text)
        if problem:
            msg = f"{name}: {problem}"
            record(f"encode-{name}", text, msg)
            raise AssertionError(msg)


if __name__ == "__main__":
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()
