"""The contenders: tokbench (cold/warm instances) and the reference libraries, single-threaded.

Import this module (or call `single_thread_env()`) before anything imports `tokenizers`: Hugging
Face tokenizers reads RAYON_NUM_THREADS when it first builds its thread pool, and
TOKENIZERS_PARALLELISM on every batch call.

Definitions used throughout bench/:

- cold: a tokbench instance with empty caches (`Encoding._backend.fresh()`, which shares the
  loaded vocabulary tables) doing its first pass over text it has never seen. For Hugging Face,
  the BPE model's word cache is cleared first (`model._clear_cache()`). tiktoken has no cache,
  so it is always cold.
- warm: the same instance again over the same text (whatever it cached on the first pass is
  there to be reused).
"""

from __future__ import annotations

import base64
import copy
import datetime
import gc
import hashlib
import json
import os
import platform
import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def single_thread_env() -> None:
    """Pin Hugging Face tokenizers (rayon) to one thread. Call before importing tokenizers."""
    os.environ["RAYON_NUM_THREADS"] = "1"
    os.environ["TOKENIZERS_PARALLELISM"] = "false"


single_thread_env()

from corpus import SLICE_NAMES, ensure_import_paths  # noqa: E402

ensure_import_paths()

import numpy as np  # noqa: E402
import tiktoken  # noqa: E402
import tokenizers  # noqa: E402

import tokbench  # noqa: E402

DEFAULT_ENCODINGS: tuple[str, ...] = ("o200k_base", "cl100k_base", "llama3", "qwen3", "deepseek_v3")


def _env_list(var: str, default: Sequence[str]) -> list[str]:
    raw = os.environ.get(var, "")
    return [x for x in raw.split(",") if x] if raw else list(default)


# What the pytest-benchmark suite runs (see bench/conftest.py).
BENCH_ENCODINGS = _env_list("TOKBENCH_BENCH_ENCODINGS", DEFAULT_ENCODINGS)
BENCH_SLICES = _env_list("TOKBENCH_BENCH_SLICES", SLICE_NAMES)
BENCH_COLD_ROUNDS = int(os.environ.get("TOKBENCH_BENCH_COLD_ROUNDS", "5"))

Counter = Callable[[Sequence[str]], Sequence[int]]
Encoder = Callable[[Sequence[str]], list[list[int]]]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Collects, then keeps Python's cyclic garbage collector off around a timed call, as
    timeit does. Otherwise a collection that one contender's allocations trigger (lists of
    ids per document) charges it for every object the benchmark process holds: tiktoken's
    loop over the mixed slice measured 7.0 MB/s with collections and 8.1 without."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def fresh_encoding(enc: tokbench.Encoding) -> tokbench.Encoding | None:
    """A public-API Encoding like `enc` whose core has empty caches (None if not native).

    The copy keeps everything the public methods do in Python (normalization checks, literal
    tokens), so cold and warm runs measure the same code path.
    """
    backend = enc._backend
    fresh = getattr(backend, "fresh", None)
    if fresh is None:
        return None
    new_backend = copy.copy(backend)
    new_backend._core = fresh()  # type: ignore[attr-defined]
    # Not copy.copy(enc): Encoding pickles (and so copies) by name, which gives back the
    # cached instance itself, and setting its backend would change every user of it.
    new_enc = object.__new__(type(enc))
    new_enc.__dict__.update(enc.__dict__)
    new_enc._backend = new_backend
    return new_enc


def tokbench_count(enc: tokbench.Encoding) -> Counter:
    def run(docs: Sequence[str]) -> Sequence[int]:
        return enc.count_batch(docs, num_threads=1)  # type: ignore[no-any-return]

    return run


def tokbench_encode(enc: tokbench.Encoding) -> Encoder:
    def run(docs: Sequence[str]) -> list[list[int]]:
        return enc.encode_ordinary_batch(docs, num_threads=1)

    return run


