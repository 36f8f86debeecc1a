"""count_corpus: per-document arrays equal count_batch, several encodings in one pass equal
separate counts, totals per file and language add up, interrupts give partial totals, byte
ranges (the Dask shards) give the same result as the whole file; and `tokbench count`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from corpus_files import LINES, write_jsonl, write_lines
from references import SHARED

import tokbench
from tokbench.cli import main
from tokbench.corpus import read_documents
from tokbench.corpus_tally import SourceTally, assemble, count_source
from tokbench.distributed import shards
from tokbench.reading import ReadOptions, expand_inputs

REPO = Path(__file__).resolve().parents[1]
UDHR = REPO / "corpora" / "udhr"
FLORES = SHARED / "corpora" / "flores200_dev"
ENCODINGS = ["o200k_base", "cl100k_base", "llama3", "deepseek_v3"]


def flores_sample(tmp_path: Path) -> list[Path]:
    """Every 10th line of 6 FLORES languages (or UDHR-derived lines without FLORES)."""
    langs = ["eng_Latn", "zho_Hans", "jpn_Jpan", "rus_Cyrl", "tha_Thai", "hin_Deva"]
    out = []
    for lang in langs:
        src = FLORES / f"{lang}.dev"
        if src.is_file():
            lines = src.read_text(encoding="utf-8").splitlines()[::10]
        else:
            lines = [d.text for d in read_documents([UDHR])][:: 40 + len(out)]
        out.append(write_lines(tmp_path / f"{lang}.dev", lines))
    return out


def test_per_document_arrays_equal_count_batch_for_each_encoding(tmp_path: Path) -> None:
    files = flores_sample(tmp_path)
    r = tokbench.count_corpus(files, ENCODINGS, progress=False, chunk_bytes=8192)
    texts = [line for f in files for line in f.read_text(encoding="utf-8").split("\n")[:-1]]
    docs = r.documents
    assert docs is not None
    assert len(docs) == len(texts) == r.total.docs
    for name in ENCODINGS:
        alone = tokbench.get_encoding(name).count_batch(texts)
        assert np.array_equal(docs.tokens[name], alone), name
        # several encodings in one pass = each counted on its own
        single = tokbench.count_corpus(files, [name], progress=False)
        assert single.total.tokens[name] == r.total.tokens[name] == int(alone.sum())
        assert {k: v.tokens[name] for k, v in single.languages.items()} == {
            k: v.tokens[name] for k, v in r.languages.items()
        }
    assert docs.chars.tolist() == [len(t) for t in texts]
    assert docs.nbytes.tolist() == [len(t.encode()) for t in texts]
    # Per file and per language, the totals are sums of the documents.
    for i, f in enumerate(r.files):
        mask = docs.file == i
        assert r.files[f].tokens["llama3"] == int(docs.tokens["llama3"][mask].sum())
        lang = r.lang_names[int(docs.lang[mask][0])]
        assert r.languages[lang].chars == int(docs.chars[mask].sum())
    t = r.languages["eng_Latn"]
    assert t.tokens_per_1k_chars("o200k_base") == pytest.approx(
        1000 * t.tokens["o200k_base"] / t.chars
    )


def test_udhr_records_equal_read_documents(tmp_path: Path) -> None:
    # The first 12 declarations of the shipped UDHR collection, recompressed.
    import lzma

    with lzma.open(UDHR / "udhr_articles.jsonl.xz") as f:
        head = b"".join(f.readlines()[:12])
    path = tmp_path / "udhr_articles.jsonl.xz"
    path.write_bytes(lzma.compress(head))
    r = tokbench.count_corpus([path], ["qwen3"], progress=False)
    docs = list(read_documents([path]))
    assert len(docs) == 12
    assert (
        r.documents.tokens["qwen3"].tolist()
        == tokbench.get_encoding("qwen3").count_batch([d.text for d in docs]).tolist()
    )
    assert [r.lang_names[i] for i in r.documents.lang] == [d.lang for d in docs]


def test_interrupt_gives_partial_totals(tmp_path: Path) -> None:
    a = write_lines(tmp_path / "a.txt", LINES * 100)
    write_lines(tmp_path / "b.txt", LINES)
    calls = []

    def stop_on_third(p) -> None:
        calls.append(p)
        if len(calls) == 3:
            raise KeyboardInterrupt

    with pytest.raises(tokbench.CountInterrupted) as info:
        tokbench.count_corpus([tmp_path], ["gpt2"], progress=stop_on_third, chunk_bytes=200)
    partial = info.value.partial
    assert isinstance(info.value, KeyboardInterrupt)
    assert partial.complete is False
    assert list(partial.files) == [str(a)]  # b.txt was never reached
    assert partial.total.docs == calls[-1].docs  # the chunks counted before the interrupt
    full = tokbench.count_corpus([a], ["gpt2"], progress=False)
    n = partial.total.docs
    assert 0 < n < full.total.docs
    assert partial.total.tokens["gpt2"] == int(full.documents.tokens["gpt2"][:n].sum())


@pytest.mark.parametrize(
    ("fmt", "n", "shard_sizes"),
    [("text", 5, (1, 2, 3)), ("text", 300, (97, 1000, 5000)), ("jsonl", 300, (1000, 5000))],
)
def test_byte_range_shards_equal_the_whole_file(
    tmp_path: Path, fmt: str, n: int, shard_sizes: tuple[int, ...]
) -> None:
    texts = [f"{i} {LINES[i % len(LINES)]}" * (i % 7) for i in range(n)]
    if fmt == "text":
        path = write_lines(tmp_path / "x.txt", texts)
    else:
        path = write_jsonl(
            tmp_path / "x.jsonl", [{"text": t, "lang": f"l{i % 3}"} for i, t in enumerate(texts)]
        )
    opts = ReadOptions(chunk_bytes=300)
    enc = [tokbench.get_encoding("cl100k_base")]
    sources = expand_inputs([path])
    whole = assemble(
        [count_source(SourceTally(sources[0], ["cl100k_base"], True), opts, enc, num_threads=1)],
        ["cl100k_base"],
        complete=True,
    )
    for shard_bytes in shard_sizes:
        parts = shards(sources, opts, shard_bytes)
        assert len(parts) == -(-path.stat().st_size // shard_bytes)
        tallies = [
            count_source(SourceTally(p, ["cl100k_base"], True), opts, enc, num_threads=1)
            for p in parts
        ]
        got = assemble(tallies, ["cl100k_base"], complete=True)
        assert got.total == whole.total
        assert got.languages == whole.languages
        assert got.documents.record.tolist() == whole.documents.record.tolist()
        assert (
            got.documents.tokens["cl100k_base"].tolist()
            == whole.documents.tokens["cl100k_base"].tolist()
        )
        assert [got.lang_names[i] for i in got.documents.lang] == [
            whole.lang_names[i] for i in whole.documents.lang
        ]


# -- the command line --------------------------------------------------------------------


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["count", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_has_totals_files_skipped(tmp_path: Path, capsys) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "a b", "lang": "xx"}\n{"other": 1}\n{"text": "héllo"}\n')
    code, _, err = run(capsys, str(path), "--encodings", "gpt2")
    assert code == 1
    assert "d.jsonl:2: no field 'text'" in err
    code, out, err = run(
        capsys, str(path), "--encodings", "gpt2,o200k_base", "--format", "json", "--skip-missing"
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["complete"] is True
    assert doc["total"]["docs"] == 2
    assert doc["total"]["chars"] == 3 + 5
    assert doc["total"]["bytes"] == 3 + 6
    assert [r["lang"] for r in doc["languages"]] == ["d", "xx"]
    assert doc["skipped"] == [
        {"file": str(path), "reason": "no field 'text'", "count": 1, "first_line": 2}
    ]
    assert "skipped 1 records" in err
    assert "first at line 2" in err
    row = doc["languages"][1]
    assert row["gpt2_per_1k_chars"] == round(1000 * row["gpt2"] / row["chars"], 3)


def test_cli_csv_by_file_and_lang_field(tmp_path: Path, capsys) -> None:
    path = tmp_path / "t.csv"
    path.write_text("text,lng\nhello there,en\nbonjour,fr\n", encoding="utf-8")
    code, out, _ = run(
        capsys, str(path), "--lang-field", "lng", "--encodings", "gpt2", "--format", "csv"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "lang,docs,chars,bytes,gpt2,gpt2_per_1k_chars"
    assert [line.split(",")[0] for line in lines[1:]] == ["en", "fr"]
    code, out, _ = run(capsys, str(path), "--by", "file", "--encodings", "gpt2")
    assert code == 0
    assert str(path) in out
    assert out.splitlines()[-1].split()[:3] == ["TOTAL", "2", "18"]


def test_cli_usage_errors_exit_2(tmp_path: Path, capsys) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"text": "x"}])
    assert run(capsys, str(path), "--per-file")[0] == 2
    assert run(capsys, str(path), "--threads", "0")[0] == 2
    with pytest.raises(SystemExit) as info:
        main(["count", str(path), "--input-format", "xml"])
    assert info.value.code == 2


def test_cli_ctrl_c_prints_partial_totals_exit_130(tmp_path: Path, capsys, monkeypatch) -> None:
    write_lines(tmp_path / "a.txt", LINES * 2000)
    calls = []

    def interrupt(self, p) -> None:
        calls.append(p)
        if len(calls) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("tokbench.progress.ProgressBar.__call__", interrupt)
    monkeypatch.setitem(tokbench.count_corpus.__kwdefaults__, "chunk_bytes", 1000)
    code, out, err = run(capsys, str(tmp_path), "--encodings", "gpt2", "--format", "json")
    assert code == 130
    assert "interrupted" in err
    doc = json.loads(out)
    assert doc["complete"] is False
    assert doc["total"]["docs"] == calls[-1].docs
    assert 0 < doc["total"]["docs"] < 10_000


def test_progress_line() -> None:
    import io

    from tokbench.progress import Progress, ProgressBar, format_progress

    p = Progress(312_400_000, 1_000_000_000, 1_200_000, 4.0, "x.txt")
    # 312.4 MB in 4 s = 78.1 MB/s; (1000 - 312.4) / 78.1 = 8.8 s left.
    assert format_progress(p) == "312.4 MB / 1.0 GB (31%), 78.1 MB/s, 1,200,000 docs, ETA 0:09"
    assert format_progress(Progress(2048, None, 3, 2.0, "-")) == "2.0 kB, 1.0 kB/s, 3 docs"

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    bar = ProgressBar(tty, delay=0.5)
    bar(Progress(10, 100, 1, 0.1, "x"))  # too early: short runs print nothing
    assert tty.getvalue() == ""
    bar(p)
    bar.close()
    assert tty.getvalue().startswith("\r312.4 MB / 1.0 GB")
    assert tty.getvalue().endswith("\n")
    plain = io.StringIO()
    quiet = ProgressBar(plain, delay=0)
    quiet(p)
    quiet.close()
    assert plain.getvalue() == ""  # not a terminal


def test_dask_options_need_one_target() -> None:
    from tokbench.corpus_errors import UsageError
    from tokbench.distributed import DaskOptions

    with pytest.raises(UsageError, match="exactly one"):
        DaskOptions()
    with pytest.raises(UsageError, match="exactly one"):
        DaskOptions(scheduler="tcp://x:1", local_workers=2)


def test_docstring_example() -> None:
    import doctest

    import tokbench.counting

    result = doctest.testmod(tokbench.counting, verbose=False, report=True)
    assert result.attempted > 0
    assert result.failed == 0
