"""The report as a Word document (python-docx), with the heatmap embedded as a picture."""

from __future__ import annotations

import io
import re
from pathlib import Path

from icap_coder.analysis.report import Report
from icap_coder.atomic import write_bytes_atomic
from icap_coder.export import heatmap
from icap_coder.export.agreement import display_table
from icap_coder.export.cells import printable


def write(path: Path, report: Report) -> None:
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    document.core_properties.title = report.title
    document.add_heading(printable(report.title), level=0)
    document.add_paragraph().add_run(f"Generated {report.created}.").italic = True
    for element in report.elements:
        document.add_heading(printable(element.group + (f" ({element.label})" if element.label else "")), level=1)
        if element.definition:
            document.add_paragraph(printable(element.definition))
        if element.terms:
            terms = ", ".join(f"{t} ({n})" for t, n in element.terms)
            document.add_paragraph(printable(f"Most frequent evidence: {terms}"))
        for block in element.cases:
            document.add_heading(printable(block.case), level=2)
            _table(document, ["Code", "Segments", "Documents", "Respondents", "Primary"],
                   [[code or element.group, *counts] for code, *counts in block.numbers], bold_first_row=True)
            for quote in block.quotes:
                paragraph = document.add_paragraph(style="Quote")
                paragraph.add_run(printable(f"“{quote.text}”"))
                source = paragraph.add_run(printable(f"  — {quote.respondent} ({quote.code}"
                                                     f"{', manual' if quote.source == 'manual' else ''})"))
                source.italic = True
                source.font.size = Pt(9)
    document.add_heading(printable(f"Comparison by {report.by}"), level=1)
    header, rows = report.comparison()
    _table(document, header, rows)
    document.add_paragraph().add_run(printable(report.caption)).italic = True
    document.add_picture(io.BytesIO(heatmap.png_bytes(report.table, report.measure)), width=Cm(16))
    if report.agreement:
        document.add_heading("Intercoder agreement", level=1)
        document.add_paragraph(printable(report.agreement_note))
        _table(document, *display_table(report.agreement), figures=True)
    document.add_heading("Method", level=1)
    _table(document, ["Item", "Value"], [list(p) for p in report.appendix])
    buffer = io.BytesIO()
    document.save(buffer)
    write_bytes_atomic(path, buffer.getvalue())


_NUMBER = re.compile(r"^-?\d+(\.\d+)?( / -?\d+(\.\d+)?)*$")  # 0.59, 2 / 1: figures shown as text


def _table(document, header: list[str], rows: list[list], bold_first_row: bool = False,
           figures: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = printable(str(text))
        cell.paragraphs[0].runs[0].bold = True
    for n, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = printable(str(value))
            if isinstance(value, (int, float)) or value in ("✓", "–") or (
                    figures and (value == "n/a" or _NUMBER.match(str(value)))):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT  # numbers line up, as in print
            if bold_first_row and n == 0 and cell.paragraphs[0].runs:
                cell.paragraphs[0].runs[0].bold = True
