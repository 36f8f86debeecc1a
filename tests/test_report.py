"""The language cost report (`tokbench report`, tokbench.report): metrics by their
definitions, pinned cells recomputed from the reference library, costs by hand, determinism,
layouts and errors."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import lzma
import re
import shlex
from decimal import Decimal
from pathlib import Path

import pytest
from references import reference

import tokbench
from tokbench.cli import main
from tokbench.cli_report import distinct_encodings
from tokbench.corpus import CorpusError
from tokbench.report import build_report
from tokbench.report.parallel import read_parallel

ROOT = Path(__file__).resolve().parents[1]
UDHR = ROOT / "corpora" / "udhr" / "udhr_articles.jsonl.xz"
AT = dt.datetime(2026, 11, 29, tzinfo=dt.timezone.utc)

# A tiny FLORES-style corpus: three aligned lines per language.
SMALL = {
    "eng_Latn": ["The cat sat on the mat.", "Prices rise in winter.", "Hello, world!"],
    "zho_Hans": ["猫坐在垫子上。", "冬天物价上涨。", "你好\uff0c世界\uff01"],
    "hin_Deva": ["बिल्ली चटाई पर बैठी।", "सर्दियों में कीमतें बढ़ती हैं।", "नमस्ते दुनिया!"],
}


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "flores"
    folder.mkdir()
    for lang, lines in SMALL.items():
        (folder / f"{lang}.dev").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_premium_is_the_ratio_of_summed_tokens(small_corpus: Path, tmp_path: Path) -> None:
    build_report(small_corpus, ["o200k_base", "cl100k_base"], [], tmp_path / "out", at=AT)
    rows = _csv(tmp_path / "out" / "premium.csv")
    assert {"lang", "encoding", "tokens", "chars", "premium_vs_eng"} <= set(rows[0])
    for name in ("o200k_base", "cl100k_base"):
        ref = reference(name)
        eng = sum(len(ref.encode_ordinary(t)) for t in SMALL["eng_Latn"])
        for lang, lines in SMALL.items():
            row = next(r for r in rows if r["lang"] == lang and r["encoding"] == name)
            tokens = sum(len(ref.encode_ordinary(t)) for t in lines)
            assert int(row["tokens"]) == tokens
            assert int(row["chars"]) == sum(len(t) for t in lines)
            assert float(row["premium_vs_eng"]) == pytest.approx(tokens / eng, abs=5e-5)
            per_line = sorted(
                len(ref.encode_ordinary(a)) / len(ref.encode_ordinary(b))
                for a, b in zip(lines, SMALL["eng_Latn"], strict=True)
            )
            assert float(row["premium_median"]) == pytest.approx(per_line[1], abs=5e-5)
    zho = next(r for r in rows if r["lang"] == "zho_Hans")
    assert zho["words"] == ""  # Chinese is not written with spaces between words
    assert zho["tokens_per_word"] == ""
    hin = next(r for r in rows if r["lang"] == "hin_Deva")
    assert int(hin["words"]) == sum(len(t.split()) for t in SMALL["hin_Deva"])


def test_languages_are_compared_on_shared_units_only(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "eng.txt").write_text("one two\nthree four five\n", encoding="utf-8")
    (folder / "deu.txt").write_text("eins zwei\n", encoding="utf-8")  # lacks line 2
    corpus = read_parallel(folder)
    assert corpus.common_units("deu") == ["txt:1"]
    build_report(folder, ["o200k_base"], [], tmp_path / "out", at=AT)
    row = next(r for r in _csv(tmp_path / "out" / "premium.csv") if r["lang"] == "deu")
    enc = tokbench.get_encoding("o200k_base")
    assert float(row["premium_vs_eng"]) == pytest.approx(
        enc.count("eins zwei") / enc.count("one two"), abs=5e-5
    )


def _udhr_units(code: str) -> dict[str, str]:
    """The UDHR units of one declaration, read here without tokbench's reader."""
    with lzma.open(UDHR, "rt", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record["code"] == code:
                units = {k: record[k] for k in ("title", "preamble") if record.get(k)}
                units.update({f"article {k}": v for k, v in record["articles"].items() if v})
                return units
    raise AssertionError(code)


@pytest.fixture(scope="module")
def readme_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Runs the README's install-and-run command (without the install) into a temporary
    folder: the main job of a new user."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Install and run\n.*?```bash\n(.*?)\n```", text, re.S)
    assert block is not None
    install, _, command = block.group(1).partition(" && ")
    assert install == 'pip install ".[all]"'
    argv = shlex.split(command)
    assert argv[:2] == ["tokbench", "report"]
    out = tmp_path_factory.mktemp("readme_report")
    argv[argv.index("--out") + 1] = str(out)
    argv[argv.index("--corpus") + 1] = str(ROOT / argv[argv.index("--corpus") + 1])
    assert main([*argv[1:], "--at", "2026-11-29", "--quiet"]) == 0
    return out


