"""The agreement table (and its disagreements) as files: CSV, XLSX, Markdown, JSON, DOCX."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from icap_coder.analysis.tables import Table
from icap_coder.atomic import write_bytes_atomic
from icap_coder.export import cells, formats

SUFFIXES = (".csv", ".xlsx", ".md", ".json", ".docx")
DISAGREEMENT_COLUMNS = ["document", "segment", "speaker", "group", "code", "coded_by", "not_by", "quote"]


def flat(row: dict[str, Any]) -> dict[str, Any]:
    """One agreement row with its nested parts as columns: codings_<coder>, icap_<measure>_<person>."""
    flat_row = {k: v for k, v in row.items() if k not in ("codings", "icap_vs")}
    flat_row.update({f"codings_{coder}": n for coder, n in row["codings"].items()})
    for person, scores in row.get("icap_vs", {}).items():
        flat_row.update({f"icap_{measure}_{person}": value for measure, value in scores.items()})
    return flat_row


def columns(rows: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(key for row in rows for key in flat(row)))


def table(rows: list[dict[str, Any]]) -> Table:
    header = columns(rows)
    return header, [[_cell(flat(row).get(c)) for c in header] for row in rows]


def disagreement_table(found: list[dict[str, Any]]) -> Table:
    return DISAGREEMENT_COLUMNS, [[row[c] for c in DISAGREEMENT_COLUMNS] for row in found]


def _cell(value: Any) -> Any:
    return "n/a" if value is None else value


def write(path: Path, rows: list[dict[str, Any]], disagreements: list[dict[str, Any]], method: str,
          guard: bool = True) -> None:
    """Write in the format the suffix names (one of SUFFIXES)."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        formats.write_json(path, {"method": method, "agreement": rows, "disagreements": disagreements})
    elif suffix == ".csv":
        formats.write_text(path, formats.csv_text(table(rows), guard))
    elif suffix == ".xlsx":
        formats.write_xlsx(path, {"Agreement": table(rows), "Disagreements": disagreement_table(disagreements)},
                           {"Agreement": method}, guard)
    elif suffix == ".md":
        text = f"# Intercoder agreement\n\n{method}\n\n{formats.markdown_table(table(rows))}"
        if disagreements:
            text += f"\n## Disagreements\n\n{formats.markdown_table(disagreement_table(disagreements))}"
        formats.write_text(path, text)
    else:
        _write_docx(path, rows, disagreements, method)


def _write_docx(path: Path, rows: list[dict[str, Any]], disagreements: list[dict[str, Any]], method: str) -> None:
    import io

    import docx

    document = docx.Document()
    document.add_heading("Intercoder agreement", level=1)
    document.add_paragraph(cells.printable(method))
    for title, (header, body) in (("", table(rows)), ("Disagreements", disagreement_table(disagreements))):
        if not body:
            continue
        if title:
            document.add_heading(title, level=2)
        grid = document.add_table(rows=1, cols=len(header))
        grid.style = "Table Grid"
        for cell, name in zip(grid.rows[0].cells, header):
            cell.text = cells.printable(str(name))
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for values in body:
            for cell, value in zip(grid.add_row().cells, values):
                cell.text = cells.printable(str(value))
    buffer = io.BytesIO()
    document.save(buffer)
    write_bytes_atomic(path, buffer.getvalue())
