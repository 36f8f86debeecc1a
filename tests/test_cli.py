"""The command line: tokbench count / tokbench encodings."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest

import tokbench
from tokbench.cli import main
from tokbench.corpus import read_documents

REPO = Path(__file__).resolve().parents[1]
UDHR = REPO / "corpora" / "udhr"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_count_csv_matches_count_batch_per_language(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "count", str(UDHR), "--encodings", "o200k_base,llama3", "--format", "csv"
    )
    assert code == 0
    rows = {r["lang"]: r for r in csv.DictReader(io.StringIO(out))}
    docs = list(read_documents([UDHR]))
    assert len(rows) == len({d.lang for d in docs}) == 532
    for name in ("o200k_base", "llama3"):
        enc = tokbench.get_encoding(name)
        for d in docs[::50]:
            assert int(rows[d.lang][name]) == enc.count(d.text), (name, d.lang)
    eng = next(d for d in docs if d.lang == "eng")
    assert int(rows["eng"]["chars"]) == len(eng.text)
    assert int(rows["eng"]["bytes"]) == len(eng.text.encode())


def test_count_text_files_lang_from_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "eng_Latn.dev").write_text("Hello world.\nSecond line.\n", encoding="utf-8")
    with gzip.open(tmp_path / "fra_Latn.dev.gz", "wt", encoding="utf-8") as f:
        f.write("Bonjour le monde.\n")
    code, out, _ = run(
        capsys, "count", str(tmp_path), "--encodings", "cl100k_base", "--format", "json"
    )
    assert code == 0
    result = json.loads(out)
    by_lang = {r["lang"]: r for r in result["languages"]}
    enc = tokbench.get_encoding("cl100k_base")
    assert by_lang["eng_Latn"]["docs"] == 2
    assert by_lang["eng_Latn"]["cl100k_base"] == enc.count("Hello world.") + enc.count(
        "Second line."
    )
    assert by_lang["fra_Latn"]["cl100k_base"] == enc.count("Bonjour le monde.")


def test_jsonl_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"body": "a b c", "lang": "xx"}) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "count", str(path), "--field", "body", "--encodings", "gpt2")
    assert code == 0
    assert "xx" in out
    code, _, err = run(capsys, "count", str(path), "--encodings", "gpt2")  # no "text" field
    assert code == 1
    assert "no field 'text'" in err


def test_bad_input_exit_code_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "count", str(tmp_path / "missing.txt"))
    assert code == 1
    assert "missing.txt" in err
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok line\n\xff\xfe broken\n")
    code, _, err = run(capsys, "count", str(bad), "--encodings", "gpt2")
    assert code == 1
    assert "bad.txt:2" in err
    assert "byte offset 8" in err
    code, _, err = run(capsys, "count", str(bad), "--encodings", "o200k")
    assert code == 1
    assert "o200k_base" in err  # the unknown-encoding message suggests the close name


def test_usage_error_exit_code_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["count"])
    assert info.value.code == 2


def test_encodings_lists_every_bundled_encoding(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "encodings")
    assert code == 0
    listed = [line.split()[0] for line in out.splitlines()]
    assert listed == tokbench.list_encoding_names()
