"""Opening one input as a stream of (decompressed) bytes: files, gzip/xz/bz2/zstd, stdin.

The stream keeps a handle on the underlying file so that progress can be measured in bytes
of the file as stored (compressed bytes for a compressed file): that is what the total size
of the inputs is known in, so the ETA stays meaningful.
"""

from __future__ import annotations

import bz2
import gzip
import importlib
import io
import lzma
import sys
from pathlib import Path
from typing import IO, Any

from ..corpus_errors import CorpusError, MissingDependencyError

COMPRESSION_SUFFIXES = {".gz": "gzip", ".xz": "xz", ".bz2": "bz2", ".zst": "zstd", ".zstd": "zstd"}

# Magic numbers, for standard input (which has no file name to go by).
_MAGIC = (
    (b"\x1f\x8b", "gzip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"BZh", "bz2"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
)


def compression_of(name: str) -> str | None:
    """'gzip', 'xz', 'bz2', 'zstd' from the file name's last suffix, or None."""
    return COMPRESSION_SUFFIXES.get(Path(name).suffix.lower())


def _zstd_reader(raw: IO[bytes], name: str) -> IO[bytes]:
    # Python 3.14 has zstd in the standard library; before that, the zstandard package.
    try:
        stdlib_zstd: Any = importlib.import_module("compression.zstd")
    except ImportError:
        pass
    else:
        return stdlib_zstd.ZstdFile(raw, "rb")  # type: ignore[no-any-return]
    try:
        zstandard: Any = importlib.import_module("zstandard")
    except ImportError:
        msg = (
            f"{name}: reading zstd-compressed files needs the zstandard package "
            "(pip install zstandard, or tokbench[formats]) or Python 3.14+"
        )
        raise MissingDependencyError(msg) from None
    # read_across_frames: files made by concatenating zstd frames (as `zstd` allows) read whole.
    return io.BufferedReader(
        zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
    )


def decompressing(raw: IO[bytes], kind: str | None, name: str) -> IO[bytes]:
    """`raw` read through the decompressor for `kind` (None: as is)."""
    if kind is None:
        return raw
    if kind == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if kind == "xz":
        return lzma.LZMAFile(raw, "rb")
    if kind == "bz2":
        return bz2.BZ2File(raw, "rb")
    return _zstd_reader(raw, name)


def open_decompressed(path: Path) -> IO[bytes]:
    """A file's decompressed bytes, as one file object that closes the file with it."""
    raw = path.open("rb")
    try:
        kind = compression_of(path.name)
        if kind is None:
            return raw
        return _Owning(decompressing(raw, kind, str(path)), raw)
    except BaseException:
        raw.close()
        raise


class _Owning(io.BufferedReader):
    """A buffered reader over a decompressor that also closes the underlying file."""

    def __init__(self, inner: IO[bytes], raw: IO[bytes]) -> None:
        super().__init__(inner)  # type: ignore[arg-type]
        self._file = raw

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._file.close()


class InputStream:
    """The decompressed bytes of one input (`read`), and how far into the stored file the
    reading has got (`position`). A context manager that closes both."""

    def __init__(self, raw: IO[bytes], kind: str | None, name: str, *, close_raw: bool) -> None:
        self.name = name
        self._raw = raw
        self._close_raw = close_raw
        self.stream = decompressing(raw, kind, name)

    def read(self, n: int) -> bytes:
        try:
            return self.stream.read(n)
        except (OSError, EOFError, lzma.LZMAError) as e:
            msg = f"{self.name}: cannot decompress ({e})"
            raise CorpusError(msg) from e

    def readinto(self, view: memoryview) -> int:
        """read() into `view` (no copy for plain files); the number of bytes read."""
        try:
            return self.stream.readinto(view)  # type: ignore[attr-defined,no-any-return]
        except (OSError, EOFError, lzma.LZMAError) as e:
            msg = f"{self.name}: cannot decompress ({e})"
            raise CorpusError(msg) from e

    def position(self) -> int:
        try:
            return self._raw.tell()
        except (OSError, ValueError):
            return 0

    def close(self) -> None:
        if self.stream is not self._raw:
            self.stream.close()
        if self._close_raw:
            self._raw.close()

    def __enter__(self) -> InputStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_path(path: Path) -> InputStream:
    """A file, decompressed by its suffix."""
    try:
        raw = path.open("rb")
    except OSError as e:
        msg = f"{path}: cannot open ({e.strerror})"
        raise CorpusError(msg) from e
    try:
        return InputStream(raw, compression_of(path.name), str(path), close_raw=True)
    except BaseException:
        raw.close()
        raise


def open_stdin() -> InputStream:
    """Standard input, decompressed if it starts with a gzip/xz/bz2/zstd magic number."""
    raw = sys.stdin.buffer
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)  # type: ignore[type-var]
    head = buffered.peek(8)[:8]
    kind = next((k for magic, k in _MAGIC if head.startswith(magic)), None)
    return InputStream(buffered, kind, "<stdin>", close_raw=False)
