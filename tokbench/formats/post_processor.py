"""What a Hugging Face post-processor adds around a single text (BOS/EOS), for
count(..., add_special_tokens=True)."""

from __future__ import annotations

from typing import Any

BosEos = tuple[tuple[int, ...], tuple[int, ...]]


def bos_eos(spec: dict[str, Any] | None) -> BosEos:
    """Ids a post-processor puts before and after a single text: TemplateProcessing's
    "single" template, Bert/RobertaProcessing's cls and sep; nothing for the others (ByteLevel
    adds no tokens)."""
    if spec is None:
        return ((), ())
    if spec.get("type") == "Sequence":
        before: list[int] = []
        after: list[int] = []
        for step in spec.get("processors", []):
            b, a = bos_eos(step)
            before += b
            after += a
        return (tuple(before), tuple(after))
    if spec.get("type") in ("BertProcessing", "RobertaProcessing"):
        # {"cls": [token, id], "sep": [token, id]}: [CLS] text [SEP]
        return ((int(spec["cls"][1]),), (int(spec["sep"][1]),))
    if spec.get("type") != "TemplateProcessing":
        return ((), ())
    special = spec.get("special_tokens", {})
    before, after = [], []
    seen_text = False
    for item in spec.get("single", []):
        if "Sequence" in item:
            seen_text = True
        elif "SpecialToken" in item:
            ids = special.get(item["SpecialToken"]["id"], {}).get("ids", [])
            (after if seen_text else before).extend(int(i) for i in ids)
    return (tuple(before), tuple(after))
