"""The native backend: tokbench's C++ core, with a Python regex pre-tokenizer as the fallback
for patterns that have no hand-written scanner."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache, partial
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import _core
from ..definition import AddedToken, Definition
from ..errors import VocabError
from ..normalize import Normalizer
from ..patterns import SCANNER_FOR_STAGES, oniguruma_to_regex
from . import Path, Utf8Spans
from .literals import split_literals
from .unicode_version import stand_ins


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


class NativeBackend:
    """Runs a Definition on a shared core model. Thread-safe, like the core."""

    path: Path = "native"

    def __init__(self, definition: Definition, model: _core.BpeModel) -> None:
        self._def = definition
        self._always = tuple(t for t in definition.added if not t.special)
        self._specials = {t.content: t for t in definition.added if t.special}
        self._normalizer = (
            Normalizer(definition.normalization, hugging_face=not definition.normalize_first)
            if definition.normalization
            else None
        )
        extra = [(t.id, _utf8(t.content)) for t in definition.added]
        extra += list(definition.extra_decode.items())
        native = definition.scanner is not None
        self._core = _core.Encoding(
            model,
            definition.scanner or "whole",
            self._literal_matcher(frozenset(self._always)) if native else None,
            definition.prefix_space and native,
            extra,
        )
        # Without a scanner for all the stages, the last one may still have one (Command-R,
        # StarCoder: digits, then GPT-2's split): Python runs the stages before it, the core
        # scans and merges each of their pieces.
        tail = None
        if not native and len(definition.stages) > 1 and not definition.prefix_space:
            tail = SCANNER_FOR_STAGES.get(definition.stages[-1:])
        self._tail = _core.Encoding(model, tail, None, False, extra) if tail else None
        python_stages = definition.stages[:-1] if tail else definition.stages
        self._stages = self._compile_stages(definition, python_stages) if not native else ()
        self._no_literals = _core.LiteralMatcher([])
        # The core does everything (scanner, literals, BPE): texts go to it as they are.
        self._straight = native and self._normalizer is None
        self.n_vocab: int = self._core.n_vocab

    @staticmethod
    def _compile_stages(definition: Definition, patterns: tuple[str, ...]) -> tuple[Any, ...]:
        import regex  # only patterns without a native scanner need it

        if definition.pattern_syntax == "oniguruma":
            patterns = tuple(oniguruma_to_regex(p) for p in patterns)
        try:
            return tuple(regex.compile(p) for p in patterns)
        except regex.error as e:
            msg = f"{definition.name}: invalid pre-tokenizer pattern: {e}"
            raise VocabError(msg) from e

    # -- literal tokens ---------------------------------------------------------------

    @staticmethod
    @lru_cache(maxsize=256)
    def _literal_matcher(tokens: frozenset[AddedToken]) -> _core.LiteralMatcher:
        return _core.LiteralMatcher([(_utf8(t.content), t.id) for t in tokens])

    def _active(self, allowed: frozenset[str]) -> frozenset[AddedToken]:
        return frozenset(self._always) | {self._specials[s] for s in allowed}

    def _matcher(self, allowed: frozenset[str]) -> _core.LiteralMatcher | None:
        """None means the core's own set (the always-matched tokens)."""
        return self._literal_matcher(self._active(allowed)) if allowed else None

    # -- the fast path: the core does everything ----------------------------------------

    def _fast_text(self, text: str, allowed: frozenset[str] = frozenset()) -> str | None:
        """The text to hand to the core whole, or None if it needs the slow path."""
        if self._def.scanner is None:
            return None
        norm = self._normalizer
        if norm is None:
            return text
        if self._def.normalize_first or norm.is_normalized(text):
            return norm(text)
        # Hugging Face finds added tokens with normalized=false in the original text and the
        # others in the normalized text, which is what the core does on the normalized text
        # unless a normalized=false token occurs before or after normalizing: then the slow
        # path keeps Hugging Face's order.
        normalized = norm(text)
        raw_tokens = [t.content for t in self._active(allowed) if not t.normalized]
        if any(c in text or c in normalized for c in raw_tokens):
            return None
        return normalized

    # -- the slow path: literals and normalization in Python ------------------------------

    def _plain(self, text: str) -> list[int]:
        """Ids of a stretch without literal tokens."""
        if self._def.scanner is not None:
            return list(self._core.encode(text, self._no_literals))
        if self._def.prefix_space and not text.startswith(" "):
            text = " " + text
        # The stages scan a copy on the references' Unicode version; the pieces are cut
        # from the text itself (the copy has the same length in code points).
        scan = text.translate(stand_ins())
        spans = [(0, len(text))]
        for stage in self._stages:
            out: list[tuple[int, int]] = []
            for start, end in spans:
                pos = 0
                for m in stage.finditer(scan[start:end]):
                    if self._def.keep_gaps and m.start() > pos:
                        out.append((start + pos, start + m.start()))
                    if m.end() > m.start():
                        out.append((start + m.start(), start + m.end()))
                    pos = m.end()
                if self._def.keep_gaps and start + pos < end:
                    out.append((start + pos, end))
            spans = out
        pieces = [text[start:end] for start, end in spans]
        core = self._tail or self._core
        return [t for ids in core.encode_batch(pieces, num_threads=1) for t in ids]

    def _slow(self, text: str, allowed: frozenset[str]) -> list[int]:
        active = self._active(allowed)
        norm = self._normalizer
        if norm is not None and self._def.normalize_first:
            text = norm(text)
            norm = None
        hf_norm = norm is not None and not norm.is_normalized(text)
        before = [t for t in active if not (hf_norm and t.normalized)]
        after = [t for t in active if hf_norm and t.normalized]
        ids: list[int] = []
        for stretch, token in split_literals(text, before):
            if token is not None:
                ids.append(token)
                continue
            if hf_norm and norm is not None:
                stretch = norm(stretch)
            for plain, token2 in split_literals(stretch, after):
                if token2 is not None:
                    ids.append(token2)
                else:
                    ids.extend(self._plain(plain))
        return ids

    # -- Backend ------------------------------------------------------------------------

    def encode(self, text: str, allowed: frozenset[str]) -> list[int]:
        if self._straight:
            return self._core.encode(text, self._matcher(allowed))
        fast = self._fast_text(text, allowed)
        if fast is not None:
            return list(self._core.encode(fast, self._matcher(allowed)))
        return self._slow(text, allowed)

    def encode_to_numpy(self, text: str, allowed: frozenset[str]) -> npt.NDArray[np.uint32]:
        if self._straight:
            return self._core.encode_to_numpy(text, self._matcher(allowed))
        fast = self._fast_text(text, allowed)
        if fast is not None:
            return self._core.encode_to_numpy(fast, self._matcher(allowed))
        return np.asarray(self._slow(text, allowed), dtype=np.uint32)

    def count(self, text: str) -> int:
        if self._straight:  # the short cut matters for short texts: a call is ~0.2 us
            return self._core.count(text)
        fast = self._fast_text(text)
        if fast is not None:
            return int(self._core.count(fast))
        return len(self._slow(text, frozenset()))

    def _normalized(self, texts: Sequence[str]) -> list[bool] | None:
        """Per text, whether it is already normalized (the common case), checked in one
        C-level loop: the per-text path costs about as much as counting a short text. None
        when the check does not apply (no normalizer or no scanner) or a text is not a str
        (the per-text path then names it)."""
        norm = self._normalizer
        if norm is None or self._def.scanner is None:
            return None
        try:
            return list(map(partial(unicodedata.is_normalized, norm.form), texts))
        except TypeError:
            return None

    def _fast_texts(
        self, texts: Sequence[str], allowed: frozenset[str]
    ) -> tuple[Sequence[str], list[int]]:
        """The texts to hand to the core, and the indices of those that need the slow path
        (handed over as "")."""
        if self._straight:
            return texts, []
        flags = self._normalized(texts)
        if flags is not None and all(flags):
            return texts, []
        if flags is None:
            fast = [self._fast_text(t, allowed) for t in texts]
        else:
            pairs = zip(texts, flags, strict=True)
            fast = [t if ok else self._fast_text(t, allowed) for t, ok in pairs]
        slow = [i for i, f in enumerate(fast) if f is None]
        return [f if f is not None else "" for f in fast], slow

    def count_batch(self, texts: Sequence[str], num_threads: int | None) -> npt.NDArray[np.uint64]:
        fast, slow = self._fast_texts(texts, frozenset())
        counts = self._core.count_batch(fast, num_threads)
        for i in slow:
            counts[i] = len(self._slow(texts[i], frozenset()))
        return counts

    def count_spans(
        self, spans: Utf8Spans, num_threads: int | None
    ) -> npt.NDArray[np.uint64] | None:
        if not self._straight:
            return None  # count_batch changes the text (normalizer) or splits it in Python
        return self._core.count_spans(spans.data, spans.starts, spans.lengths, num_threads)

    def encode_batch(
        self, texts: Sequence[str], num_threads: int | None, allowed: frozenset[str]
    ) -> list[list[int]]:
        fast, slow = self._fast_texts(texts, allowed)
        out = self._core.encode_batch(fast, num_threads, self._matcher(allowed))
        for i in slow:
            out[i] = self._slow(texts[i], allowed)
        return out

    def decode_bytes(self, tokens: Sequence[int]) -> bytes:
        return self._core.decode_bytes(tokens)

    def token_bytes(self, token: int) -> bytes | None:
        return self._core.token_bytes(token)

    def token_id(self, token: bytes) -> int | None:
        return self._core.model.find(token)

    def token_byte_values(self) -> list[bytes]:
        return list(self._def.vocab.to_id_bytes().values())

    def fresh(self) -> _core.Encoding:
        """A core encoding with the same tables and empty caches (for cold benchmarks)."""
        return self._core.fresh()
