"""The lemma lookups a matcher compiles, kept on disk so the next run starts without rebuilding them.

Building a matcher means loading spacy-lookups-data's lemma table (200,000
forms), simplemma's dictionary, and classifying the tokenizer's own
vocabulary of ~8,000 words: most of a short run. What a matcher keeps of it is
small (the table entries that can lead to a keyword, the forms that begin
like one, the classified words), so it is written to one JSON file per
codebook and language.

The file's name is a SHA-256 of everything the content depends on: the
matcher's keyword elements, the language, the versions of icap-coder,
spaCy, spacy-lookups-data, simplemma and Python, and the source of the code
that compiles it. Any change gives a new name, so a stale entry is never
read. The cache is only a shortcut: an entry that cannot be read is rebuilt,
one that cannot be written is skipped, and the codings are the same with or
without it. Where: $ICAP_CACHE_DIR, else the user's cache folder;
ICAP_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

FORMAT = 1
KEEP = 32  # entries kept; the oldest go first
PACKAGES = ("icap-coder", "spacy", "spacy-lookups-data", "simplemma")


def folder() -> Path | None:
    """Where entries live, or None when caching is off."""
    if os.environ.get("ICAP_NO_CACHE", "") not in ("", "0"):
        return None
    chosen = os.environ.get("ICAP_CACHE_DIR")
    if chosen:
        return Path(chosen)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "icap-coder"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def key(parts: Any, sources: list[Path]) -> str:
    """The entry's name: what it was compiled from, the package versions and the compiling code."""
    digest = hashlib.sha256(json.dumps([FORMAT, parts, sys.version_info[:2], [_version(p) for p in PACKAGES]],
                                       ensure_ascii=False, default=str).encode())
    for source in sources:
        try:
            digest.update(source.read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()


def load(name: str) -> dict[str, Any] | None:
    """The entry, or None when there is none or it cannot be trusted (then it is simply rebuilt)."""
    where = folder()
    if where is None:
        return None
    try:
        entry = json.loads((where / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) and entry.get("key") == name else None


def save(name: str, entry: dict[str, Any]) -> None:
    """Write the entry whole (temp file, then rename), and prune old ones; any failure leaves no trace."""
    where = folder()
    if where is None:
        return
    temp = None
    try:
        where.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=where)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({**entry, "key": name}, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(temp, where / f"{name}.json")
        temp = None
        entries = sorted(where.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
    finally:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)
