"""Parallel corpora: the same content in many languages, split into aligned units.

A unit is the piece of text that is a translation of the same piece in every other language:
a UDHR article (or its title or preamble), a FLORES sentence (a line), or a record with the
same id. Premiums compare languages over the units both have.

Layouts read:
- the UDHR collection: a ``*.jsonl`` (``.xz``/``.gz``) file whose records have ``code``,
  ``script``, ``title``, ``preamble`` and ``articles`` (the shipped ``corpora/udhr``), or a
  directory holding one; languages are the declarations' codes, English is ``eng``;
- one file per language, aligned by line: ``<lang>.<split>`` (FLORES-200/FLORES+:
  ``eng_Latn.dev``, ``eng_Latn.devtest``) or ``<lang>.txt``; the unit is (split, line
  number); English is ``eng_Latn`` when present, else ``eng``;
- one JSON Lines file per language, aligned by id: ``<lang>.jsonl`` with ``id`` and ``text``
  fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..corpus import CorpusError, base_name, json_records, lines

UnitId = str

# Scripts written without spaces between words: tokens per word is not reported for them.
NO_SPACE_SCRIPTS = frozenset(
    {"Hans", "Hant", "Hani", "Jpan", "Thai", "Khmr", "Laoo", "Mymr", "Tibt", "Yiii", "Bali", "Java"}
)
ENGLISH_CODES = ("eng_Latn", "eng")


@dataclass
class Language:
    code: str
    script: str  # ISO 15924, or "" if unknown
    name: str
    units: dict[UnitId, str] = field(default_factory=dict)

    @property
    def space_separated(self) -> bool:
        return self.script not in NO_SPACE_SCRIPTS


@dataclass
class ParallelCorpus:
    """Languages by code (sorted), the English one, and where the corpus came from."""

    languages: dict[str, Language]
    english: str
    source: str
    layout: str  # "udhr", "lines" or "ids"

    def common_units(self, code: str) -> list[UnitId]:
        """Units that both `code` and English have (non-empty), in English's order."""
        lang = self.languages[code].units
        return [u for u, t in self.languages[self.english].units.items() if t and lang.get(u)]


def _udhr_records(path: Path) -> Iterator[dict[str, object]]:
    for lineno, record in json_records(path):
        if "code" not in record or "articles" not in record:
            msg = f"{path}:{lineno}: not a UDHR record (needs 'code' and 'articles')"
            raise CorpusError(msg)
        yield record


def _read_udhr(path: Path) -> dict[str, Language]:
    languages: dict[str, Language] = {}
    for r in _udhr_records(path):
        units: dict[UnitId, str] = {}
        for key in ("title", "preamble"):
            if r.get(key):
                units[key] = str(r[key])
        articles = r.get("articles") or {}
        if isinstance(articles, dict):
            for k in sorted(articles, key=int):
                if articles[k]:
                    units[f"article {k}"] = str(articles[k])
        code = str(r["code"])
        languages[code] = Language(
            code, str(r.get("script") or ""), str(r.get("name") or ""), units
        )
    return languages


def _script_of(code: str) -> str:
    # FLORES codes carry the script: "zho_Hans" -> "Hans".
    tail = code.rsplit("_", 1)[-1]
    return tail if len(tail) == 4 and tail[0].isupper() else ""


def _read_per_language(files: list[Path]) -> tuple[dict[str, Language], str]:
    languages: dict[str, Language] = {}
    layout = ""
    for f in files:
        base = base_name(f)
        code, _, split = base.partition(".")
        is_jsonl = base.endswith(".jsonl")
        kind = "ids" if is_jsonl else "lines"
        if layout and kind != layout:
            msg = f"{f}: mixes .jsonl (aligned by id) with line-aligned files in one corpus"
            raise CorpusError(msg)
        layout = kind
        lang = languages.setdefault(code, Language(code, _script_of(code), code))
        if is_jsonl:
            for lineno, record in json_records(f):
                if "id" not in record or "text" not in record:
                    msg = f"{f}:{lineno}: needs 'id' and 'text' fields"
                    raise CorpusError(msg)
                lang.units[str(record["id"])] = str(record["text"])
        else:
            split = split.removesuffix(".txt") or "txt"
            for lineno, line in lines(f):
                lang.units[f"{split}:{lineno}"] = line
    return languages, layout


def read_parallel(path: str | Path) -> ParallelCorpus:
    """Reads a parallel corpus from a file or directory (see the module doc for layouts)."""
    p = Path(path)
    if not p.exists():
        msg = f"no such file or directory: {p}"
        raise CorpusError(msg)
    if p.is_file():
        candidates = [p]
    else:
        candidates = sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith("."))
    udhr = [f for f in candidates if base_name(f).startswith("udhr") and ".jsonl" in f.name]
    if udhr:
        if len(udhr) > 1:
            msg = f"{p}: several UDHR files ({', '.join(f.name for f in udhr)}); pass one"
            raise CorpusError(msg)
        languages, layout = _read_udhr(udhr[0]), "udhr"
    else:
        text_files = [
            f
            for f in candidates
            if "." in base_name(f) and not base_name(f).endswith((".md", ".tsv", ".csv", ".py"))
        ]
        if not text_files:
            msg = f"{p}: found no UDHR file and no <lang>.<split> files"
            raise CorpusError(msg)
        languages, layout = _read_per_language(text_files)
    english = next((c for c in ENGLISH_CODES if c in languages), None)
    if english is None:
        msg = f"{p}: no English text (expected one of {', '.join(ENGLISH_CODES)})"
        raise CorpusError(msg)
    ordered = {c: languages[c] for c in sorted(languages)}
    return ParallelCorpus(ordered, english, str(p), layout)
