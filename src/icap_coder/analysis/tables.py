"""Analysis results as plain tables (a header and rows), the form every file format starts from."""

from __future__ import annotations

from typing import Any

from icap_coder.analysis.cooccurrence import Pair
from icap_coder.analysis.crosstab import MEASURES, CrossTab

Table = tuple[list[str], list[list[Any]]]


def presence(value: float) -> str:
    return "✓" if value else "–"


def wide(table: CrossTab, measure: str, marks: bool = False) -> Table:
    """Rows = groups and codes, columns = attribute values and Total; `marks` writes ✓/– for presence."""
    header = ["group", "code", *table.columns]
    rows = []
    for row in table.rows:
        values: list[Any] = [table.value(row, column, measure) for column in table.columns]
        if measure == "presence" and marks:
            values = [presence(v) for v in values]
        rows.append([row[0], row[1], *values])
    return header, rows


def long(table: CrossTab) -> Table:
    header = ["group", "code", table.by, *MEASURES]
    return header, [[r["group"], r["code"], r[table.by], *(r[m] for m in MEASURES)] for r in table.long_rows()]


def pairs(found: list[Pair]) -> Table:
    return (["code_a", "code_b", "segments_together", "segments_a", "segments_b", "c_coefficient"],
            [[p.a, p.b, p.together, p.count_a, p.count_b, p.c] for p in found])


def caption(table: CrossTab, measure: str) -> str:
    what = {"segments": "coded segments", "documents": "documents with the code",
            "respondents": "respondents who said it", "presence": "✓ = coded at least once",
            "percent": "percent of the column's coded segments (any code)"}[measure]
    return f"{what}, by {table.by}; group rows count each segment, document or respondent once"
