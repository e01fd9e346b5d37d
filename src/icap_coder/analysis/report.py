"""The results-chapter report as one structure; `export` renders it to Markdown, HTML or DOCX.

Per element (code group) a section; in it per case a subsection with the key
numbers and the best quotes with respondent ids; then the cross-case comparison
table with its heatmap; then a method appendix (codebook version and hash, unit,
dates, counts of automatic and manual codings) so a reader can judge and redo it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from icap_coder import __version__
from icap_coder.analysis.agreement import AgreementBuilder, Unit, method_note, units_from_evidence
from icap_coder.analysis.crosstab import NO_VALUE, TOTAL, CrossTab, Tabulator
from icap_coder.analysis.dataset import Dataset
from icap_coder.analysis.quotes import QuoteKeeper, best_quotes, excerpt, marks
from icap_coder.analysis.tables import Table, wide
from icap_coder.model import Codebook, Coding, Document, Segment


@dataclass
class Quote:
    code: str
    respondent: str
    speaker: str
    document: str
    segment: int
    source: str
    text: str
    marks: list[tuple[int, int]] = field(default_factory=list)  # the matched words in `text`, to highlight


@dataclass
class CaseBlock:
    case: str
    numbers: list[list[Any]]  # [code ("" = the element as a whole), segments, documents, respondents, primary]
    quotes: list[Quote]


@dataclass
class Element:
    group: str
    definition: str
    terms: list[tuple[str, int]]
    cases: list[CaseBlock]
    labels: dict[str, str] = field(default_factory=dict)  # the group's label per language

    @property
    def label(self) -> str:
        """The English label, which the terminal shows beside the name."""
        return self.labels.get("en", "")


@dataclass
class Report:
    codebook: str
    by: str
    measure: str
    elements: list[Element]
    table: CrossTab
    method: dict[str, Any]  # the facts of the method appendix; `export.wording` words them in a language
    agreement: list[dict[str, Any]] = field(default_factory=list)  # group and overall rows, when people coded
    agreement_facts: dict[str, Any] = field(default_factory=dict)  # unit, units, documents, coders
    created: str = field(default_factory=lambda: datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))

    @property
    def title(self) -> str:
        return f"Coding results: {self.codebook}"

    @property
    def agreement_note(self) -> str:
        return method_note(**self.agreement_facts) if self.agreement_facts else ""

    def comparison(self, marks: bool = True) -> Table:
        return wide(self.table, self.measure, marks=marks)

    def counts_table(self) -> Table:
        """Per element, code and case: segments, documents, respondents."""
        return (["group", "code", "case", "segments", "documents", "respondents", "primary"],
                [[e.group, code, b.case, *counts] for e in self.elements for b in e.cases
                 for code, *counts in b.numbers])

    def quotes_table(self) -> Table:
        return (["group", "code", "case", "respondent", "document", "segment", "source", "quote"],
                [[e.group, q.code, b.case, q.respondent, q.document, q.segment, q.source, q.text]
                 for e in self.elements for b in e.cases for q in b.quotes])

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "created": self.created,
                "elements": [{**asdict(e), "label": e.label} for e in self.elements], "method": self.method,
                **({"agreement": {"note": self.agreement_note, "rows": self.agreement}} if self.agreement else {})}


class ReportBuilder:
    """The report built while documents stream past: counts, evidence terms and candidate quotes per cell,
    so a report on any number of documents needs memory for one document at a time."""

    def __init__(self, codebook: Codebook, by: str = "case", measure: str = "segments", quotes: int = 2):
        self.codebook, self.by, self.measure, self.quotes = codebook, by, measure, quotes
        self.table = Tabulator(codebook, by)
        self.cases = self.table if by == "case" else Tabulator(codebook, "case")
        self.terms: dict[str, Counter[str]] = {}
        self.keepers: dict[tuple[str, str, str], QuoteKeeper] = {}
        self.respondent: dict[str, str] = {}
        self.automatic = self.manual = 0
        self.units: list[Unit] = []  # segments that two or more people coded, for the agreement section
        self.coded_documents: set[str] = set()

    def segments(self, document: Document, segments: list[Segment], codings: list[Coding]) -> None:
        """The document's segments and all its codings: what the agreement between people needs."""
        found = units_from_evidence(document, segments, codings)
        if found:
            self.units.extend(found)
            self.coded_documents.add(document.path)

    def add(self, document: Document | None, codings: list[Coding], base: list[Coding] | None = None) -> None:
        self.table.add(document, codings, base, path=codings[0].document if codings else "")
        if self.cases is not self.table:
            self.cases.add(document, codings, base, path=codings[0].document if codings else "")
        if document is not None:
            self.respondent[document.path] = document.respondent
        cells: dict[tuple[str, str, str], list[Coding]] = {}
        for coding in codings:
            self.terms.setdefault(coding.group, Counter()).update(coding.terms)
            self.automatic += coding.source == "auto"
            self.manual += coding.source == "manual"
            cells.setdefault((coding.group, coding.code, coding.case or NO_VALUE), []).append(coding)
        for key, found in cells.items():
            self.keepers.setdefault(key, QuoteKeeper(max(5 * self.quotes, 10))).add(found)

    def report(self, meta: dict[str, Any]) -> Report:
        table, case_table = self.table.result(), self.cases.result()
        groups = {g.name: g for g in self.codebook.groups}
        elements = []
        for group_name in dict.fromkeys(g for g, _ in case_table.rows):
            codes = [c for g, c in case_table.rows if g == group_name and c]
            blocks = []
            for case in [c for c in case_table.columns if c != TOTAL]:
                numbers = [[code, *case_table.cells[((group_name, code), case)].as_counts().values()]
                           for code in ["", *codes]]
                chosen, quoted = [], set()
                for code in codes:  # a segment is quoted once per case, under the first code that picks it
                    keeper = self.keepers.get((group_name, code, case))
                    candidates = [c for c in (keeper.candidates() if keeper else [])
                                  if (c.document, c.segment) not in quoted]
                    for coding in best_quotes(candidates, self.quotes):
                        quoted.add((coding.document, coding.segment))
                        chosen.append(Quote(code, self.respondent.get(coding.document, coding.document),
                                            coding.speaker, coding.document, coding.segment, coding.source,
                                            text := excerpt(coding), marks(text, coding.terms)))
                blocks.append(CaseBlock(case, numbers, chosen))
            group = groups.get(group_name)
            elements.append(Element(group_name, group.definition if group else "",
                                    self.terms.get(group_name, Counter()).most_common(8), blocks,
                                    dict(group.label) if group else {}))
        report = Report(self.codebook.name, self.by, self.measure, elements, table, {})
        report.method = {
            "codebook": meta.get("codebook", self.codebook.name),
            "codebook_version": str(meta.get("codebook_version", "")),
            "codebook_sha256": str(meta.get("codebook_sha256", "")),
            "unit": str(meta.get("unit", "")),
            "documents": meta.get("documents", 0),
            "segments": meta.get("segments", 0),
            "automatic": self.automatic,
            "manual": self.manual,
            "rejected": meta.get("rejected", 0) or 0,
            "primary": "meaning" if meta.get("semantic") else "keywords",  # how level keyword codes were decided
            "filters": meta.get("filters") or "",
            "coded_at": _when(meta.get("coded_at")) or report.created,  # coded in this run: now
            "made_with": f"icap-coder {__version__}",
        }
        if self.units:
            coders = list(dict.fromkeys(coder for unit in self.units for coder in unit.codes))
            agreement = AgreementBuilder(self.codebook, coders)
            for unit in self.units:
                agreement.add(unit)
            report.agreement = [row for row in agreement.rows() if row["level"] != "code"]
            report.agreement_facts = {"unit": str(meta.get("unit") or "segment"), "units": len(self.units),
                                      "documents": len(self.coded_documents), "coders": coders}
        return report


def _when(stamp: Any) -> str:
    """An ISO time stamp as the report writes times (2026-11-22 04:18 UTC); other text as it is."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(str(stamp))
    except ValueError:
        return str(stamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def build(dataset: Dataset, by: str = "case", measure: str = "segments", quotes: int = 2) -> Report:
    """The report of a dataset held in memory (see ReportBuilder)."""
    builder = ReportBuilder(dataset.codebook, by, measure, quotes)
    segments: dict[str, list[Segment]] = {}
    for segment in dataset.segments:
        segments.setdefault(segment.document, []).append(segment)
    for document, codings, base in dataset.by_document():
        builder.add(document, codings, base)
        if document is not None:
            builder.segments(document, segments.get(document.path, []), base)
    return builder.report({**dataset.meta, "documents": dataset.meta.get("documents", len(dataset.documents)),
                           "segments": dataset.meta.get("segments", len(dataset.segments))})