@dataclass
class Reference:
    """The reference implementation of one encoding, used the fastest single-threaded way.

    kind is "tiktoken" or "hf". `clear_cache` empties the reference's own caches (HF's BPE word
    cache; nothing for tiktoken).
    """

    name: str
    kind: str
    obj: Any

    @property
    def label(self) -> str:
        return "tiktoken" if self.kind == "tiktoken" else "HF tokenizers"

    def clear_cache(self) -> None:
        if self.kind == "hf":
            self.obj.model._clear_cache()

    def ids(self, text: str) -> list[int]:
        if self.kind == "tiktoken":
            return self._tt_encode()(text)
        return list(self.obj.encode(text, add_special_tokens=False).ids)

    def _tt_encode(self) -> Callable[[str], list[int]]:
        ref = self.obj
        if ref.normalization or ref.offset:
            return ref.encode_ordinary  # type: ignore[no-any-return]
        return ref.enc.encode_ordinary  # type: ignore[no-any-return]

    # -- timed callables ---------------------------------------------------------------

    def counter(self, variant: str = "") -> Counter:
        """Per-document counts. tiktoken: a loop of encode_ordinary (its batch call with
        num_threads=1 is slower: thread-pool overhead). HF: variant "batch" (encode_batch) or
        "loop" (a loop of encode); len(Encoding) avoids building the id lists."""
        if self.kind == "tiktoken":
            encode = self._tt_encode()

            def tt(docs: Sequence[str]) -> Sequence[int]:
                return [len(encode(d)) for d in docs]

            return tt
        tok = self.obj
        if variant == "loop":

            def hf_loop(docs: Sequence[str]) -> Sequence[int]:
                return [len(tok.encode(d, add_special_tokens=False)) for d in docs]

            return hf_loop

        def hf_batch(docs: Sequence[str]) -> Sequence[int]:
            return [len(e) for e in tok.encode_batch(docs, add_special_tokens=False)]

        return hf_batch

    def encoder(self, variant: str = "") -> Encoder:
        """Per-document id lists (same ways as counter())."""
        if self.kind == "tiktoken":
            encode = self._tt_encode()

            def tt(docs: Sequence[str]) -> list[list[int]]:
                return [encode(d) for d in docs]

            return tt
        tok = self.obj
        if variant == "loop":

            def hf_loop(docs: Sequence[str]) -> list[list[int]]:
                return [tok.encode(d, add_special_tokens=False).ids for d in docs]

            return hf_loop

        def hf_batch(docs: Sequence[str]) -> list[list[int]]:
            return [e.ids for e in tok.encode_batch(docs, add_special_tokens=False)]

        return hf_batch


def load_reference(name: str) -> Reference:
    """tiktoken for tiktoken-format encodings, Hugging Face tokenizers for the others (built
    offline by tests/references.py, never downloaded)."""
    import references

    if name in references.TIKTOKEN_FORMAT:
        return Reference(name, "tiktoken", references.TiktokenReference(name))
    tok = tokenizers.Tokenizer.from_str(references.hf_json_from_bundle(name))
    tok.encode_special_tokens = True
    return Reference(name, "hf", tok)


def reference_kind(name: str) -> str:
    import references

    return "tiktoken" if name in references.TIKTOKEN_FORMAT else "hf"


def versions() -> dict[str, str]:
    return {
        "tokbench": str(getattr(tokbench, "__version__", "?")),
        "tiktoken": str(getattr(tiktoken, "__version__", "?")),
        "tokenizers": str(getattr(tokenizers, "__version__", "?")),
        "numpy": str(np.__version__),
    }


def core_fingerprint() -> str:
    """The native module on disk: name, build time and sha256 prefix."""
    core = Path(tokbench._core.__file__)
    stamp = datetime.datetime.fromtimestamp(core.stat().st_mtime, datetime.timezone.utc)
    digest = hashlib.sha256(core.read_bytes()).hexdigest()[:12]
    return f"{core.name}, built {stamp:%Y-%m-%d %H:%M:%S} UTC, sha256 {digest}"


