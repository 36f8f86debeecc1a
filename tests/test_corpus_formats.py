"""count_corpus reads every input format: plain text (per line, per file), JSON Lines, CSV,
TSV, Parquet, compressed files, standard input, directories and globs; errors are located
and skipped records are counted, never silent."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import pytest
from corpus_files import LINES, compress, write_jsonl, write_lines, write_table

import tokbench
from tokbench.corpus_errors import CorpusError, LocatedError, UsageError

ENC = "o200k_base"


@pytest.fixture(scope="module")
def enc() -> tokbench.Encoding:
    return tokbench.get_encoding(ENC)


def count(paths, **kw):
    kw.setdefault("progress", False)
    return tokbench.count_corpus(paths, [ENC], **kw)


def expected_tokens(enc, texts):
    return [enc.count(t) for t in texts]


def test_text_one_document_per_line(tmp_path: Path, enc) -> None:
    path = write_lines(tmp_path / "fra_Latn.dev", LINES)
    r = count([path])
    docs = r.documents
    assert docs is not None
    assert docs.tokens[ENC].tolist() == expected_tokens(enc, LINES)
    assert docs.record.tolist() == [1, 2, 3, 4, 5]
    assert docs.chars.tolist() == [12, 0, 16, 8, 14]  # code points, counted by hand
    # UTF-8: é, ö 2 bytes, — 3 bytes; the 8 kana/kanji 3 bytes each.
    assert docs.nbytes.tolist() == [12, 0, 20, 24, 14]
    assert list(r.languages) == ["fra_Latn"]  # from the file name
    assert r.languages["fra_Latn"].docs == 5
    assert r.total.nbytes == 70


def test_crlf_line_ends_are_not_text(tmp_path: Path) -> None:
    a = count([write_lines(tmp_path / "a.txt", LINES, newline="\r\n")])
    b = count([write_lines(tmp_path / "b.txt", LINES)])
    assert a.documents.tokens[ENC].tolist() == b.documents.tokens[ENC].tolist()
    assert a.documents.nbytes.tolist() == b.documents.nbytes.tolist()
    assert a.total.chars == b.total.chars
    # A carriage return inside a line is text.
    c = count([write_lines(tmp_path / "c.txt", ["a\rb", "é\r"], newline="\r\n")])
    assert c.documents.chars.tolist() == [3, 2]
    assert c.documents.nbytes.tolist() == [3, 3]


def test_last_line_without_newline_and_small_chunks(tmp_path: Path, enc) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes("\n".join(LINES * 50).encode())  # no final newline
    for chunk_bytes in (1, 7, 100, 1 << 20):
        r = count([path], chunk_bytes=chunk_bytes)
        assert r.documents.tokens[ENC].tolist() == expected_tokens(enc, LINES * 50)
        assert r.documents.record.tolist() == list(range(1, 251))
        assert r.documents.nbytes.tolist() == [len(t.encode()) for t in LINES * 50]


def test_per_file(tmp_path: Path, enc) -> None:
    for name in ("a.txt", "b.txt"):
        write_lines(tmp_path / name, LINES)
    r = count([tmp_path], per_file=True)
    whole = "\n".join(LINES) + "\n"
    assert r.documents.tokens[ENC].tolist() == [enc.count(whole)] * 2
    assert r.total.docs == 2
    with pytest.raises(UsageError, match="plain text"):
        count([write_jsonl(tmp_path / "c.jsonl", [{"text": "x"}])], per_file=True)


@pytest.mark.parametrize("kind", ["gz", "xz", "bz2", "zst"])
def test_compressed_equals_plain(tmp_path: Path, kind: str) -> None:
    plain = write_lines(tmp_path / "eng.txt", LINES * 20)
    packed = compress(plain, kind)
    a, b = count([plain]), count([packed])
    assert a.total == b.total
    assert list(b.languages) == ["eng"]  # the compression suffix is not part of the language
    assert b.documents.tokens[ENC].tolist() == a.documents.tokens[ENC].tolist()


def test_zstd_without_the_package_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    packed = compress(write_lines(tmp_path / "eng.txt", LINES), "zst")
    real = __import__("importlib").import_module

    def no_zstd(name, *a, **k):
        if name in ("zstandard", "compression.zstd"):
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr("importlib.import_module", no_zstd)
    with pytest.raises(CorpusError, match=r"eng\.txt\.zst.*pip install zstandard"):
        count([packed])


def test_jsonl_field_and_lang_field(tmp_path: Path, enc) -> None:
    records = [
        {"body": "one two", "l": "xx", "lang": "zz"},
        {"body": "three", "l": "yy"},
        {"body": "four five six", "l": "xx"},
    ]
    path = write_jsonl(tmp_path / "docs.jsonl", records)
    r = count([path], field="body", lang_field="l")
    assert list(r.languages) == ["xx", "yy"]
    assert r.languages["xx"].docs == 2
    assert r.languages["xx"].tokens[ENC] == enc.count("one two") + enc.count("four five six")
    # Without --lang-field: a record's "lang" field, else the file name.
    r = count([path], field="body")
    assert sorted(r.languages) == ["docs", "zz"]
    r = count([path], field="body", lang="abc")
    assert list(r.languages) == ["abc"]


def test_jsonl_missing_field_is_located_or_skipped_and_counted(tmp_path: Path, enc) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "a b"}\n{"title": "no text"}\n\n{"text": null}\n{"text": "c"}\n')
    with pytest.raises(LocatedError, match=r"d\.jsonl:2: no field 'text' \(fields: title\)"):
        count([path])
    r = count([path], skip_missing=True)
    assert r.total.docs == 2
    assert r.documents.record.tolist() == [1, 5]
    skipped = {(s.reason, s.count, s.first_line) for s in r.skipped}
    assert skipped == {("no field 'text'", 2, 2), ("blank line", 1, 3)}
    assert r.skipped_records == 3
    assert r.as_dict()["skipped"][0]["file"] == str(path)


def test_jsonl_bad_json_and_non_string_text(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok"}\n{"text": \n')
    with pytest.raises(LocatedError, match=r"bad\.jsonl:2: not a JSON object"):
        count([path])
    path.write_text('{"text": "ok"}\n[1, 2]\n')
    with pytest.raises(LocatedError, match=r"bad\.jsonl:2: expected a JSON object, got list"):
        count([path])
    path.write_text('{"text": 12}\n')
    with pytest.raises(LocatedError, match=r"bad\.jsonl:1: field 'text' is int"):
        count([path])


def test_csv_quoted_multiline_fields(tmp_path: Path, enc) -> None:
    rows = [["id", "text", "lang"], ["1", 'say "hi",\nthen go', "en"], ["2", "plain", "de"]]
    path = write_table(tmp_path / "t.csv", rows)
    r = count([path], lang_field="lang")
    assert r.documents.tokens[ENC].tolist() == [enc.count('say "hi",\nthen go'), enc.count("plain")]
    assert r.documents.record.tolist() == [2, 4]  # the line each record starts on
    assert sorted(r.languages) == ["de", "en"]


def test_csv_missing_column_and_short_rows(tmp_path: Path) -> None:
    path = write_table(tmp_path / "t.csv", [["id", "body"], ["1", "x"]])
    with pytest.raises(CorpusError, match=r"t\.csv: no column 'text' \(columns: id, body\)"):
        count([path])
    path = write_table(tmp_path / "s.csv", [["id", "text"], ["1", "x"], ["2"], [], ["3", ""]])
    with pytest.raises(LocatedError, match=r"s\.csv:3: no field 'text'"):
        count([path])
    r = count([path], skip_missing=True)
    assert r.total.docs == 2  # "x" and the empty text (an empty document, not a missing one)
    assert {(s.reason, s.first_line) for s in r.skipped} == {
        ("no field 'text'", 3),
        ("blank line", 4),
    }


def test_tsv_is_not_quoted(tmp_path: Path, enc) -> None:
    path = write_table(tmp_path / "t.tsv", [["text"], ['a "quoted" word'], ["b"]], delimiter="\t")
    r = count([path])
    assert r.documents.tokens[ENC].tolist() == [enc.count('a "quoted" word'), enc.count("b")]


def test_parquet(tmp_path: Path, enc) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    texts = ["alpha beta", None, "γάμμα", "delta"]
    table = pa.table({"content": texts, "lang": ["en", "en", "el", None]})
    path = tmp_path / "p.parquet"
    pq.write_table(table, path, row_group_size=2)
    with pytest.raises(LocatedError, match=r"p\.parquet:2: no field 'content' \(null\)"):
        count([path], field="content")
    r = count([path], field="content", skip_missing=True)
    assert r.documents.tokens[ENC].tolist() == [enc.count(t) for t in texts if t is not None]
    assert r.documents.record.tolist() == [1, 3, 4]
    assert r.languages["en"].docs == 1
    assert r.languages["el"].docs == 1
    assert r.languages["p"].docs == 1  # no language in the row: the file name
    assert [(s.reason, s.count, s.first_line) for s in r.skipped] == [("no field 'content'", 1, 2)]
    with pytest.raises(CorpusError, match="no column 'text'"):
        count([path])


def test_parquet_without_pyarrow_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "p.parquet"
    path.write_bytes(b"PAR1")
    real = __import__("importlib").import_module

    def no_arrow(name, *a, **k):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr("importlib.import_module", no_arrow)
    with pytest.raises(CorpusError, match=r"p\.parquet: reading Parquet needs pyarrow"):
        count([path])


def test_stdin_plain_and_compressed(monkeypatch, enc) -> None:
    import gzip

    data = "".join(line + "\n" for line in LINES).encode()
    for payload in (data, gzip.compress(data)):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload)))
        r = count(["-"])
        assert r.documents.tokens[ENC].tolist() == expected_tokens(enc, LINES)
        assert list(r.files) == ["<stdin>"]
        assert list(r.languages) == ["und"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"t": "x y"}\n')))
    r = count(["-"], input_format="jsonl", field="t", lang="en")
    assert r.languages["en"].tokens[ENC] == enc.count("x y")


def test_directories_and_globs(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write_lines(tmp_path / "a.txt", ["a"])
    write_lines(tmp_path / "sub" / "b.dev", ["b", "c"])
    compress(write_lines(tmp_path / "sub" / "c.txt", ["d"]), "gz")
    write_lines(tmp_path / "index.tsv", ["not a corpus file"])
    write_lines(tmp_path / "notes.md", ["not a corpus file"])
    r = count([tmp_path])
    names = [Path(f).name for f in r.files]
    assert names == ["a.txt", "b.dev", "c.txt", "c.txt.gz"]
    r = count([str(tmp_path / "**" / "*.txt*")])
    assert sorted(Path(f).name for f in r.files) == ["a.txt", "c.txt", "c.txt.gz"]
    with pytest.raises(CorpusError, match=r"no files match"):
        count([str(tmp_path / "*.nothing")])
    with pytest.raises(CorpusError, match="no such file or directory"):
        count([tmp_path / "missing.txt"])


def test_invalid_utf8_is_located_unless_replaced(tmp_path: Path, enc) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"fine\nalso fine\nbro\xffken\n")
    for chunk_bytes in (1, 1 << 20):
        with pytest.raises(LocatedError, match=r"bad\.txt:3: invalid UTF-8 at byte offset 18"):
            count([path], chunk_bytes=chunk_bytes)
    r = count([path], errors="replace")
    assert r.documents.tokens[ENC].tolist()[2] == enc.count("bro\ufffdken")
    gz = compress(path, "gz")
    with pytest.raises(LocatedError, match=r"bad\.txt\.gz:3: invalid UTF-8 at byte offset 18"):
        count([gz])
    with pytest.raises(UsageError, match="errors must be"):
        count([path], errors="ignore")


def test_progress_callback_sees_bytes_and_total(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "a.txt", LINES * 400)
    seen = []
    count([path], progress=seen.append, chunk_bytes=4096)
    assert len(seen) > 3
    assert seen[-1].total_bytes == path.stat().st_size
    assert seen[-1].done_bytes == path.stat().st_size
    assert seen[-1].docs == 2000
    done = [p.done_bytes for p in seen]
    assert done == sorted(done)
    assert np.all(np.diff([p.docs for p in seen]) > 0)
