"""The peer table of bench/peers.py: contenders, interleaved timing, checks and ratios.

For every encoding x slice, each repeat runs every contender (in an order rotated by one
each repeat, so machine noise hits all alike): a cold pass (a new instance where the library
caches, loaded untimed, then primed with a one-word text so lazy set-up is not timed), and,
for the libraries that can cache, a warm pass (the same instance again on the same text).
Contenders: tokbench `count_batch(num_threads=1)`, tiktoken (a loop of `encode_ordinary`),
every peer of `peer_libs.PEERS` that imports and loads, Hugging Face tokenizers (optional),
and, for `encode` to numpy, tokbench's and tiktoken's `encode_to_numpy`.

Every run's per-document counts are compared with tiktoken's; a library that differs on any
document of a slice is left out of "fastest exact peer" for that slice, but still timed.
Ratios are medians over repeats of the ratio within a repeat.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import impls
import peer_libs  # sets the peers' thread variables before any peer is imported
import throughput
from corpus import Slice

import tokbench

DEFAULT_ENCODINGS = ("o200k_base", "cl100k_base")
# Run untimed on a new instance before its cold pass: some libraries build tables on their
# first call (0.1-0.3 s), which is loading, not counting.
PRIMER = ("priming é 1",)
CPU_WALL_LIMIT = 1.1  # more CPU time than wall time: the run used a second core

TOKBENCH = "tokbench"
TIKTOKEN = "tiktoken"
HF = "HF tokenizers"
TB_NUMPY = "tokbench encode_to_numpy"
TB_LISTS = "tokbench encode_ordinary_batch"
TT_NUMPY = "tiktoken encode_to_numpy"


@dataclass
class Contender:
    """One timed way of counting. `setup()` (untimed) returns the counter of a ready instance:
    a new one when the library caches, else always the same one."""

    key: str
    op: str  # "count", or "encode" (ids built; the count is their number)
    setup: Callable[[], impls.Counter]
    warm: bool  # also time a second pass on the same instance

    @property
    def ours(self) -> bool:
        return self.key.startswith(TOKBENCH)


@dataclass
class Series(throughput.Result):
    """The timings of one contender in one state (`warm` or cold) on one slice. `peer` is
    true for every library but tokbench; `label` is the contender's name, as `key`."""

    op: str = "count"  # or "encode" (ids built; the count is their number)
    bad_docs: int = 0  # documents whose count differs from tiktoken's (most in one run)
    first_bad: str = ""

    @property
    def state(self) -> str:
        return "warm" if self.warm else "cold"

    @property
    def ours(self) -> bool:
        return not self.peer

    def check(self, got: Sequence[int], want: Sequence[int]) -> None:
        bad = [i for i, (g, w) in enumerate(zip(got, want, strict=True)) if int(g) != w]
        if len(bad) > self.bad_docs:
            i = bad[0]
            self.bad_docs = len(bad)
            self.first_bad = f"doc {i}: {int(got[i])} vs tiktoken {want[i]}"


@dataclass
class PeerStatus:
    """What happened to one peer on one encoding: measured, or why not."""

    key: str
    version: str | None
    status: str  # "measured", "not installed (...)", "cannot load: ..."
    load_s: float | None = None  # the first load (fresh instances are loaded untimed)


@dataclass
class Table:
    """Everything the report needs: the series per (encoding, slice) and the peers' status."""

    encodings: list[str]
    slices: dict[str, Slice]
    peers: list[peer_libs.Peer]
    cells: dict[tuple[str, str], list[Series]] = field(default_factory=dict)
    status: dict[tuple[str, str], PeerStatus] = field(default_factory=dict)  # (peer, encoding)
    repeats: int = 0


# -- contenders ----------------------------------------------------------------------------


def _primed(setup: Callable[[], impls.Counter]) -> Callable[[], impls.Counter]:
    def run() -> impls.Counter:
        counter = setup()
        counter(PRIMER)
        return counter

    return run


def _peer_contender(
    peer: peer_libs.Peer, vocab: peer_libs.LocalVocab, table: Table
) -> Contender | None:
    """The peer's contender for this encoding, or None (its status says why)."""
    where = (peer.key, vocab.name)
    missing = peer.missing()
    if missing:
        table.status[where] = PeerStatus(peer.key, peer.version(), missing)
        return None
    t0 = time.perf_counter()
    try:
        first = peer.load(vocab)
        first(PRIMER)
    except Exception as e:  # any library error: report it, keep going with the others
        msg = f"cannot load {vocab.name}: {type(e).__name__}: {e}".replace("\n", " ")
        table.status[where] = PeerStatus(peer.key, peer.version(), msg)
        return None
    load_s = time.perf_counter() - t0
    table.status[where] = PeerStatus(peer.key, peer.version(), "measured", load_s)
    if not peer.caches:
        return Contender(peer.key, "count", lambda: first, warm=True)
    unused = [first]  # the first cold run takes the instance loaded here (primed, unused)

    def new_instance() -> impls.Counter:
        if unused:
            return unused.pop()
        counter = peer.load(vocab)
        counter(PRIMER)
        return counter

    return Contender(peer.key, "count", new_instance, warm=True)