def environment_info(command: str, core_at_start: str | None = None) -> list[tuple[str, str]]:
    """Machine, software and run description, as (label, value) rows for a report.

    `core_at_start` is core_fingerprint() taken when the run began: if the native module was
    rebuilt during the run, the report says so (the results then mix two builds).
    """
    cpu = platform.processor() or "?"
    cpus = str(os.cpu_count())
    if shutil.which("lscpu"):
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        fields = {
            k.strip(): v.strip() for k, _, v in (ln.partition(":") for ln in out.splitlines())
        }
        cpu = fields.get("Model name", cpu)
        if fields.get("Hypervisor vendor"):
            cpu += f" ({fields['Hypervisor vendor']} guest)"
        cpus = fields.get("CPU(s)", cpus)
    root = Path(__file__).resolve().parents[1]

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=no")
    core_now = core_fingerprint()
    core = core_at_start or core_now
    if core_at_start and core_at_start != core_now:
        core = (
            f"{core_at_start} when the run began. **The file was rebuilt during the run** (now "
            f"{core_now}): if it was replaced (new inode) the run kept using the old build; if "
            "it was overwritten in place, later results may come from either"
        )
        print(f"\n!!!!!!!! the native module was rebuilt during the run: {core}\n")
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return [
        ("date (UTC)", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")),
        ("command", f"`{command}`"),
        ("git", f"{commit or '?'}{' (uncommitted changes)' if dirty else ''}"),
        ("native module", core),
        ("CPU", f"{cpu}, {cpus} logical CPUs"),
        ("load average at the end (1/5/15 min)", load),
        ("OS", platform.platform()),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("libraries", ", ".join(f"{k} {v}" for k, v in versions().items())),
        (
            "threads",
            "single-threaded: tokbench num_threads=1; RAYON_NUM_THREADS="
            f"{os.environ.get('RAYON_NUM_THREADS')}, TOKENIZERS_PARALLELISM="
            f"{os.environ.get('TOKENIZERS_PARALLELISM')}",
        ),
    ]


# -- the reference in a subprocess (load times, worst cases that may crash) ----------------


@dataclass(frozen=True)
class ReferenceFile:
    """A JSON spec (at spec_path) telling REF_LOADER how to load `name`'s reference from a
    local file, as a user would: the original file in shared/tokenizers when present."""

    name: str
    kind: str
    spec_path: Path
    source: str


def reference_file(name: str, tmp: Path) -> ReferenceFile:
    import references

    folder = Path(references.TOKENIZERS_DIR) / name
    spec: dict[str, Any] = {"name": name, "kind": reference_kind(name)}
    if spec["kind"] == "tiktoken":
        d = references.definition(name)
        offset = int(d.info.get("token_id_offset", 0))
        originals = sorted(folder.glob("*.tiktoken")) if folder.is_dir() else []
        if originals:
            path, source = originals[0], f"shared/tokenizers/{name}/{originals[0].name}"
        else:
            path, source = tmp / f"{name}.tiktoken", "a .tiktoken file written from the bundle"
            lines = [
                f"{base64.b64encode(b).decode()} {i - offset}\n"
                for i, b in sorted(d.vocab.to_id_bytes().items())
            ]
            path.write_text("".join(lines), encoding="ascii")
        spec |= {
            "path": str(path),
            "pat_str": d.stages[0],
            "special_tokens": d.special_tokens,
            "normalization": d.normalization,
        }
    else:
        original = folder / "tokenizer.json"
        if original.is_file():
            path, source = original, f"shared/tokenizers/{name}/tokenizer.json"
        else:
            path, source = tmp / f"{name}.json", "tokenizer.json written from the bundle"
            path.write_text(references.hf_json_from_bundle(name), encoding="utf-8")
        spec["path"] = str(path)
    spec_path = tmp / f"{name}.{spec['kind']}.spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    return ReferenceFile(name, spec["kind"], spec_path, source)


# Python source for subprocesses: import_library(spec_path) imports the reference library;
# load_reference(spec_path) returns count(text) -> int (no special tokens, no BOS/EOS).
REF_LOADER = """
import json as _json
import os as _os

_os.environ["TIKTOKEN_CACHE_DIR"] = ""  # read the local file itself, never a cached copy
_os.environ["RAYON_NUM_THREADS"] = "1"
_os.environ["TOKENIZERS_PARALLELISM"] = "false"


def _spec(path):
    with open(path, encoding="utf-8") as f:
        return _json.load(f)


def import_library(spec_path):
    if _spec(spec_path)["kind"] == "tiktoken":
        import tiktoken.load
    else:
        import tokenizers


def load_reference(spec_path):
    spec = _spec(spec_path)
    if spec["kind"] == "tiktoken":
        import tiktoken
        import tiktoken.load
        import unicodedata

        ranks = tiktoken.load.load_tiktoken_bpe(spec["path"])
        enc = tiktoken.Encoding(
            name=spec["name"], pat_str=spec["pat_str"], mergeable_ranks=ranks,
            special_tokens=spec["special_tokens"],
        )
        form = spec.get("normalization")
        if form:
            return lambda text: len(enc.encode_ordinary(unicodedata.normalize(form, text)))
        return lambda text: len(enc.encode_ordinary(text))
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(spec["path"])
    tok.encode_special_tokens = True
    return lambda text: len(tok.encode(text, add_special_tokens=False))
"""
