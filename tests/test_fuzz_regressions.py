"""Every input the fuzz targets (fuzz/) found, replayed against the same oracles.

A finding is saved as fuzz/regressions/<target>-<hash>.txt (UTF-8, lone surrogates kept with
surrogatepass): "scanners-*" are checked against every scanner's original pattern
(test_scanners.compare), "encode-<encoding>-*" through fuzz_oracle.encode_problem (ids and count
against the reference library, the round trip, count_batch), the fuzzer's own oracle.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzz_oracle import encode_problem
from parity import ENCODINGS
from test_scanners import CASES, compare

import tokbench

REGRESSIONS = Path(__file__).resolve().parents[1] / "fuzz" / "regressions"
FINDINGS = sorted(REGRESSIONS.glob("*.txt"))


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "surrogatepass")


@pytest.mark.parametrize("path", FINDINGS, ids=lambda p: p.stem)
def test_fuzz_finding(path: Path) -> None:
    text = read(path)
    if path.name.startswith("scanners-"):
        fixed = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        for case in CASES:
            compare(case, [fixed], use_regex=True)
        return
    target = path.stem.rsplit("-", 1)[0]
    assert target.startswith("encode-"), f"{path.name}: unknown fuzz target"
    name = target.removeprefix("encode-")
    assert name in ENCODINGS, f"{path.name}: {name} is not a bundled encoding"
    problem = encode_problem(name, tokbench.get_encoding(name), text)
    assert problem is None, f"{path.name}: {problem}"
