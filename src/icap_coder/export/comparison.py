"""The cross-case comparison as a file: CSV (wide or long), XLSX (a sheet per measure), Markdown, JSON, heatmap."""

from __future__ import annotations

from pathlib import Path

from icap_coder.analysis import tables
from icap_coder.analysis.cooccurrence import Pair
from icap_coder.analysis.crosstab import MEASURES, CrossTab
from icap_coder.export import formats, heatmap
from icap_coder.export.wording import Wording

SUFFIXES = (".csv", ".xlsx", ".md", ".json", ".png", ".svg")


def write(path: Path, table: CrossTab, measure: str, layout: str, pairs: list[Pair], guard: bool = True,
          words: Wording | None = None) -> None:
    """Write the table in the format the suffix names (one of SUFFIXES); `words` titles the heatmap."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        formats.write_text(path, formats.csv_text(tables.long(table) if layout == "long"
                                                  else tables.wide(table, measure), guard))
    elif suffix == ".xlsx":
        sheets = {m: tables.wide(table, m, marks=True) for m in MEASURES}
        sheets["presence_01"] = tables.wide(table, "presence")  # 1/0: what a pivot table or formula can add up
        sheets["long"] = tables.long(table)
        sheets["cooccurrence"] = tables.pairs(pairs)
        notes = {m: tables.caption(table, m) for m in MEASURES}
        notes["presence_01"] = f"1 = coded at least once, 0 = not coded, by {table.by}"
        formats.write_xlsx(path, sheets, notes, guard)
    elif suffix == ".md":
        formats.write_text(path, f"## {measure} by {table.by}\n\n"
                           + formats.markdown_table(tables.wide(table, measure, True))
                           + f"\n_{tables.caption(table, measure)}._\n")
    elif suffix == ".json":
        header, rows = tables.wide(table, measure)
        formats.write_json(path, {"by": table.by, "measure": measure, "caption": tables.caption(table, measure),
                                  "columns": header[2:], "rows": [dict(zip(header, r)) for r in rows],
                                  "long": table.long_rows()})
    elif suffix in (".png", ".svg"):
        heatmap.write(path, table, measure, words)
    else:
        raise ValueError(f"not a comparison format: {suffix}")
