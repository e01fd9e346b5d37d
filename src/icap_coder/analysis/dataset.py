"""What the analysis commands work on: documents, segments and codings, filtered.

Either coded afresh from transcripts (`icap summary transcripts/`, see
`from_run`) or read back from a results folder that `icap code --out` wrote
(`icap summary icap-results/`, see `export.results.read_results`): both give
the same Dataset, so both give the same tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from icap_coder.model import Codebook, Coding, Document, Segment

if TYPE_CHECKING:
    from icap_coder.coding.run import RunResult


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
    meta: dict[str, Any] = field(default_factory=dict)  # codebook hash, unit, date, counts: for the method appendix
    warnings: list[str] = field(default_factory=list)  # of the run that coded it: skipped files, tags not applied

    def filtered(self, filters: Filters) -> Dataset:
        documents = [d for d in self.documents
                     if (filters.case is None or d.case == filters.case)
                     and (filters.document is None or d.path == filters.document)]
        names = {d.path for d in documents}
        codings = [c for c in self.codings if filters.keep(c) and c.document in names]
        codebook = _only_group(self.codebook, filters.group) if filters.group else self.codebook
        return Dataset(codebook, documents, [s for s in self.segments if s.document in names], codings,
                       {**self.meta, "filters": filters.describe()}, self.warnings)


def _only_group(codebook: Codebook, group: str) -> Codebook:
    return Codebook(codebook.name, codebook.version, codebook.languages,
                    [g for g in codebook.groups if g.name == group], codebook.source, codebook.sha256)


def from_run(result: RunResult, codebook: Codebook, unit: str) -> Dataset:
    """The dataset of a run that just happened (transcripts coded in this command)."""
    return of(codebook, result.documents, result.segments, result.codings, result.manual.rejected, {
        "codebook": codebook.name, "codebook_version": codebook.version, "codebook_sha256": codebook.sha256,
        "codebook_path": codebook.source, "unit": unit}, result.skipped + result.warnings)


def of(codebook: Codebook, documents: list[Document], segments: list[Segment], codings: list[Coding],
       rejected: int | None, meta: dict[str, Any], warnings: list[str]) -> Dataset:
    """A dataset with the counts the method appendix reports."""
    auto = sum(1 for c in codings if c.source == "auto")
    return Dataset(codebook, documents, segments, codings, {
        **meta, "automatic": auto, "manual": len(codings) - auto, "rejected": rejected,
        "documents": len(documents), "segments": len(segments)}, warnings)
