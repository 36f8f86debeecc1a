"""tokbench against every exact peer installed here: single-threaded count speed per slice.

    python bench/peers.py [--encodings o200k_base,cl100k_base] [--slices eng_Latn,...,mixed]
        [--repeats 5] [--max-bytes 0] [--peers gigatoken,toktok-rs,...] [--no-hf]
        [--out bench/results] [--corpora DIR]

How it measures: bench/peer_table.py; the peers and how each is loaded and timed:
bench/peer_libs.py; definitions and caveats: bench/README.md. Writes <out>/peers.md and
<out>/peers.csv. Exit status 1 if tokbench's counts differ from tiktoken's (a peer's
mismatches are reported, not an error).
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import impls
import peer_libs  # sets the peers' thread variables before any peer is imported
import peers_report
from corpus import SLICE_NAMES, add_corpora_option, build_slices
from peer_table import DEFAULT_ENCODINGS, build_table

HERE = Path(__file__).resolve().parent


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--encodings", default=",".join(DEFAULT_ENCODINGS))
    ap.add_argument("--slices", default=",".join(SLICE_NAMES))
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument(
        "--max-bytes",
        type=int,
        default=0,
        help="use only the first documents of each slice, up to about this many bytes (0: all)",
    )
    ap.add_argument(
        "--peers",
        default=None,
        help=f"comma list of peers (default: all of {', '.join(peer_libs.PEER_KEYS)})",
    )
    ap.add_argument("--no-hf", action="store_true", help="leave out Hugging Face tokenizers")
    ap.add_argument("--out", default=str(HERE / "results"))
    add_corpora_option(ap)
    args = ap.parse_args(argv)
    if args.repeats < 1:
        ap.error("--repeats must be at least 1")
    command = "python bench/peers.py" + "".join(
        f" {shlex.quote(a)}" for a in (sys.argv[1:] if argv is None else argv)
    )
    try:
        peers = peer_libs.select(args.peers.split(",") if args.peers else None)
        slices = build_slices([s for s in args.slices.split(",") if s], args.corpora)
    except ValueError as e:
        ap.error(str(e))
    if args.max_bytes > 0:
        slices = {k: s.sample(args.max_bytes) for k, s in slices.items()}
    if not slices:
        print("no slices available (corpora not found?): nothing to measure")
        return 1
    for s in slices.values():
        print(f"slice {s.name}: {s.ndocs} docs, {s.nbytes} bytes")

    t_start = time.perf_counter()
    core_before = impls.core_fingerprint()
    encodings = [e for e in args.encodings.split(",") if e]
    try:
        for name in encodings:
            peer_libs.check_encoding(name)
    except ValueError as e:
        ap.error(str(e))
    table = build_table(encodings, slices, peers, repeats=args.repeats, hf=not args.no_hf)
    env = impls.environment_info(command, core_before)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    peers_report.write_csv(out / "peers.csv", table)
    (out / "peers.md").write_text(peers_report.render_md(table, env), encoding="utf-8")
    took = time.perf_counter() - t_start
    print(f"\nwrote {out / 'peers.md'} and {out / 'peers.csv'} in {took:.0f} s")
    for line in peers_report.problems(table):
        print(f"!!!!!!!! {line}")
    # A peer's mismatch is its own (reported); tokbench differing from tiktoken is a failure.
    ours_wrong = any(s.ours and s.bad_docs for cell in table.cells.values() for s in cell)
    return 1 if ours_wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
