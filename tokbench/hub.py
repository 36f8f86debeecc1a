"""Tokenizer files from the Hugging Face Hub, for tokbench.load("hf:owner/name").

Only this module touches the network, and only when a user asks for an "hf:" name. It uses
`huggingface_hub` if it is installed (an optional dependency), which downloads into, and
reuses, its own cache (~/.cache/huggingface/hub, or HF_HUB_CACHE): a second load of the
same repository works offline. Nothing else in tokbench needs the network.

Spec: "hf:OWNER/NAME[@REVISION][/PATH/IN/REPO]"; without a path, "tokenizer.json".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import VocabError

PREFIX = "hf:"
DEFAULT_FILE = "tokenizer.json"

_SPEC = re.compile(
    r"(?P<repo>[A-Za-z0-9][\w.\-]*/[\w.\-]+)(?:@(?P<revision>[\w.\-/]+?))?(?:/(?P<file>.+))?"
)


class HubError(VocabError):
    """A tokenizer that could not be fetched from the Hub (offline, missing, not installed)."""


@dataclass(frozen=True)
class HubSpec:
    repo_id: str
    filename: str
    revision: str | None

    @property
    def name(self) -> str:
        """A default encoding name: the repository's name (e.g. "Qwen3-8B")."""
        return self.repo_id.rsplit("/", 1)[-1]


def is_hub_spec(path: object) -> bool:
    return isinstance(path, str) and path.startswith(PREFIX)


def parse_spec(spec: str) -> HubSpec:
    """Raises HubError for a malformed spec."""
    m = _SPEC.fullmatch(spec.removeprefix(PREFIX))
    if m is None:
        msg = (
            f"{spec!r} is not a Hub tokenizer name: use 'hf:OWNER/NAME' (e.g. "
            "'hf:Qwen/Qwen3-8B'), optionally with '@REVISION' and '/FILE'"
        )
        raise HubError(msg)
    return HubSpec(m["repo"], m["file"] or DEFAULT_FILE, m["revision"])


def fetch(spec: str) -> tuple[Path, HubSpec]:
    """The local path of the tokenizer file named by `spec` (downloaded or cached).

    Raises:
        HubError: huggingface_hub is missing, or the file can be neither downloaded nor
            found in its cache (the message says how to load a local copy instead).
    """
    parsed = parse_spec(spec)
    local_hint = (
        f"Download {parsed.filename} of {parsed.repo_id} where you are online and pass the "
        f'file itself: tokbench.load("path/to/{parsed.filename}").'
    )
    try:
        import huggingface_hub
    except ImportError:
        msg = (
            f"loading {spec!r} needs the huggingface_hub package (pip install huggingface_hub), "
            f"which is not installed. {local_hint}"
        )
        raise HubError(msg) from None
    try:
        path = huggingface_hub.hf_hub_download(
            repo_id=parsed.repo_id, filename=parsed.filename, revision=parsed.revision
        )
    except Exception as e:  # the hub raises many kinds (offline, HTTP, missing entry)
        offline = type(e).__name__ in ("LocalEntryNotFoundError", "OfflineModeIsEnabled")
        why = (
            "it is not in the local Hugging Face cache and the Hub cannot be reached (offline)"
            if offline
            else f"{type(e).__name__}: {e}"
        )
        msg = f"could not fetch {parsed.filename} of {parsed.repo_id}: {why}. {local_hint}"
        raise HubError(msg) from e
    return Path(path), parsed
