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
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from icap_coder.model import Codebook, Coding, Document

NO_VALUE = "(none)"
TOTAL = "Total"
MEASURES = ("segments", "documents", "respondents", "presence", "percent")


@dataclass
class Cell:
    """Counts, never the codings themselves: a cell's memory does not grow with the corpus."""

    segments: int = 0
    documents: int = 0
    respondents: set[str] = field(default_factory=set)  # a study has few respondents
    primary: int = 0  # segments whose primary code falls in this cell

    def count(self, measure: str) -> int:
        return len(self.respondents) if measure == "respondents" else int(getattr(self, measure))

    def as_counts(self) -> dict[str, int]:
        return {"segments": self.segments, "documents": self.documents,
                "respondents": len(self.respondents), "primary": self.primary}


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
            total = self.coded[column].segments
            return round(100 * cell.segments / total, 1) if total else 0.0
        return cell.count(measure)

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


def row_order(codebook: Codebook, codes: Iterable[tuple[str, str]]) -> list[Row]:
    """The codebook's groups and codes, then codes found only in manual codings, under their group."""
    order: list[Row] = []
    for group in codebook.groups:
        order.append((group.name, ""))
        order.extend((group.name, code.name) for code in group.codes)
    for group_name, code_name in codes:
        if (group_name, code_name) in order:
            continue
        if (group_name, "") not in order:
            order.append((group_name, ""))
        position = max(i for i, (g, _) in enumerate(order) if g == group_name) + 1
        order.insert(position, (group_name, code_name))
    return order


BUILT_IN = ("case", "document", "language", "respondent", "speaker")


class Tabulator:
    """The cross-tabulation built one document at a time, so a corpus of any size fits in memory.

    A document's codings are deduplicated within the document (a segment counts once per
    cell; a group row counts a segment once however many of its codes it has), then only
    counts are kept.
    """

    def __init__(self, codebook: Codebook, by: str = "case", column_values: list[str] | None = None):
        self.codebook, self.by, self.fixed = codebook, by, column_values
        self.cells: dict[tuple[Row, str], Cell] = {}
        self.coded: dict[str, Cell] = {}
        self.seen: dict[str, None] = {}  # column values in order of appearance
        self.extra: dict[tuple[str, str], None] = {}  # codes outside the codebook
        self.per_column: Counter[str] = Counter()

    def add(self, document: Document | None, codings: list[Coding], denominator: list[Coding] | None = None,
            path: str = "") -> None:
        """One document (None: codings of a document not listed) with its codings; `denominator` for `percent`."""
        if self.by != "speaker" and document is not None:
            value = value_of(document, self.by)
            self.seen.setdefault(value, None)
            self.per_column[value] += 1
            self.per_column[TOTAL] += 1
        elif document is not None:
            self.per_column[TOTAL] += 1
        respondent = document.respondent if document else path
        self._count(self.cells, codings, document, respondent, by_row=True)
        self._count(self.coded, codings if denominator is None else denominator, document, respondent, by_row=False)

    def _count(self, target: dict[Any, Cell], codings: list[Coding], document: Document | None, respondent: str,
               by_row: bool) -> None:
        local: dict[Any, tuple[set[int], set[int]]] = {}
        for coding in codings:
            value = value_of(document, self.by, coding.speaker)
            if self.by == "speaker" and by_row:
                self.seen.setdefault(value, None)
            if by_row and (coding.group, coding.code) not in self.extra:
                self.extra[(coding.group, coding.code)] = None
            for column in (value, TOTAL):
                keys = [((coding.group, coding.code), column), ((coding.group, ""), column)] if by_row else [column]
                for key in keys:
                    segments, primary = local.setdefault(key, (set(), set()))
                    segments.add(coding.segment)
                    if coding.primary:
                        primary.add(coding.segment)
        for key, (segments, primary) in local.items():
            cell = target.setdefault(key, Cell())
            cell.segments += len(segments)
            cell.documents += 1
            cell.respondents.add(respondent)
            cell.primary += len(primary)

    def result(self) -> CrossTab:
        values = self.fixed if self.fixed is not None else sorted(self.seen)
        columns = [*values, TOTAL]
        rows = row_order(self.codebook, self.extra)
        cells = {(row, column): self.cells.get((row, column), Cell()) for row in rows for column in columns}
        coded = {column: self.coded.get(column, Cell()) for column in columns}
        return CrossTab(self.by, rows, columns, cells, coded, dict(self.per_column))


def tabulate(codebook: Codebook, documents: list[Document], codings: list[Coding], by: str = "case",
             column_values: list[str] | None = None, denominator: list[Coding] | None = None) -> CrossTab:
    """The cross-tabulation of codings in memory (see Tabulator); time linear in their number.

    `denominator`: the codings `percent` divides by (default: `codings`), so that
    filtering codes or speakers does not change what 100% is.
    """
    tabulator = Tabulator(codebook, by, column_values)
    by_document: dict[str, list[Coding]] = {}
    for coding in codings:
        by_document.setdefault(coding.document, []).append(coding)
    base: dict[str, list[Coding]] | None = None
    if denominator is not None:
        base = {}
        for coding in denominator:
            base.setdefault(coding.document, []).append(coding)
    listed = {d.path for d in documents}
    for document in documents:
        tabulator.add(document, by_document.get(document.path, []),
                      None if base is None else base.get(document.path, []))
    for path in dict.fromkeys(c.document for c in [*codings, *(denominator or [])] if c.document not in listed):
        tabulator.add(None, by_document.get(path, []), None if base is None else base.get(path, []), path)
    return tabulator.result()
