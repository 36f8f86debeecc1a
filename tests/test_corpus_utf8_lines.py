"""Plain-text lines counted straight from their UTF-8 bytes (tokbench._core.line_spans, then
Encoding._count_spans) give exactly what decoding them to str gives: the same lines, sizes,
token counts, languages, and errors at the same place."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from corpus_files import LINES, compress, write_lines
from corpus_texts import udhr_all
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from references import FLORES_DIR
from strategies import interesting_text

import tokbench
from tokbench import _core
from tokbench.corpus_errors import CorpusError
from tokbench.corpus_result import CorpusCounts
from tokbench.encoding import Encoding
from tokbench.estimate import EstimatedEncoding
from tokbench.reading import lines as lines_module

# A mixed list: counted from bytes (o200k, cl100k: byte-level core; gemma3: SentencePiece
# core; the Claude estimate through its o200k proxy) and from str (qwen3 normalizes to NFC in
# Python, command_r pre-tokenizes in Python).
MIXED = ["o200k_base", "cl100k_base", "gemma3", "qwen3", "command_r", "claude_3_to_4_6"]
FROM_BYTES = {"o200k_base", "cl100k_base", "gemma3", "claude_3_to_4_6"}


# -- line_spans against Python's decode and split -------------------------------------------


def reference_lines(data: bytes) -> list[bytes]:
    """The lines the text reader has always made, cut from the bytes by hand: at "\\n", no
    empty line after a final "\\n", one trailing "\\r" dropped."""
    parts = data.split(b"\n")
    if parts[-1] == b"":
        parts.pop()
    return [p.removesuffix(b"\r") for p in parts]


def check_line_spans(data: bytes) -> None:
    starts, lengths, chars, invalid_at = _core.line_spans(data)
    bad = -1
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        bad = e.start
    assert invalid_at == bad, data
    # Up to the line that holds the bad byte, if any.
    expected = reference_lines(data if bad < 0 else data[: data.rfind(b"\n", 0, bad) + 1])
    got = [data[s : s + n] for s, n in zip(starts.tolist(), lengths.tolist(), strict=True)]
    assert got == expected
    assert chars.tolist() == [len(line.decode("utf-8")) for line in expected]
    if expected:
        ends = starts + lengths
        assert all(data[e : e + 1] in (b"", b"\n", b"\r") for e in ends.tolist())


def test_line_spans_by_hand() -> None:
    starts, lengths, chars, invalid_at = _core.line_spans(b"a\r\nb\n\xc3\xa9\n\n\xef\xbb\xbfx\r")
    assert (starts.tolist(), lengths.tolist(), chars.tolist(), invalid_at) == (
        [0, 3, 5, 8, 9],
        [1, 1, 2, 0, 4],  # "a", "b", "é", "", BOM + "x" (the trailing "\r" dropped)
        [1, 1, 1, 0, 2],
        -1,
    )
    assert _core.line_spans(b"")[0].tolist() == []
    assert _core.line_spans(bytearray(b"\n"))[1].tolist() == [0]
    assert _core.line_spans(memoryview(b"ok\nab\xe4\n"))[3] == 5  # truncated sequence
    with pytest.raises(TypeError):
        _core.line_spans("text")  # type: ignore[arg-type]


def test_every_two_byte_sequence_across_the_steps_of_the_fast_path() -> None:
    # The fast path reads 32 bytes at a time (16 per lane): pairs that straddle them too.
    for prefix in (b"", b"x" * 15, b"x" * 31):
        for first in range(256):
            for second in range(256):
                check_line_spans(prefix + bytes((first, second)) + b"z")


def test_three_and_four_byte_sequences() -> None:
    # Lead bytes against the boundaries of the second-byte ranges (overlongs, surrogates,
    # past U+10FFFF), complete, truncated, and followed by more text.
    edges = [0x0A, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xE0, 0xF4, 0xFF]
    for lead in range(0xE0, 0x100):
        for b1 in edges:
            for b2 in (0x41, 0x80, 0xBF, 0xC2):
                check_line_spans(b"abc" + bytes((lead, b1, b2)))
                for b3 in (0x0A, 0x80, 0xBF, 0xE0):
                    for pad in (13, 29):  # across a 16- and a 32-byte step
                        check_line_spans(b"x" * pad + bytes((lead, b1, b2, b3)) + b"tail\n")


def test_count_spans_checks_its_arguments() -> None:
    core = tokbench.get_encoding("o200k_base")._backend._core  # type: ignore[attr-defined]
    data = b"hello world\r\nbye"
    starts, lengths, _, _ = _core.line_spans(data)
    assert core.count_spans(data, starts, lengths, 1).tolist() == [2, 1]  # "hello", " world"
    assert core.count_spans(bytearray(data), starts[1:], lengths[1:]).tolist() == [1]
    with pytest.raises(ValueError, match="not inside"):
        core.count_spans(data, np.array([10]), np.array([7]))
    with pytest.raises(ValueError, match="same length"):
        core.count_spans(data, starts, lengths[:1])
    with pytest.raises(TypeError, match="got str"):
        core.count_spans("hello", starts, lengths)


@given(st.binary(max_size=80), st.integers(0, 40))
def test_any_bytes(data: bytes, pad: int) -> None:
    check_line_spans(b"a" * pad + data)


@given(st.lists(interesting_text(), max_size=12), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_text_lines(lines: list[str], end: str, last_end: bool) -> None:
    text = end.join(lines) + (end if last_end else "")
    check_line_spans(text.encode("utf-8"))


# -- count_corpus: from bytes = from str -----------------------------------------------------


@contextlib.contextmanager
def str_path() -> Iterator[None]:
    """Every block decoded to str, as before the bytes path existed."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(lines_module, "utf8_lines", lambda data, release: None)
        yield


