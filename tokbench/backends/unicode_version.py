"""Keeping the `regex` module on the references' Unicode version.

Patterns without a native scanner run through the `regex` module, which follows the newest
Unicode (17 in regex 2025.x), while tiktoken and Hugging Face tokenizers, whose ids are the
reference, classify characters by Unicode 16 (the core's tables are generated from the same
version and checked against both for every code point). Characters assigned since then are
unassigned (Cn) to the references but letters, marks or numbers to the `regex` module, so a
piece boundary moved: "\u088f's" (a Unicode 17 letter) was "\u088f" + "'s" here but
"\u088f'" + "s" in Hugging Face tokenizers for command_r.

The fix keeps the pattern and changes the text it scans: each such character is replaced by
a noncharacter (Cn in every Unicode version) of the same length in code points, and the
pieces are cut from the original text at the positions found.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .. import _core

# A permanent noncharacter: unassigned (Cn) in every Unicode version, as the references see
# the characters it stands in for.
STAND_IN = "\ufdd0"
# What the scanners' "other" class excludes: letters, marks, numbers, punctuation, symbols
# and white space.
_CLASSIFIED = r"[\p{L}\p{M}\p{N}\p{P}\p{S}\s]"


@cache
def stand_ins() -> dict[int, str]:
    """str.translate table: characters that the references leave unclassified but the
    installed `regex` module classifies, each to STAND_IN. Computed once (about 0.1 s)."""
    import regex

    table = np.frombuffer(_core.char_classes(), dtype=np.uint8)
    cps = np.nonzero(table == 0)[0].astype("<u4")
    cps = cps[(cps < 0xD800) | (cps > 0xDFFF)]  # not text; the core replaces them
    others = cps.tobytes().decode("utf-32-le")
    return {ord(m.group()): STAND_IN for m in regex.finditer(_CLASSIFIED, others)}