def test_pinned_udhr_premiums_match_the_reference(readme_report: Path) -> None:
    """Three cells of the shipped corpus's report, recomputed with tiktoken."""
    rows = {
        r["lang"]: r for r in _csv(readme_report / "premium.csv") if r["encoding"] == "o200k_base"
    }
    assert len(rows) == 532
    ref = reference("o200k_base")
    eng = _udhr_units("eng")
    for code in ("cmn_hans", "hin", "amh"):
        units = _udhr_units(code)
        common = [u for u in eng if u in units]
        mine = sum(len(ref.encode_ordinary(units[u])) for u in common)
        english = sum(len(ref.encode_ordinary(eng[u])) for u in common)
        assert float(rows[code]["premium_vs_eng"]) == pytest.approx(mine / english, abs=5e-5)
    assert float(rows["eng"]["premium_vs_eng"]) == 1.0
    assert (readme_report / "summary.md").is_file()
    assert (readme_report / "index.html").is_file()


def test_cost_by_hand(small_corpus: Path, tmp_path: Path) -> None:
    """gpt-4o, in force on 2026-11-29: $2.50 per 1M input tokens, $10.00 per 1M output."""
    build_report(
        small_corpus, ["o200k_base"], ["gpt-4o"], tmp_path / "out", at=AT, output_ratio=0.5
    )
    rows = _csv(tmp_path / "out" / "costs.csv")
    enc = tokbench.get_encoding("o200k_base")
    eng_chars = sum(len(t) for t in SMALL["eng_Latn"])
    for lang, lines in SMALL.items():
        row = next(r for r in rows if r["lang"] == lang)
        n_in = sum(enc.count(t) for t in lines)
        n_out = int((Decimal(n_in) * Decimal("0.5")).to_integral_value(rounding="ROUND_HALF_UP"))
        per_request = (n_in * Decimal("2.50") + n_out * Decimal("10.00")) / 1_000_000
        expected = per_request * 1_000_000 / eng_chars
        assert row["model"] == "openai/gpt-4o"
        assert row["exact"] == "true"
        assert row["currency"] == "USD"
        assert Decimal(row["cost_per_1m_eng_chars"]) == expected.quantize(Decimal("0.000001"))
        assert float(row["wh_per_1m_eng_chars"]) > 0


def test_closed_tokenizer_models_are_estimates_with_a_range(
    small_corpus: Path, tmp_path: Path
) -> None:
    report = build_report(
        small_corpus, ["o200k_base"], ["claude-sonnet-4-5", "gpt-4o"], tmp_path / "out", at=AT
    )
    claude = [c for c in report.costs if c.model.startswith("anthropic/")]
    assert claude
    for c in claude:
        assert not c.exact
        assert c.cost_low < c.cost < c.cost_high
    cheapest = _csv(tmp_path / "out" / "cheapest.csv")
    assert {r["lang"] for r in cheapest} == set(SMALL)