@contextlib.contextmanager
def counted_from_bytes() -> Iterator[set[str]]:
    """The names of the encodings that counted something from bytes while inside."""
    names: set[str] = set()

    def spy(cls: type[Encoding]) -> object:
        original = cls._count_spans

        def count_spans(self: Encoding, *args: object, **kwargs: object) -> object:
            out = original(self, *args, **kwargs)  # type: ignore[arg-type]
            if out is not None:
                names.add(self.name)
            return out

        return count_spans

    with pytest.MonkeyPatch.context() as mp:
        for cls in (Encoding, EstimatedEncoding):
            mp.setattr(cls, "_count_spans", spy(cls))
        yield names


def assert_same(a: CorpusCounts, b: CorpusCounts) -> None:
    assert (a.encodings, a.complete, a.skipped) == (b.encodings, b.complete, b.skipped)
    assert a.files == b.files
    assert a.languages == b.languages
    assert a.total == b.total
    assert a.lang_names == b.lang_names
    if a.documents is None or b.documents is None:
        assert a.documents is b.documents is None
        return
    for key in ("file", "record", "lang", "chars", "nbytes"):
        x, y = getattr(a.documents, key), getattr(b.documents, key)
        assert x.dtype == y.dtype, key
        assert np.array_equal(x, y), key
    assert a.documents.tokens.keys() == b.documents.tokens.keys()
    for name, x in a.documents.tokens.items():
        y = b.documents.tokens[name]
        assert x.dtype == y.dtype, name
        assert np.array_equal(x, y), name


def both_ways(
    paths: list[Path], encodings: list[str], *, check_path: bool = True, **options: object
) -> CorpusCounts:
    """count_corpus from bytes and from str: the same result (which is returned). With
    `check_path`, also that exactly the encodings that can count bytes did so."""
    with counted_from_bytes() as names:
        got = tokbench.count_corpus(paths, encodings, progress=False, **options)  # type: ignore[arg-type]
    with str_path():
        expected = tokbench.count_corpus(paths, encodings, progress=False, **options)  # type: ignore[arg-type]
    assert_same(got, expected)
    if check_path:
        assert names == FROM_BYTES & set(encodings)
    return got


