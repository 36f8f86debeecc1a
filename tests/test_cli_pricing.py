"""`tokbench estimate` and `tokbench prices`: the JSON other tools script against."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tokbench.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_estimate_json_has_the_documented_fields(capsys: pytest.CaptureFixture[str]):
    code, out, _ = run(
        capsys,
        "estimate", "--model", "deepseek-chat", "--input-tokens", "1000000",
        "--output-tokens", "1000000", "--cached-tokens", "1000000",
        "--at", "2025-03-03T16:30:00", "--format", "json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    # 16:30 UTC (no offset = UTC) is 00:30 Beijing: off-peak 0.135 + 0.035 + 0.55
    assert data["total"] == "0.72"
    assert (data["model"], data["currency"], data["exact"]) == (
        "deepseek/deepseek-chat",
        "USD",
        True,
    )
    assert [i["component"] for i in data["items"]] == ["input", "cache_read", "output"]
    item = data["items"][0]
    for key in ("tokens", "unit_price_per_mtok", "amount", "rule", "source", "as_of"):
        assert key in item
    assert "off_peak" in item["rule"]


def test_estimate_currency_and_tier_options(capsys: pytest.CaptureFixture[str]):
    code, out, _ = run(
        capsys, "estimate", "--model", "claude-sonnet-4-6", "--input-tokens", "2000000",
        "--tier", "batch", "--at", "2026-11-29T00:00:00Z",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["total"] == "3"  # 2M x $3/M x 0.5
    code, out, _ = run(
        capsys, "estimate", "--model", "deepseek-chat", "--input-tokens", "1000000",
        "--currency", "CNY", "--at", "2025-03-03T12:00:00+00:00",
    )  # fmt: skip
    assert (json.loads(out)["total"], json.loads(out)["currency"]) == ("2", "CNY")


def test_estimate_with_cli_exchange_rate(capsys: pytest.CaptureFixture[str]):
    code, out, _ = run(
        capsys, "estimate", "--model", "alibaba-cn/qwen-plus", "--input-tokens", "100000",
        "--currency", "USD", "--fx-rate", "8", "--fx-as-of", "2026-11-27",
        "--fx-source", "example",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["total"] == "0.01"  # 100k x 0.8 CNY/M (first tier) = 0.08 CNY; / 8
    assert data["items"][0]["fx"].startswith("1 USD = 8 CNY (as of 2026-11-27, example)")


def test_estimate_text_and_file_count_with_the_models_tokenizer(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    import tokbench

    text = "Hello, world! " * 10
    n = tokbench.get_encoding("o200k_base").count(text)
    code, out, _ = run(capsys, "estimate", "--model", "gpt-4o", "--text", text)
    assert code == 0
    assert json.loads(out)["items"][0]["tokens"] == n
    f = tmp_path / "prompt.txt"
    f.write_text(text, encoding="utf-8")
    code, out2, _ = run(capsys, "estimate", "--model", "gpt-4o", "--file", str(f))
    assert json.loads(out2)["items"][0]["tokens"] == n


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", "gpt-4oo", "--input-tokens", "1"], "Unknown model 'gpt-4oo'"),
        (["--model", "qwen-plus", "--input-tokens", "1"], "alibaba-cn/qwen-plus"),
        (["--model", "gpt-4o", "--input-tokens", "1", "--at", "yesterday"], "ISO-8601"),
        (["--model", "gpt-4o", "--input-tokens", "-5"], "non-negative"),
        (["--model", "gpt-4o", "--file", "/nonexistent/prompt.txt"], "cannot read --file"),
    ],
)
def test_estimate_errors_exit_1_with_a_message(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
):
    code, out, err = run(capsys, "estimate", *args)
    assert code == 1
    assert out == ""
    assert message in err


def test_provider_option_picks_one_of_an_ambiguous_id(capsys: pytest.CaptureFixture[str]):
    code, out, _ = run(
        capsys, "estimate", "--model", "qwen-plus", "--provider", "alibaba-cn",
        "--input-tokens", "100000",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["total"] == "0.08"  # 100k x 0.8 CNY/M


def test_prices_lists_offers_in_force(capsys: pytest.CaptureFixture[str]):
    code, out, _ = run(capsys, "prices", "--provider", "deepseek", "--at", "2025-03-01")
    assert code == 0
    assert "deepseek/deepseek-chat" in out
    assert "deepseek-flash" not in out
    code, out, _ = run(capsys, "prices", "--at", "2026-11-29T00:00:00Z", "--format", "json")
    ids = {o["id"] for o in json.loads(out)["offers"]}
    assert {"openai/gpt-4o", "deepseek/deepseek-flash", "alibaba-cn/qwen-plus"} <= ids
    assert "deepseek/deepseek-reasoner" in ids  # V3.2 period, open-ended


def test_estimate_messages_file_counts_the_chat_framing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    from tokbench.pricing import count_messages

    chat = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    f = tmp_path / "chat.json"
    f.write_text(json.dumps(chat), encoding="utf-8")
    code, out, _ = run(capsys, "estimate", "--model", "deepseek-chat", "--messages", str(f))
    assert code == 0
    assert json.loads(out)["items"][0]["tokens"] == count_messages(chat, "deepseek-chat").tokens
    f.write_text('{"role": "user"}', encoding="utf-8")
    code, _, err = run(capsys, "estimate", "--model", "deepseek-chat", "--messages", str(f))
    assert code == 1
    assert "expected a JSON list" in err
