"""count_messages: the prompt tokens a chat request bills, message framing included.

Where a model's chat template is public (tokenizer_config.json of Qwen3, DeepSeek-V3,
Llama 3), the messages are rendered exactly as that template renders plain-text system,
user and assistant messages, and the rendered text is encoded with special tokens
recognised: the count is exact. Elsewhere the framing is an approximation and the result
says so (exact=False): OpenAI's published rule of thumb (3 tokens per message, 1 per
name, 3 to prime the reply), and for closed tokenizers the proxy count times the family's
calibration ratio, with its range.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..closed import closed_family
from ..registry import get_encoding
from .book import bundled_book, resolve
from .schema import Book

Message = Mapping[str, str]


@dataclass(frozen=True, slots=True)
class MessageCount:
    """Prompt tokens of a chat request: `tokens` (low..high when not exact)."""

    tokens: int
    low: int
    high: int
    exact: bool
    encoding: str
    method: str


def _text(messages: Sequence[Message], allowed: tuple[str, ...]) -> list[tuple[str, str]]:
    out = []
    for i, m in enumerate(messages):
        role, content = m.get("role"), m.get("content")
        if role not in allowed or not isinstance(content, str):
            msg = (
                f"messages[{i}]: need role in {allowed} and string content "
                f"(got role={role!r}, content of type {type(content).__name__})"
            )
            raise ValueError(msg)
        out.append((role, content))
    return out


def render_qwen3(messages: Sequence[Message], *, add_generation_prompt: bool = True) -> str:
    """Qwen3's chat template (tokenizer_config.json) for plain-text messages, no tools."""
    msgs = _text(messages, ("system", "user", "assistant"))
    last_query = max((i for i, (r, _) in enumerate(msgs) if r == "user"), default=len(msgs) - 1)
    parts = []
    for i, (role, content) in enumerate(msgs):
        if role in ("user", "system"):
            parts.append(f"<|im_start|>{role}\n{content}<|im_end|>\n")
            continue
        reasoning = ""
        if "</think>" in content:
            head, _, tail = content.rpartition("</think>")
            reasoning = head.rstrip("\n").split("<think>")[-1].lstrip("\n")
            content = tail.lstrip("\n")
        if i > last_query and (i == len(msgs) - 1 or reasoning):
            body = f"<think>\n{reasoning.strip(chr(10))}\n</think>\n\n{content.lstrip(chr(10))}"
            parts.append(f"<|im_start|>assistant\n{body}<|im_end|>\n")
        else:
            parts.append(f"<|im_start|>assistant\n{content}<|im_end|>\n")
    if add_generation_prompt:
        parts.append("<|im_start|>assistant\n")
    return "".join(parts)


# DeepSeek's markers use FULLWIDTH VERTICAL LINE (U+FF5C) and LOWER ONE EIGHTH BLOCK (U+2581).
_BAR, _SP = "\uff5c", "\u2581"
DS_BOS = f"<{_BAR}begin{_SP}of{_SP}sentence{_BAR}>"
DS_EOS = f"<{_BAR}end{_SP}of{_SP}sentence{_BAR}>"
DS_USER, DS_ASSISTANT = f"<{_BAR}User{_BAR}>", f"<{_BAR}Assistant{_BAR}>"


def render_deepseek_v3(messages: Sequence[Message], *, add_generation_prompt: bool = True) -> str:
    """DeepSeek-V3's chat template for plain-text messages: system prompts first, joined."""
    msgs = _text(messages, ("system", "user", "assistant"))
    system = "\n\n".join(c for r, c in msgs if r == "system")
    parts = [DS_BOS, system]
    for role, content in msgs:
        if role == "user":
            parts.append(DS_USER + content)
        elif role == "assistant":
            parts.append(DS_ASSISTANT + content + DS_EOS)
    if add_generation_prompt:
        parts.append(DS_ASSISTANT)
    return "".join(parts)


def render_llama3(messages: Sequence[Message], *, add_generation_prompt: bool = True) -> str:
    """Llama 3 Instruct's chat template (content is trimmed, as the template's `trim` does)."""
    msgs = _text(messages, ("system", "user", "assistant"))
    parts = ["<|begin_of_text|>"]
    for role, content in msgs:
        parts.append(f"<|start_header_id|>{role}<|end_header_id|>\n\n{content.strip()}<|eot_id|>")
    if add_generation_prompt:
        parts.append("<|start_header_id|>assistant<|end_header_id|>\n\n")
    return "".join(parts)


Renderer = Callable[..., str]
TEMPLATES: dict[str, Renderer] = {
    "qwen3": render_qwen3,
    "qwen3_5": render_qwen3,
    "deepseek_v3": render_deepseek_v3,
    "llama3": render_llama3,
}
# OpenAI cookbook, "How to count tokens with tiktoken": per message 3, per name 1, reply 3.
OPENAI_PER_MESSAGE, OPENAI_PER_NAME, OPENAI_REPLY = 3, 1, 3


def _approximate(messages: Sequence[Message], encoding: str) -> int:
    enc = get_encoding(encoding)
    n = OPENAI_REPLY
    for m in messages:
        n += OPENAI_PER_MESSAGE
        for key, value in m.items():
            n += enc.count(str(value))
            if key == "name":
                n += OPENAI_PER_NAME
    return n


def count_messages(
    messages: Sequence[Message],
    model: str,
    *,
    add_generation_prompt: bool = True,
    at: dt.datetime | None = None,
    provider: str | None = None,
    book: Book | None = None,
) -> MessageCount:
    """Prompt tokens of a chat request to `model` (an id as in estimate_cost).

    Args:
        messages: [{"role": "system"|"user"|"assistant", "content": str}, ...]
        add_generation_prompt: include the tokens that open the assistant's reply.

    >>> c = count_messages([{"role": "user", "content": "Hi"}], "alibaba-cn/qwen-plus")
    >>> c.exact, c.method
    (True, 'chat template of qwen3 (tokenizer_config.json)')
    """
    book = book or bundled_book()
    offer = resolve(book, model, at or dt.datetime.now(dt.timezone.utc), provider=provider)
    if offer.tokenizer in TEMPLATES:
        render = TEMPLATES[offer.tokenizer]
        text = render(messages, add_generation_prompt=add_generation_prompt)
        n = len(get_encoding(offer.tokenizer).encode(text, allowed_special="all"))
        method = f"chat template of {offer.tokenizer} (tokenizer_config.json)"
        return MessageCount(n, n, n, True, offer.tokenizer, method)
    if offer.tokenizer is not None:
        n = _approximate(messages, offer.tokenizer)
        method = "approximate framing: 3 tokens per message, 1 per name, 3 for the reply"
        return MessageCount(n, n, n, False, offer.tokenizer, method)
    fam = closed_family(str(offer.closed_family))
    proxy = _approximate(messages, fam.proxy_encoding)

    def scaled(r: Decimal) -> int:
        return int((proxy * r).to_integral_value(rounding=ROUND_HALF_UP))

    method = (
        f"estimate: {fam.proxy_encoding} with approximate framing x {fam.ratio_central} "
        f"({fam.ratio_low}..{fam.ratio_high}, {fam.basis}) for {fam.family}"
    )
    return MessageCount(
        scaled(fam.ratio_central),
        scaled(fam.ratio_low),
        scaled(fam.ratio_high),
        False,
        fam.proxy_encoding,
        method,
    )
