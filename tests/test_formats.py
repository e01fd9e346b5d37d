"""The formats transcription tools export: .odt, .rtf (f4/f5), .pdf, Otter.ai/Zoom text, Whisper/WhisperX JSON.

The .odt, .pdf and LibreOffice .rtf in tests/data/formats were written by LibreOffice 7 from a Word file;
the others follow the layout their tool writes (see README, 'Transcripts')."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, icap
from icap_coder.ingest.base import SkippedFile
from icap_coder.ingest.registry import read_document

FORMATS = ROOT / "tests" / "data" / "formats"
WETHOUDER = [("Interviewer", "Hoe is het innovatiebeleid van de gemeente ontstaan?"),
             ("Wethouder", "We hebben twee jaar geleden een innovatieagenda vastgesteld. De visie is dat de stad "
                           "een proeftuin wordt voor slimme mobiliteit."),
             ("Interviewer", "Wie trekt dat binnen de organisatie?")]


def turns(raw) -> list[tuple[str | None, str]]:
    return [(t.speaker, " ".join(raw.text[t.start:t.end].split())) for t in raw.turns]


@pytest.mark.parametrize("name", ["interview-wethouder.odt", "interview-wethouder.pdf", "interview-wethouder.rtf"])
def test_libreoffice_exports_read_their_speakers_and_text(name):
    raw = read_document(FORMATS / name)
    found = turns(raw)
    assert found[0] == (None, "Interview wethouder Voorbeeldstad")  # the title: kept, nobody's words
    assert found[1:4] == WETHOUDER
    assert [s for s, _ in found[1:]] == ["Interviewer", "Wethouder"] * 3
    assert found[-1] == ("Wethouder", "Ja, in een netwerk van zes steden delen we kennis over laadpalen. "
                                      "Dat scheelt ons veel tijd.")


def test_f4_rtf_time_marks_are_cut_and_its_labels_read():
    raw = read_document(FORMATS / "f4-interview.rtf")
    assert "#00:" not in raw.text and raw.layout.startswith("f4/f5 time marks")
    assert turns(raw) == [
        ("I", "Wie ist das Projekt entstanden?"),
        ("B", "Die Stadt hatte eine Vision für die Innenstadt, und der Direktor hat uns freie Hand gegeben."),
        ("I", "Und die Zusammenarbeit mit Partnern?"),
        ("B", "Wir teilen Wissen mit der Hochschule und mit anderen Städten im Netzwerk.")]


def test_otter_text_export_speaker_and_time_on_one_line():
    raw = read_document(FORMATS / "otter-export.txt")
    assert raw.layout == "speaker/time headers"
    assert turns(raw) == [
        ("Speaker 1", "Thanks for taking the time. How did the smart lighting pilot start?"),
        ("Maria Jansen", "The city adopted an innovation strategy two years ago, and our director gave the team "
                         "room to experiment. We were allowed to fail, which helped a lot."),
        ("Speaker 1", "Who else is involved?"),
        ("Maria Jansen", "We share knowledge with the university and with a network of other cities.")]


def test_zoom_text_export_speaker_line_then_time_line():
    raw = read_document(FORMATS / "zoom-export.txt")
    assert [s for s, _ in turns(raw)] == ["Jan de Vries", "Fatima el Amrani"] * 2
    assert "00:00:09" not in raw.text and turns(raw)[1][1].startswith("We hebben na elke fase een evaluatie")


def test_whisperx_speakers_become_turns_and_whisper_pauses_paragraphs():
    raw = read_document(FORMATS / "whisperx-output.json")
    assert turns(raw) == [
        ("SPEAKER_00", "Kunt u iets vertellen over de innovatieagenda van de gemeente?"),
        ("SPEAKER_01", "Die agenda is twee jaar geleden vastgesteld, met een duidelijke visie op de binnenstad. "
                       "De directeur heeft daar veel ruimte voor gemaakt.")]
    plain = read_document(FORMATS / "whisper-output.json")
    assert plain.metadata == {"language": "nl"}
    assert plain.text.split("\n\n") == [  # a pause of 2.6 s starts a paragraph, one of 0.2 s does not
        "Kunt u iets vertellen over de innovatieagenda van de gemeente?",
        "Die agenda is twee jaar geleden vastgesteld, met een duidelijke visie op de binnenstad. De directeur heeft "
        "daar veel ruimte voor gemaakt."]


def test_a_pdf_page_without_text_is_named_and_left_out(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(FORMATS / "interview-wethouder.pdf").pages:
        writer.add_page(page)
    writer.add_blank_page(width=595, height=842)  # a scanned page has no text layer either
    path = tmp_path / "scan.pdf"
    with path.open("wb") as out:
        writer.write(out)
    raw = read_document(path)
    assert any("2 of 2 have no text" in note or "page 2 of 2" in note for note in raw.notes), raw.notes
    assert turns(raw)[1] == WETHOUDER[0]


@pytest.mark.parametrize("name,data,says", [
    ("other.json", b'{"name": "a config file"}', "not a Whisper or WhisperX transcript"),
    ("broken.json", b"{nope", "not valid JSON"),
    ("blank.pdf", None, "no text layer"),
    ("fake.pdf", b"%PDF-1.4 garbage", "not a readable PDF"),
    ("fake.rtf", b"plain words", "not an RTF file"),
    ("fake.odt", b"PK\x03\x04 not a zip", "not a readable OpenDocument"),
])
def test_an_unsupported_variant_is_skipped_with_a_reason_naming_the_file(tmp_path, name, data, says):
    path = tmp_path / name
    if data is None:
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        with path.open("wb") as out:
            writer.write(out)
    else:
        path.write_bytes(data)
    with pytest.raises(SkippedFile) as caught:
        read_document(path)
    assert says in str(caught.value) and name in str(caught.value)


def test_an_odt_with_a_hostile_space_count_or_doctype_stays_harmless(tmp_path):
    def odt(content: bytes) -> Path:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            archive.writestr("content.xml", content)
        path = tmp_path / f"{len(list(tmp_path.iterdir()))}.odt"
        path.write_bytes(buffer.getvalue())
        return path

    ns = 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    raw = read_document(odt(f'<doc {ns}><text:p>R1: a<text:s text:c="999999999"/>b</text:p></doc>'.encode()))
    assert len(raw.text) < 200
    with pytest.raises(SkippedFile, match="DOCTYPE"):
        read_document(odt(b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><d>&x;</d>'))


def test_icap_codes_a_folder_of_every_new_format(tmp_path):
    import shutil

    folder = tmp_path / "t"
    shutil.copytree(FORMATS, folder)
    out = tmp_path / "out"
    ran = icap("code", str(folder), "--out", str(out), "-f", "none")
    assert ran.returncode == 0 and "Traceback" not in ran.stderr, ran.stderr
    assert "8 documents" in ran.stderr
    import csv

    with (out / "codings.csv").open(encoding="utf-8") as rows:
        coded = {row["document"] for row in csv.DictReader(rows)}
    assert {"interview-wethouder.odt", "interview-wethouder.pdf", "whisperx-output.json", "otter-export.txt"} <= coded
