"""tokbench/_core.pyi names exactly what the native module defines."""

from __future__ import annotations

import ast
from pathlib import Path

from tokbench import _core

STUB = Path(_core.__file__).resolve().parent / "_core.pyi"
if not STUB.exists():  # an installed package without the stub next to the module
    STUB = Path(__file__).resolve().parents[1] / "tokbench" / "_core.pyi"


def _stub_names() -> dict[str, set[str]]:
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    names: dict[str, set[str]] = {"": set()}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names[node.name] = {
                n.name for n in node.body if isinstance(n, ast.FunctionDef) and n.name != "__init__"
            }
            names[""].add(node.name)
        elif isinstance(node, ast.FunctionDef):
            names[""].add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[""].add(node.target.id)
    return names


def _public(obj: object) -> set[str]:
    return {n for n in dir(obj) if not n.startswith("_")}


def test_stub_matches_module() -> None:
    stub = _stub_names()
    assert stub[""] == _public(_core) | {"__version__"}
    for cls in ("BpeModel", "LiteralMatcher", "Encoding", "SpmModel", "SpmEncoding"):
        assert stub[cls] == _public(getattr(_core, cls)), cls