def test_flores_and_udhr_lines(tmp_path: Path) -> None:
    files, docs = [], 0
    if FLORES_DIR.is_dir():  # the shared data folder (never in the repository)
        for lang in ("eng_Latn", "zho_Hans", "jpn_Jpan", "tha_Thai", "arb_Arab", "hin_Deva"):
            lines = (FLORES_DIR / f"{lang}.dev").read_text(encoding="utf-8").split("\n")
            files.append(write_lines(tmp_path / f"{lang}.dev", lines[:-1][::15]))
            docs += len(lines[:-1][::15])
    # The shipped UDHR: every paragraph of a sample of declarations (all scripts).
    paragraphs = [p for t in udhr_all()[::9] for p in t.text.split("\n")]
    files.append(write_lines(tmp_path / "udhr.txt", paragraphs))
    r = both_ways(files, MIXED, chunk_bytes=1 << 15, num_threads=2)
    assert r.total.docs == docs + len(paragraphs)


def test_line_ends_bom_and_blocks(tmp_path: Path) -> None:
    crlf = write_lines(tmp_path / "crlf.txt", [*LINES, "a\rb", "\r", ""], newline="\r\n")
    no_final = tmp_path / "no_final.txt"
    no_final.write_bytes("first\n\nlast line é\r".encode())
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeffHello\n\ufeff\nworld\n".encode())
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"\n\n\r\n\n")
    long = write_lines(tmp_path / "long.txt", ["short", "日本語 " * 300, "x" * 5000, "end"])
    gz = compress(write_lines(tmp_path / "z.txt", LINES * 40), "gz")
    files = [crlf, no_final, bom, empty, blank, long, gz]
    for chunk_bytes in (7, 100, 1 << 20):
        r = both_ways(files, ["o200k_base", "qwen3", "gemma3"], chunk_bytes=chunk_bytes)
        assert r.files[str(bom)].chars == len("\ufeffHello\ufeffworld")
        assert r.files[str(no_final)].docs == 3


def test_invalid_utf8_strict_and_replace(tmp_path: Path) -> None:
    good = "\n".join(LINES * 30).encode() + b"\n"
    path = tmp_path / "bad.txt"
    # The bad bytes come in a later block than the first: the line and offset carry over.
    path.write_bytes(good + b"ok \xe4\xb8 cut\r\nsurrogate \xed\xa0\x80\n" + good)
    errors = []
    for way in (contextlib.nullcontext(), str_path()):
        with way, pytest.raises(CorpusError) as info:
            tokbench.count_corpus([path], ["o200k_base"], progress=False, chunk_bytes=256)
        errors.append(info.value)
    native, text = errors
    assert (native.path, native.line, native.offset, str(native)) == (
        text.path,
        text.line,
        text.offset,
        str(text),
    )
    assert (native.line, native.offset) == (len(LINES) * 30 + 1, len(good) + 3)
    r = both_ways([path], ["o200k_base", "qwen3"], chunk_bytes=256, errors="replace")
    # Python's replacement: one U+FFFD for the cut-off sequence E4 B8, one per byte of the
    # encoded surrogate ED A0 80 (ED is never followed by A0).
    replaced = len("ok \ufffd cut") + len("surrogate \ufffd\ufffd\ufffd")
    assert r.total.chars == 2 * 30 * sum(map(len, LINES)) + replaced


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(interesting_text(), max_size=30),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
    st.integers(1, 120),
)
def test_hypothesis_files(lines: list[str], end: str, last_end: bool, chunk_bytes: int) -> None:
    text = end.join(lines) + (end if last_end and lines else "")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "h.txt"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        encodings = ["o200k_base", "qwen3", "gemma3"]
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: invalid UTF-8 on disk
            r = both_ways(
                [path], encodings, check_path=False, chunk_bytes=chunk_bytes, errors="replace"
            )
            assert r.total.docs == len(lines)
            return
        r = both_ways([path], encodings, check_path=bool(text), chunk_bytes=chunk_bytes)
        assert r.total.docs == len(reference_lines(text.encode()))
