"""tokbench.load("hf:OWNER/NAME"): through huggingface_hub, tested without the network (a fake
download function, and the real one on a pre-populated cache in offline mode)."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import pytest
from tokenizers import Tokenizer, models, pre_tokenizers

import tokbench
from tokbench.hub import HubError, parse_spec

huggingface_hub = pytest.importorskip("huggingface_hub")


def tiny_tokenizer_json() -> str:
    tok = Tokenizer(models.BPE({"h": 0, "i": 1, "hi": 2, "Ġ": 3}, [("h", "i")]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    return tok.to_str()


@pytest.mark.parametrize(
    ("spec", "repo", "filename", "revision"),
    [
        ("hf:Qwen/Qwen3-8B", "Qwen/Qwen3-8B", "tokenizer.json", None),
        ("hf:Qwen/Qwen3-8B@main", "Qwen/Qwen3-8B", "tokenizer.json", "main"),
        ("hf:org/model.v2@abc123/sub/tok.gguf", "org/model.v2", "sub/tok.gguf", "abc123"),
        ("hf:org/model/tokenizer.model", "org/model", "tokenizer.model", None),
    ],
)
def test_spec(spec: str, repo: str, filename: str, revision: str | None) -> None:
    parsed = parse_spec(spec)
    assert (parsed.repo_id, parsed.filename, parsed.revision) == (repo, filename, revision)


@pytest.mark.parametrize("spec", ["hf:", "hf:noslash", "hf:/x", "hf:a b/c"])
def test_bad_spec(spec: str) -> None:
    with pytest.raises(HubError, match="hf:OWNER/NAME"):
        tokbench.load(spec)


def test_load_through_a_fake_download(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    snapshot = tmp_path / "snapshot"
    snapshot.mkdir()
    (snapshot / "tokenizer.json").write_text(tiny_tokenizer_json(), encoding="utf-8")
    calls = []

    def fake_download(*, repo_id: str, filename: str, revision: str | None) -> str:
        calls.append((repo_id, filename, revision))
        return str(snapshot / filename)

    monkeypatch.setattr(huggingface_hub, "hf_hub_download", fake_download)
    enc = tokbench.load("hf:Qwen/Qwen3-8B")
    assert calls == [("Qwen/Qwen3-8B", "tokenizer.json", None)]
    assert enc.name == "Qwen3-8B"
    assert enc.path == "native"
    assert enc.encode_ordinary("hi hi") == [2, 3, 2]
    again = pickle.loads(pickle.dumps(enc))  # reloads through the hub (its cache)
    assert again.encode_ordinary("hi") == [2]
    assert len(calls) == 2
    assert tokbench.load("hf:Qwen/Qwen3-8B", name="mine").name == "mine"


def populate_cache(cache: Path, repo: str, files: dict[str, str]) -> None:
    """huggingface_hub's cache layout: models--OWNER--NAME/{refs/main, snapshots/<commit>/}."""
    root = cache / ("models--" + repo.replace("/", "--"))
    commit = "0" * 40
    (root / "refs").mkdir(parents=True)
    (root / "refs" / "main").write_text(commit)
    (root / "snapshots" / commit).mkdir(parents=True)
    for name, text in files.items():
        (root / "snapshots" / commit / name).write_text(text, encoding="utf-8")


def test_offline_with_a_populated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from huggingface_hub import constants

    populate_cache(tmp_path, "acme/tiny", {"tokenizer.json": tiny_tokenizer_json()})
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path))
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    enc = tokbench.load("hf:acme/tiny")
    assert enc.encode_ordinary("hi") == [2]
    # Not in the cache, offline: a clear error saying how to pass a local file.
    with pytest.raises(HubError) as info:
        tokbench.load("hf:acme/missing")
    message = str(info.value)
    assert "acme/missing" in message
    assert "offline" in message
    assert 'tokbench.load("path/to/tokenizer.json")' in message
    assert isinstance(info.value, tokbench.VocabError)


def test_without_huggingface_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)  # import fails
    with pytest.raises(HubError, match="pip install huggingface_hub") as info:
        tokbench.load("hf:Qwen/Qwen3-8B")
    assert "tokbench.load(" in str(info.value)
