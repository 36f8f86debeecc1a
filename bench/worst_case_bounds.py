"""Resource bounds on hostile inputs: time and peak memory of counting, by input size.

    python bench/worst_case_bounds.py [--encoding o200k_base] [--cases piece_a,...]
        [--scale 1.0] [--out bench/results]

Cases (sizes scaled by --scale; each run in a fresh subprocess, so that its peak RSS is its
own):
  piece_a, piece_cjk   one pre-token of 10, 30 and 100 MB ("a" * n, "中" * n/3): count()
  tiny_docs            1M, 3M and 10M documents of one to three characters: count_batch()
  empty_docs           1M, 3M and 10M empty documents: count_batch()
  cache_churn          10, 30, 100 MB of distinct words (no word twice), so that the piece
                       cache fills and starts over again and again: count()
  cache_collide        1, 3, 10 MB cycling over 4,000 words crafted so that their piece hashes
                       share the low 14 bits (the slot an unseeded cache probes first), and the
                       same for 4,000 random words of the same shape: count()

*extra memory* = peak RSS of the subprocess minus its RSS once the input was built (the
input itself is not counted). *exponent* = b in time ~ size^b over the sizes (1.00 = linear).
Writes <out>/worst_case_bounds.md and .csv. Complements worst_case.py (1-10 MB single
pieces against the references); bench/README.md has the method.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from worst_case import _exponent  # b in time ~ size^b, least squares on log-log

HERE = Path(__file__).resolve().parent
MB = 1_000_000
SIZES = {
    "piece_a": [10 * MB, 30 * MB, 100 * MB],
    "piece_cjk": [10 * MB, 30 * MB, 100 * MB],
    "tiny_docs": [1_000_000, 3_000_000, 10_000_000],
    "empty_docs": [1_000_000, 3_000_000, 10_000_000],
    "cache_churn": [10 * MB, 30 * MB, 100 * MB],
    "cache_collide": [1 * MB, 3 * MB, 10 * MB],
    "cache_random": [1 * MB, 3 * MB, 10 * MB],
}
UNIT = {"tiny_docs": "docs", "empty_docs": "docs"}
N_CRAFTED = 4000
COLLIDE_BITS = 14


def _mix64(x):  # type: ignore[no-untyped-def]
    import numpy as np

    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _hash9(words):  # type: ignore[no-untyped-def]
    """The core's hash_bytes (csrc/core/hash.hpp) of 9-byte pieces, vectorised."""
    import numpy as np

    with np.errstate(over="ignore"):
        h = np.uint64(0x9E3779B97F4A7C15 ^ ((9 * 0xFF51AFD7ED558CCD) & (2**64 - 1)))
        h = (h ^ words[:, 0:8].copy().view("<u8").ravel()) * np.uint64(0x100000001B3)
        h = (h << np.uint64(29)) | (h >> np.uint64(35))
        return _mix64(h ^ words[:, 1:9].copy().view("<u8").ravel())


def crafted_words(colliding: bool) -> list[str]:
    """N_CRAFTED pieces " xxxxxxxx" (o200k: one pre-token each, several tokens), whose
    hashes share their low COLLIDE_BITS bits if `colliding` (found by trying random words,
    about 2^14 per hit), else random."""
    import numpy as np

    rng = np.random.default_rng(0 if colliding else 1)
    found = []
    while sum(len(f) for f in found) < N_CRAFTED:
        letters = rng.integers(97, 123, size=(1_000_000, 9), dtype=np.uint8)
        letters[:, 0] = 32
        keep = (_hash9(letters) & np.uint64((1 << COLLIDE_BITS) - 1)) == 0 if colliding else None
        found.append(letters[keep] if colliding else letters[:N_CRAFTED])
    words = np.concatenate(found)[:N_CRAFTED]
    return [bytes(w).decode("ascii") for w in words]


