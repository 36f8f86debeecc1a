"""Deterministic benchmark slices, shared by throughput.py, worst_case.py and test_throughput.py.

Every slice is a list of documents (str) built from the read-only shared corpora
(`references.CORPORA_DIR`, i.e. ../shared/corpora next to the repository):

- one slice per language (FLORES-200 code, e.g. ``eng_Latn``): the 997 FLORES dev sentences
  (one document per line) plus the UDHR preamble and articles of that language (one document
  per paragraph);
- ``code``: a deterministic ~300 KB sample of CPython standard-library files (one per document);
- ``whitespace``: ~200 KB of re-indented code (tabs, deep indents, trailing blanks) and of text
  whose words are separated by runs of spaces, tabs and newlines of varied lengths;
- ``mixed``: the documents of all language slices and ``code``, shuffled by document.

Nothing here is random at run time: the same corpora always give the same slices. The corpora
location is, in order: an explicit argument, the ``TOKBENCH_CORPORA`` environment variable,
``references.CORPORA_DIR``. A slice whose source files are missing is skipped (see
``build_slices``), never an error.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS_DIR = ROOT / "tests"

# FLORES code -> UDHR declaration code (udhr_articles.jsonl "code" field).
LANGS: dict[str, str] = {
    "eng_Latn": "eng",
    "zho_Hans": "cmn_hans",
    "jpn_Jpan": "jpn",
    "kor_Hang": "kor",
    "rus_Cyrl": "rus",
    "arb_Arab": "arb",
    "hin_Deva": "hin",
    "tha_Thai": "tha",
}
SLICE_NAMES: tuple[str, ...] = (*LANGS, "code", "whitespace", "mixed")

SEED = 20240601
CODE_TARGET_BYTES = 300_000
WHITESPACE_TARGET_BYTES = 200_000
_CODE_FILE_MIN, _CODE_FILE_MAX = 1_000, 40_000


def tokbench_path() -> str:
    """The directory holding the tokbench this process imports (installed or built in place),
    for subprocesses: putting the repository first would import the source tree instead."""
    import tokbench

    return str(Path(tokbench.__file__).resolve().parents[1])


def ensure_import_paths() -> None:
    """Make `import tokbench` and `import references` work when run as `python bench/x.py`."""
    for p in (ROOT, TESTS_DIR):
        if str(p) not in sys.path:
            sys.path.append(str(p))


@dataclass(frozen=True)
class Slice:
    """A named list of documents, with its size. `source` says where the text came from."""

    name: str
    docs: tuple[str, ...]
    source: str
    nbytes: int = field(init=False)
    nchars: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "nbytes", sum(len(d.encode("utf-8")) for d in self.docs))
        object.__setattr__(self, "nchars", sum(len(d) for d in self.docs))

    @property
    def ndocs(self) -> int:
        return len(self.docs)

    def sample(self, max_bytes: int) -> Slice:
        """The first documents of the slice, up to about `max_bytes` UTF-8 bytes (>= 1 doc)."""
        out: list[str] = []
        total = 0
        for d in self.docs:
            if out and total + len(d.encode("utf-8")) > max_bytes:
                break
            out.append(d)
            total += len(d.encode("utf-8"))
        return Slice(self.name, tuple(out), f"{self.source} (first {len(out)} docs)")


def corpora_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Where the shared corpora are: `path`, else $TOKBENCH_CORPORA, else references'."""
    if path:
        return Path(path)
    env = os.environ.get("TOKBENCH_CORPORA")
    if env:
        return Path(env)
    ensure_import_paths()
    # Lazy: importing references imports tiktoken and tokenizers.
    import references

    return Path(references.CORPORA_DIR)


# -- sources -------------------------------------------------------------------------------


def _flores(root: Path, lang: str) -> list[str]:
    path = root / "flores200_dev" / f"{lang}.dev"
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _udhr_declarations(root: Path) -> dict[str, dict[str, object]]:
    path = root / "udhr" / "udhr_articles.jsonl"
    wanted = set(LANGS.values())
    out: dict[str, dict[str, object]] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["code"] in wanted:
                out[d["code"]] = d
    return out


