"""The Hugging Face pipeline behind each llama.cpp pre-tokenizer name.

A GGUF file names its byte-level BPE pre-tokenizer (`tokenizer.ggml.pre`, e.g. "command-r")
but does not store it. llama.cpp re-implements each name with its own regexes, which are
close to, but not always the same as, the model's Hugging Face tokenizer.json (llama.cpp's
falcon regexes skip a Digits step, for one). The test vectors for these vocabularies were
made with Hugging Face tokenizers, so tokbench rebuilds the Hugging Face pipeline itself:
normalizer and pre-tokenizer as they appear in the model's tokenizer.json, by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import UnsupportedTokenizerError
from ..patterns import DEEPSEEK_STAGES, LLAMA3, QWEN2

# Cased letters (Lu/Ll/Lt) of the scripts DeepSeek LLM keeps together. Python escapes, so
# that no editor normalizes the characters; the regex gets the characters themselves, as in
# the tokenizer.json (Oniguruma does not read "\uXXXX" escapes as the regex module does).
_DEEPSEEK_LLM_LETTERS = (
    "A-Za-z\u00b5\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u01ba\u01bc-\u01bf\u01c4-\u0293"
    "\u0295-\u02af\u0370-\u0373\u0376\u0377\u037b-\u037d\u037f\u0386\u0388-\u038a\u038c"
    "\u038e-\u03a1\u03a3-\u03f5\u03f7-\u0481\u048a-\u052f\u0531-\u0556\u10a0-\u10c5"
    "\u13a0-\u13f5\u13f8-\u13fd\u1c90-\u1cba\u1cbd-\u1cbf\u1d00-\u1d2b\u1d6b-\u1d77"
    "\u1d79-\u1d9a\u1e00-\u1f15\u1f18-\u1f1d\u1f20-\u1f45\u1f48-\u1f4d\u1f50-\u1f57\u1f59"
    "\u1f5b\u1f5d\u1f5f-\u1f7d\u1f80-\u1fb4\u1fb6-\u1fbc\u1fbe\u1fc2-\u1fc4\u1fc6-\u1fcc"
    "\u1fd0-\u1fd3\u1fd6-\u1fdb\u1fe0-\u1fec\u1ff2-\u1ff4\u1ff6-\u1ffc\u2102\u2107"
    "\u210a-\u2113\u2115\u2119-\u211d\u2124\u2126\u2128\u212a-\u212d\u212f-\u2134\u2139"
    "\u213c-\u213f\u2145-\u2149\u214e\u2183\u2184\u2c00-\u2c7b\u2c7e-\u2ce4\u2ceb-\u2cee"
    "\u2cf2\u2cf3\ua640-\ua66d\ua680-\ua69b\ua722-\ua76f\ua771-\ua787\ua78b-\ua78e"
    "\uab70-\uabbf\ufb00-\ufb06\ufb13-\ufb17\uff21-\uff3a\uff41-\uff5a"
    "\U00010400-\U0001044f\U000104b0-\U000104d3\U000104d8-\U000104fb"
    "\U00010c80-\U00010cb2\U00010cc0-\U00010cf2\U000118a0-\U000118df\U0001e900-\U0001e943"
)
_CJK_HANGUL = "[\u4e00-\u9fa5\u0800-\u4e00\uac00-\ud7ff]+"


def _split(pattern: str) -> dict[str, Any]:
    return {"type": "Split", "pattern": {"Regex": pattern}, "behavior": "Isolated", "invert": False}


def _byte_level(*, use_regex: bool) -> dict[str, Any]:
    return {
        "type": "ByteLevel",
        "add_prefix_space": False,
        "trim_offsets": True,
        "use_regex": use_regex,
    }


def _digits(*, individual: bool) -> dict[str, Any]:
    return {"type": "Digits", "individual_digits": individual}


_NFC = {"type": "NFC"}


@dataclass(frozen=True)
class PrePipeline:
    """A byte-level BPE tokenizer.json's normalizer, pre-tokenizer steps and model flags."""

    steps: tuple[dict[str, Any], ...]
    normalizer: dict[str, Any] | None = None
    ignore_merges: bool = False
    note: str = ""

    def pre_tokenizer(self) -> dict[str, Any]:
        if len(self.steps) == 1:
            return self.steps[0]
        return {"type": "Sequence", "pretokenizers": list(self.steps)}


