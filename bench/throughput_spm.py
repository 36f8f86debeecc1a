"""Single-threaded throughput of tokbench's SentencePiece-style encodings against
sentencepiece and Hugging Face tokenizers, in the same run.

    python bench/throughput_spm.py [--encodings gemma3,mistral_spm_v1,llama2]
        [--slices eng_Latn,zho_Hans,code,mixed] [--repeats 5] [--out bench/results]

Contenders (each single-threaded, interleaved within every repeat so that machine noise hits
them alike; medians in MB/s of UTF-8 input, 1 MB = 10^6 bytes):

  tokbench cold      a fresh instance (empty caches): count_batch(docs, num_threads=1)
  tokbench warm      the same instance again over the same documents
  sentencepiece      SentencePieceProcessor.encode(docs) (its batch call; num_threads=1),
                     on the original .model file; only for .model encodings
  HF batch cold      Tokenizer.encode_batch(docs) with RAYON_NUM_THREADS=1, BPE cache cleared
  HF loop cold       a loop of Tokenizer.encode(doc), cache cleared

Hugging Face runs the tokenizer.json form: Gemma's rebuilt from the bundle (as the tests do),
and for mistral_spm_v1 Mistral's own v1 conversion (tokenizer.v1.hf.json, same ids as the
.model). llama2 and mistral v3/v7 have no tokenizer.json here, so HF does not run on them.
Every run's per-document counts are checked against the first reference's.

Writes <out>/throughput_spm.csv and <out>/throughput_spm.md.
"""

from __future__ import annotations

import argparse
import csv
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import impls  # sets the single-thread environment before tokenizers is imported
from corpus import Slice, build_slices

import tokbench

HERE = Path(__file__).resolve().parent
Count = Callable[[Sequence[str]], Sequence[int]]
DEFAULT_ENCODINGS = ["gemma3", "mistral_spm_v1", "llama2"]
DEFAULT_SLICES = ["eng_Latn", "zho_Hans", "tha_Thai", "code", "mixed"]
HF_FILES = {"mistral_spm_v1": "mistral_spm/tokenizer.v1.hf.json"}


def references(name: str) -> list[tuple[str, Count, Callable[[], None]]]:
    """(label, counter, untimed setup) of each reference that runs this encoding."""
    import references as refs
    import tokenizers

    out: list[tuple[str, Count, Callable[[], None]]] = []
    if name in refs.SPM_MODEL_FILES:
        import sentencepiece

        path = refs.TOKENIZERS_DIR / refs.SPM_MODEL_FILES[name]
        sp = sentencepiece.SentencePieceProcessor(model_file=str(path))
        out.append(
            ("sentencepiece", lambda docs: [len(x) for x in sp.encode(list(docs))], lambda: None)
        )
    text = None
    if name in refs.SPM_JSON:
        text = refs.hf_spm_json_from_bundle(name)
    elif name in HF_FILES and (refs.TOKENIZERS_DIR / HF_FILES[name]).is_file():
        text = (refs.TOKENIZERS_DIR / HF_FILES[name]).read_text(encoding="utf-8")
    if text is not None:
        tok = tokenizers.Tokenizer.from_str(text)
        tok.encode_special_tokens = True
        clear = tok.model._clear_cache
        out.append(
            (
                "HF batch cold",
                lambda docs: [len(e) for e in tok.encode_batch(docs, add_special_tokens=False)],
                clear,
            )
        )
        out.append(
            (
                "HF loop cold",
                lambda docs: [len(tok.encode(d, add_special_tokens=False)) for d in docs],
                clear,
            )
        )
    return out


def timed(fn: Count, docs: Sequence[str]) -> tuple[float, list[int]]:
    with impls.gc_paused():
        t0 = time.perf_counter()
        counts = list(fn(docs))
        took = time.perf_counter() - t0
    return took, counts


