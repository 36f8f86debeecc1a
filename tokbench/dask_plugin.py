"""The Dask worker plugin that keeps each worker's encodings (imported only with Dask)."""

from __future__ import annotations

import pickle
import threading

from distributed import WorkerPlugin

from .encoding import Encoding


class EncodingCache(WorkerPlugin):
    """Encodings loaded once per worker process, keyed by how they are rebuilt (their pickle:
    a bundled name or a file path, never the tables). `loads` counts loads per name."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._encodings: dict[bytes, Encoding] = {}
        self.loads: dict[str, int] = {}

    def __getstate__(self) -> dict[str, object]:
        return {}  # sent empty: each worker fills its own

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__()  # type: ignore[misc]

    def get(self, recipe: bytes) -> Encoding:
        """The encoding `recipe` (pickle.dumps of an Encoding) rebuilds, loaded once."""
        with self._lock:
            enc = self._encodings.get(recipe)
            if enc is None:
                loaded: Encoding = pickle.loads(recipe)
                enc = self._encodings[recipe] = loaded
                self.loads[enc.name] = self.loads.get(enc.name, 0) + 1
            return enc