def _udhr_paragraphs(decl: dict[str, object]) -> list[str]:
    parts: list[str] = [str(decl.get("title") or ""), str(decl.get("preamble") or "")]
    articles = decl.get("articles") or {}
    if isinstance(articles, dict):
        parts += [str(articles[k]) for k in sorted(articles, key=lambda k: int(k))]
    return [p for part in parts for p in part.split("\n") if p.strip()]


def _code_files(root: Path) -> list[tuple[str, str]]:
    path = root / "code" / "cpython_stdlib_py.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        files = [(d["path"], d["text"]) for d in map(json.loads, f)]
    files.sort()
    random.Random(SEED).shuffle(files)
    return [(p, t) for p, t in files if _CODE_FILE_MIN <= len(t.encode("utf-8")) <= _CODE_FILE_MAX]


def _take(texts: Iterable[str], target: int) -> list[str]:
    out: list[str] = []
    total = 0
    for t in texts:
        if total >= target:
            break
        out.append(t)
        total += len(t.encode("utf-8"))
    return out


# -- slice builders ------------------------------------------------------------------------


def language_slice(root: Path, lang: str) -> Slice:
    docs = _flores(root, lang)
    source = f"FLORES-200 dev {lang}"
    udhr_code = LANGS.get(lang)
    decl = _udhr_declarations(root).get(udhr_code or "") if udhr_code else None
    if decl is not None:
        docs += _udhr_paragraphs(decl)
        source += f" + UDHR {udhr_code}"
    return Slice(lang, tuple(docs), source)


def code_slice(root: Path) -> Slice:
    docs = _take((t for _, t in _code_files(root)), CODE_TARGET_BYTES)
    return Slice("code", tuple(docs), f"CPython 3.11 stdlib, {len(docs)} files (seed {SEED})")


