"""Counting on Dask: a LocalCluster of 2 worker processes gives the same result as a local
run (files and byte-range shards), loads each vocabulary once per worker, and locates errors
in shards by their line in the whole file."""

from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path

import numpy as np
import pytest
from corpus_files import LINES, write_jsonl, write_lines, write_table

import tokbench
from tokbench.cli import main
from tokbench.corpus_errors import LocatedError

dd = pytest.importorskip("dask.distributed")
from tokbench.distributed import PLUGIN_NAME, DaskOptions, count_corpus_dask  # noqa: E402

ENCODINGS = ["gpt2", "cl100k_base"]


@pytest.fixture(scope="module")
def client():
    cluster = dd.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    with cluster, dd.Client(cluster) as c:
        yield c


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    write_lines(tmp_path / "eng_Latn.dev", [f"{i}: {LINES[i % 5]}" for i in range(600)])
    write_jsonl(
        tmp_path / "mixed.jsonl",
        [{"text": LINES[i % 5] * (i % 4), "lang": ["xx", "yy"][i % 2]} for i in range(500)],
    )
    (tmp_path / "fra_Latn.txt.gz").write_bytes(gzip.compress(b"Bonjour.\nMerci.\n"))
    write_table(tmp_path / "t.csv", [["text"], ["a, b"], []])
    return tmp_path


def options(client, **kw) -> DaskOptions:
    return DaskOptions(client=client, shard_bytes=kw.pop("shard_bytes", 4000), **kw)


def test_same_result_as_a_local_run(client, corpus: Path) -> None:
    local = tokbench.count_corpus([corpus], ENCODINGS, progress=False)
    seen = []
    remote = tokbench.count_corpus([corpus], ENCODINGS, progress=seen.append, dask=options(client))
    assert remote.total == local.total
    assert remote.languages == local.languages
    assert remote.files == local.files
    assert (
        remote.skipped
        == local.skipped
        == [tokbench.corpus_result.Skipped(str(corpus / "t.csv"), "blank line", 1, 3)]
    )
    for key in ("file", "record", "lang", "chars", "nbytes"):
        assert np.array_equal(getattr(remote.documents, key), getattr(local.documents, key)), key
    for name in ENCODINGS:
        assert np.array_equal(remote.documents.tokens[name], local.documents.tokens[name])
    assert remote.lang_names == local.lang_names
    # The two big files were cut into byte ranges: more progress reports than files.
    assert len(seen) > len(remote.files)
    assert seen[-1].done_bytes == seen[-1].total_bytes


def test_each_worker_loads_each_vocabulary_once(client, corpus: Path) -> None:
    r = count_corpus_dask([corpus], ENCODINGS, client=client, shard_bytes=500, progress=False)
    assert r.total == tokbench.count_corpus([corpus], ENCODINGS, progress=False).total
    loads = client.run(lambda dask_worker: dict(dask_worker.plugins[PLUGIN_NAME].loads))
    assert len(loads) == 2
    assert all(set(n.values()) <= {1} for n in loads.values()), loads
    assert any(set(n) == set(ENCODINGS) for n in loads.values()), loads


def test_errors_in_a_shard_name_the_line_of_the_file(client, tmp_path: Path) -> None:
    lines = [f"line {i} " + "x" * 40 for i in range(400)]
    data = "".join(line + "\n" for line in lines).encode()
    at = data.index(b"line 300 ")
    path = tmp_path / "bad.txt"
    path.write_bytes(data[:at] + b"\xff" + data[at + 1 :])
    with pytest.raises(LocatedError, match=rf"bad\.txt:301: invalid UTF-8 at byte offset {at}$"):
        tokbench.count_corpus(
            [path], ["gpt2"], progress=False, dask=options(client, shard_bytes=1000)
        )


def test_cli_dask_scheduler(client, corpus: Path, capsys) -> None:
    args = ["count", str(corpus), "--encodings", "gpt2", "--format", "json"]
    assert main(args) == 0
    local = json.loads(capsys.readouterr().out)
    assert main([*args, "--dask-scheduler", client.scheduler.address]) == 0
    remote = json.loads(capsys.readouterr().out)
    assert remote == local
    assert main(["count", "-", "--dask-scheduler", client.scheduler.address]) == 2
    assert "standard input" in capsys.readouterr().err