_GPT2 = PrePipeline((_byte_level(use_regex=True),))
_DIGITS_THEN_GPT2 = (_digits(individual=True), _byte_level(use_regex=True))

PIPELINES: dict[str, PrePipeline] = {
    "gpt-2": _GPT2,
    # MPT and GPT-NeoX-20B share GPT-NeoX's tokenizer.json: NFC, then GPT-2's ByteLevel.
    "mpt": PrePipeline(_GPT2.steps, _NFC),
    "starcoder": PrePipeline(_DIGITS_THEN_GPT2),
    "refact": PrePipeline(_DIGITS_THEN_GPT2),
    "command-r": PrePipeline(_DIGITS_THEN_GPT2, _NFC),
    # Falcon runs Digits and a Split *after* ByteLevel, on the byte-mapped text.
    "falcon": PrePipeline(
        (
            {"type": "Punctuation", "behavior": "Contiguous"},
            _byte_level(use_regex=True),
            _digits(individual=False),
            _split("[0-9][0-9][0-9]"),
        )
    ),
    "deepseek-coder": PrePipeline(
        (
            _split("[\r\n]"),
            _split(r"\s?\p{L}+"),
            _split(r"\s?\p{P}+"),
            _split(_CJK_HANGUL),
            _digits(individual=True),
            _byte_level(use_regex=False),
        )
    ),
    "deepseek-llm": PrePipeline(
        (
            _split("[\r\n]"),
            _split("\\s?[" + _DEEPSEEK_LLM_LETTERS + "]+"),
            _split("\\s?[!-/:-~\uff01-\uff0f\uff1a-\uff5e\u2018-\u201f\u3000-\u3002]+"),
            _split(r"\s+$"),
            _split(_CJK_HANGUL),
            _digits(individual=True),
            _byte_level(use_regex=False),
        )
    ),
    "deepseek-v3": PrePipeline(
        (*(_split(p) for p in DEEPSEEK_STAGES), _byte_level(use_regex=False))
    ),
    "llama-bpe": PrePipeline((_split(LLAMA3), _byte_level(use_regex=False)), ignore_merges=True),
    "qwen2": PrePipeline((_split(QWEN2), _byte_level(use_regex=False)), _NFC),
}

# Files without `tokenizer.ggml.pre` (converted before llama.cpp recorded it), by
# `general.architecture`.
WITHOUT_PRE: dict[str, PrePipeline] = {
    "gptneox": PrePipeline(_GPT2.steps, _NFC, note="no pre-tokenizer name: GPT-NeoX's assumed"),
    "gpt2": PrePipeline(_GPT2.steps, note="no pre-tokenizer name: GPT-2's assumed"),
}


def pipeline_for(pre: str | None, architecture: str | None, *, source: str) -> PrePipeline:
    """The Hugging Face pipeline of a byte-level GGUF vocabulary.

    Raises:
        UnsupportedTokenizerError: a pre-tokenizer name tokbench does not know.
    """
    if pre is not None and pre != "default":
        if pre in PIPELINES:
            return PIPELINES[pre]
        msg = (
            f"{source}: GGUF pre-tokenizer {pre!r} is not known to tokbench (known: "
            f"{', '.join(sorted(PIPELINES))}). Load the model's tokenizer.json instead."
        )
        raise UnsupportedTokenizerError(msg)
    if architecture in WITHOUT_PRE:
        return WITHOUT_PRE[architecture]
    msg = (
        f"{source}: the GGUF file names no pre-tokenizer (tokenizer.ggml.pre) and its "
        f"architecture {architecture!r} has no known default; load the model's tokenizer.json "
        "instead."
    )
    raise UnsupportedTokenizerError(msg)
