"""What fuzz/fuzz_encode.py and tests/test_fuzz_regressions.py call a wrong answer.

Ids and counts must equal the reference's. The round trip differs by encoding: without
normalization decode(encode(text)) is the text (lone surrogates replaced, as tiktoken does);
with it, decode gives the text as the reference normalized it, and Python's unicodedata
(parity.expected_decode) may order combining marks by other Unicode tables than Hugging
Face's normalizer does (Python 3.11 has Unicode 14), so there the oracle is that the decoded
text encodes to the same ids (normalizing is idempotent, and decoding is lossless).
"""

from __future__ import annotations

from parity import DECODE_NORMALIZATION, expected_decode, reference_ids

import tokbench


def encode_problem(name: str, enc: tokbench.Encoding, text: str) -> str | None:
    """None if `enc` agrees with the reference on `text`, else what differs."""
    ref = reference_ids(name, text)
    ours = enc.encode_ordinary(text)
    if ours != ref:
        return f"ids differ: ours {ours[:40]} reference {ref[:40]}"
    if enc.count(text) != len(ref):
        return f"count {enc.count(text)} != {len(ref)} ids"
    decoded = enc.decode(ours)
    if name in DECODE_NORMALIZATION:
        if enc.encode_ordinary(decoded) != ours:
            return "encode(decode(ids)) gives other ids"
    elif decoded != expected_decode(name, text):
        return "decode(encode(text)) is not the text"
    if enc.count_batch([text, text], num_threads=2).tolist() != [len(ref)] * 2:
        return "count_batch differs from count"
    return None
