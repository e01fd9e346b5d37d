"""manifest.json: everything needed to reproduce a run and to check that it was."""

from __future__ import annotations

import json
import platform
from collections import Counter
from dataclasses import asdict
from datetime import datetime, timezone
from importlib import metadata
from typing import TextIO

from icap_coder import __version__
from icap_coder.model import Codebook


def build_manifest(result, codebook: Codebook, settings, command: list[str]) -> dict:
    per_document = Counter(c.document for c in result.codings)
    segments = Counter(s.document for s in result.segments)
    interviewers: dict[str, set] = {}
    for segment in result.segments:
        if segment.interviewer:
            interviewers.setdefault(segment.document, set()).add(segment.speaker)
    options = {k: (str(v) if v is not None and not isinstance(v, (int, float, bool, str, tuple)) else v)
               for k, v in asdict(settings).items()}
    return {
        "icap_version": __version__,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": command,
        "python": platform.python_version(),
        "packages": {name: _version(name) for name in ("spacy", "spacy-lookups-data", "simplemma",
                                                        "python-docx", "webvtt-py")},
        "codebook": {"name": codebook.name, "version": codebook.version, "path": codebook.source,
                     "sha256": codebook.sha256},
        "options": options,
        "counts": {"documents": len(result.documents), "segments": len(result.segments),
                   "codings": len(result.codings), "skipped": len(result.skipped)},
        "documents": [
            {"document": d.path, "sha256": d.sha256, "format": d.format, "case": d.case, "language": d.language,
             "attributes": d.attributes, "characters": len(d.text), "segments": segments[d.path],
             "codings": per_document[d.path],
             "speakers": sorted({t.speaker for t in d.turns if t.speaker}),
             "interviewers": sorted(interviewers.get(d.path, ()))}
            for d in result.documents
        ],
        "seconds": result.seconds,
        "skipped": result.skipped,
        "warnings": result.warnings,
    }


def write_manifest(stream: TextIO, manifest: dict) -> None:
    json.dump(manifest, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""
