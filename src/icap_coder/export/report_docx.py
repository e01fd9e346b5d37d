"""The report as a Word document (python-docx) a thesis can take as it is: see `docx_layout`."""

from __future__ import annotations

import io
from pathlib import Path

from icap_coder.analysis.report import Report
from icap_coder.atomic import write_bytes_atomic
from icap_coder.export import docx_layout as layout
from icap_coder.export import heatmap
from icap_coder.export.agreement import display_table
from icap_coder.export.cells import printable
from icap_coder.export.wording import Wording


def write(path: Path, report: Report, words: Wording | None = None, paper: str = "a4", toc: bool = False) -> None:
    import docx
    from docx.shared import Cm, Pt

    words = words or Wording()
    document = docx.Document()
    width = layout.page(document, paper)
    layout.styles(document)
    title = words("title", name=report.codebook)
    document.core_properties.title = printable(title)
    document.core_properties.language = words.language
    document.add_heading(printable(title), level=0)
    document.add_paragraph().add_run(printable(words("generated", date=report.created,
                                                     tool=report.method.get("made_with", "icap-coder")))).italic = True
    comparison_heading = words("comparison", by=words.attribute(report.by))
    if toc:
        entries = [(1, words.group_name(e.group, e.labels)) for e in report.elements]
        entries += [(1, comparison_heading)] + [(1, words("agreement"))] * bool(report.agreement)
        layout.table_of_contents(document, words, [*entries, (1, words("method"))])
    tables = 0

    def table(caption: str, header: list[str], rows: list[list], levels: list[str] | None = None,
              mono: tuple[tuple[int, int], ...] = ()) -> None:
        nonlocal tables
        tables += 1
        layout.caption(document, words, "table", tables, caption)
        layout.table(document, header, rows, width, levels, mono)

    columns = [words.column(c) for c in ("code", "segments", "documents", "respondents", "primary")]
    for element in report.elements:
        name = words.group_name(element.group, element.labels)
        document.add_heading(printable(name), level=1)
        if element.definition:
            document.add_paragraph(printable(element.definition))
        if element.terms:
            paragraph = document.add_paragraph()
            paragraph.add_run(printable(words("matched_words") + ": ")).italic = True
            paragraph.add_run(printable(", ".join(f"{t} ({n})" for t, n in element.terms)))
        for block in element.cases:
            document.add_heading(printable(block.case), level=2)
            table(words("case_caption", group=element.group, case=block.case), columns,
                  [[code or element.group, *counts] for code, *counts in block.numbers],
                  ["code" if code else "group" for code, *_ in block.numbers])
            for quote in block.quotes:
                paragraph = document.add_paragraph(style="Quote")
                paragraph.add_run("“")
                layout.text_with_marks(paragraph, quote.text, quote.marks)
                paragraph.add_run("”")
                source = paragraph.add_run(printable(f"  — {quote.respondent}, {quote.code}"
                                                     + (f", {words('manual')}" if quote.source == "manual" else "")))
                source.italic = True
                source.font.size = Pt(9)
    document.add_heading(printable(comparison_heading), level=1)
    header, rows = report.comparison()
    what = words.measure_title(report.measure, report.by)
    table(what, [words.column("code"), *(words.column(c) for c in header[2:])],
          [[code or group, *values] for group, code, *values in rows],
          ["code" if code else "group" for _, code, *_ in rows])
    document.add_paragraph().add_run(printable(words.measure_note(report.measure))).italic = True
    layout.caption(document, words, "figure", 1, words("heatmap_caption", what=what))
    picture = document.add_picture(io.BytesIO(heatmap.png_bytes(report.table, report.measure, words)))
    if picture.width > Cm(width):  # python-docx sized it from the PNG's resolution: print size, unless too wide
        picture.height, picture.width = round(picture.height * Cm(width) / picture.width), Cm(width)
    if report.agreement:
        document.add_heading(words("agreement"), level=1)
        document.add_paragraph(printable(words.agreement_note(report.agreement_facts)))
        header, rows = display_table(report.agreement, words)
        table(words("agreement_caption"), header, rows,
              [{"group": "group", "overall": "group"}.get(r["level"], "code") for r in report.agreement])
    document.add_heading(words("method"), level=1)
    rows = words.method_rows(report.method)
    table(words("method_caption"), [words.column("item"), words.column("value")], rows, mono=((1, 1),))
    buffer = io.BytesIO()
    document.save(buffer)
    write_bytes_atomic(path, buffer.getvalue())
