"""Reports a researcher can hand in: paper, captions, tables that fit, highlighted quotes, language, heatmap,
spreadsheets, and terminal tables. The rendering test at the end turns each report into pages, as a reader sees
them, and reads the words back."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm
from PIL import Image

from conftest import EXAMPLES, icap
from icap_coder.analysis.quotes import marks
from icap_coder.export.heatmap import SCALES
from icap_coder.settings import paper_from_locale

SVG = "{http://www.w3.org/2000/svg}"


def export(results: Path, tmp_path: Path, name: str, *args: str, command: str = "summary") -> Path:
    path = tmp_path / name
    ran = icap(command, str(results), "--export", str(path), *args)
    assert ran.returncode == 0, ran.stderr
    return path


def captions(document) -> list[str]:
    """Caption texts with their numbers, which sit in SEQ fields that python-docx's `text` leaves out."""
    return ["".join(t.text or "" for t in p._p.iter(qn("w:t"))) for p in document.paragraphs
            if p.style.name == "Caption"]


def test_the_docx_report_is_a4_with_numbered_captions_above_its_tables(example_run, tmp_path):
    document = docx.Document(export(example_run, tmp_path, "verslag.docx"))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 1) == 2.5
    found = captions(document)
    tables = [c for c in found if c.startswith("Tabel")]
    assert len(tables) == len(document.tables) and len(tables) > 10
    assert [int(re.match(r"Tabel (\d+) – ", c).group(1)) for c in tables] == list(range(1, len(tables) + 1))
    assert "Tabel 1 – Leiderschap in Amsterdam: gecodeerde segmenten, documenten en respondenten per code" in tables
    assert any(c.startswith("Figuur 1 – Gecodeerde segmenten per casus") for c in found)
    body = document.element.body
    fields = [f.get(qn("w:instr")) for f in body.iter(qn("w:fldSimple"))]
    assert fields.count(" SEQ Tabel \\* ARABIC ") == len(tables)  # Word renumbers and lists them
    for paragraph in document.paragraphs:  # a caption never ends a page alone, nor does a heading
        if paragraph.style.name == "Caption" or paragraph.style.name.startswith("Heading"):
            assert paragraph.paragraph_format.keep_with_next or paragraph.style.paragraph_format.keep_with_next


def test_docx_tables_repeat_their_header_keep_rows_whole_and_fill_the_text_width(example_run, tmp_path):
    document = docx.Document(export(example_run, tmp_path, "report.docx", command="compare"))
    for table in document.tables:
        rows = table._tbl.tr_lst
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(row.trPr.find(qn("w:cantSplit")) is not None for row in rows)
        widths = [column.width for column in table.columns]
        assert abs(sum(widths) - Cm(16)) < Cm(0.05), [w.cm for w in widths]  # A4 text width
    comparison = next(t for t in document.tables if t.rows[0].cells[-1].text == "Totaal")
    names = [row.cells[0] for row in comparison.rows[1:]]
    groups = [c for c in names if c.paragraphs[0].runs[0].bold]
    codes = [c for c in names if not c.paragraphs[0].runs[0].bold]
    assert [c.text for c in groups][:5] == ["Leiderschap", "Organisatie", "Kennismanagement", "Netwerk", "Leren"]
    assert all(c.paragraphs[0].paragraph_format.left_indent > 0 for c in codes)  # codes indented under groups
    assert len(comparison.columns) == 4  # Code, Amsterdam, Rotterdam, Totaal: no repeated group column
    first = comparison.columns[0].width.cm
    assert first > 5, "the longest code name, 'Participatieve benadering', fits on one line"


def test_quotes_show_the_matched_words_in_bold(example_run, tmp_path):
    document = docx.Document(export(example_run, tmp_path, "report.docx"))
    quotes = [p for p in document.paragraphs if p.style.name == "Quote"]
    bold = {run.text.lower() for p in quotes for run in p.runs if run.bold}
    assert {"innovatieagenda", "stip op de horizon", "directeur"} <= bold
    assert all(len(run.text) < 40 for p in quotes for run in p.runs if run.bold)  # words, not whole quotes
    html = export(example_run, tmp_path, "report.html").read_text(encoding="utf-8")
    assert "<mark>innovatieagenda</mark>" in html
    assert "**innovatieagenda**" in export(example_run, tmp_path, "report.md").read_text(encoding="utf-8")


