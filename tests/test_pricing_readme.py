"""The README's Prices section runs, and every commented line returns what its comment says."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("## Prices", 1)[1].split("\n## ", 1)[0]


def test_prices_examples_return_what_their_comments_say() -> None:
    code_block = re.search(r"```python\n(.*?)```", _section(), re.S)
    assert code_block is not None
    namespace: dict[str, object] = {}
    checked = 0
    for line in code_block.group(1).splitlines():
        code, sep, comment = line.partition("  # ")
        if not code.strip():
            continue
        if not sep:
            exec(code, namespace)
            continue
        expected = eval(comment.split(";")[0], {"Decimal": Decimal})
        got = eval(code, namespace)
        assert got == expected, f"README: {code.strip()!r} gives {got!r}, comment says {expected!r}"
        checked += 1
    assert checked >= 8


def test_cli_examples_parse() -> None:
    from tokbench.cli import build_parser

    block = re.search(r"```bash\n(.*?)```", _section(), re.S)
    assert block is not None
    commands = block.group(1).replace("\\\n", " ").strip().splitlines()
    parser = build_parser()
    for cmd in commands:
        args = parser.parse_args(cmd.split()[1:])
        assert args.func is not None