def make_input(case: str, size: int) -> str | list[str]:
    if case == "piece_a":
        return "a" * size
    if case == "piece_cjk":
        return "中" * (size // 3)
    if case == "tiny_docs":
        shapes = ["a", "b ", "1", "中", "é!", " x"]  # a few objects, referenced many times
        return [shapes[i % len(shapes)] for i in range(size)]
    if case == "empty_docs":
        return [""] * size
    if case == "cache_churn":
        out: list[str] = []
        total = i = 0
        while total < size:
            word, n = "", i
            while True:
                word = chr(97 + n % 26) + word
                n //= 26
                if n == 0:
                    break
            out.append(" " + word)
            total += len(word) + 1
            i += 1
        return "".join(out)[:size]
    words = "".join(crafted_words(colliding=case == "cache_collide"))
    return (words * (size // len(words) + 1))[:size]


def run_one(case: str, size: int, encoding: str) -> dict[str, object]:
    """In the subprocess: build the input, then time counting it on a fresh encoding."""
    import tokbench

    data = make_input(case, size)
    enc = tokbench.get_encoding(encoding)
    enc.count("warm up the module, not the caches")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    if isinstance(data, list):
        tokens = int(enc.count_batch(data, num_threads=1).sum())
    else:
        tokens = enc.count(data)
    seconds = time.perf_counter() - t0
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "tokens": tokens, "extra_mb": (rss_after - rss_before) / 1024}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--encoding", default="o200k_base")
    ap.add_argument("--cases", default=",".join(SIZES))
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every size by this")
    ap.add_argument("--out", default=str(HERE / "results"))
    ap.add_argument("--label", default="", help="a note for the results (e.g. the build)")
    ap.add_argument("--one", nargs=2, metavar=("CASE", "SIZE"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]), args.encoding)))
        return 0
    rows = []
    for case in args.cases.split(","):
        for size in (int(s * args.scale) for s in SIZES[case]):
            cmd = [sys.executable, __file__, "--encoding", args.encoding, "--one", case, str(size)]
            res = json.loads(subprocess.run(cmd, check=True, capture_output=True).stdout)
            rows.append({"case": case, "size": size, **res})
            print(f"  {case:<13} {size:>11,} {UNIT.get(case, 'bytes')}: "
                  f"{res['seconds']:.3f} s, +{res['extra_mb']:.0f} MB", flush=True)  # fmt: skip
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "worst_case_bounds.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["case", "size", "seconds", "tokens", "extra_mb"])
        w.writeheader()
        w.writerows(rows)
    command = "python bench/worst_case_bounds.py" + "".join(f" {a}" for a in (argv or sys.argv[1:]))
    md = [
        "# tokbench resource bounds: hostile inputs",
        "",
        f"- **date (UTC)**: {time.strftime('%Y-%m-%d %H:%M', time.gmtime())}",
        f"- **command**: `{command}`",
        f"- **encoding**: {args.encoding}; single-threaded; each size in a fresh process",
        f"- **load average at the end**: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}",
        *([f"- **note**: {args.label}"] if args.label else []),
        "",
        "| case | size | seconds | per unit | extra memory | exponent |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for case in dict.fromkeys(r["case"] for r in rows):
        pts = [r for r in rows if r["case"] == case]
        exp = _exponent([(int(r["size"]), float(r["seconds"])) for r in pts])
        for r in pts:
            unit = UNIT.get(case, "MB")
            per = float(r["seconds"]) / (int(r["size"]) / (1 if unit == "docs" else MB))
            per_s = f"{per * 1e9:.0f} ns/doc" if unit == "docs" else f"{per * 1000:.0f} ms/MB"
            size = f"{int(r['size']):,} docs" if unit == "docs" else f"{int(r['size']) / MB:g} MB"
            exp_s = f"{exp:.2f}" if r is pts[-1] and exp is not None else ""
            md.append(
                f"| {case} | {size} | {float(r['seconds']):.3f} | {per_s} | "
                f"{float(r['extra_mb']):.0f} MB | {exp_s} |"
            )
    (out / "worst_case_bounds.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    print(f"wrote {out / 'worst_case_bounds.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