def test_marks_find_whole_words_and_prefer_the_longer_match():
    text = "De stip op de horizon is helder; Horizons and horizon."
    last = text.rindex("horizon")
    assert marks(text, ["horizon", "stip op de horizon"]) == [(3, 21), (last, last + 7)]  # not in "Horizons"
    assert marks(text, ["visie"]) == []  # a lemma the text does not hold as written: nothing marked


def test_the_method_appendix_gives_the_date_it_was_coded(example_run, tmp_path):
    document = docx.Document(export(example_run, tmp_path, "report.docx", "--report-lang", "en"))
    method = {r.cells[0].text: r.cells[1].text for r in document.tables[-1].rows[1:]}
    created = json.loads((example_run / "manifest.json").read_text(encoding="utf-8"))["created"]
    assert method["Coded on"] == created[:10] + " " + created[11:16] + " UTC"
    assert "this run" not in " ".join(method.values())
    fresh = docx.Document(export(EXAMPLES, tmp_path, "fresh.docx", "--report-lang", "en"))
    coded_now = {r.cells[0].text: r.cells[1].text for r in fresh.tables[-1].rows[1:]}["Coded on"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", coded_now)


@pytest.mark.parametrize("lang, table, heading, method", [
    ("nl", "Tabel 1 – ", "Vergelijking per casus", "Methode"),
    ("en", "Table 1 – ", "Comparison by case", "Method"),
    ("sv", "Tabell 1 – ", "Jämförelse per fall", "Metod"),
])
def test_captions_and_fixed_texts_follow_the_report_language(example_run, tmp_path, lang, table, heading, method):
    document = docx.Document(export(example_run, tmp_path, f"{lang}.docx", "--report-lang", lang))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert captions(document)[0].startswith(table) and heading in headings and headings[-1] == method
    assert document.core_properties.language == lang
    html = export(example_run, tmp_path, f"{lang}.html", "--report-lang", lang).read_text(encoding="utf-8")
    assert f"<html lang='{lang}'>" in html and f"<caption>{table}" in html and f"<h2>{heading}</h2>" in html


def test_the_report_language_defaults_to_the_codebooks_and_can_be_set_in_the_project(tmp_path):
    study = tmp_path / "study"
    shutil.copytree(EXAMPLES.parent, study)
    document = docx.Document(export(study / "transcripts", tmp_path, "a.docx"))
    assert captions(document)[0].startswith("Tabel 1")  # the shipped codebook is Dutch first
    (study / "icap.yaml").write_text((study / "icap.yaml").read_text(encoding="utf-8")
                                     + "report_lang: sv\npaper: letter\n", encoding="utf-8")
    document = docx.Document(export(study / "transcripts", tmp_path, "b.docx"))
    assert captions(document)[0].startswith("Tabell 1")
    assert round(document.sections[0].page_width.cm, 2) == 21.59
    document = docx.Document(export(study / "transcripts", tmp_path, "c.docx", "--paper", "a4"))  # a flag wins
    assert round(document.sections[0].page_width.cm, 1) == 21.0
    (study / "icap.yaml").write_text("paper: legal\n", encoding="utf-8")
    refused = icap("summary", str(study / "transcripts"), "--export", str(tmp_path / "d.docx"))
    assert refused.returncode == 2 and "icap.yaml:1: paper 'legal' is not one of a4, letter" in refused.stderr
    assert not (tmp_path / "d.docx").exists()


def test_paper_follows_the_locale_where_no_one_chose():
    assert paper_from_locale({"LANG": "en_US.UTF-8"}) == "letter"
    assert paper_from_locale({"LANG": "fr_CA.UTF-8"}) == "letter"
    for locale in ("nl_NL.UTF-8", "sv_SE.UTF-8", "en_GB.UTF-8", "C.UTF-8", "POSIX"):
        assert paper_from_locale({"LANG": locale}) == "a4", locale
    assert paper_from_locale({"LANG": "nl_NL.UTF-8", "LC_PAPER": "en_US.UTF-8"}) == "letter"
    assert paper_from_locale({}) == "a4"


def test_toc_adds_a_field_word_updates_on_opening(example_run, tmp_path):
    path = export(example_run, tmp_path, "toc.docx", "--toc")
    document = docx.Document(path)
    instructions = [t.text for t in document.element.body.iter(qn("w:instrText"))]
    assert any(i.strip().startswith("TOC ") for i in instructions)
    assert document.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    texts = [p.text for p in document.paragraphs]
    assert texts.index("Inhoud") < texts.index("Leiderschap")  # the heading list comes first
    plain = docx.Document(export(example_run, tmp_path, "plain.docx"))
    assert not list(plain.element.body.iter(qn("w:instrText")))


def test_the_html_report_aligns_numbers_right_and_bolds_group_rows(example_run, tmp_path):
    html = export(example_run, tmp_path, "report.html", command="compare").read_text(encoding="utf-8")
    comparison = html[html.index("– Gecodeerde segmenten per casus</caption>"):]
    comparison = comparison[:comparison.index("</table>")]
    assert "<th>Code</th><th class=n>Amsterdam</th>" in comparison
    assert "<tr class=group><td>Leiderschap</td>" in comparison
    assert "<tr class=code><td>Ambitie/visie</td>" in comparison
    assert "<figcaption>Figuur 1 – Gecodeerde segmenten per casus als heatmap</figcaption>" in html


def test_the_heatmap_has_a_title_a_legend_separate_scales_and_a_resolution(example_run, tmp_path):
    png = export(example_run, tmp_path, "h.png", command="compare")
    with Image.open(png) as image:
        assert [round(v) for v in image.info["dpi"]] == [192, 192]
        printed = Cm(image.width / 192 * 2.54)  # its size on paper at the resolution it says
    picture = docx.Document(export(example_run, tmp_path, "h.docx", command="compare")).inline_shapes[0]
    assert abs(picture.width - min(printed, Cm(16))) < Cm(0.01)  # the report prints it at that size
    svg = export(example_run, tmp_path, "h.svg", command="compare")
    root = ElementTree.parse(svg).getroot()
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[0] == "Gecodeerde segmenten per casus" and "codes" in texts and "groepen" in texts
    x = {t.text: float(t.get("x")) for t in root.iter(f"{SVG}text")}
    assert x["Ambitie/visie"] > x["Leiderschap"]  # the indent survives: an offset, not spaces SVG collapses
    fills = {r.get("fill") for r in root.iter(f"{SVG}rect")}
    assert f"rgb{SCALES['code'][1]}" in fills, "the largest code cell is fully dark on the codes' own scale"
    assert f"rgb{SCALES['group'][1]}" in fills, "the largest group cell is fully dark on the groups' scale"


def test_spreadsheets_style_group_rows_wrap_quotes_and_give_presence_as_1_and_0(example_run, tmp_path):
    book = openpyxl.load_workbook(export(example_run, tmp_path, "c.xlsx", command="compare"))
    assert {"presence", "presence_01"} <= set(book.sheetnames)
    marks_sheet, numbers = book["presence"], book["presence_01"]
    values = [c.value for row in numbers.iter_rows(min_row=3, min_col=3) for c in row]
    assert set(values) == {0, 1}
    assert {c.value for row in marks_sheet.iter_rows(min_row=3, min_col=3) for c in row} == {"✓", "–"}
    segments = book["segments"]
    leiderschap = next(row for row in segments.iter_rows(min_row=3) if row[0].value == "Leiderschap")
    assert leiderschap[1].value is None and leiderschap[0].font.bold and leiderschap[2].font.bold
    code_row = next(row for row in segments.iter_rows(min_row=3) if row[1].value == "Ambitie/visie")
    assert not code_row[0].font.bold
    quotes = openpyxl.load_workbook(export(example_run, tmp_path, "s.xlsx"))["quotes"]
    header = [c.value for c in quotes[1]]
    column = header.index("quote")
    assert all(row[column].alignment.wrap_text for row in quotes.iter_rows(min_row=2))


def test_terminal_tables_keep_names_whole_and_decimals_even_when_piped(example_run):
    wide = icap("compare", str(example_run), "--by", "speaker")  # thirteen columns: more than 80 characters
    assert wide.returncode == 0
    assert "Participatieve benadering" in wide.stdout and "Joost Meijer" in wide.stdout and "…" not in wide.stdout
    percent = icap("compare", str(example_run), "--measure", "percent")
    cells = re.findall(r"│\s+([\d.]+) ", percent.stdout)
    assert cells and all(c == "0" or re.fullmatch(r"\d+\.\d", c) for c in cells), cells


# -- what a reader sees: each report rendered to pages and read back ------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM, PDFTOTEXT, PDFINFO = (shutil.which(t) for t in ("pdftoppm", "pdftotext", "pdfinfo"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
needs_office = pytest.mark.skipif(not (SOFFICE and PDFTOPPM and PDFTOTEXT and PDFINFO),
                                  reason="needs LibreOffice (soffice) and poppler-utils (pdftoppm, pdftotext, "
                                         "pdfinfo): apt-get install libreoffice-writer libreoffice-calc poppler-utils")


def to_pdf(path: Path) -> Path:
    out = path.parent / "pdf"
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{path.parent}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=240)
    return out / (path.stem + ".pdf")


