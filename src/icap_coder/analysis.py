"""Counts researchers report: per element (code group) and code, per case.

A cell counts coded segments, and the distinct documents and respondents
they come from. Group rows count a segment once even when several of the
group's codes apply to it. Codes without codings show as zeros.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from icap_coder.model import Codebook, Coding, Document

NO_CASE = "(no case)"


@dataclass
class Cell:
    segments: set = field(default_factory=set)
    documents: set = field(default_factory=set)
    respondents: set = field(default_factory=set)

    def add(self, coding: Coding, respondent: str) -> None:
        self.segments.add((coding.document, coding.segment))
        self.documents.add(coding.document)
        self.respondents.add(respondent)

    def as_counts(self) -> dict[str, int]:
        return {"segments": len(self.segments), "documents": len(self.documents),
                "respondents": len(self.respondents)}


@dataclass
class SummaryRow:
    group: str
    code: str  # "" for a group total row
    cells: dict[str, Cell]
    total: Cell


@dataclass
class Summary:
    cases: list[str]
    rows: list[SummaryRow]
    documents_per_case: dict[str, int]


def element_summary(codebook: Codebook, documents: list[Document], codings: list[Coding]) -> Summary:
    respondent = {d.path: d.respondent for d in documents}
    cases = sorted({d.case or NO_CASE for d in documents})
    per_case = {case: sum(1 for d in documents if (d.case or NO_CASE) == case) for case in cases}
    order: list[tuple[str, str]] = []
    for group in codebook.groups:
        order.append((group.name, ""))
        order.extend((group.name, code.name) for code in group.codes)
    for coding in codings:  # codes found outside the codebook (manual, inductive) go under their group
        if (coding.group, coding.code) not in order:
            if (coding.group, "") not in order:
                order.append((coding.group, ""))
            position = max(i for i, (g, _) in enumerate(order) if g == coding.group) + 1
            order.insert(position, (coding.group, coding.code))
    rows = {key: SummaryRow(key[0], key[1], {c: Cell() for c in cases}, Cell()) for key in order}
    for coding in codings:
        who = respondent.get(coding.document, coding.document)
        case = coding.case or NO_CASE
        for key in ((coding.group, coding.code), (coding.group, "")):
            rows[key].cells[case].add(coding, who)
            rows[key].total.add(coding, who)
    return Summary(cases, [rows[key] for key in order], per_case)
