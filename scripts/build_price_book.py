"""Build tokbench/data/pricing/prices.json from the reference snapshot's prices.csv.

    python scripts/build_price_book.py PATH/TO/prices.csv

Rows with a plain token-size rule (base, cliff, request-size tiers) are converted
mechanically; the rows whose rule is a clock (DeepSeek's 2025 night discount and 2026
peak/off-peak billing) or a region (Anthropic US-only inference) are written out below
by hand from the same CSV rows, because their `tier_condition` is prose. The tokbench
loader validates the result; run the pricing tests after rebuilding.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "tokbench" / "data" / "pricing" / "prices.json"
SNAPSHOT = "2026-11-29"

PROVIDERS = {
    "OpenAI": "openai",
    "Anthropic": "anthropic",
    "Google": "google",
    "DeepSeek": "deepseek",
    "Alibaba (DashScope intl)": "alibaba-intl",
    "Alibaba (China, CNY)": "alibaba-cn",
    "Moonshot": "moonshot",
    "Zhipu / Z.ai": "zhipu",
    "MiniMax": "minimax",
    "ByteDance (Volcengine)": "volcengine",
    "Mistral": "mistral",
    "xAI": "xai",
}
# litellm's routing prefix in front of the provider's own API id
ROUTES = ("gemini/", "deepseek/", "dashscope/", "moonshot/", "zai/", "minimax/")
ROUTES += ("volcengine/", "mistral/", "xai/")
HOSTS = {
    "together_ai/": "together",
    "fireworks_ai/": "fireworks",
    "groq/": "groq",
    "cerebras/": "cerebras",
    "deepinfra/": "deepinfra",
}
# tokenizer_family column -> (bundled encoding, closed family); exactly one is set
TOKENIZERS = {
    "o200k_base": ("o200k_base", None),
    "o200k_harmony": ("o200k_harmony", None),
    "deepseek-v3": ("deepseek_v3", None),
    "qwen BPE": ("qwen3", None),
    "mistral tekken": ("mistral_tekken", None),
    "llama3 BPE": ("llama3", None),
    "anthropic proprietary NEW": (None, "claude_4_7_plus"),
    "anthropic proprietary": (None, "claude_3_to_4_6"),
    "doubao": (None, "doubao"),
    "gemini": (None, "gemini_2_plus"),
    "xai": (None, "grok"),
    "glm": (None, "glm_4"),
    "kimi": (None, "kimi_k2"),
    "minimax": (None, "minimax"),
    "llama4": (None, "llama_4"),
}
# Qwen 3.5 and later ship the newer Qwen vocabulary (bundled as qwen3_5).
QWEN35 = re.compile(r"^qwen3\.[5-9]")
CACHE_COMPONENTS = ["input", "cache_read", "cache_write_5m", "cache_write_1h"]
K = {"k": 1000, "K": 1000, "M": 1_000_000, "": 1}


def _num(s: str) -> int:
    m = re.fullmatch(r"(\d+)([kKM]?)", s.strip())
    if m is None:
        msg = f"not a token count: {s!r}"
        raise ValueError(msg)
    return int(m.group(1)) * K[m.group(2)]


def _tier(cond: str) -> tuple[str, int, int | None]:
    """(kind, above, up_to) of a tier_condition: kind is none, cliff or request_size."""
    if cond.startswith(("base", "flat")):
        return "none", 0, None
    if m := re.match(r"input_tokens > (\d+[kKM]?) \(cliff", cond):
        return "cliff", _num(m.group(1)), None
    if m := re.match(r"(\d+) < input_tokens <= (\d+) \(whole request", cond):
        return "request_size", _num(m.group(1)), _num(m.group(2))
    if m := re.match(r"input_tokens in (\d+[kKM]?)-(\d+[kKM]?) \(request-size", cond):
        return "request_size", _num(m.group(1)), _num(m.group(2))
    msg = f"unhandled tier_condition {cond!r}"
    raise ValueError(msg)


def _as_of(text: str) -> str:
    if "litellm 1.110.2" in text:
        return SNAPSHOT
    if "litellm 1.80.0" in text:
        return "2025-11-01"  # "~2025-11": the package release month
    if text.startswith("page copy"):
        return SNAPSHOT  # undated page copy, read for the snapshot
    if text.startswith("2026"):
        return SNAPSHOT
    msg = f"unhandled as_of {text!r}"
    raise ValueError(msg)


def _tokenizer(family: str, model: str) -> dict[str, str]:
    for key, (enc, closed) in TOKENIZERS.items():
        if key in family:
            if enc == "qwen3" and QWEN35.match(model):
                enc = "qwen3_5"
            return {"tokenizer": enc} if enc else {"closed_family": str(closed)}
    msg = f"unhandled tokenizer_family {family!r}"
    raise ValueError(msg)


def _ids(provider_col: str, model_col: str) -> tuple[str, str, list[str]]:
    """(provider slug, provider's own model id, aliases)."""
    for prefix, host in HOSTS.items():
        if model_col.startswith(prefix):
            model = model_col[len(prefix) :]
            base = model.rsplit("/", 1)[-1]
            return host, model, [base] if base != model else []
    model = model_col
    for prefix in ROUTES:
        if model.startswith(prefix):
            model = model[len(prefix) :]
    return PROVIDERS[provider_col], model, []


def _extras(notes: str) -> dict[str, Any]:
    """Service tiers, 1h cache writes, reasoning rates and deprecation dates in `notes`."""
    out: dict[str, Any] = {}
    for tier in ("flex", "priority"):
        if m := re.search(rf"{tier} tier in/out ([\d.]+)/([\d.]+)", notes):
            out[tier] = {"input": m.group(1), "output": m.group(2)}
    if m := re.search(r"1h cache write ([\d.]+)/Mtok", notes):
        out["cache_write_1h"] = m.group(1)
    if m := re.search(r"reasoning out ([\d.]+)/Mtok", notes):
        out["reasoning_output"] = m.group(1)
    if m := re.search(r"thinking-mode out(?:put)? ([\d.]+)(?: CNY)?/Mtok", notes):
        out["thinking_output"] = m.group(1)
    if m := re.search(r"deprecation_date (\d{4}-\d{2}-\d{2})", notes):
        out["deprecation_date"] = m.group(1)
    return out


def _batch(text: str, provider: str) -> dict[str, Any] | None:
    m = re.match(r"batch: (\d+)% off in / \1% off out", text)
    if m is None:
        return None
    mult = str((100 - int(m.group(1))) / 100)
    components = ["input", "output", "reasoning_output"]
    note = "the snapshot states the discount for input and output only"
    if provider == "anthropic":
        # Anthropic's pricing page: batch and prompt-caching multipliers stack.
        components += ["cache_read", "cache_write_5m", "cache_write_1h"]
        note = "batch discount stacks with prompt caching (Anthropic pricing page)"
    return {"multiplier": mult, "components": components, "note": note}


def _rate(row: dict[str, str], extras: dict[str, Any], above: int, up_to: int | None) -> dict:
    rate: dict[str, Any] = {"currency": row["currency"], "above": above, "up_to": up_to}
    rate["input"] = row["input_per_mtok"]
    if row["cached_input_per_mtok"]:
        rate["cache_read"] = row["cached_input_per_mtok"]
    if row["cache_write_per_mtok"]:
        rate["cache_write_5m"] = row["cache_write_per_mtok"]
    if "cache_write_1h" in extras:
        rate["cache_write_1h"] = extras["cache_write_1h"]
    rate["output"] = row["output_per_mtok"]
    for key in ("reasoning_output", "thinking_output"):
        if key in extras:
            rate[key] = extras[key]
    return rate


# Rows written out by hand in hand_offers(), or left out (see the MANIFEST).
HAND_WRITTEN = {
    "(all models) US-only inference",
    "claude-sonnet-5 / claude-sonnet-5-5",
    "claude-opus-5-5",
    "deepseek/deepseek-v4-pro",  # superseded by the official peak/off-peak table below
    "deepseek/deepseek-v4-flash",
    "deepseek/deepseek-v3.2",  # same model as deepseek-chat (V3.2) below
}


def _hand_written(rows: list[dict[str, str]]) -> bool:
    first = rows[0]
    clock_rule = first["provider"] == "DeepSeek" and "(" in first["model"]
    return clock_rule or first["model"] in HAND_WRITTEN


def mechanical_offers(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for row in rows:
        groups.setdefault((row["provider"], row["model"], row["currency"]), []).append(row)
    offers = []
    for (prov_col, model_col, _), grp in groups.items():
        if _hand_written(grp):
            continue
        provider, model, aliases = _ids(prov_col, model_col)
        if provider == "alibaba-intl" and model == "qwen-plus-2025-09-11":
            aliases = ["qwen-plus"]  # the intl stable id points at this snapshot
        parsed = [(_tier(r["tier_condition"]), r) for r in grp]
        kinds = {k for (k, _, _), _ in parsed} - {"none"}
        kind = kinds.pop() if kinds else "none"
        parsed.sort(key=lambda p: p[0][1])
        rates = []
        for i, ((_, above, up_to), r) in enumerate(parsed):
            if kind == "cliff" and up_to is None and i + 1 < len(parsed):
                up_to = parsed[i + 1][0][1]
            rates.append(_rate(r, _extras(r["notes"]), above, up_to))
        first = grp[0]
        extras = _extras(first["notes"])
        offer: dict[str, Any] = {
            "provider": provider,
            "model": model,
            "aliases": aliases,
            **_tokenizer(first["tokenizer_family"], model),
            "source": first["source"],
            "as_of": _as_of(first["as_of"]),
            "as_of_note": first["as_of"],
            "tier_rule": {"kind": kind, "counts": CACHE_COMPONENTS},
            "rates": rates,
        }
        if kind == "request_size":
            offer["max_input_tokens"] = rates[-1]["up_to"]
        if "deprecation_date" in extras:
            offer["deprecation_date"] = extras["deprecation_date"]
        service: dict[str, Any] = {}
        if batch := _batch(first["batch_discount"], provider):
            service["batch"] = batch
        for tier in ("flex", "priority"):
            if tier in extras:
                service[tier] = {"rates": extras[tier], "note": "from the snapshot's notes"}
        if service:
            offer["service_tiers"] = service
        notes = first["notes"]
        if provider == "volcengine":  # SOURCES.md: the official Doubao price is in CNY
            notes = "; ".join(
                filter(
                    None,
                    [
                        notes,
                        "USD figures converted by litellm contributors"
                        "; the official price is in CNY (not bundled)",
                    ],
                )
            )
        if notes:
            offer["notes"] = notes
        offers.append(offer)
    return offers


DS_SRC = "DeepSeek official pricing page (api-docs.deepseek.com/quick_start/pricing), stored copy"
DS_CN = "; CNY: DeepSeek CN notice 2025-02-26 as reported by Securities Times"
DS_CN26 = "; CNY: third-party DeepSeek-plugin doc citing the official page (verify)"
BJ = "+08:00"  # China Standard Time (no daylight saving)
NIGHT_2025 = {
    "tz": BJ,
    "default_window": "standard",
    "windows": [{"name": "off_peak", "start": "00:30", "end": "08:30"}],
    "note": "Beijing 00:30-08:30 = UTC 16:30-00:30, every day",
}
PEAK_2026 = {
    "tz": BJ,
    "default_window": "off_peak",
    "windows": [
        {"name": "peak", "days": ["mon", "tue", "wed", "thu", "fri"], "start": s, "end": e}
        for s, e in (("09:00", "12:00"), ("14:00", "18:00"))
    ],
    "note": "peak Mon-Fri Beijing 09-12 and 14-18 (UTC 01-04, 06-10); all else off-peak;"
    " CN public holidays not modelled (unverified on the official page)",
}


def _r(cur: str, window: str | None, inp: str, hit: str, out: str) -> dict[str, Any]:
    rate: dict[str, Any] = {"currency": cur, "above": 0, "up_to": None}
    if window:
        rate["window"] = window
    rate.update({"input": inp, "cache_read": hit, "output": out})
    return rate


def _ds(model: str, enc: str, frm: str, to: str | None, as_of: str, **kw: Any) -> dict:
    offer: dict[str, Any] = {
        "provider": "deepseek",
        "model": model,
        "aliases": [],
        "tokenizer": enc,
        "valid_from": frm,
        "valid_to": to,
        "tier_rule": {"kind": "none", "counts": CACHE_COMPONENTS},
        "as_of": as_of,
        "source": DS_SRC,
    }
    offer.update(kw)
    return offer


def hand_offers() -> list[dict[str, Any]]:
    ds = []
    t0, t1, t2, t3 = (
        "2025-02-26T00:00:00+08:00",
        "2025-09-05T16:00:00Z",
        "2025-09-29T00:00:00Z",
        "2026-08-16T16:00:00Z",
    )
    v3_rates = [
        _r("USD", "standard", "0.27", "0.07", "1.10"),
        _r("USD", "off_peak", "0.135", "0.035", "0.55"),
        _r("CNY", "standard", "2", "0.5", "8"),
        _r("CNY", "off_peak", "1", "0.25", "4"),
    ]
    r1_rates = [
        _r("USD", "standard", "0.55", "0.14", "2.19"),
        _r("USD", "off_peak", "0.135", "0.035", "0.55"),
        _r("CNY", "standard", "4", "1", "16"),
        _r("CNY", "off_peak", "1", "0.25", "4"),
    ]
    note25 = "V3 off-peak 50% off, R1 off-peak 75% off; reasoning tokens billed as output"
    for model, rates in (("deepseek-chat", v3_rates), ("deepseek-reasoner", r1_rates)):
        ds.append(_ds(model, "deepseek_v3", t0, t1, "2025-02-26", schedule=NIGHT_2025, rates=rates))
        ds[-1].update(source=DS_SRC + DS_CN, notes=note25, as_of_note="2025-02-26..2025-09-05")
        ds.append(
            _ds(
                model,
                "deepseek_v3",
                t1,
                t2,
                "2025-09-05",
                rates=[_r("USD", None, "0.56", "0.07", "1.68")],
            )
        )
        ds[-1].update(notes="V3.1; night discount cancelled", as_of_note="2025-09-05..2025-09-29")
        ds.append(
            _ds(
                model,
                "deepseek_v3",
                t2,
                None,
                SNAPSHOT,  # the 2025-09-29 price, still the one litellm carries on the snapshot day
                rates=[_r("USD", None, "0.28", "0.028", "0.42")],
            )
        )
        ds[-1].update(
            source=DS_SRC
            + "; unchanged in litellm 1.110.2's deepseek-chat entry (read 2026-11-29)",
            notes="V3.2; CNY list widely reported as 0.2/2/3 but unverified, so not bundled",
            as_of_note="2025-09-29 (litellm 1.110.2 deepseek-chat entry still carries it)",
        )
    v4 = {
        "deepseek-flash": (("0.3", "0.006", "1.2"), ("2.0", "0.04", "8.0")),
        "deepseek-v4-pro": (("1.32", "0.044", "3.96"), ("9.0", "0.3", "27.0")),
    }
    for model, (usd, cny) in v4.items():
        rates = []
        for cur, (inp, hit, out) in (("USD", usd), ("CNY", cny)):
            half = [str(_half(x)) for x in (inp, hit, out)]
            rates += [_r(cur, "peak", inp, hit, out), _r(cur, "off_peak", *half)]
        ds.append(
            _ds(model, "deepseek_v4", t3, None, "2026-11-15", schedule=PEAK_2026, rates=rates)
        )
        ds[-1].update(
            source=DS_SRC + DS_CN26, notes="off-peak = 50% of peak", as_of_note="2026-11-15"
        )
    return ds + anthropic_hand()


def _half(x: str) -> str:
    from decimal import Decimal

    return format((Decimal(x) / 2).normalize(), "f")


ANTHROPIC_PAGES = "Anthropic platform.claude.com model pages (2026 copies)"


def anthropic_hand() -> list[dict[str, Any]]:
    offers = []
    for model, inp, hit, w5, w1, out, extra in (
        ("claude-sonnet-5-5", "2", "0.2", "2.5", "4", "10", {}),
        (
            "claude-opus-5-5",
            "4",
            None,
            None,
            None,
            "20",
            {"notes": "fast mode 8/40 per a third-party explainer (not bundled)"},
        ),
    ):
        rate: dict[str, Any] = {"currency": "USD", "above": 0, "up_to": None, "input": inp}
        for k, v in (("cache_read", hit), ("cache_write_5m", w5), ("cache_write_1h", w1)):
            if v:
                rate[k] = v
        rate["output"] = out
        offer: dict[str, Any] = {
            "provider": "anthropic",
            "model": model,
            "aliases": [],
            "closed_family": "claude_4_7_plus",
            "source": ANTHROPIC_PAGES,
            "as_of": SNAPSHOT,
            "as_of_note": "2026 (platform.claude.com model pages)",
            "tier_rule": {"kind": "none", "counts": CACHE_COMPONENTS},
            "rates": [rate],
            **extra,
        }
        if model == "claude-sonnet-5-5":
            offer["context_window"] = 1_000_000
            offer["service_tiers"] = {
                "batch": _batch("batch: 50% off in / 50% off out", "anthropic")
            }
        offers.append(offer)
    return offers


US_GEO = {
    "multiplier": "1.1",
    "source": 'third-party explainer citing Anthropic\'s pricing docs (inference_geo="us")',
    "as_of": SNAPSHOT,
    "note": "US-only inference: x1.1 on every token category",
}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write(__doc__ or "")
        return 2
    with Path(argv[1]).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    offers = mechanical_offers(rows) + hand_offers()
    for o in offers:
        if o["provider"] == "anthropic":
            o["regions"] = {"us": US_GEO}
        if o["provider"] == "anthropic" and o["model"] == "claude-sonnet-5":
            o["context_window"] = 1_000_000  # "flat to 1M (no long-context premium)"
    book = {
        "schema_version": 1,
        "book_version": SNAPSHOT,
        "description": "tokbench bundled price book; prices per million tokens",
        "fx_rates": [],
        "offers": offers,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(book, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    sys.stdout.write(f"{len(offers)} offers -> {OUT}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