def pages(pdf: Path) -> list[Image.Image]:
    subprocess.run([PDFTOPPM, "-r", "40", "-png", str(pdf), str(pdf.with_suffix(""))], check=True, timeout=120)
    return [Image.open(p) for p in sorted(pdf.parent.glob(pdf.stem + "-*.png"))]


def words_of(pdf: Path) -> Counter[str]:
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True, timeout=60).stdout
    return Counter(re.findall(r"\w+", text))


def words_in(path: Path) -> Counter[str]:
    """Every word the file holds, as the program wrote it."""
    if path.suffix == ".docx":
        body = docx.Document(path).element.body
        text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))
    elif path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        text = "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row
                         if c.value is not None)
    else:
        page = re.sub(r"<style>.*?</style>|<title>.*?</title>", "", path.read_text(encoding="utf-8"), flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", "\n", page))
    return Counter(re.findall(r"\w+", text))


def lost_words(path: Path, pdf: Path) -> dict[str, int]:
    """Words of the file that the printed pages do not show whole: broken inside a word, or cut off."""
    seen = words_of(pdf)
    return {word: n - seen[word] for word, n in words_in(path).items() if seen[word] < n}


@needs_office
@pytest.mark.parametrize("command, name", [("summary", "summary.docx"), ("compare", "compare.docx"),
                                           ("compare", "compare.xlsx")])
def test_every_report_renders_to_pages_with_every_word_whole(example_run, tmp_path, command, name):
    """Before this layout, the summary lost 'Kennismanagement' six times to 'Kennisma-/nagement' and the
    SHA-256 once; this compares every word the file holds with the words on the rendered pages."""
    path = export(example_run, tmp_path, name, command=command)
    pdf = to_pdf(path)
    info = subprocess.run([PDFINFO, str(pdf)], check=True, capture_output=True, text=True).stdout
    if path.suffix == ".docx":
        assert "(A4)" in info, info
    images = pages(pdf)
    assert images and all(image.convert("L").getextrema()[0] < 100 for image in images)  # ink on every page
    assert lost_words(path, pdf) == {}


@pytest.mark.skipif(not (CHROMIUM and PDFTOTEXT), reason="needs Chromium and poppler-utils (pdftotext): "
                                                         "apt-get install chromium poppler-utils")
def test_the_html_report_renders_in_a_browser_with_every_word_whole(example_run, tmp_path):
    page = export(example_run, tmp_path, "report.html")
    pdf = tmp_path / "report.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={pdf}",
                    "--no-pdf-header-footer", page.as_uri()], check=True, capture_output=True, timeout=240)
    assert lost_words(page, pdf) == {}
