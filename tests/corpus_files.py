"""Small corpus files in every input format, written into a test's tmp_path."""

from __future__ import annotations

import bz2
import csv
import gzip
import json
import lzma
from pathlib import Path

import pytest

LINES = ["Hello world.", "", "héllo wörld — ok", "日本語のテキスト", "  indented\ttab"]


def write_lines(path: Path, lines: list[str], *, newline: str = "\n") -> Path:
    path.write_bytes("".join(line + newline for line in lines).encode("utf-8"))
    return path


def compress(path: Path, kind: str) -> Path:
    """A compressed copy of `path` next to it (`name.gz`, `.xz`, `.bz2`, `.zst`)."""
    data = path.read_bytes()
    if kind == "gz":
        out = gzip.compress(data)
    elif kind == "xz":
        out = lzma.compress(data)
    elif kind == "bz2":
        out = bz2.compress(data)
    else:
        zstandard = pytest.importorskip("zstandard")
        out = zstandard.ZstdCompressor().compress(data)
    dest = path.with_name(path.name + "." + kind)
    dest.write_bytes(out)
    return dest


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    path.write_text(text, encoding="utf-8")
    return path


def write_table(path: Path, rows: list[list[str]], *, delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        quoting = csv.QUOTE_MINIMAL if delimiter == "," else csv.QUOTE_NONE
        csv.writer(f, delimiter=delimiter, quoting=quoting, escapechar="\\").writerows(rows)
    return path