def measure(name: str, s: Slice, repeats: int, mismatches: list[str]) -> dict[str, list[float]]:
    enc = tokbench.get_encoding(name)
    refs = references(name)
    state: dict[str, tokbench.Encoding] = {}

    def fresh() -> None:
        new = impls.fresh_encoding(enc)
        assert new is not None
        state["enc"] = new

    contenders: list[tuple[str, Count, Callable[[], None]]] = [
        ("tokbench cold", lambda d: state["enc"].count_batch(d, num_threads=1), fresh),
        ("tokbench warm", lambda d: state["enc"].count_batch(d, num_threads=1), lambda: None),
        *refs,
    ]
    docs = list(s.docs)
    times: dict[str, list[float]] = {label: [] for label, _, _ in contenders}
    for rep in range(repeats):
        counts: dict[str, list[int]] = {}
        for label, run, setup in contenders:
            setup()
            seconds, counts[label] = timed(run, docs)
            times[label].append(seconds)
        want = counts[refs[0][0]] if refs else None
        for label, got in counts.items():
            if want is not None and got != want:
                bad = next(i for i, (a, b) in enumerate(zip(got, want, strict=True)) if a != b)
                mismatches.append(f"{name}/{s.name} {label}: doc {bad} {got[bad]} != {want[bad]}")
        line = "  ".join(f"{k}={s.nbytes / v[-1] / 1e6:.2f}" for k, v in times.items())
        print(f"  {name}/{s.name} repeat {rep + 1}/{repeats}: {line} MB/s", flush=True)
    return times


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--encodings", default=",".join(DEFAULT_ENCODINGS))
    ap.add_argument("--slices", default=",".join(DEFAULT_SLICES))
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--out", default=str(HERE / "results"))
    ap.add_argument("--corpora", default=None)
    args = ap.parse_args(argv)
    command = "python bench/throughput_spm.py" + "".join(
        f" {shlex.quote(a)}" for a in (sys.argv[1:] if argv is None else argv)
    )
    slices = build_slices([x for x in args.slices.split(",") if x], args.corpora)
    mismatches: list[str] = []
    rows: list[dict[str, object]] = []
    for name in [e for e in args.encodings.split(",") if e]:
        for s in slices.values():
            times = measure(name, s, args.repeats, mismatches)
            for label, ts in times.items():
                med = statistics.median(ts)
                rows.append(
                    {
                        "encoding": name,
                        "slice": s.name,
                        "contender": label,
                        "nbytes": s.nbytes,
                        "ndocs": s.ndocs,
                        "repeats": len(ts),
                        "median_s": f"{med:.6f}",
                        "mb_per_s": f"{s.nbytes / med / 1e6:.3f}",
                    }
                )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "throughput_spm.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["encoding"])
        writer.writeheader()
        writer.writerows(rows)
    (out / "throughput_spm.md").write_text(render(rows, command, mismatches), encoding="utf-8")
    print(f"wrote {out / 'throughput_spm.md'}")
    for m in mismatches:
        print(f"COUNT MISMATCH {m}")
    return 1 if mismatches else 0


def render(rows: list[dict[str, object]], command: str, mismatches: list[str]) -> str:
    """One table per encoding: MB/s per contender and slice, and tokbench cold / reference."""
    lines = [
        "# SentencePiece-style encodings: single-threaded throughput",
        "",
        "MB/s of UTF-8 input (median of the repeats); ratios are tokbench cold over each "
        "reference. Counts checked against the reference on every repeat: "
        + ("**mismatches: " + "; ".join(mismatches) + "**" if mismatches else "all equal."),
        "",
    ]
    import sentencepiece

    for key, value in impls.environment_info(command):
        lines.append(f"- {key}: {value}")
    lines.append(f"- sentencepiece: {sentencepiece.__version__}")
    for name in dict.fromkeys(str(r["encoding"]) for r in rows):
        mine = [r for r in rows if r["encoding"] == name]
        labels = list(dict.fromkeys(str(r["contender"]) for r in mine))
        peers = [c for c in labels if not c.startswith("tokbench")]
        head = ["slice", *labels, *(f"cold / {p}" for p in peers)]
        lines += ["", f"## {name}", "", "| " + " | ".join(head) + " |"]
        lines.append("|---|" + "---:|" * (len(head) - 1))
        for slice_name in dict.fromkeys(str(r["slice"]) for r in mine):
            speed = {
                str(r["contender"]): float(str(r["mb_per_s"]))
                for r in mine
                if r["slice"] == slice_name
            }
            cells = [f"{speed[c]:.2f}" for c in labels]
            cells += [f"{speed['tokbench cold'] / speed[p]:.1f}x" for p in peers]
            lines.append("| " + " | ".join([slice_name, *cells]) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
