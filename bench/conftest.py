"""Fixtures for the pytest-benchmark suite (bench/test_throughput.py).

Run the benchmarks:      pytest bench --benchmark-group-by=group [--benchmark-autosave]
Smoke/correctness only:  pytest bench --benchmark-disable      (small samples, seconds)

Environment variables (all optional):
  TOKBENCH_BENCH_ENCODINGS   comma list (default: o200k_base,cl100k_base,llama3,qwen3,deepseek_v3)
  TOKBENCH_BENCH_SLICES      comma list of slices (default: all, see bench/corpus.py)
  TOKBENCH_BENCH_MAX_BYTES   cap each slice at about this many bytes (default: whole slice when
                             benchmarking, 4000 with --benchmark-disable)
  TOKBENCH_BENCH_SMOKE=1     use the small samples even when benchmarking
  TOKBENCH_BENCH_COLD_ROUNDS rounds of the cold (pedantic) benchmarks (default 5)
  TOKBENCH_CORPORA           the corpora folder (default: references.CORPORA_DIR)
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent
for _p in (BENCH.parent / "tests", BENCH.parent, BENCH):
    if str(_p) in sys.path:
        sys.path.remove(str(_p))
    sys.path.insert(0, str(_p))

import impls  # noqa: E402  (sets the single-thread environment before tokenizers loads)
from corpus import Slice, build_slices  # noqa: E402

import tokbench  # noqa: E402

SMOKE_BYTES = 4000


ENCODINGS, SLICES = impls.BENCH_ENCODINGS, impls.BENCH_SLICES


@cache
def all_slices() -> dict[str, Slice]:
    return build_slices(SLICES, log=False)


@cache
def get_encoding(name: str) -> tokbench.Encoding:
    return tokbench.get_encoding(name)


@cache
def get_reference(name: str) -> impls.Reference:
    return impls.load_reference(name)


@cache
def _expected(encoding: str, slice_name: str, max_bytes: int) -> tuple[int, ...]:
    """The reference's per-document counts (untimed, once per encoding x sample)."""
    s = _sample(slice_name, max_bytes)
    return tuple(int(c) for c in get_reference(encoding).counter()(s.docs))


def _sample(slice_name: str, max_bytes: int) -> Slice:
    s = all_slices().get(slice_name)
    if s is None:
        pytest.skip(f"slice {slice_name!r} not available (corpora not found)")
    return s.sample(max_bytes) if max_bytes > 0 else s


def _max_bytes(config: pytest.Config) -> int:
    env = os.environ.get("TOKBENCH_BENCH_MAX_BYTES")
    if env:
        return int(env)
    smoke = (
        config.getoption("benchmark_disable", False)
        or os.environ.get("TOKBENCH_BENCH_SMOKE") == "1"
    )
    return SMOKE_BYTES if smoke else 0


@pytest.fixture
def sample(request: pytest.FixtureRequest, slice_name: str) -> Slice:
    """The slice (or its first few KB with --benchmark-disable)."""
    return _sample(slice_name, _max_bytes(request.config))


@pytest.fixture
def expected(request: pytest.FixtureRequest, encoding: str, slice_name: str) -> tuple[int, ...]:
    """Per-document token counts from the reference library, for `sample`."""
    return _expected(encoding, slice_name, _max_bytes(request.config))


@pytest.fixture
def encoding_obj(encoding: str) -> tokbench.Encoding:
    return get_encoding(encoding)


@pytest.fixture
def reference_obj(encoding: str) -> impls.Reference:
    return get_reference(encoding)
