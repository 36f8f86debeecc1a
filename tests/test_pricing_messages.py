"""count_messages: our renderings equal the published chat templates (rendered with jinja2
from each model's tokenizer_config.json), and the counts equal the reference tokenizer's."""

from __future__ import annotations

import json

import pytest
from references import TOKENIZERS_DIR

from tokbench.pricing.messages import TEMPLATES, count_messages

CHATS = [
    [{"role": "user", "content": "Hello!"}],
    [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "  Price of 1M tokens?  "},
        {"role": "assistant", "content": "Depends on the model."},
        {"role": "user", "content": "气温如何？"},  # noqa: RUF001
    ],
    [
        {"role": "system", "content": "A"},
        {"role": "system", "content": "B"},
        {"role": "user", "content": "x"},
        {"role": "assistant", "content": "<think>\nhmm\n</think>\n\nanswer"},
    ],
]
MODELS = {"qwen3": "alibaba-cn/qwen-plus", "deepseek_v3": "deepseek-chat", "llama3": None}


def _jinja(name: str, messages: list[dict[str, str]]) -> str:
    jinja2 = pytest.importorskip("jinja2")
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    path = TOKENIZERS_DIR / name / "tokenizer_config.json"
    if not path.is_file():
        pytest.skip(f"{path} not available")
    cfg = json.loads(path.read_text(encoding="utf-8"))
    bos = cfg.get("bos_token")
    bos = bos.get("content") if isinstance(bos, dict) else bos
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    env.filters["tojson"] = json.dumps
    assert isinstance(env, jinja2.Environment)
    template = env.from_string(cfg["chat_template"])
    return template.render(messages=messages, bos_token=bos or "", add_generation_prompt=True)


@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize("chat", range(len(CHATS)))
def test_rendering_equals_the_published_template(name: str, chat: int):
    ours = TEMPLATES[name](CHATS[chat], add_generation_prompt=True)
    assert ours == _jinja(name, CHATS[chat])


@pytest.mark.parametrize("name", ["qwen3", "deepseek_v3"])
def test_count_equals_the_reference_tokenizer_on_the_rendered_prompt(name: str):
    tokenizers = pytest.importorskip("tokenizers")
    path = TOKENIZERS_DIR / name / "tokenizer.json"
    if not path.is_file():
        pytest.skip(f"{path} not available")
    ref = tokenizers.Tokenizer.from_file(str(path))  # special tokens recognised, as billed
    for chat in CHATS:
        text = _jinja(name, chat)
        expected = len(ref.encode(text, add_special_tokens=False).ids)
        got = count_messages(chat, str(MODELS[name]))
        assert (got.tokens, got.exact) == (expected, True)


def test_openai_framing_is_marked_approximate():
    import tokbench

    chat = CHATS[1]
    got = count_messages(chat, "gpt-4o")
    enc = tokbench.get_encoding("o200k_base")
    content = sum(enc.count(m["role"]) + enc.count(m["content"]) for m in chat)
    assert got.tokens == content + 3 * len(chat) + 3
    assert not got.exact


def test_closed_family_gives_a_range():
    got = count_messages(CHATS[1], "claude-sonnet-4-6")
    assert not got.exact
    assert got.low < got.tokens < got.high
    assert "claude_3_to_4_6" in got.method


def test_bad_message_names_its_index():
    with pytest.raises(ValueError, match=r"messages\[1\]"):
        count_messages(
            [{"role": "user", "content": "a"}, {"role": "tool", "content": "b"}], "deepseek-chat"
        )


def test_estimate_cost_prices_a_chat_request():
    import datetime as dt
    from decimal import Decimal

    from tokbench.pricing import estimate_cost

    at = dt.datetime(2026, 11, 29, tzinfo=dt.timezone.utc)
    n = count_messages(CHATS[1], "deepseek-chat", at=at).tokens
    est = estimate_cost("deepseek-chat", messages=CHATS[1], at=at, today=at.date())
    assert est.items[0].tokens == n
    assert est.total == Decimal(n) * Decimal("0.28") / 1_000_000  # V3.2 input price
    assert est.exact
    approx = estimate_cost("gpt-4o", messages=CHATS[1], at=at, today=at.date())
    assert not approx.exact
