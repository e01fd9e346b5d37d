"""Word layout a thesis can take as it is: paper and margins, numbered captions, tables that fit.

Tables get column widths from their content (a code name never breaks inside a
word when the page has room for it), a header row that repeats on every page,
rows that never split across pages, bold group rows with their codes indented,
and numbers aligned right. Captions are Word SEQ fields, so Word numbers them
and can list them; the numbers are filled in already for readers that do not
update fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from icap_coder.analysis.quotes import pieces
from icap_coder.export.cells import is_figure, printable
from icap_coder.export.wording import Wording

PAPERS = {"a4": (21.0, 29.7, 2.5), "letter": (21.59, 27.94, 2.54)}  # width, height, margin in cm
TABLE_FONT_PT = 9
_PADDING_PT = 12  # a cell's left and right margins together, with a little room


def page(document: Any, paper: str, landscape: bool = False) -> float:
    """Set paper size and margins; the width of the text column in cm."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    width, height, margin = PAPERS[paper]
    if landscape:
        width, height = height, width
    for section in document.sections:
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(width), Cm(height)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(margin)
    return width - 2 * margin


def styles(document: Any) -> None:
    """Captions black and bold as theses print them; headings kept with what follows."""
    from docx.shared import Pt, RGBColor

    caption = document.styles["Caption"]
    caption.font.size, caption.font.bold, caption.font.italic = Pt(10), True, False
    caption.font.color.rgb = RGBColor(0, 0, 0)
    caption.paragraph_format.space_before, caption.paragraph_format.space_after = Pt(10), Pt(4)
    caption.paragraph_format.keep_with_next = True
    for level in (1, 2, 3):
        document.styles[f"Heading {level}"].paragraph_format.keep_with_next = True


