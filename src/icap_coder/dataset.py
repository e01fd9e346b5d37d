"""What the analysis commands work on: documents, segments and codings, filtered.

Either coded afresh from transcripts (`icap summary transcripts/`) or read back
from a results folder that `icap code --out` wrote (`icap summary icap-results/`):
codings.csv, segments.csv and manifest.json hold everything the tables need.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from icap_coder.errors import IcapError
from icap_coder.model import Codebook, Coding, Document, Segment


@dataclass
class Filters:
    group: str | None = None
    code: str | None = None
    case: str | None = None
    speaker: str | None = None
    document: str | None = None
    source: str | None = None  # auto | manual

    def keep(self, coding: Coding) -> bool:
        return all((
            self.group is None or coding.group == self.group,
            self.code is None or coding.code == self.code or f"{coding.group}/{coding.code}" == self.code,
            self.case is None or coding.case == self.case,
            self.speaker is None or coding.speaker == self.speaker,
            self.document is None or coding.document == self.document,
            self.source is None or coding.source == self.source,
        ))

    def describe(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in vars(self).items() if v is not None)


@dataclass
class Dataset:
    codebook: Codebook
    documents: list[Document]
    segments: list[Segment]
    codings: list[Coding]
    meta: dict = field(default_factory=dict)  # codebook hash, unit, date, counts: for the method appendix

    def filtered(self, filters: Filters) -> "Dataset":
        documents = [d for d in self.documents
                     if (filters.case is None or d.case == filters.case)
                     and (filters.document is None or d.path == filters.document)]
        names = {d.path for d in documents}
        codings = [c for c in self.codings if filters.keep(c) and c.document in names]
        codebook = _only_group(self.codebook, filters.group) if filters.group else self.codebook
        return Dataset(codebook, documents, [s for s in self.segments if s.document in names], codings,
                       {**self.meta, "filters": filters.describe()})


def _only_group(codebook: Codebook, group: str) -> Codebook:
    return Codebook(codebook.name, codebook.version, codebook.languages,
                    [g for g in codebook.groups if g.name == group], codebook.source, codebook.sha256)


def is_results_folder(path: Path) -> bool:
    return path.is_dir() and (path / "codings.csv").is_file() and (path / "manifest.json").is_file()


def from_run(result, codebook: Codebook, unit: str) -> Dataset:
    auto = sum(1 for c in result.codings if c.source == "auto")
    return Dataset(codebook, result.documents, result.segments, result.codings, {
        "codebook": codebook.name, "codebook_version": codebook.version, "codebook_sha256": codebook.sha256,
        "codebook_path": codebook.source, "unit": unit, "automatic": auto,
        "manual": len(result.codings) - auto, "rejected": result.manual.rejected,
        "documents": len(result.documents), "segments": len(result.segments)})


def from_results(folder: Path, codebook: Codebook) -> Dataset:
    """Read back what `icap code --out FOLDER` wrote."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        documents = [Document(d["document"], "", [], d.get("format", ""), d.get("sha256", ""), d.get("case", ""),
                              d.get("attributes", {}), d.get("language", "")) for d in manifest["documents"]]
        with (folder / "codings.csv").open(encoding="utf-8", newline="") as stream:
            codings = [Coding(r["document"], r["case"], r["speaker"], int(r["segment"]), int(r["start"]),
                              int(r["end"]), r["group"], r["code"], r["source"], float(r["score"]), r["evidence"],
                              r["text"]) for r in csv.DictReader(stream)]
        segments = []
        if (folder / "segments.csv").is_file():
            with (folder / "segments.csv").open(encoding="utf-8", newline="") as stream:
                segments = [Segment(r["document"], r["case"], r["speaker"], int(r["segment"]), r["unit"],
                                    int(r["start"]), int(r["end"]), r["language"], r["text"])
                            for r in csv.DictReader(stream)]
    except (OSError, ValueError, KeyError) as exc:
        raise IcapError(f"not a readable icap results folder ({exc}); run `icap code --out` again",
                        file=str(folder)) from None
    auto = sum(1 for c in codings if c.source == "auto")
    book = manifest.get("codebook", {})
    if book.get("sha256") and codebook.sha256 and book["sha256"] != codebook.sha256:
        raise IcapError(f"these results were coded with another codebook ({book.get('path')}); pass it with "
                        "--codebook so rows and labels match", file=str(folder))
    return Dataset(codebook, documents, segments, codings, {
        "codebook": book.get("name", codebook.name), "codebook_version": book.get("version", ""),
        "codebook_sha256": book.get("sha256", ""), "codebook_path": book.get("path", ""),
        "unit": manifest.get("options", {}).get("unit", ""), "automatic": auto, "manual": len(codings) - auto,
        "rejected": None, "documents": len(documents), "segments": len(segments),
        "coded_at": manifest.get("created", "")})
