"""The README's Energy section runs, and its numbers are what the code gives."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("\n## Energy\n", 1)[1].split("\n## ", 1)[0]


def test_energy_examples_return_what_their_comments_say() -> None:
    namespace: dict[str, object] = {}
    checked = 0
    for block in re.findall(r"```python\n(.*?)```", _section(), re.S):
        # Join continuation lines (a call spread over several lines) before running.
        statements = re.sub(r",\n\s+", ", ", block).splitlines()
        for line in statements:
            code, _, comment = line.partition("#")
            code = code.strip()
            if not code:
                continue
            if code.startswith(("from ", "import ")) or "=" in code.split("(")[0]:
                exec(code, namespace)
                continue
            value = eval(code, namespace)
            word = comment.strip().split()[0].rstrip(":,;") if comment.strip() else ""
            if re.fullmatch(r"'[^']*'|\d+(\.\d+)?", word):
                expected = word.strip("'") if word.startswith("'") else float(word)
                assert value == expected, f"README: {code!r} gives {value!r}, not {word}"
                checked += 1
    assert checked >= 5


def test_worked_example_matches_the_code() -> None:
    from tokbench.energy import estimate_energy

    e = estimate_energy("gpt-4o", input_tokens=2000, output_tokens=500)
    section = _section()
    assert "0.36 Wh on the accelerators" in section
    assert round(e.accelerator_wh.central, 2) in {0.36, 0.37}  # rounded per-token figures
    assert f"= {e.wh.central:.2f} Wh" in section
    assert f"= {e.gco2e.central:.2f} g CO2e" in section
