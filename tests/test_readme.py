"""The README's quick start runs, and says what it returns."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np

README = Path(__file__).resolve().parents[1] / "README.md"


def _quick_start() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1).splitlines()


def test_quick_start_lines_return_what_their_comments_say() -> None:
    namespace: dict[str, object] = {}
    checked = 0
    for line in _quick_start():
        code, _, comment = line.partition("#")
        code = code.strip()
        if not code or "path/to" in code or code.startswith("mine."):
            continue  # a placeholder path for the user's own file
        try:
            expected = ast.literal_eval(comment.strip().split(",")[0]) if comment else None
        except (ValueError, SyntaxError):
            expected = None
        if "count_batch" in code:  # "numpy uint64 array: [2, 1]"
            expected = ast.literal_eval(comment.split(":", 1)[1].strip())
        try:
            value = eval(code, namespace)
        except SyntaxError:
            exec(code, namespace)
            continue
        if expected is not None:
            got = value.tolist() if isinstance(value, np.ndarray) else value
            assert got == expected, f"README: {code!r} gives {got!r}, the comment says {expected!r}"
            checked += 1
    assert checked >= 6


def test_install_and_test_commands_match_ci() -> None:
    text = README.read_text(encoding="utf-8")
    test_cmd = re.search(r"## Test\n\n```bash\n(.*?)\n```", text, re.S).group(1).strip()
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd in ci.splitlines()
