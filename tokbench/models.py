"""Which bundled encoding counts the tokens of which model (tiktoken's encoding_for_model,
extended to the open-weight and Chinese providers' models)."""

from __future__ import annotations

import difflib

from .encoding import Encoding
from .errors import UnknownEncodingError
from .estimate import family_for_model
from .registry import get_encoding

# Exact model names.
MODEL_TO_ENCODING: dict[str, str] = {
    # OpenAI (as in tiktoken 0.14)
    "gpt-4": "cl100k_base",
    "gpt-3.5-turbo": "cl100k_base",
    "gpt-3.5": "cl100k_base",
    "gpt-35-turbo": "cl100k_base",
    "davinci-002": "cl100k_base",
    "babbage-002": "cl100k_base",
    "text-embedding-ada-002": "cl100k_base",
    "text-embedding-3-small": "cl100k_base",
    "text-embedding-3-large": "cl100k_base",
    "text-davinci-003": "p50k_base",
    "text-davinci-002": "p50k_base",
    "code-davinci-002": "p50k_base",
    "code-davinci-001": "p50k_base",
    "code-cushman-002": "p50k_base",
    "code-cushman-001": "p50k_base",
    "davinci-codex": "p50k_base",
    "cushman-codex": "p50k_base",
    "text-davinci-edit-001": "p50k_edit",
    "code-davinci-edit-001": "p50k_edit",
    "text-davinci-001": "r50k_base",
    "text-curie-001": "r50k_base",
    "text-babbage-001": "r50k_base",
    "text-ada-001": "r50k_base",
    "davinci": "r50k_base",
    "curie": "r50k_base",
    "babbage": "r50k_base",
    "ada": "r50k_base",
    "gpt2": "gpt2",
    "gpt-2": "gpt2",
    "o1": "o200k_base",
    "o3": "o200k_base",
    "o4-mini": "o200k_base",
    "gpt-4.1": "o200k_base",
    "gpt-4.5": "o200k_base",
    "gpt-4o": "o200k_base",
    # OpenAI's first-generation embeddings (as in tiktoken)
    "text-similarity-davinci-001": "r50k_base",
    "text-similarity-curie-001": "r50k_base",
    "text-similarity-babbage-001": "r50k_base",
    "text-similarity-ada-001": "r50k_base",
    "text-search-davinci-doc-001": "r50k_base",
    "text-search-curie-doc-001": "r50k_base",
    "text-search-babbage-doc-001": "r50k_base",
    "text-search-ada-doc-001": "r50k_base",
    "code-search-babbage-code-001": "r50k_base",
    "code-search-ada-code-001": "r50k_base",
    # DeepSeek's API names
    "deepseek-chat": "deepseek_v3",
    "deepseek-reasoner": "deepseek_v3",
    # Alibaba Qwen API names (Qwen2.5/Qwen3 generation vocabulary)
    "qwen-plus": "qwen3",
    "qwen-max": "qwen3",
    "qwen-turbo": "qwen3",
    "qwen-flash": "qwen3",
    "qwen-long": "qwen3",
    # Mistral
    "open-mistral-nemo": "mistral_tekken",
    "pixtral-12b": "mistral_tekken",
    # Cohere (Command R and R+ share one 256k vocabulary)
    "command-r": "command_r",
    "command-r-plus": "command_r",
}

