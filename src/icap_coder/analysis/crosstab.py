"""The numbers researchers report, all derived from one cross-tabulation of the codings.

`tabulate` makes one pass over the codings and keeps, per (row, column) cell, the
sets of coded segments, documents and respondents; every measure, table and export
is computed from those cells, so two formats can never disagree. Rows are the
codebook's groups (totals: a segment counts once per group) and codes, plus codes
found only in manual codings, under their group; columns are the values of an
attribute (case, role, ...) over all documents, so a case where nothing was coded
still shows, with zeros.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from icap_coder.model import Codebook, Coding, Document

NO_VALUE = "(none)"
TOTAL = "Total"
MEASURES = ("segments", "documents", "respondents", "presence", "percent")


@dataclass
class Cell:
    segments: set = field(default_factory=set)
    documents: set = field(default_factory=set)
    respondents: set = field(default_factory=set)

    primary: set = field(default_factory=set)  # segments whose primary code falls in this cell

    def add(self, coding: Coding, respondent: str) -> None:
        self.segments.add((coding.document, coding.segment))
        self.documents.add(coding.document)
        self.respondents.add(respondent)
        if coding.primary:
            self.primary.add((coding.document, coding.segment))

    def as_counts(self) -> dict[str, int]:
        return {"segments": len(self.segments), "documents": len(self.documents),
                "respondents": len(self.respondents), "primary": len(self.primary)}


Row = tuple[str, str]  # (group, code); code "" is the group's total row


@dataclass
class CrossTab:
    by: str
    rows: list[Row]
    columns: list[str]  # attribute values, then TOTAL
    cells: dict[tuple[Row, str], Cell]
    coded: dict[str, Cell]  # per column: all coded segments, the denominator of `percent`
    documents_per_column: dict[str, int]

    def value(self, row: Row, column: str, measure: str) -> float:
        cell = self.cells[(row, column)]
        if measure == "presence":
            return 1 if cell.segments else 0
        if measure == "percent":
            total = len(self.coded[column].segments)
            return round(100 * len(cell.segments) / total, 1) if total else 0.0
        return len(getattr(cell, measure))

    def long_rows(self, measures=MEASURES) -> list[dict]:
        """Tidy form: one row per (group, code, column value)."""
        return [{"group": g, "code": c, self.by: column, **{m: self.value((g, c), column, m) for m in measures}}
                for (g, c) in self.rows for column in self.columns]


def value_of(document: Document | None, by: str, speaker: str = "") -> str:
    """A document's value of the attribute the columns are made of (speaker: the coding's speaker)."""
    if by == "speaker":
        return speaker or NO_VALUE
    if document is None:
        return NO_VALUE
    if by == "case":
        return document.case or NO_VALUE
    if by == "document":
        return document.path
    if by == "language":
        return document.language or NO_VALUE
    if by == "respondent":
        return document.respondent
    return document.attributes.get(by) or NO_VALUE


def row_order(codebook: Codebook, codings: list[Coding]) -> list[Row]:
    order: list[Row] = []
    for group in codebook.groups:
        order.append((group.name, ""))
        order.extend((group.name, code.name) for code in group.codes)
    for coding in codings:  # codes outside the codebook (manual, inductive) go under their group
        if (coding.group, coding.code) in order:
            continue
        if (coding.group, "") not in order:
            order.append((coding.group, ""))
        position = max(i for i, (g, _) in enumerate(order) if g == coding.group) + 1
        order.insert(position, (coding.group, coding.code))
    return order


BUILT_IN = ("case", "document", "language", "respondent", "speaker")


def tabulate(codebook: Codebook, documents: list[Document], codings: list[Coding], by: str = "case",
             column_values: list[str] | None = None, denominator: list[Coding] | None = None) -> CrossTab:
    """One pass over the codings; time linear in their number.

    `denominator`: the codings `percent` divides by (default: `codings`), so that
    filtering codes or speakers does not change what 100% is.
    """
    docs = {d.path: d for d in documents}
    if column_values is None:
        column_values = sorted({value_of(docs.get(c.document), by, c.speaker) for c in codings} if by == "speaker"
                               else {value_of(d, by) for d in documents})
    columns = [*column_values, TOTAL]
    rows = row_order(codebook, codings)
    cells = {(row, column): Cell() for row in rows for column in columns}
    coded = {column: Cell() for column in columns}
    for coding in codings:
        document = docs.get(coding.document)
        respondent = document.respondent if document else coding.document
        value = value_of(document, by, coding.speaker)
        for column in (value, TOTAL):
            if column not in coded:
                continue
            cells[((coding.group, coding.code), column)].add(coding, respondent)
            cells[((coding.group, ""), column)].add(coding, respondent)
    for coding in codings if denominator is None else denominator:
        document = docs.get(coding.document)
        respondent = document.respondent if document else coding.document
        for column in (value_of(document, by, coding.speaker), TOTAL):
            if column in coded:
                coded[column].add(coding, respondent)
    per_column = Counter(value_of(d, by) for d in documents) if by != "speaker" else Counter()
    per_column[TOTAL] = len(documents)
    return CrossTab(by, rows, columns, cells, coded, dict(per_column))
