"""pytest-benchmark: count and encode throughput, tokbench vs tiktoken / HF tokenizers.

Groups are `count-<slice>` and `encode-<slice>`; parameters are the implementation (tokbench,
tiktoken, hf), the encoding and the state (warm: the instance has seen the text; cold: a fresh
instance per round, via benchmark.pedantic(setup=...)). Every benchmark records
extra_info["nbytes"] and asserts that its counts equal the reference library's, computed
untimed. With --benchmark-disable each test runs once on a small sample: a fast smoke and
correctness test. All runs are single-threaded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import impls
import pytest
from corpus import Slice

import tokbench


def _impl_params(encodings: list[str]) -> list[Any]:
    params = []
    for e in encodings:
        ref = impls.reference_kind(e)
        for impl in ("tokbench", ref):
            for state in ("warm", "cold"):
                if impl == "tiktoken" and state == "warm":
                    continue  # tiktoken has no cache: warm = cold
                params.append(pytest.param(impl, e, state, id=f"{impl}-{e}-{state}"))
    return params


ENCODINGS, SLICES, COLD_ROUNDS = impls.BENCH_ENCODINGS, impls.BENCH_SLICES, impls.BENCH_COLD_ROUNDS
IMPLS = _impl_params(ENCODINGS)


def _runner(
    op: str, impl: str, enc: tokbench.Encoding, ref: impls.Reference
) -> Callable[[Sequence[str]], Sequence[int]]:
    """A callable returning per-document counts (count) or id lists' lengths (encode)."""
    if impl == "tokbench":
        if op == "count":
            return lambda docs: enc.count_batch(docs, num_threads=1).tolist()
        return lambda docs: [len(ids) for ids in enc.encode_ordinary_batch(docs, num_threads=1)]
    if op == "count":
        return ref.counter("batch")
    encoder = ref.encoder("batch")
    return lambda docs: [len(ids) for ids in encoder(docs)]


def _bench(
    benchmark: Any,
    op: str,
    impl: str,
    encoding: str,
    state: str,
    sample: Slice,
    expected: tuple[int, ...],
    enc: tokbench.Encoding,
    ref: impls.Reference,
) -> None:
    benchmark.group = f"{op}-{sample.name}"
    benchmark.extra_info.update(
        nbytes=sample.nbytes,
        nchars=sample.nchars,
        ndocs=sample.ndocs,
        encoding=encoding,
        impl=impl,
        state=state,
        tokens=sum(expected),
    )
    docs = list(sample.docs)
    if state == "warm":
        run = _runner(op, impl, enc, ref)
        run(docs)  # untimed: fill the caches
        got = benchmark(run, docs)
    else:

        def setup() -> tuple[tuple[Callable[[Sequence[str]], Sequence[int]], list[str]], dict]:
            if impl == "tokbench":
                fresh = impls.fresh_encoding(enc)
                if fresh is None:
                    pytest.skip(f"{encoding} is not on the native path: no cold instance")
                return (_runner(op, impl, fresh, ref), docs), {}
            ref.clear_cache()
            return (_runner(op, impl, enc, ref), docs), {}

        got = benchmark.pedantic(
            lambda run, docs: run(docs), setup=setup, rounds=COLD_ROUNDS, iterations=1
        )
    assert sum(got) == sum(expected)
    assert list(got) == list(expected)


@pytest.mark.parametrize("slice_name", SLICES)
@pytest.mark.parametrize(("impl", "encoding", "state"), IMPLS)
@pytest.mark.parametrize("op", ["count", "encode"])
def test_throughput(
    benchmark: Any,
    op: str,
    impl: str,
    encoding: str,
    state: str,
    sample: Slice,
    expected: tuple[int, ...],
    encoding_obj: tokbench.Encoding,
    reference_obj: impls.Reference,
) -> None:
    _bench(benchmark, op, impl, encoding, state, sample, expected, encoding_obj, reference_obj)
