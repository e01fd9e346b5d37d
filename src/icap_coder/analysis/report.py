"""The results-chapter report as one structure; `export` renders it to Markdown, HTML or DOCX.

Per element (code group) a section; in it per case a subsection with the key
numbers and the best quotes with respondent ids; then the cross-case comparison
table with its heatmap; then a method appendix (codebook version and hash, unit,
dates, counts of automatic and manual codings) so a reader can judge and redo it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from icap_coder import __version__
from icap_coder.analysis.crosstab import TOTAL, CrossTab
from icap_coder.analysis.dataset import Dataset
from icap_coder.analysis.quotes import best_quotes, excerpt, top_terms
from icap_coder.analysis.tables import Table, caption, wide


@dataclass
class Quote:
    code: str
    respondent: str
    speaker: str
    document: str
    segment: int
    source: str
    text: str


@dataclass
class CaseBlock:
    case: str
    numbers: list[list[Any]]  # [code ("" = the element as a whole), segments, documents, respondents, primary]
    quotes: list[Quote]


@dataclass
class Element:
    group: str
    label: str
    definition: str
    terms: list[tuple[str, int]]
    cases: list[CaseBlock]


@dataclass
class Report:
    title: str
    by: str
    measure: str
    elements: list[Element]
    table: CrossTab
    appendix: list[tuple[str, str]]
    created: str = field(default_factory=lambda: datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))

    def comparison(self, marks: bool = True) -> Table:
        return wide(self.table, self.measure, marks=marks)

    @property
    def caption(self) -> str:
        return caption(self.table, self.measure)

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
        return {"title": self.title, "created": self.created, "elements": [asdict(e) for e in self.elements],
                "method": dict(self.appendix)}


def build(dataset: Dataset, by: str = "case", measure: str = "segments", quotes: int = 2) -> Report:
    table = dataset.table(by)
    case_table = dataset.table("case")
    respondent = {d.path: d.respondent for d in dataset.documents}
    groups = {g.name: g for g in dataset.codebook.groups}
    elements = []
    for group_name in dict.fromkeys(g for g, _ in case_table.rows):
        codes = [c for g, c in case_table.rows if g == group_name and c]
        in_group = [c for c in dataset.codings if c.group == group_name]
        blocks = []
        for case in [c for c in case_table.columns if c != TOTAL]:
            numbers = [[code, *case_table.cells[((group_name, code), case)].as_counts().values()]
                       for code in ["", *codes]]
            chosen, quoted = [], set()
            for code in codes:  # a segment is quoted once per case, under the first code that picks it
                candidates = [c for c in in_group if c.code == code and (c.case or "(none)") == case
                              and (c.document, c.segment) not in quoted]
                for coding in best_quotes(candidates, quotes):
                    quoted.add((coding.document, coding.segment))
                    chosen.append(Quote(code, respondent.get(coding.document, coding.document), coding.speaker,
                                        coding.document, coding.segment, coding.source, excerpt(coding)))
            blocks.append(CaseBlock(case, numbers, chosen))
        group = groups.get(group_name)
        elements.append(Element(group_name, group.label.get("en", "") if group else "",
                                group.definition if group else "", top_terms(in_group, 8), blocks))
    meta = dataset.meta
    appendix = [
        ("Codebook", f"{meta.get('codebook', dataset.codebook.name)}, version {meta.get('codebook_version', '')}"),
        ("Codebook SHA-256", str(meta.get("codebook_sha256", ""))),
        ("Unit of coding", str(meta.get("unit", ""))),
        ("Documents / segments", f"{meta.get('documents', len(dataset.documents))} / "
                                 f"{meta.get('segments', len(dataset.segments))}"),
        ("Codings", f"{sum(c.source == 'auto' for c in dataset.codings)} automatic (keyword rules), "
                    f"{sum(c.source == 'manual' for c in dataset.codings)} manual (added or confirmed by a person)"
                    + (f"; {meta['rejected']} automatic codings rejected by hand" if meta.get("rejected") else "")),
        ("Filters", meta.get("filters") or "none"),
        ("Coded at", str(meta.get("coded_at") or "this run")),
        ("Made with", f"icap-coder {__version__}"),
    ]
    return Report(f"Coding results: {dataset.codebook.name}", by, measure, elements, table, appendix)