def contenders(
    name: str, vocab: peer_libs.LocalVocab, ref: impls.Reference, table: Table, *, hf: bool
) -> list[Contender]:
    """The contenders of one encoding, in their order within a repeat; `ref` is tiktoken."""
    enc = tokbench.get_encoding(name)

    def fresh() -> tokbench.Encoding:
        new = impls.fresh_encoding(enc)
        if new is None:
            msg = f"{name} is not on tokbench's native path: no cold instance"
            raise RuntimeError(msg)
        return new

    def tb_count() -> impls.Counter:
        return impls.tokbench_count(fresh())

    def tb_numpy() -> impls.Counter:
        e = fresh()
        return lambda docs: [len(e.encode_to_numpy(d, disallowed_special=())) for d in docs]

    def tb_lists() -> impls.Counter:
        encode = impls.tokbench_encode(fresh())
        return lambda docs: [len(ids) for ids in encode(docs)]

    tt = ref.obj.enc  # the tiktoken.Encoding (these encodings neither normalize nor offset ids)

    def tt_numpy(docs: Sequence[str]) -> Sequence[int]:
        return [len(tt.encode_to_numpy(d, disallowed_special=())) for d in docs]

    tt_count = ref.counter()
    out = [
        Contender(TOKBENCH, "count", _primed(tb_count), warm=True),
        Contender(TIKTOKEN, "count", lambda: tt_count, warm=False),  # no cache: warm = cold
    ]
    for peer in table.peers:
        c = _peer_contender(peer, vocab, table)
        if c is not None:
            out.append(c)
    if hf:
        hf_ref = impls.Reference(name, "hf", peer_libs.hf_tokenizer(vocab))
        hf_count = hf_ref.counter("batch")

        def hf_cold() -> impls.Counter:
            hf_ref.clear_cache()
            return hf_count

        out.append(Contender(HF, "count", hf_cold, warm=True))
    out += [
        Contender(TB_NUMPY, "encode", _primed(tb_numpy), warm=False),
        Contender(TB_LISTS, "encode", _primed(tb_lists), warm=False),
        Contender(TT_NUMPY, "encode", lambda: tt_numpy, warm=False),
    ]
    return out


# -- measuring -----------------------------------------------------------------------------


def measure(
    name: str, cs: Sequence[Contender], s: Slice, want: Sequence[int], repeats: int
) -> list[Series]:
    """Time every contender `repeats` times on the slice, interleaved; check every run."""
    series: dict[tuple[str, str], Series] = {}
    for c in cs:
        for state in ("cold", "warm") if c.warm else ("cold",):
            series[(c.key, state)] = Series(
                name, s, c.key, c.key, not c.ours, state == "warm", op=c.op
            )
    docs = list(s.docs)
    for rep in range(repeats):
        shift = rep % len(cs)
        for c in [*cs[shift:], *cs[:shift]]:
            run = c.setup()
            for state in ("cold", "warm") if c.warm else ("cold",):
                wall, cpu, counts = throughput._timed(run, docs)
                sr = series[(c.key, state)]
                sr.times.append(wall)
                sr.cpu.append(cpu)
                sr.tokens = sum(counts)
                sr.check(counts, want)
            del run
        mine = series[(TOKBENCH, "cold")]
        print(
            f"  {name}/{s.name} repeat {rep + 1}/{repeats}: tokbench cold "
            f"{s.nbytes / mine.times[-1] / 1e6:.1f} MB/s",
            flush=True,
        )
    return list(series.values())


def build_table(
    encodings: Sequence[str],
    slices: dict[str, Slice],
    peers: Sequence[peer_libs.Peer],
    *,
    repeats: int,
    hf: bool = True,
) -> Table:
    """Measure every encoding x slice; the table the report and the CSV are written from."""
    table = Table(list(encodings), dict(slices), list(peers), repeats=repeats)
    with tempfile.TemporaryDirectory() as tmp:
        for name in encodings:
            vocab = peer_libs.local_vocab(name, Path(tmp))
            ref = impls.load_reference(name)  # tiktoken, built from the bundled ranks
            cs = contenders(name, vocab, ref, table, hf=hf)
            counted = ", ".join(c.key for c in cs)
            print(f"{name}: vocabulary {vocab.source}; contenders: {counted}", flush=True)
            for s in slices.values():
                want = [int(n) for n in ref.counter()(s.docs)]
                table.cells[(name, s.name)] = measure(name, cs, s, want, repeats)
    return table


# -- ratios (used by the report and the test) ------------------------------------------------


def speedup(ours: Series, theirs: Sequence[Series]) -> float | None:
    """How many times faster `ours` is than the fastest of `theirs`, as the median over
    repeats of the ratio inside a repeat (the runs of one repeat ran back to back)."""
    if not theirs:
        return None
    n = min(len(ours.times), *(len(t.times) for t in theirs))
    ratios = [min(t.times[i] for t in theirs) / ours.times[i] for i in range(n) if ours.times[i]]
    return statistics.median(ratios) if ratios else None


def find(cell: Sequence[Series], key: str, state: str = "cold") -> Series | None:
    return next((s for s in cell if s.key == key and s.state == state), None)


def exact_peers(cell: Sequence[Series], state: str) -> list[Series]:
    """The other libraries' count series to compare tokbench's `state` run with: their cold
    runs, and for warm also their warm runs; only libraries exact on every document."""
    inexact = {s.key for s in cell if s.bad_docs}
    return [
        s
        for s in cell
        if not s.ours
        and s.op == "count"
        and s.key not in inexact
        and (state == "warm" or s.state == "cold")
    ]


def fastest_peer(cell: Sequence[Series], state: str) -> tuple[str, float | None]:
    """(name of the fastest exact peer, tokbench's speedup over it) for tokbench `state`."""
    peers = exact_peers(cell, state)
    ours = find(cell, TOKBENCH, state)
    if not peers or ours is None:
        return "n/a", None
    best = min(peers, key=lambda s: s.median)
    return best.key, speedup(ours, peers)
