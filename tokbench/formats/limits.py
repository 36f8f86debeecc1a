"""Bounds on what a tokenizer file may ask tokbench to allocate.

Token ids index tables sized by the largest id (token offsets, merge tables, the core's
per-id arrays), so one id far beyond the number of tokens, from a corrupt or hostile file,
would allocate gigabytes before anything else could fail. Real vocabularies are dense, up to
a few hundred thousand ids (Mistral Tekken reserves 1000 ids below its ranks), so a generous
margin rejects only files whose ids cannot be meant.
"""

from __future__ import annotations

from ..errors import VocabError

SPARSE_ID_SLACK = 1 << 16
MAX_TOKEN_ID = (1 << 31) - 1


def check_id_range(max_id: int, n_ids: int, what: str) -> None:
    """Raises VocabError if the largest id is far beyond the number of ids defined.

    Args:
        max_id: the largest id the file gives.
        n_ids: how many ids it defines.
        what: where the ids come from, to start the message (e.g. "vocab.tiktoken").
    """
    if max_id >= 2 * n_ids + SPARSE_ID_SLACK:
        msg = (
            f"{what}: the largest id is {max_id} but only {n_ids} ids are defined; ids this "
            "sparse would need tables far larger than the vocabulary (a corrupt id?)"
        )
        raise VocabError(msg)