def test_same_input_same_files(small_corpus: Path, tmp_path: Path) -> None:
    def digest(folder: Path) -> dict[str, str]:
        return {
            str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    for out in ("a", "b"):
        build_report(small_corpus, ["o200k_base", "llama3"], ["gpt-4o"], tmp_path / out, at=AT)
    first = digest(tmp_path / "a")
    assert first == digest(tmp_path / "b")
    assert {"premium.csv", "costs.csv", "summary.md", "index.html", "report.json"} <= set(first)


def test_figures_are_written_when_matplotlib_is_installed(
    small_corpus: Path, tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    report = build_report(small_corpus, ["o200k_base"], ["gpt-4o"], tmp_path / "out", at=AT)
    assert report.figures == [
        "premium_heatmap.svg",
        "cost_by_language.svg",
        "premium_by_script.svg",
    ]
    for name in report.figures:
        svg = (tmp_path / "out" / "figures" / name).read_text(encoding="utf-8")
        assert svg.startswith("<?xml")
        assert "</svg>" in svg
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "premium_heatmap.svg" in page
    assert "<table>" in page


def test_cli_report(small_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(
        [
            "report",
            "--corpus",
            str(small_corpus),
            "--encodings",
            "o200k_base",
            "--models",
            "gpt-4o",
            "--out",
            str(out),
            "--at",
            "2026-11-29",
            "--quiet",
        ]
    )
    assert code == 0
    assert "3 languages x 1 encodings" in capsys.readouterr().out
    meta = json.loads((out / "report.json").read_text(encoding="utf-8"))["meta"]
    assert meta["at"] == "2026-11-29T00:00:00+00:00"
    assert meta["english"] == "eng_Latn"


def test_cli_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "noeng"
    folder.mkdir()
    (folder / "deu.txt").write_text("eins\n", encoding="utf-8")
    assert main(["report", "--corpus", str(folder), "--out", str(tmp_path / "o"), "--quiet"]) == 1
    assert "no English text" in capsys.readouterr().err
    (folder / "eng.txt").write_text("one\n", encoding="utf-8")
    args = ["report", "--corpus", str(folder), "--out", str(tmp_path / "o"), "--quiet"]
    assert main([*args, "--models", "gpt-4oo"]) == 1
    assert "gpt-4o" in capsys.readouterr().err  # the close name
    with pytest.raises(CorpusError, match="no such file"):
        read_parallel(tmp_path / "missing")


def test_all_drops_aliases_that_count_alike() -> None:
    names = distinct_encodings(["gpt2", "r50k_base", "o200k_harmony", "o200k_base", "llama3"])
    assert names == ["llama3", "o200k_base", "r50k_base"]
    text = "Aliases count alike: <|endoftext|> 123"
    for alias, kept in (("gpt2", "r50k_base"), ("o200k_harmony", "o200k_base")):
        assert tokbench.get_encoding(alias).count(text) == tokbench.get_encoding(kept).count(text)


def test_cny_priced_model_needs_a_rate_and_names_it(small_corpus: Path, tmp_path: Path) -> None:
    """alibaba-cn/qwen-plus is priced in CNY only: USD needs a rate the user gives, and the
    cost is the CNY price divided by that rate."""
    args = ["report", "--corpus", str(small_corpus), "--encodings", "qwen3", "--quiet",
            "--models", "alibaba-cn/qwen-plus", "--at", "2026-11-29"]  # fmt: skip
    assert main([*args, "--out", str(tmp_path / "a")]) == 1
    fx = ["--fx-rate", "8", "--fx-as-of", "2026-11-29", "--fx-source", "test"]
    assert main([*args, "--out", str(tmp_path / "usd"), *fx]) == 0
    assert main([*args, "--out", str(tmp_path / "cny"), "--currency", "CNY"]) == 0
    usd = {r["lang"]: r for r in _csv(tmp_path / "usd" / "costs.csv")}
    cny = {r["lang"]: r for r in _csv(tmp_path / "cny" / "costs.csv")}
    for lang in SMALL:
        assert usd[lang]["currency"] == "USD"
        assert cny[lang]["currency"] == "CNY"
        ratio = Decimal(cny[lang]["cost_per_1m_eng_chars"]) / Decimal(
            usd[lang]["cost_per_1m_eng_chars"]
        )
        assert ratio == pytest.approx(Decimal(8), rel=Decimal("1e-4"))
