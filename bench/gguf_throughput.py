"""Single-threaded counting speed of tokbench on llama.cpp GGUF vocabularies (and the bundled
command_r) against Hugging Face tokenizers running the same reconstructed tokenizer.json.

    python bench/gguf_throughput.py [--slices mixed,eng_Latn] [--repeats 3] [--max-bytes N]
        [--out bench/results]

For each vocabulary x slice, each repeat times, in turn: tokbench cold (a fresh instance,
empty caches) count_batch(docs, num_threads=1), tokbench warm (the same instance again), and
Hugging Face encode_batch with one rayon thread and its BPE cache cleared first (cold). The
report gives medians in MB/s of UTF-8 (10^6 bytes) and tokbench cold / HF. Counts are checked
against Hugging Face on every run. Writes <out>/gguf_throughput.md.

Vocabularies on the reference path are timed too (tokbench then *is* Hugging Face, plus the
Python layer), to show what the fallback costs.
"""

from __future__ import annotations

import argparse
import json
import lzma
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import impls  # sets the single-thread environment before tokenizers is imported
from corpus import build_slices
from tokenizers import Tokenizer

import tokbench
from tokbench.formats.gguf import read_metadata
from tokbench.formats.gguf_vocab import GgufVocab

HERE = Path(__file__).resolve().parent

STEMS = (
    "ggml-vocab-command-r",
    "ggml-vocab-starcoder",
    "ggml-vocab-deepseek-coder",
    "ggml-vocab-deepseek-llm",
    "ggml-vocab-gpt-neox",
    "ggml-vocab-falcon",
    "ggml-vocab-llama-spm",
    "ggml-vocab-phi-3",
    "ggml-vocab-baichuan",
    "ggml-vocab-gemma-4",
    "ggml-vocab-bert-bge",
    "ggml-vocab-nomic-bert-moe",
)


def gguf_dir() -> Path:
    from references import TOKENIZERS_DIR

    return Path(TOKENIZERS_DIR) / "gguf_vocab"


def gguf_file(stem: str) -> Path | None:
    for suffix in (".gguf", ".gguf.xz"):
        path = gguf_dir() / f"{stem}{suffix}"
        if path.is_file():
            return path
    return None


def hf_tokenizer(path: Path) -> Tokenizer:
    raw = lzma.decompress(path.read_bytes()) if path.suffix == ".xz" else path.read_bytes()
    vocab = GgufVocab.from_metadata(read_metadata(raw, source=path.name), source=path.name)
    tok = Tokenizer.from_str(json.dumps(vocab.tokenizer_json()))
    tok.encode_special_tokens = True
    return tok


def timed(run: Callable[[], Sequence[int]]) -> tuple[float, list[int]]:
    with impls.gc_paused():
        start = time.perf_counter()
        counts = [int(c) for c in run()]
        took = time.perf_counter() - start
    return took, counts


def bench_one(
    enc: tokbench.Encoding, ref: Tokenizer, docs: list[str], repeats: int
) -> dict[str, float]:
    nbytes = sum(len(d.encode("utf-8")) for d in docs)
    times: dict[str, list[float]] = {"cold": [], "warm": [], "hf": []}
    expected = [len(e) for e in ref.encode_batch(docs, add_special_tokens=False)]
    for _ in range(repeats):
        fresh = impls.fresh_encoding(enc) or enc
        tail = getattr(fresh._backend, "_tail", None)
        if tail is not None:  # the core that scans the last stage has caches too
            fresh._backend._tail = tail.fresh()  # type: ignore[attr-defined]
        for label, run in (
            ("cold", lambda f=fresh: f.count_batch(docs, num_threads=1)),
            ("warm", lambda f=fresh: f.count_batch(docs, num_threads=1)),
        ):
            seconds, counts = timed(run)
            if counts != expected:
                msg = f"{enc.name}: counts differ from Hugging Face ({label})"
                raise SystemExit(msg)
            times[label].append(seconds)
        clear = getattr(ref.model, "_clear_cache", None)  # BPE and Unigram have a cache
        if clear is not None:
            clear()
        seconds, counts = timed(
            lambda: [len(e) for e in ref.encode_batch(docs, add_special_tokens=False)]
        )
        times["hf"].append(seconds)
    return {k: nbytes / statistics.median(v) / 1e6 for k, v in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slices", default="mixed")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--max-bytes", type=int, default=600_000)
    parser.add_argument("--out", default=str(HERE / "results"))
    args = parser.parse_args()
    slices = build_slices(args.slices.split(","))
    rows = []
    for stem in STEMS:
        path = gguf_file(stem)
        if path is None:
            print(f"{stem}: not found, skipped")
            continue
        enc = (
            tokbench.get_encoding("command_r")
            if stem.endswith("command-r")
            else tokbench.load(path)
        )
        ref = hf_tokenizer(path)
        for sl in slices.values():
            docs = list(sl.sample(args.max_bytes).docs)
            r = bench_one(enc, ref, docs, args.repeats)
            row = (
                stem,
                enc.name,
                enc.path,
                sl.name,
                r["cold"],
                r["warm"],
                r["hf"],
                r["cold"] / r["hf"],
            )
            rows.append(row)
            print(
                "{:28s} {:22s} {:9s} {:9s} cold {:6.2f} warm {:6.2f} HF {:6.2f}  {:5.2f}x".format(
                    *row
                )
            )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    lines = [
        "| GGUF vocabulary | encoding | path | slice | tokbench cold MB/s | warm MB/s | HF MB/s"
        " | cold / HF |",
        "|---|---|---|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {s} | {n} | {p} | {sl} | {c:.2f} | {w:.2f} | {h:.2f} | {x:.2f}x |"
        for s, n, p, sl, c, w, h, x in rows
    ]
    (out / "gguf_throughput.md").write_text(
        "Single-threaded count_batch, median of "
        f"{args.repeats} interleaved runs, slices capped at {args.max_bytes} bytes "
        "(python bench/gguf_throughput.py).\n\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
