"""Tables to files: CSV, XLSX (one sheet per table), Markdown and JSON. Written atomically."""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

from icap_coder.analysis.tables import Table
from icap_coder.atomic import write_bytes_atomic, write_text_atomic
from icap_coder.export import cells


def csv_text(table: Table, guard: bool = True) -> str:
    """The table as CSV; with `guard` (for files people open), cells a spreadsheet would run are text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in [table[0], *table[1]]:
        writer.writerow(cells.guard_row(row) if guard else row)
    return buffer.getvalue()


def records(table: Table) -> list[dict]:
    header, rows = table
    return [dict(zip(header, row)) for row in rows]


def records_json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


def records_csv(rows: list[dict], columns: list[str]) -> str:
    """Rows as CSV for a pipeline (stdout): values exactly as they are."""
    return csv_text((columns, [[row.get(c, "") for c in columns] for row in rows]), guard=False)


def markdown_table(table: Table) -> str:
    header, rows = table

    def cell(value) -> str:  # HTML in transcript text stays text where Markdown is rendered
        return html.escape(cells.printable(str(value)), quote=False).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(map(cell, header)) + " |",
             "|" + "|".join("---:" if all(isinstance(r[i], (int, float)) for r in rows) and rows else "---"
                            for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def write_text(path: Path, text: str) -> None:
    write_text_atomic(path, text)


def write_json(path: Path, data) -> None:
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


WRAPPED = ("quote", "text")  # columns of transcript text: wrapped in a wide column, not one endless line


def write_xlsx(path: Path, sheets: dict[str, Table], notes: dict[str, str] | None = None, guard: bool = True) -> None:
    """One sheet per table: bold frozen header, readable column widths, a note above when given.

    In tables of groups and codes, a group's row (its code cell empty) is bold on a light fill, as in the
    reports; columns of transcript text wrap. Text that a spreadsheet would run as a formula is stored as
    text (with Excel's quote prefix), and control characters, which XLSX cannot hold, become U+FFFD.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    group_fill = PatternFill("solid", fgColor="EEF2F8")
    bold, note_font = Font(name="Calibri", bold=True), Font(name="Calibri", italic=True)

    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(name[:31])
        note = (notes or {}).get(name)
        if note:
            sheet.append([note])
            sheet["A1"].font = note_font
        code_at = header.index("code") if "group" in header and "code" in header else None
        wrapped = [i for i, name in enumerate(header) if name in WRAPPED]
        numeric = [bool(rows) and all(isinstance(r[i], (int, float)) for r in rows) for i in range(len(header))]
        for number, row in enumerate([header, *rows]):
            sheet.append([cells.printable(v) for v in row])
            is_group = number > 0 and code_at is not None and not row[code_at]
            for index, cell in enumerate(sheet[sheet.max_row]):
                if isinstance(cell.value, str) and (guard or cell.data_type == "f") and \
                        cells.RUNS_AS_FORMULA.match(cell.value):
                    cell.data_type, cell.quotePrefix = "s", True
                if number == 0 or is_group:
                    cell.font = bold
                if is_group:
                    cell.fill = group_fill
                if number == 0 and numeric[index]:
                    cell.alignment = Alignment(horizontal="right")  # over its numbers
                if number and index in wrapped:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                elif number and wrapped:
                    cell.alignment = Alignment(vertical="top")
            if number == 0:
                sheet.freeze_panes = f"A{sheet.max_row + 1}"  # a coordinate: asking for the cell would create a row
                sheet.print_title_rows = f"1:{sheet.max_row}"  # printed: the header on every page
        for index, column in enumerate(zip(header, *rows), start=1):
            width = max(len(str(v)) for v in column)
            sheet.column_dimensions[get_column_letter(index)].width = \
                80 if index - 1 in wrapped else min(60, max(8, width + 2))
        sheet.page_setup.orientation = "landscape"  # printed: one page wide, as many long as it takes
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    buffer = io.BytesIO()
    book.save(buffer)
    write_bytes_atomic(path, buffer.getvalue())
