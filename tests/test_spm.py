"""SentencePiece-style BPE: hand-worked merges on tiny models, .model and tokenizer.json
loading, the normalizer, BOS/EOS counting, and errors. (Parity with sentencepiece and
Hugging Face on the corpora runs in the shared parity tests, which cover every bundled
encoding.)"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from fixtures_api import mixed_text
from references import SPM_MODEL_FILES, TOKENIZERS_DIR
from spm_models import BYTE_ID, NORMAL, UNUSED, USER_DEFINED, model_bytes

import tokbench

needs_shared = pytest.mark.skipif(
    not TOKENIZERS_DIR.is_dir(), reason=f"no shared folder {TOKENIZERS_DIR}"
)

# ids 0..258 are <unk>, <s>, </s> and the byte pieces; these follow.
TINY = [
    ("a", 0.0, NORMAL),  # 259
    ("b", 0.0, NORMAL),  # 260
    ("ab", -1.0, NORMAL),  # 261
    ("ba", -1.0, NORMAL),  # 262: the same score as "ab"
    ("y", 0.0, NORMAL),  # 263
    ("xy", -2.0, NORMAL),  # 264: "x" is not a piece, but "xy" is
    ("\u2581", 0.0, NORMAL),  # 265
    ("\u2581a", -0.5, NORMAL),  # 266
    ("[X]", 0.0, USER_DEFINED),  # 267
]
A, B, AB, BA, Y, XY, SPACE, SPACE_A, UDS = range(259, 268)

# Worked by hand from the rule "merge the adjacent pair that spells the piece with the highest
# score, the leftmost among equals".
HAND = {
    "bab": [BA, B],  # "ba" (left) and "ab" tie at -1: the left one merges
    "abab": [AB, AB],  # three tied pairs: positions 0 and then 2
    "xy": [XY],  # the character "x" is no piece, yet merges into "xy"
    "x": [BYTE_ID[ord("x")]],  # alone it falls back to its byte
    "xz": [BYTE_ID[ord("x")], BYTE_ID[ord("z")]],
    "a b": [A, SPACE, B],  # "a▁" and "▁b" are no pieces
    " a": [SPACE_A],
    "": [],
    "é": [0xC3 + 3, 0xA9 + 3],  # two UTF-8 bytes, two byte pieces
    "a[X]b": [A, UDS, B],  # a user-defined symbol is matched whole, never merged
    "[X": [BYTE_ID[ord("[")], BYTE_ID[ord("X")]],
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spm") / "tiny.model"
    path.write_bytes(model_bytes(TINY))
    return path


@pytest.mark.parametrize("text", list(HAND))
def test_tiny_model_gives_the_hand_worked_ids(tiny: Path, text: str) -> None:
    enc = tokbench.load(tiny)
    assert enc.path == "native"
    assert enc.encode_ordinary(text) == HAND[text]
    assert enc.count(text) == len(HAND[text])
    assert enc.decode(HAND[text]) == text


def test_tiny_model_agrees_with_sentencepiece(tiny: Path) -> None:
    sentencepiece = pytest.importorskip("sentencepiece")
    sp = sentencepiece.SentencePieceProcessor(model_file=str(tiny))
    enc = tokbench.load(tiny)
    for text in [*HAND, "babab xy yx  a", "x" * 50 + "y", "ab" * 300]:
        assert enc.encode_ordinary(text) == sp.encode(text), text


def test_dummy_prefix_and_extra_spaces(tmp_path: Path) -> None:
    path = tmp_path / "prefix.model"
    path.write_bytes(model_bytes(TINY, dummy_prefix=True, remove_extra_spaces=True))
    enc = tokbench.load(path)
    # "  a   b " -> "a b" -> "▁a▁b": the dummy prefix, one space kept between words.
    assert enc.encode_ordinary("  a   b ") == [SPACE_A, SPACE, B]
    assert enc.encode_ordinary("a") == [SPACE_A]
    assert enc.encode_ordinary("   ") == []
    assert enc.decode([SPACE_A, SPACE, B]) == "a b"  # the prefix's space is dropped


@pytest.mark.parametrize(
    ("what", "data", "error", "words"),
    [
        ("unigram", model_bytes(TINY, model_type=1), tokbench.UnsupportedTokenizerError, "Unigram"),
        (
            "charsmap",
            model_bytes(TINY, charsmap=b"\x01\x02"),
            tokbench.UnsupportedTokenizerError,
            "character map",
        ),
        (
            "unused",
            model_bytes([*TINY, ("ba b", -3.0, UNUSED)]),
            tokbench.UnsupportedTokenizerError,
            "unused pieces",
        ),
        ("garbage", b"\xff\xff\xff", tokbench.VocabError, "not a readable SentencePiece"),
        ("truncated", model_bytes(TINY)[:-7], tokbench.VocabError, "runs past the end"),
        ("empty", b"", tokbench.VocabError, "no pieces"),
    ],
)
def test_bad_models_say_what_is_wrong(
    tmp_path: Path, what: str, data: bytes, error: type[Exception], words: str
) -> None:
    path = tmp_path / f"{what}.model"
    path.write_bytes(data)
    with pytest.raises(error) as info:
        tokbench.load(path)
    assert words in str(info.value)
    assert str(path) in str(info.value)


def test_unsupported_model_says_how_to_run_it(tmp_path: Path) -> None:
    path = tmp_path / "unigram.model"
    path.write_bytes(model_bytes(TINY, model_type=1))
    with pytest.raises(tokbench.UnsupportedTokenizerError, match=r"tokenizer\.json"):
        tokbench.load(path)


# -- the bundled encodings --------------------------------------------------------------------

# With-BOS counts of the shared test text, from the tokenizer collection's MANIFEST (Hugging
# Face tokenizers with add_special_tokens=True; sentencepiece with add_bos=True).
WITH_BOS = {"gemma3": 351, "gemma2": 358, "llama3": 372, "llama2": 559, "mistral_spm_v1": 518}
WITHOUT = {"gemma3": 350, "gemma2": 357, "llama3": 371, "llama2": 558, "mistral_spm_v1": 517}


@pytest.mark.parametrize("name", list(WITH_BOS))
def test_add_special_tokens_counts_the_bos(name: str) -> None:
    enc = tokbench.get_encoding(name)
    text = mixed_text()
    assert enc.count(text) == WITHOUT[name]
    assert enc.count(text, add_special_tokens=True) == WITH_BOS[name]
    counts = enc.count_batch([text, ""], num_threads=2, add_special_tokens=True)
    assert counts.tolist() == [WITH_BOS[name], 1]
    assert enc.count_batch([text]).tolist() == [WITHOUT[name]]


def test_add_special_tokens_adds_nothing_without_a_post_processor() -> None:
    enc = tokbench.get_encoding("o200k_base")
    assert enc.count("hello world", add_special_tokens=True) == enc.count("hello world") == 2


@pytest.mark.parametrize(
    ("name", "text", "normalized"),
    [
        ("llama2", "a b", "\u2581a\u2581b"),  # dummy prefix, spaces escaped
        ("llama2", "", ""),  # no prefix on empty text
        ("mistral_spm_v3", "  x ", "\u2581\u2581\u2581x\u2581"),  # extra spaces kept
        ("gemma3", "a b", "a\u2581b"),  # no dummy prefix
        ("gemma3", "\u2581", "\u2581"),
    ],
)
def test_normalizer(name: str, text: str, normalized: str) -> None:
    core = tokbench.get_encoding(name)._backend._core  # type: ignore[attr-defined]
    assert core.normalize(text) == normalized


@pytest.mark.parametrize("name", ["llama2", "mistral_spm_v7", "gemma3"])
def test_allowed_special_tokens(name: str) -> None:
    enc = tokbench.get_encoding(name)
    bos = {"llama2": "<s>", "mistral_spm_v7": "<s>", "gemma3": "<bos>"}[name]
    bos_id = enc.encode_single_token(bos)
    assert enc.encode(bos, allowed_special="all") == [bos_id]
    text = f"hi{bos}there"
    ids = enc.encode(text, allowed_special={bos})
    assert bos_id in ids
    assert ids.count(bos_id) == 1
    assert bos_id not in enc.encode_ordinary(text)
    with pytest.raises(tokbench.DisallowedSpecialTokenError):
        enc.encode(text)


@needs_shared
@pytest.mark.parametrize("name", list(SPM_MODEL_FILES))
def test_load_model_file_equals_bundle(name: str) -> None:
    loaded = tokbench.load(TOKENIZERS_DIR / SPM_MODEL_FILES[name])
    bundled = tokbench.get_encoding(name)
    assert loaded.path == "native"
    assert loaded.n_vocab == bundled.n_vocab
    assert loaded.special_tokens_set == bundled.special_tokens_set
    text = mixed_text()
    assert loaded.encode_ordinary(text) == bundled.encode_ordinary(text)
    assert loaded.count(text, add_special_tokens=True) == bundled.count(text) + 1
    again = pickle.loads(pickle.dumps(loaded))
    assert again.encode_ordinary(text) == bundled.encode_ordinary(text)


@needs_shared
def test_hf_json_form_of_mistral_v1_equals_its_model_file() -> None:
    """The tokenizer.json conversion and the .model file are the same tokenizer (MANIFEST)."""
    from_json = tokbench.load(TOKENIZERS_DIR / "mistral_spm" / "tokenizer.v1.hf.json")
    assert from_json.path == "native"
    model = tokbench.get_encoding("mistral_spm_v1")
    texts = [mixed_text(), " leading", "two  spaces", "\u2581", "tab\there", "é😀"]
    for text in texts:
        assert from_json.encode_ordinary(text) == model.encode_ordinary(text), text
        assert from_json.decode(from_json.encode_ordinary(text)) == text.replace("\u2581", " ")
    assert from_json.count(mixed_text(), add_special_tokens=True) == 518


@pytest.mark.parametrize(
    "name", [pytest.param("gemma3", marks=pytest.mark.slow), "llama2", "mistral_spm_v7"]
)
def test_bundled_whole_piece_flags_are_the_cores(name: str) -> None:
    """The stored flags equal what a model without them works out (a wrong 1 would give a
    word one token where merging gives several)."""
    from dataclasses import replace

    from references import spm_definition

    from tokbench.backends.spm import core_spm_model

    d = spm_definition(name)
    assert d.whole is not None
    learnt = core_spm_model(replace(d, whole=None)).whole_flags()
    assert learnt.tolist() == d.whole.tolist()
    assert 0 < int(d.whole.sum()) < len(d.whole)


def test_damaged_bundled_vocabulary_is_refused() -> None:
    from tokbench.formats.spm_bundle import spm_vocab_from_npz
    from tokbench.registry import DATA_DIR

    with pytest.raises(tokbench.VocabError, match="damaged or replaced"):
        spm_vocab_from_npz(DATA_DIR / "vocabs" / "llama2.npz", sha256="0" * 64)


@pytest.mark.parametrize(
    "post",
    [
        {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
        {
            "type": "TemplateProcessing",
            "single": [
                {"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                {"Sequence": {"id": "A", "type_id": 0}},
                {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
            ],
            "pair": [],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]},
            },
        },
    ],
)
def test_add_special_tokens_on_the_reference_path(tmp_path: Path, post: dict[str, object]) -> None:
    """A WordPiece tokenizer (run by Hugging Face): add_special_tokens counts what its
    post-processor adds, as Hugging Face's encode(add_special_tokens=True) does."""
    import json

    from tokenizers import Tokenizer

    vocab = {"[UNK]": 0, "[PAD]": 1, "[CLS]": 2, "[SEP]": 3, "hello": 4, "world": 5, "##s": 6}
    data = {
        "version": "1.0",
        "added_tokens": [
            {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for t, i in vocab.items() if t.startswith("[")
        ],
        "normalizer": None,
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": post,
        "decoder": None,
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": vocab},
    }  # fmt: skip
    path = tmp_path / "tokenizer.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    enc = tokbench.load(path)
    assert enc.path == "reference"
    hf = Tokenizer.from_file(str(path))
    for text in ["hello worlds", "", "hello"]:
        want = len(hf.encode(text, add_special_tokens=True).ids)
        assert enc.count(text, add_special_tokens=True) == want
        assert enc.count(text) == len(hf.encode(text, add_special_tokens=False).ids)
    assert enc.count("hello worlds", add_special_tokens=True) == 5  # [CLS] hello world ##s [SEP]


# Text that stresses what is particular to SentencePiece-style models: '▁' itself next to
# spaces, characters that exist only as bytes (rare scripts, private use, unassigned, controls),
# runs that some pieces glue together ('▁▁', newlines, tabs), digits, and literal text that
# looks like a byte piece or a control token.
SPM_EDGE = [
    "\u2581", "\u2581\u2581", " \u2581 ", "a\u2581b", "\u2581 \u2581  \u2581\u2581 x",
    "𒀀𒀁 𐀀𐀁 𓀀", "\ue000\uf8ff", "\U000f0000", "\u0378\u0379", "\x00\x01\x1f\x7f",
    "a\u200bb\u200d", "\t\t\tx\n\n\n  \n", "1234567890" * 3, "3.14159 2,718 1e-9",
    "<0x41><0xFF>", "<s></s><unk><pad><bos>", "[INST]x[/INST]", "<start_of_turn>user\n",
    "é" * 50, "\u2581" * 70 + "a", " " * 70 + "b", "😀" * 30, "ab" * 200 + "\u2581" * 5,
]  # fmt: skip


@pytest.mark.parametrize("name", ["gemma3", "gemma2", "llama2", "mistral_spm_v7"])
def test_spm_edge_cases_match_the_reference(name: str) -> None:
    from parity import check_text

    enc = tokbench.get_encoding(name)
    for i, text in enumerate(SPM_EDGE):
        ids = check_text(name, text, f"spm_edge[{i}]")
        assert enc.count_batch([text, text[::-1]], num_threads=2)[0] == len(ids)
    check_text(name, "".join(SPM_EDGE), "spm_edge joined")
