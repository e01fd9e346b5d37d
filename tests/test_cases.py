"""Cases and attributes: cases.csv / cases.yaml, folders, front matter, and their precedence."""

from __future__ import annotations

import pytest

from icap_coder.errors import IcapError
from icap_coder.ingest.cases import load_case_sheet, resolve_attributes


def test_csv_with_semicolons_as_dutch_excel_writes_it(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes("document;case;rol\nR1.txt;Rotterdam;wethouder\n".encode("cp1252"))
    sheet = load_case_sheet(path)
    assert sheet.lookup("sub/R1.txt") == {"case": "Rotterdam", "rol": "wethouder"}
    assert sheet.lookup("R1") == {}  # the row names R1.txt: looked up by path, file name or stem of the document
    assert load_case_sheet(path).lookup("R1.txt")


def test_lookup_by_stem(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("document,case\nR1,Delft\n", encoding="utf-8")
    assert load_case_sheet(path).lookup("a/R1.docx") == {"case": "Delft"}


def test_yaml_mapping_and_list_forms(tmp_path):
    mapping = tmp_path / "cases.yaml"
    mapping.write_text("R1.txt: {case: Delft, role: ambtenaar}\nR2.txt: Gouda\n", encoding="utf-8")
    sheet = load_case_sheet(mapping)
    assert sheet.lookup("R1.txt") == {"case": "Delft", "role": "ambtenaar"}
    assert sheet.lookup("R2.txt") == {"case": "Gouda"}
    listed = tmp_path / "cases.yml"
    listed.write_text("- {document: R3.txt, case: Ede}\n", encoding="utf-8")
    assert load_case_sheet(listed).lookup("R3.txt") == {"case": "Ede"}


def test_missing_document_column(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("file,case\nR1.txt,Delft\n", encoding="utf-8")
    with pytest.raises(IcapError, match=r"cases.csv:1: cases file needs a 'document' column"):
        load_case_sheet(path)


def test_row_with_too_many_fields(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("document,case\nR1.txt,Delft,extra\n", encoding="utf-8")
    with pytest.raises(IcapError, match=r"cases.csv:2: row has 3 fields"):
        load_case_sheet(path)


def test_unmatched_rows_are_listed(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("document,case\nR1.txt,Delft\nR9.txt,Delft\n", encoding="utf-8")
    assert load_case_sheet(path).unmatched(["R1.txt"]) == [
        f"{path}:3: no transcript 'R9.txt' found for this row; check the name"]


def test_precedence_front_matter_over_sheet_over_folder():
    assert resolve_attributes("Amsterdam/R1.txt", {}, {}) == ("Amsterdam", {})
    assert resolve_attributes("Amsterdam/R1.txt", {}, {"case": "Zaandam", "role": "x"}) == ("Zaandam", {"role": "x"})
    assert resolve_attributes("Amsterdam/R1.txt", {"case": "Delft"}, {"case": "Zaandam", "role": "x"}) == (
        "Delft", {"role": "x"})
    assert resolve_attributes("R1.txt", {}, {}) == ("", {})
