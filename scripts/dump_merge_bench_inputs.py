"""Write inputs for csrc/tools/merge_bench: a bundled vocabulary and the distinct pieces of a
text that need merging (not single tokens).

    python scripts/dump_merge_bench_inputs.py ENCODING TEXT_FILE OUT_DIR
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import tokbench


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        sys.stderr.write(__doc__ or "")
        return 2
    name, text_file, out = argv[1], Path(argv[2]), Path(argv[3])
    out.mkdir(parents=True, exist_ok=True)
    enc = tokbench.get_encoding(name)
    core = enc._backend._core
    model = core.model
    from tokbench.formats.bundle import read_meta, vocab_from_npz
    from tokbench.registry import DATA_DIR

    meta = read_meta(DATA_DIR / "encodings" / f"{name}.json")
    vocab = vocab_from_npz(DATA_DIR / "vocabs" / f"{meta['vocab']}.npz")
    (out / "vocab.bytes").write_bytes(vocab.token_bytes)
    (out / "vocab.offsets").write_bytes(vocab.offsets.astype("<u4").tobytes())
    text = text_file.read_text(encoding="utf-8")
    raw = text.encode("utf-8")
    seen: set[bytes] = set()
    with (out / "pieces.bin").open("wb") as f:
        for off, n in core.pieces(text):
            piece = raw[off : off + n]
            if n > 1 and model.find(piece) is None and piece not in seen:
                seen.add(piece)
                f.write(struct.pack("<I", n) + piece)
    print(f"{len(seen)} pieces")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
