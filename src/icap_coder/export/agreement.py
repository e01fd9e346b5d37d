"""The agreement table (and its disagreements) as files: CSV, XLSX, Markdown, JSON, DOCX."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from icap_coder.analysis.tables import Table
from icap_coder.atomic import write_bytes_atomic
from icap_coder.export import cells, docx_layout, formats
from icap_coder.export.wording import Wording

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


def _shown(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def display_table(rows: list[dict[str, Any]], words: Wording | None = None) -> Table:
    """The table as a person reads it (Markdown, DOCX): one column of codings, one of P/R/F1 per person."""
    words = words or Wording()
    coders = list(rows[0]["codings"]) if rows else []
    persons = list(rows[0].get("icap_vs", {})) if rows and "icap_vs" in rows[0] else []
    header = [*(words.column(c) for c in ("Element / code", "Units", "% agreement", "Cohen's kappa",
                                           "Krippendorff's alpha")),
              f"{words.column('Coded by')} {' / '.join(coders)}", *[f"icap vs {p}: P / R / F1" for p in persons]]
    body = []
    for row in rows:
        name = {"group": row["group"], "code": row["code"], "overall": words.column("Overall (all codes)")}[
            row["level"]]
        scores = row.get("icap_vs", {})
        body.append([name, row["units"], _shown(row["percent_agreement"], 1), _shown(row["cohen_kappa"]),
                     _shown(row["krippendorff_alpha"]), " / ".join(str(n) for n in row["codings"].values()),
                     *[" / ".join(_shown(scores.get(p, {}).get(m)) for m in ("precision", "recall", "f1"))
                       for p in persons]])
    return header, body


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
        text = f"# Intercoder agreement\n\n{method}\n\n{formats.markdown_table(display_table(rows))}"
        if disagreements:
            text += f"\n## Disagreements\n\n{formats.markdown_table(disagreement_table(disagreements))}"
        formats.write_text(path, text)
    else:
        _write_docx(path, rows, disagreements, method)


def _write_docx(path: Path, rows: list[dict[str, Any]], disagreements: list[dict[str, Any]], method: str) -> None:
    """A4 landscape, so the table fits the page; group rows bold, codes indented; disagreements with quotes."""
    import io

    import docx

    document = docx.Document()
    width = docx_layout.page(document, "a4", landscape=True)
    docx_layout.styles(document)
    document.add_heading("Intercoder agreement", level=1)
    document.add_paragraph(cells.printable(method))
    words = Wording()
    docx_layout.caption(document, words, "table", 1, words("agreement_caption"))
    docx_layout.table(document, *display_table(rows), width,
                      [{"code": "code"}.get(row["level"], "group") for row in rows])
    names, values = disagreement_table(disagreements)
    if values:
        labels = {"document": "Document", "segment": "Seg.", "speaker": "Speaker", "group": "Group", "code": "Code",
                  "coded_by": "Coded by", "not_by": "Not by", "quote": "Quote"}
        document.add_heading("Disagreements", level=2)
        docx_layout.caption(document, words, "table", 2, "Segments the coders coded differently")
        docx_layout.table(document, [labels.get(n, n) for n in names], values, width, keep_together=False)
    buffer = io.BytesIO()
    document.save(buffer)
    write_bytes_atomic(path, buffer.getvalue())
