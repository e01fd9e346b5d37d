"""What the analysis commands work on: documents, segments and codings, filtered.

Either coded afresh from transcripts (`icap summary transcripts/`, see
`from_run`) or read back from a results folder that `icap code --out` wrote
(`icap summary icap-results/`, see `export.results.read_results`): both give
the same Dataset, so both give the same tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from icap_coder.analysis.crosstab import BUILT_IN, CrossTab, tabulate
from icap_coder.errors import IcapError
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
    source: str | None = None  # auto | manual | semantic; unset: codings (suggestions by meaning are not)
    primary: bool = False  # only each segment's primary code

    def keep(self, coding: Coding) -> bool:
        return all((
            self.group is None or coding.group == self.group,
            self.code is None or coding.code == self.code or f"{coding.group}/{coding.code}" == self.code,
            self.case is None or coding.case == self.case,
            self.speaker is None or coding.speaker == self.speaker,
            self.document is None or coding.document == self.document,
            coding.source == self.source if self.source else not coding.suggested,
            not self.primary or coding.primary,
        ))

    def describe(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in vars(self).items() if v is not None and v is not False)

    def check(self, known: Known) -> None:
        """A filter that names nothing in the data is a mistake, not an empty table: say what there is."""
        values = {"group": list(known.groups), "case": sorted(known.cases), "document": list(known.documents),
                  "speaker": sorted(known.speakers)}
        what = {"group": "a code group", "case": "a case", "document": "a document", "speaker": "a speaker"}
        for name in ("group", "case", "document", "speaker"):
            value = getattr(self, name)
            if value is not None and value not in values[name]:
                shown = ", ".join(values[name][:12]) + (", ..." if len(values[name]) > 12 else "")
                plural = {"group": "groups"}.get(name, f"{name}s")
                raise IcapError(f"--{name} '{value}' is not {what[name]}" + (" here" if name != "group" else "")
                                + f"; {plural}: {shown or 'none'}")
        if self.code is not None and self.code not in known.codes:
            raise IcapError(f"--code '{self.code}' is not a code here; `icap codebook show` lists the codes")

    def keep_document(self, document: Document | None) -> bool:
        return document is None or ((self.case is None or document.case == self.case)
                                    and (self.document is None or document.path == self.document))


@dataclass
class Known:
    """What a stream of documents held, gathered in one pass, to check filters and --by against afterwards."""

    groups: dict[str, None] = field(default_factory=dict)
    codes: set[str] = field(default_factory=set)
    cases: set[str] = field(default_factory=set)
    documents: dict[str, None] = field(default_factory=dict)
    speakers: set[str] = field(default_factory=set)
    attributes: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, codebook: Codebook) -> Known:
        known = cls(groups=dict.fromkeys(g.name for g in codebook.groups))
        known.codes.update(x for c in codebook.codes() for x in (c.name, c.path))
        return known

    def add(self, document: Document | None, segments: list[Segment], codings: list[Coding]) -> None:
        if document is not None:
            self.documents.setdefault(document.path, None)
            if document.case:
                self.cases.add(document.case)
            self.attributes.update(document.attributes)
        self.speakers.update(s.speaker for s in segments if s.speaker)
        for coding in codings:
            self.groups.setdefault(coding.group, None)
            self.codes.update((coding.code, f"{coding.group}/{coding.code}"))
            if coding.speaker:
                self.speakers.add(coding.speaker)

    def check_by(self, by: str) -> None:
        known = list(BUILT_IN) + sorted(self.attributes - set(BUILT_IN))
        if by not in known:
            raise IcapError(f"--by '{by}' is not an attribute of these documents; known: {', '.join(known)}")


@dataclass
class Dataset:
    codebook: Codebook
    documents: list[Document]
    segments: list[Segment]
    codings: list[Coding]
    meta: dict[str, Any] = field(default_factory=dict)  # codebook hash, unit, date, counts: for the method appendix
    warnings: list[str] = field(default_factory=list)  # of the run that coded it: skipped files, tags not applied
    unfiltered: list[Coding] | None = None  # the codings of these documents before filtering codes and speakers

    def filtered(self, filters: Filters) -> Dataset:
        documents = [d for d in self.documents
                     if (filters.case is None or d.case == filters.case)
                     and (filters.document is None or d.path == filters.document)]
        names = {d.path for d in documents}
        codings = [c for c in self.codings if filters.keep(c) and c.document in names]
        codebook = _only_group(self.codebook, filters.group) if filters.group else self.codebook
        base = [c for c in self.base_codings() if c.document in names]
        return Dataset(codebook, documents, [s for s in self.segments if s.document in names], codings,
                       {**self.meta, "filters": filters.describe()}, self.warnings, base)

    def by_document(self) -> Iterator[tuple[Document | None, list[Coding], list[Coding]]]:
        """(document, its codings, its codings before code filters), in document order; then codings of
        documents not listed, with None."""
        codings: dict[str, list[Coding]] = {}
        for coding in self.codings:
            codings.setdefault(coding.document, []).append(coding)
        base: dict[str, list[Coding]] = {}
        for coding in self.base_codings():
            base.setdefault(coding.document, []).append(coding)
        listed = {d.path for d in self.documents}
        for document in self.documents:
            yield document, codings.get(document.path, []), base.get(document.path, [])
        for path in dict.fromkeys(c.document for c in self.codings if c.document not in listed):
            yield None, codings[path], base.get(path, [])

    def table(self, by: str = "case") -> CrossTab:
        """The cross-tabulation every measure and format of this dataset is computed from."""
        return tabulate(self.codebook, self.documents, self.codings, by, denominator=self.base_codings())

    def known(self) -> Known:
        known = Known.of(self.codebook)
        for document in self.documents:
            known.add(document, [], [])
        known.add(None, self.segments, self.codings)
        return known

    def base_codings(self) -> list[Coding]:
        """The codings before any filter on codes, speakers or sources: what `percent` divides by."""
        return self.codings if self.unfiltered is None else self.unfiltered


def only_group(codebook: Codebook, group: str | None) -> Codebook:
    """The codebook an analysis filtered to one group shows (all of it without a filter)."""
    return _only_group(codebook, group) if group else codebook


def _only_group(codebook: Codebook, group: str) -> Codebook:
    return Codebook(codebook.name, codebook.version, codebook.languages,
                    [g for g in codebook.groups if g.name == group], codebook.source, codebook.sha256)


def from_run(result: RunResult, codebook: Codebook, unit: str) -> Dataset:
    """The dataset of a run that just happened (transcripts coded in this command)."""
    return of(codebook, result.documents, result.segments, result.codings, result.manual.rejected, {
        "codebook": codebook.name, "codebook_version": codebook.version, "codebook_sha256": codebook.sha256,
        "codebook_path": codebook.source, "unit": unit,
        "semantic": result.semantic is not None}, result.skipped + result.warnings)


def of(codebook: Codebook, documents: list[Document], segments: list[Segment], codings: list[Coding],
       rejected: int | None, meta: dict[str, Any], warnings: list[str]) -> Dataset:
    """A dataset with the counts the method appendix reports."""
    auto = sum(1 for c in codings if c.source == "auto")
    return Dataset(codebook, documents, segments, codings, {
        **meta, "automatic": auto, "manual": len(codings) - auto, "rejected": rejected,
        "documents": len(documents), "segments": len(segments)}, warnings)
