"""Summaries, cross-case comparison, co-occurrence and exports: every number checked against codings.csv.

The files are opened the way a researcher's software would (openpyxl, python-docx,
Pillow, an XML parser), and what they say is recounted from codings.csv.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections import defaultdict
from pathlib import Path
from xml.etree import ElementTree

import docx
import openpyxl
import pytest
from PIL import Image

from conftest import EXAMPLES, icap
from icap_coder.analysis.cooccurrence import cooccurrence
from icap_coder.analysis.crosstab import tabulate
from icap_coder.analysis.dataset import Filters
from icap_coder.codebook.loader import load_codebook
from icap_coder.export.results import read_results
from icap_coder.model import Coding, Document

CODES = ["Ambitie/visie", "Rol van directie", "Politieke steun", "Stimuleren van innovatie",
         "Middelen t.b.v. innovatie", "Interne communicatie", "Kennisdeling", "Nieuwe kennis", "Kennisnetwerk",
         "Diverse externe actoren", "Participatieve benadering", "Sociaal kapitaal", "Leeromgeving",
         "Lerende organisatie", "Evaluatie", "Algemeen", "Overig"]


@pytest.fixture(scope="module")
def coded(tmp_path_factory) -> Path:
    """The example study with one manual tag, one marker-free inductive code and one rejection, coded once."""
    root = tmp_path_factory.mktemp("study")
    study = root / "transcripts"
    shutil.copytree(EXAMPLES, study)
    a1 = study / "Amsterdam/A1-beleidsadviseur.txt"
    assert icap("tag", str(a1), "aardgasvrij", "Overig/energietransitie").returncode == 0
    assert icap("reject", str(a1), "per afdeling anders ingevuld", "Interne communicatie").returncode == 0
    out = root / "results"
    assert icap("code", str(study), "--out", str(out), "-f", "none", "-j", "1").returncode == 0
    return out


def recount(out: Path) -> dict:
    """Segments per (group, code, case) and per (group, case), straight from codings.csv."""
    counts = defaultdict(set)
    with (out / "codings.csv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            key = (row["document"], row["segment"])
            counts[(row["group"], row["code"], row["case"])].add(key)
            counts[(row["group"], "", row["case"])].add(key)
            counts[(row["group"], row["code"], "Total")].add(key)
            counts[(row["group"], "", "Total")].add(key)
    return {k: len(v) for k, v in counts.items()}


def test_compare_csv_agrees_with_codings(coded, tmp_path):
    path = tmp_path / "compare.csv"
    assert icap("compare", str(coded), "--export", str(path)).returncode == 0
    truth = recount(coded)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [r["code"] for r in rows if r["code"] and r["group"] != "Aanvullend"] == CODES[:15]
    for row in rows:
        for column in ("Amsterdam", "Rotterdam", "Total"):
            assert int(row[column]) == truth.get((row["group"], row["code"], column), 0), (row, column)
    inductive = [r for r in rows if r["code"] == "Overig/energietransitie"]
    assert inductive and inductive[0]["group"] == "Aanvullend" and inductive[0]["Amsterdam"] == "1"
    assert [r["Total"] for r in rows if r["code"] == "Algemeen"] == ["0"]  # empty codes show as zero rows


def test_long_csv_xlsx_json_md_agree(coded, tmp_path):
    for suffix in ("csv", "xlsx", "json", "md"):
        extra = ["--layout", "long"] if suffix == "csv" else []
        assert icap("compare", str(coded), "--export", str(tmp_path / f"c.{suffix}"), *extra).returncode == 0
    long_rows = list(csv.DictReader((tmp_path / "c.csv").open(encoding="utf-8")))
    truth = recount(coded)
    for row in long_rows:
        assert int(row["segments"]) == truth.get((row["group"], row["code"], row["case"]), 0)
        assert row["presence"] == ("1" if int(row["segments"]) else "0")
    book = openpyxl.load_workbook(tmp_path / "c.xlsx")
    sheets = {"segments", "documents", "respondents", "presence", "percent", "long", "cooccurrence"}
    assert sheets <= set(book.sheetnames)
    sheet = book["segments"]
    assert sheet.freeze_panes == "A3" and sheet["A2"].value == "group" and sheet["A2"].font.bold
    for values in sheet.iter_rows(min_row=3, values_only=True):
        group, code, amsterdam, rotterdam, total = values
        assert (amsterdam, rotterdam, total) == tuple(truth.get((group, code or "", c), 0)
                                                      for c in ("Amsterdam", "Rotterdam", "Total"))
    assert {v for row in book["presence"].iter_rows(min_row=3, values_only=True) for v in row[2:]} <= {"✓", "–"}
    data = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert {(r["group"], r["code"]): r["Total"] for r in data["rows"]} == {
        (r["group"], r["code"]): int(r["segments"]) for r in long_rows if r["case"] == "Total"}
    markdown = (tmp_path / "c.md").read_text(encoding="utf-8")
    assert "| Leiderschap |  | " in markdown and "coded segments, by case" in markdown


def test_percent_is_share_of_the_columns_coded_segments(coded):
    book, _ = load_codebook(None)
    data = read_results(coded, book)
    table = tabulate(book, data.documents, data.codings, "case")
    coded_amsterdam = len({(c.document, c.segment) for c in data.codings if c.case == "Amsterdam"})
    row = ("Netwerk", "Diverse externe actoren")
    assert table.value(row, "Amsterdam", "percent") == round(
        100 * table.value(row, "Amsterdam", "segments") / coded_amsterdam, 1)


def test_compare_by_attribute_and_filters(coded):
    result = icap("compare", str(coded), "--by", "role", "--measure", "respondents", "-f", "json")
    rows = json.loads(result.stdout)
    assert set(rows[0]) == {"group", "code", "ambtenaar", "bewoner", "kennispartner", "partner", "Total"}
    total = {(r["group"], r["code"]): r["Total"] for r in rows}
    assert total[("Netwerk", "")] <= 10
    manual = json.loads(icap("compare", str(coded), "--source", "manual", "-f", "json").stdout)
    assert {(r["group"], r["code"]) for r in manual if r["Total"]} == {("Aanvullend", ""),
                                                                       ("Aanvullend", "Overig/energietransitie")}
    only = json.loads(icap("compare", str(coded), "--group", "Leren", "--case", "Rotterdam", "-f", "json").stdout)
    assert {r["group"] for r in only} == {"Leren"} and set(only[0]) == {"group", "code", "Rotterdam", "Total"}


def test_empty_case_shows_zeros():
    book, _ = load_codebook(None)
    documents = [Document("A/1.txt", "", [], "text", case="A"), Document("B/1.txt", "", [], "text", case="B")]
    codings = [Coding("A/1.txt", "A", "R", 1, 0, 5, "Leren", "Evaluatie", "auto", 1, "x <- x", "x")]
    table = tabulate(book, documents, codings, "case")
    assert table.columns == ["A", "B", "Total"]
    assert table.value(("Leren", "Evaluatie"), "B", "segments") == 0
    assert table.value(("Leren", ""), "A", "presence") == 1 and table.value(("Leren", ""), "B", "percent") == 0


def test_cooccurrence_counts_and_c_coefficient():
    def coding(segment, code):
        return Coding("d", "", "", segment, 0, 1, "G", code, "auto", 1, "", "")

    codings = [coding(1, "A"), coding(1, "B"), coding(2, "A"), coding(2, "B"), coding(3, "A"), coding(4, "C"),
               coding(4, "B")]
    pairs = {(p.a, p.b): p for p in cooccurrence(codings)}
    assert (pairs[("G/A", "G/B")].together, pairs[("G/A", "G/B")].c) == (2, round(2 / (3 + 3 - 2), 3))
    assert pairs[("G/B", "G/C")].c == round(1 / 3, 3) and ("G/A", "G/C") not in pairs


def test_cooccur_command(coded, tmp_path):
    path = tmp_path / "co.csv"
    assert icap("cooccur", str(coded), "--export", str(path)).returncode == 0
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows and all(0 < float(r["c_coefficient"]) <= 1 for r in rows)
    segments = defaultdict(set)
    for row in csv.DictReader((coded / "codings.csv").open(encoding="utf-8")):
        segments[(row["document"], row["segment"])].add(f"{row['group']}/{row['code']}")
    first = rows[0]
    pair = {first["code_a"], first["code_b"]}
    assert int(first["segments_together"]) == sum(1 for s in segments.values() if pair <= s)


def test_summary_report_docx(coded, tmp_path):
    path = tmp_path / "report.docx"
    result = icap("summary", str(coded), "--export", str(path), "--report-lang", "en")
    assert result.returncode == 0, result.stderr
    document = docx.Document(path)
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Leiderschap (Leadership)") in headings and ("Heading 2", "Amsterdam") in headings
    assert headings[-2:] == [("Heading 1", "Comparison by case"), ("Heading 1", "Method")]
    truth = recount(coded)
    case_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Code"]
    first = case_tables[0]  # Leiderschap, Amsterdam
    assert first.rows[1].cells[0].text == "Leiderschap"
    assert int(first.rows[1].cells[1].text) == truth[("Leiderschap", "", "Amsterdam")]
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert quotes and all("— A" in q or "— R" in q for q in quotes)  # respondent ids
    method = dict((r.cells[0].text, r.cells[1].text) for r in document.tables[-1].rows[1:])
    assert method["Codebook SHA-256"] == json.loads((coded / "manifest.json").read_text())["codebook"]["sha256"]
    assert "1 manual" in method["Codings"]
    from docx.enum.shape import WD_INLINE_SHAPE

    assert len(document.inline_shapes) == 1 and document.inline_shapes[0].type == WD_INLINE_SHAPE.PICTURE


def test_html_report_is_one_self_contained_file(coded, tmp_path):
    path = tmp_path / "report.html"
    assert icap("compare", str(coded), "--export", str(path), "--report-lang", "en").returncode == 0
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "Comparison by case" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<script" not in html and "src=" not in html


def test_heatmaps(coded, tmp_path):
    assert icap("compare", str(coded), "--export", str(tmp_path / "h.png")).returncode == 0
    assert icap("compare", str(coded), "--export", str(tmp_path / "h.svg"), "-m", "presence",
                "--report-lang", "en").returncode == 0
    with Image.open(tmp_path / "h.png") as image:
        assert image.format == "PNG" and image.width > 400 and image.height > 400
    root = ElementTree.parse(tmp_path / "h.svg").getroot()
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Evaluatie" in " ".join(texts) and "yes" in texts and "no" in texts


def test_summary_markdown_and_json(coded, tmp_path):
    assert icap("summary", str(coded), "--export", str(tmp_path / "s.md"), "--group", "Netwerk").returncode == 0
    text = (tmp_path / "s.md").read_text(encoding="utf-8")
    assert "## Netwerk" in text and "## Leiderschap" not in text and "> " in text
    data = json.loads(icap("summary", str(coded), "-f", "json").stdout)
    element = next(e for e in data["elements"] if e["group"] == "Organisatie")
    truth = recount(coded)
    for block in element["cases"]:
        assert block["numbers"][0][1] == truth[("Organisatie", "", block["case"])]


def test_summary_from_transcripts_equals_summary_read_results(coded):
    from_folder = json.loads(icap("summary", str(coded), "-f", "json").stdout)
    study = coded.parent / "transcripts"
    from_transcripts = json.loads(icap("summary", str(study), "-f", "json").stdout)
    assert from_folder["elements"] == from_transcripts["elements"]


def test_analysis_errors(coded, tmp_path):
    for args, fragment in ((["compare", str(coded), "-m", "weight"], "--measure must be one of"),
                           (["compare", str(coded), "--export", str(tmp_path / "x.pdf")], "unknown export format"),
                           (["cooccur", str(coded), "--level", "word"], "--level must be code or group"),
                           (["summary", str(coded), "--source", "robot"], "'robot' is not one of 'auto', 'manual'")):
        result = icap(*args)
        assert result.returncode == 2 and fragment in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_filters_object():
    keep = Filters(group="Leren", source="manual").keep
    assert keep(Coding("d", "", "", 1, 0, 1, "Leren", "Evaluatie", "manual", 1, "", ""))
    assert not keep(Coding("d", "", "", 1, 0, 1, "Leren", "Evaluatie", "auto", 1, "", ""))


def test_a_results_folder_gives_exactly_the_tables_of_recoding(coded):
    """Reading `icap code --out` back must equal coding the transcripts again, for every measure and table."""
    from icap_coder.analysis import tables
    from icap_coder.analysis.crosstab import MEASURES
    from icap_coder.analysis.report import build
    from icap_coder.cli._common import load_dataset

    study = coded.parent / "transcripts"
    folder, fresh = (load_dataset([path], None, None, None, Filters()) for path in (coded, study))
    assert folder.documents == fresh.documents  # text, turns, format, case, attributes, language
    assert folder.segments == fresh.segments  # including the interviewer flag
    assert sum(s.interviewer for s in folder.segments) > 40
    assert folder.codings == fresh.codings
    for by in ("case", "role", "speaker", "language", "respondent", "document"):
        a, b = (tabulate(d.codebook, d.documents, d.codings, by) for d in (folder, fresh))
        for measure in MEASURES:
            assert tables.wide(a, measure) == tables.wide(b, measure), (by, measure)
        assert tables.long(a) == tables.long(b)
    assert cooccurrence(folder.codings, "group") == cooccurrence(fresh.codings, "group")
    reports = [build(d, "role", "percent", 3) for d in (folder, fresh)]
    assert reports[0].elements == reports[1].elements
    assert reports[0].comparison() == reports[1].comparison()
    method = [dict(r.method) for r in reports]
    for found in method:  # when the folder was coded, and now: both a time, to the minute
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", found.pop("coded_at"))
    assert method[0] == method[1] and method[0]["rejected"] == 1


def test_primary_filter_counts_one_code_per_segment(coded):
    rows = json.loads(icap("compare", str(coded), "--primary", "-f", "json").stdout)
    codes_total = sum(r["Total"] for r in rows if r["code"])
    all_rows = list(csv.DictReader((coded / "codings.csv").open(encoding="utf-8")))
    coded_segments = {(r["document"], r["segment"]) for r in all_rows}
    primaries = [r for r in all_rows if r["primary"] == "1"]
    assert codes_total == len(primaries) and len(primaries) <= len(coded_segments)
    assert len({(r["document"], r["segment"]) for r in primaries}) == len(primaries)  # one per segment


def test_summary_counts_primary_codes_as_codings_csv_marks_them(coded):
    data = json.loads(icap("summary", str(coded), "-f", "json").stdout)
    rows = list(csv.DictReader((coded / "codings.csv").open(encoding="utf-8")))
    for element in data["elements"]:
        for block in element["cases"]:
            for code, _segments, _documents, _respondents, primary in block["numbers"]:
                expected = sum(1 for r in rows if r["primary"] == "1" and r["group"] == element["group"]
                               and r["case"] == block["case"] and (not code or r["code"] == code))
                assert primary == expected, (element["group"], code, block["case"])