def caption(document: Any, words: Wording, kind: str, number: int, text: str) -> None:
    """'Tabel 3 – …' above a table or figure, numbered by a SEQ field that Word keeps up to date."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = document.add_paragraph(style="Caption")
    paragraph.add_run(f"{words(kind)} ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" SEQ {words(kind)} \\* ARABIC ")
    run = OxmlElement("w:r")
    shown = OxmlElement("w:t")
    shown.text = str(number)
    run.append(shown)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(printable(f" – {text}"))


MONO_PT = 7.5


def _text_width(text: str, bold: bool, mono: bool = False) -> float:
    """About how wide `text` prints, in points, at most: Calibri averages ~0.5 em a letter, but a reader
    without it (LibreOffice substitutes DejaVu) needs ~0.6, bold more; Courier is 0.6 em exactly."""
    if mono:
        return len(text) * MONO_PT * 0.6
    return len(text) * TABLE_FONT_PT * (0.68 if bold else 0.62)


def widths(header: Sequence[str], rows: Sequence[Sequence[Any]], levels: Sequence[str], available_cm: float,
           indent_cm: float, mono: Sequence[tuple[int, int]] = ()) -> list[float]:
    """Column widths in cm that fill the text width: each column as wide as its longest text where the page
    allows, never narrower than its longest single word (so names wrap between words), the rest shared out."""
    to_cm = 2.54 / 72
    want, least = [], []
    for index, name in enumerate(header):
        texts = [(str(name), True, False)] + [(str(row[index]), level == "group", (number, index) in mono)
                                              for number, (row, level) in enumerate(zip(rows, levels))]
        extra = indent_cm / to_cm if index == 0 and "code" in levels else 0
        want.append(max(_text_width(t, b, m) for t, b, m in texts) * to_cm + (_PADDING_PT + extra) * to_cm)
        least.append(max(_text_width(w, b, m) for t, b, m in texts for w in (t.split() or [""])) * to_cm
                     + (_PADDING_PT + extra) * to_cm)
    want = [max(w, 1.3) for w in want]
    if sum(want) <= available_cm:
        return [w * available_cm / sum(want) for w in want]
    whole: dict[int, float] = {}  # columns that fit whole in a fair share of what is left (labels, numbers)
    while True:
        free = [i for i in range(len(want)) if i not in whole]
        share = (available_cm - sum(whole.values())) / max(1, len(free))
        fits = [i for i in free if want[i] <= share]
        if not fits or len(fits) == len(free):
            break
        whole.update({i: want[i] for i in fits})
    spare = available_cm - sum(whole.values()) - sum(least[i] for i in free)
    if spare <= 0:  # too many columns for the page: shrink all alike (words may then break)
        return [w * available_cm / sum(least) for w in least]
    short = sum(want[i] - least[i] for i in free) or 1
    return [whole[i] if i in whole else least[i] + spare * (want[i] - least[i]) / short for i in range(len(want))]


def table(document: Any, header: Sequence[str], rows: Sequence[Sequence[Any]], available_cm: float,
          levels: Sequence[str] | None = None, mono: Sequence[tuple[int, int]] = (),
          keep_together: bool | None = None) -> Any:
    """A table as a thesis prints it. `levels` per row: 'group' (bold), 'code' (first cell indented) or ''.
    Cells in `mono` (row, column; rows from 0 below the header) are set in a small fixed-width font (hashes).
    Tables of up to 25 rows stay on one page."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    levels = list(levels or [""] * len(rows))
    indent = 0.4
    sizes = widths(header, rows, levels, available_cm, indent, mono)
    figures = [bool(rows) and all(is_figure(row[i]) for row in rows) for i in range(len(header))]
    together = len(rows) <= 25 if keep_together is None else keep_together
    grid = document.add_table(rows=1 + len(rows), cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    grid._tbl.tblPr.append(layout)
    for column, size in zip(grid.columns, sizes):
        column.width = Cm(size)
    for number, (row, values) in enumerate(zip(grid.rows, [list(header), *[list(r) for r in rows]])):
        level = "header" if number == 0 else levels[number - 1]
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
        if number == 0:
            properties.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page
        for index, (cell, value, size) in enumerate(zip(row.cells, values, sizes)):
            cell.width = Cm(size)
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(printable(str(value)))
            run.font.size = Pt(TABLE_FONT_PT)
            run.bold = level in ("header", "group")
            if (number - 1, index) in mono:
                run.font.name, run.font.size = "Courier New", Pt(MONO_PT)
            if number == 0:
                shade = OxmlElement("w:shd")
                shade.set(qn("w:val"), "clear")
                shade.set(qn("w:fill"), "F2F2F2")
                cell._tc.get_or_add_tcPr().append(shade)
            elif level == "group":
                shade = OxmlElement("w:shd")
                shade.set(qn("w:val"), "clear")
                shade.set(qn("w:fill"), "F7F9FC")
                cell._tc.get_or_add_tcPr().append(shade)
            if index == 0 and level == "code":
                paragraph.paragraph_format.left_indent = Cm(indent)
            if figures[index] and index:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT  # numbers line up, as in print
            if str(value) in ("0", "–") and level != "header":
                run.font.color.rgb = RGBColor(0x70, 0x70, 0x70)
            paragraph.paragraph_format.space_after = Pt(0)
            if together and number < len(rows):
                paragraph.paragraph_format.keep_with_next = True  # Word keeps a short table on one page
    document.add_paragraph().paragraph_format.space_after = Pt(2)  # room before the next block
    return grid


def text_with_marks(paragraph: Any, text: str, marks: list[tuple[int, int]]) -> None:
    """`text` as runs, the spans in `marks` bold: the words that made the code fire, seen at a glance."""
    for part, marked in pieces(text, marks):
        paragraph.add_run(printable(part)).bold = marked or None


def table_of_contents(document: Any, words: Wording, entries: Sequence[tuple[int, str]]) -> None:
    """A Word TOC field over headings 1-2. Its shown text lists the headings already (without page numbers),
    and the document asks Word to update its fields when opened, which adds them."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    heading = document.add_paragraph(words("contents"), style="TOC Heading")
    heading.paragraph_format.keep_with_next = True

    def char(paragraph: Any, kind: str) -> None:
        mark = OxmlElement("w:fldChar")
        mark.set(qn("w:fldCharType"), kind)
        run = OxmlElement("w:r")
        run.append(mark)
        paragraph._p.append(run)

    paragraphs = [document.add_paragraph() for _ in entries] or [document.add_paragraph()]
    char(paragraphs[0], "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = ' TOC \\o "1-2" \\h \\z \\u '
    run = OxmlElement("w:r")
    run.append(instruction)
    paragraphs[0]._p.append(run)
    char(paragraphs[0], "separate")
    for paragraph, (level, text) in zip(paragraphs, entries):
        paragraph.add_run(printable(text))
        paragraph.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        paragraph.paragraph_format.space_after = Pt(0)
    char(paragraphs[-1], "end")
    hint = document.add_paragraph()
    hint.add_run(words("toc_hint")).italic = True
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