# Model-name prefixes, longest match wins.
MODEL_PREFIX_TO_ENCODING: dict[str, str] = {
    "o1-": "o200k_base",
    "o3-": "o200k_base",
    "o4-mini-": "o200k_base",
    "gpt-5": "o200k_base",
    "gpt-4.1-": "o200k_base",
    "gpt-4.5-": "o200k_base",
    "gpt-4o-": "o200k_base",
    "chatgpt-4o-": "o200k_base",
    "gpt-4-": "cl100k_base",
    "gpt-3.5-turbo-": "cl100k_base",
    "gpt-35-turbo-": "cl100k_base",
    "ft:gpt-4o": "o200k_base",
    "ft:gpt-4": "cl100k_base",
    "ft:gpt-3.5-turbo": "cl100k_base",
    "ft:davinci-002": "cl100k_base",
    "ft:babbage-002": "cl100k_base",
    "text-embedding-": "cl100k_base",
    "gpt-oss-": "o200k_harmony",
    "deepseek-v3": "deepseek_v3",
    "deepseek-r1": "deepseek_v3",
    "deepseek-v4": "deepseek_v4",
    "qwen3.5-": "qwen3_5",
    "qwen3.6-": "qwen3_5",
    "qwen3-": "qwen3",
    "qwen2.5-": "qwen3",
    "qwen2-": "qwen3",
    "qwq-": "qwen3",
    "llama-3": "llama3",
    "llama3": "llama3",
    "meta-llama-3": "llama3",
    "mistral-nemo": "mistral_tekken",
    "command-r-": "command_r",
    "c4ai-command-r-": "command_r",
    "claude-2": "claude_legacy",
    "claude-instant": "claude_legacy",
}

_NO_PUBLIC_TOKENIZER = (
    "claude-3",
    "claude-sonnet",
    "claude-opus",
    "claude-haiku",
    "gemini",
    "grok",
    "doubao",
)


def encoding_name_for_model(model_name: str, *, allow_estimate: bool = False) -> str:
    """The bundled encoding name for a model name.

    With allow_estimate=True, a model whose tokenizer is not public (Claude 3+, Gemini, Grok,
    ...) maps to its estimated family (e.g. "claude_3_to_4_6"); otherwise it raises.

    Raises:
        UnknownEncodingError: for a model tokbench cannot map (with a hint).
    """
    # Hugging Face repository ids ("Qwen/Qwen3-8B") name the model after the slash.
    key = model_name.strip().lower().rsplit("/", 1)[-1]
    if key in MODEL_TO_ENCODING:
        return MODEL_TO_ENCODING[key]
    prefixes = [p for p in MODEL_PREFIX_TO_ENCODING if key.startswith(p)]
    if prefixes:
        return MODEL_PREFIX_TO_ENCODING[max(prefixes, key=len)]
    family = family_for_model(model_name)
    if family is not None and allow_estimate:
        return family
    if family is not None or key.startswith(_NO_PUBLIC_TOKENIZER):
        estimate = (
            f'For an estimate, pass allow_estimate=True or use tokbench.get_encoding("{family}") '
            "(a proxy count scaled by a calibration ratio, exact=False)."
            if family is not None
            else "Count with a proxy encoding explicitly, e.g. "
            'tokbench.get_encoding("o200k_base"), and treat the result as an estimate.'
        )
        msg = (
            f"{model_name!r} has no public tokenizer (or none bundled), so its exact token count "
            f"cannot be computed offline. {estimate}"
        )
        raise UnknownEncodingError(msg)
    known = sorted([*MODEL_TO_ENCODING, *MODEL_PREFIX_TO_ENCODING])
    close = difflib.get_close_matches(key, known, n=3)
    hint = f" Close names: {', '.join(close)}." if close else ""
    msg = (
        f"Could not map model {model_name!r} to an encoding.{hint} Pass an encoding "
        'explicitly: tokbench.get_encoding("o200k_base").'
    )
    raise UnknownEncodingError(msg)


def encoding_for_model(model_name: str, *, allow_estimate: bool = False) -> Encoding:
    """The encoding a model counts its tokens with.

    A model whose tokenizer is not public raises UnknownEncodingError unless
    allow_estimate=True: then it gets an EstimatedEncoding (exact=False, counts only).

    >>> import tokbench
    >>> tokbench.encoding_for_model("gpt-4o").name
    'o200k_base'
    >>> tokbench.encoding_for_model("deepseek-chat").name
    'deepseek_v3'
    """
    return get_encoding(encoding_name_for_model(model_name, allow_estimate=allow_estimate))