def _reindent(text: str, rng: random.Random) -> str:
    """Code with a different indentation style and some trailing/blank-line whitespace."""
    style = rng.choice(("tab", "8", "2", "mixed"))
    out: list[str] = []
    for line in text.split("\n"):
        body = line.lstrip(" ")
        level = (len(line) - len(body)) // 4
        if style == "tab":
            indent = "\t" * level
        elif style == "8":
            indent = " " * (8 * level)
        elif style == "2":
            indent = " " * (2 * level)
        else:
            indent = "\t" * (level // 2) + "    " * (level % 2)
        roll = rng.random()
        if roll < 0.08:
            body += " " * rng.randint(1, 12)
        elif roll < 0.12:
            body += "\t" * rng.randint(1, 3)
        out.append(indent + body)
        if rng.random() < 0.05:
            out.append(" " * rng.randint(1, 24))
    return "\n".join(out)


_RUNS: tuple[tuple[str, int], ...] = (
    (" ", 1),
    (" ", 2),
    (" ", 3),
    (" ", 4),
    (" ", 8),
    (" ", 16),
    (" ", 31),
    (" ", 64),
    ("\t", 1),
    ("\t", 2),
    ("\t", 5),
    ("\n", 1),
    ("\n", 2),
    ("\n", 3),
    ("\n", 7),
    ("\r\n", 1),
    ("\r\n", 3),
)
_MIXED_RUNS: tuple[str, ...] = (" \t", "\t ", " \n", "\n ", " \n\t", "\n\n    ", "  \r\n\t  ")


def _spaced(sentences: Sequence[str], rng: random.Random) -> str:
    """Sentences whose words are separated by whitespace runs of varied kind and length."""
    out: list[str] = []
    for sent in sentences:
        for word in sent.split(" "):
            out.append(word)
            roll = rng.random()
            if roll < 0.55:
                out.append(" ")
            elif roll < 0.9:
                unit, n = rng.choice(_RUNS)
                out.append(unit * n)
            else:
                out.append(rng.choice(_MIXED_RUNS) * rng.randint(1, 6))
        out.append(rng.choice(("\n", "\n\n", "  \n", "\t\n", "\n" * rng.randint(3, 12))))
    return "".join(out)


def whitespace_slice(root: Path) -> Slice:
    rng = random.Random(SEED + 1)
    files = _code_files(root)
    # Code files after those used by the `code` slice, re-indented.
    used = len(_take((t for _, t in files), CODE_TARGET_BYTES))
    code_docs = _take((_reindent(t, rng) for _, t in files[used:]), WHITESPACE_TARGET_BYTES // 2)
    sentences: list[str] = []
    for lang in ("eng_Latn", "rus_Cyrl", "zho_Hans", "hin_Deva"):
        path = root / "flores200_dev" / f"{lang}.dev"
        if path.is_file():
            sentences += _flores(root, lang)[:250]
    text_docs: list[str] = []
    total = 0
    i = 0
    while sentences and total < WHITESPACE_TARGET_BYTES // 2:
        group = [sentences[(i + k) % len(sentences)] for k in range(8)]
        i += 8
        doc = _spaced(group, rng)
        text_docs.append(doc)
        total += len(doc.encode("utf-8"))
    docs = code_docs + text_docs
    rng.shuffle(docs)
    return Slice(
        "whitespace",
        tuple(docs),
        f"{len(code_docs)} re-indented stdlib files + {len(text_docs)} whitespace-run texts "
        f"(seed {SEED + 1})",
    )


def mixed_slice(parts: Sequence[Slice]) -> Slice:
    docs = [d for s in parts for d in s.docs]
    random.Random(SEED + 2).shuffle(docs)
    names = "+".join(s.name for s in parts)
    return Slice("mixed", tuple(docs), f"shuffled documents of {names} (seed {SEED + 2})")


def build_slices(
    names: Sequence[str] = SLICE_NAMES,
    root: str | os.PathLike[str] | None = None,
    *,
    log: bool = True,
) -> dict[str, Slice]:
    """The requested slices, in the order asked; slices whose sources are absent are skipped.

    Args:
        names: slice names (FLORES language codes in LANGS, "code", "whitespace", "mixed").
        root: the corpora folder (default: see corpora_dir()).
        log: print a line for each skipped slice.
    """
    base = corpora_dir(root)
    unknown = [n for n in names if n not in SLICE_NAMES and n not in _extra_langs(base)]
    if unknown:
        msg = f"unknown slice(s) {unknown}; known: {', '.join(SLICE_NAMES)}"
        raise ValueError(msg)
    built: dict[str, Slice] = {}

    def get(name: str) -> Slice | None:
        if name in built:
            return built[name]
        try:
            if name == "code":
                s = code_slice(base)
            elif name == "whitespace":
                s = whitespace_slice(base)
            elif name == "mixed":
                subs = [get(n) for n in (*LANGS, "code")]
                parts = [p for p in subs if p is not None]
                if not parts:
                    return None
                s = mixed_slice(parts)
            else:
                s = language_slice(base, name)
        except (FileNotFoundError, NotADirectoryError, OSError) as e:
            if log:
                print(f"[corpus] skipping slice {name!r}: {e}")
            return None
        if not s.docs:
            if log:
                print(f"[corpus] skipping slice {name!r}: no documents")
            return None
        built[name] = s
        return s

    out: dict[str, Slice] = {}
    for name in names:
        s = get(name)
        if s is not None:
            out[name] = s
    return out


def _extra_langs(base: Path) -> set[str]:
    """Other FLORES languages present in the corpora (usable as slices, FLORES text only)."""
    folder = base / "flores200_dev"
    return {p.stem for p in folder.glob("*.dev")} if folder.is_dir() else set()


def add_corpora_option(ap: argparse.ArgumentParser) -> None:
    """The --corpora option of the bench scripts (passed to build_slices as `root`)."""
    ap.add_argument(
        "--corpora",
        default=None,
        help="corpora folder (default: $TOKBENCH_CORPORA, else references.CORPORA_DIR)",
    )


def main() -> None:
    ap = argparse.ArgumentParser(description="Print the benchmark slices and their sizes.")
    add_corpora_option(ap)
    args = ap.parse_args()
    for s in build_slices(root=args.corpora).values():
        print(f"{s.name:<11} docs={s.ndocs:>6} bytes={s.nbytes:>9} chars={s.nchars:>9}  {s.source}")


if __name__ == "__main__":
    main()
