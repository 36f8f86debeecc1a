"""Writes a seed corpus for the fuzz targets: lines of the shared corpora (FLORES-200 dev,
UDHR, code) and the project's corpora, plus the adversarial texts of the test suite, each
as a file in the fuzzers' raw-UTF-8 mode (first byte 0).

    python fuzz/make_seeds.py OUT_DIR [--per-language 3] [--max-bytes 2048]

The seeds stay outside the repository (FLORES must not be committed).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def corpus_lines(folder: Path, per_file: int) -> list[str]:
    out: list[str] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix in (".md", ".tsv", ".py") and "code" not in path.parts:
            continue
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (UnicodeDecodeError, OSError):
            continue
        step = max(1, len(lines) // per_file)
        out += [line for line in lines[::step][:per_file] if line.strip()]
    return out


def adversarial() -> list[str]:
    from strategies import ATOMS, CONTRACTIONS, INTERESTING_CHARS
    from test_parity_adversarial import FAMILIES

    texts = [t[:2000] for family in FAMILIES.values() for t in family()[::5]]
    return texts + ATOMS + CONTRACTIONS + ["".join(INTERESTING_CHARS)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--per-language", type=int, default=3)
    parser.add_argument("--max-bytes", type=int, default=2048)
    args = parser.parse_args()
    from references import CORPORA_DIR

    texts = adversarial()
    for folder in (CORPORA_DIR, ROOT / "corpora"):
        if folder.is_dir():
            texts += corpus_lines(folder, args.per_language)
    args.out.mkdir(parents=True, exist_ok=True)
    n = 0
    for text in itertools.chain(texts):
        raw = b"\x00" + text.encode("utf-8", "surrogatepass")[: args.max_bytes]
        (args.out / hashlib.sha1(raw).hexdigest()[:16]).write_bytes(raw)
        n += 1
    print(f"{n} seeds in {args.out}")  # noqa: T201


if __name__ == "__main__":
    main()
