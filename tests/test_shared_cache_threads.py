"""The cache that threads of a batch call share (csrc/core/shared_piece_cache.hpp), checked
outside Python under ThreadSanitizer: the interpreter is not instrumented, so a race in the
extension would go unseen by the Python tests, which only see wrong ids when a race happens
to strike. Skips where there is no C++ compiler with ThreadSanitizer."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path(__file__).with_name("native") / "shared_cache_stress.cpp"


def _compiler() -> str:
    for name in ("c++", "g++", "clang++"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no C++ compiler")


def test_shared_cache_is_race_free_and_exact(tmp_path: Path) -> None:
    exe = tmp_path / "stress"
    cmd = [_compiler(), "-std=c++17", "-O1", "-g", "-fsanitize=thread", "-pthread",
           f"-I{ROOT / 'csrc' / 'core'}", str(SOURCE), "-o", str(exe)]  # fmt: skip
    built = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if built.returncode != 0:
        if "sanitize" in built.stderr or "tsan" in built.stderr:
            pytest.skip(f"no ThreadSanitizer here: {built.stderr.strip()[:200]}")
        pytest.fail(built.stderr)
    run = subprocess.run(
        [str(exe)], capture_output=True, text=True, check=False, timeout=120,
        env={"TSAN_OPTIONS": "halt_on_error=1 exitcode=66"},
    )  # fmt: skip
    assert "ThreadSanitizer" not in run.stderr, run.stderr[:2000]
    assert run.returncode == 0, run.stdout + run.stderr[:2000]
    hits = int(run.stdout.split()[1])
    assert hits > 10_000  # the threads did find each other's pieces
