"""Each reader on real third-party files (../shared/corpora) and on files written here."""

from __future__ import annotations

import codecs

import docx
import pytest

from conftest import EXAMPLES
from icap_coder.errors import IcapError
from icap_coder.ingest.base import SkippedFile
from icap_coder.ingest.registry import discover, read_document


def turns(raw):
    return [(t.speaker, raw.text[t.start:t.end]) for t in raw.turns]


# -- plain text -------------------------------------------------------------------
@pytest.mark.parametrize("encoding,prefix", [("utf-8", b""), ("utf-8", codecs.BOM_UTF8),
                                             ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                                             ("cp1252", b"")])
def test_text_encodings_are_decoded(tmp_path, encoding, prefix):
    text = "I: Hoe gaat het met de coöperatie?\r\nR1: Goed, dank je – echt waar. Één idee: €50.\r\n"
    path = tmp_path / "t.txt"
    path.write_bytes(prefix + text.encode(encoding))
    raw = read_document(path)
    assert turns(raw) == [("I", "Hoe gaat het met de coöperatie?"), ("R1", "Goed, dank je – echt waar. Één idee: €50.")]
    assert "\r" not in raw.text


def test_front_matter_becomes_attributes_and_is_not_text(tmp_path):
    path = tmp_path / "r.md"
    path.write_text("---\ncase: Utrecht\nrespondent: R7\nrole: [wethouder, bestuur]\n---\nR7: Wij hebben een visie.\n",
                    encoding="utf-8")
    raw = read_document(path)
    assert raw.metadata == {"case": "Utrecht", "respondent": "R7", "role": "wethouder; bestuur"}
    assert raw.text == "R7: Wij hebben een visie.\n"
    assert turns(raw) == [("R7", "Wij hebben een visie.")]


def test_bad_front_matter_names_file_and_line(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("---\ncase: Utrecht\nrole: [unclosed\n---\nR1: tekst\n", encoding="utf-8")
    with pytest.raises(IcapError) as error:
        read_document(path)
    assert str(error.value).startswith(f"{path}:")
    assert "front matter" in str(error.value)


def test_unclosed_front_matter_is_an_error(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("---\ncase: Utrecht\nR1: tekst\n", encoding="utf-8")
    with pytest.raises(IcapError, match="never closed"):
        read_document(path)


@pytest.mark.parametrize("line,speaker", [
    ("R4: Ja.", "R4"), ("[00:01:02] Anna de Wit: Ja.", "Anna de Wit"), ("(01:02) Interviewer: Ja.", "Interviewer"),
    ("**Jan Jansen:** Ja.", "Jan Jansen"), ("00:12:01 Q: Ja.", "Q"),
])
def test_speaker_label_forms(tmp_path, line, speaker):
    path = tmp_path / "t.txt"
    path.write_text(f"{line}\nI: Nog iets?\n{line}\n", encoding="utf-8")
    assert turns(read_document(path))[0] == (speaker, "Ja.")


def test_a_one_off_colon_in_prose_is_not_a_speaker(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Conclusie: de gemeente werkt in kokers.\nDat zagen we vaker.\n", encoding="utf-8")
    raw = read_document(path)
    assert [t.speaker for t in raw.turns] == [None]


def test_think_aloud_lines_each_become_a_turn(shared):
    raw = read_document(shared / "corpora/instagram-think-aloud/instagram-feed-2022.sample40.quotes.txt")
    assert len(raw.turns) == 40  # 40 lines, 40 speakers' turns, one-off names included
    speakers = {t.speaker for t in raw.turns}
    assert {"R", "Afia", "Maya", "Post description"} <= speakers
    first = raw.turns[0]
    assert raw.text[first.start:first.end].startswith("Niki Minaj")


def test_empty_text_file_is_reported(tmp_path):
    path = tmp_path / "leeg.txt"
    path.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(SkippedFile, match="empty"):
        read_document(path)


# -- Word -----------------------------------------------------------------------
def test_teams_docx_old_layout(shared):
    raw = read_document(shared / "corpora/teams-docx/transcript-01.docx")
    assert raw.format == "docx-teams"
    got = turns(raw)
    assert got[0] == ("Jane Doe", "Hi! I'm Jane Doe, CEO.")
    # consecutive entries of one speaker are merged into one turn
    assert got[2] == ("Jane Doe", "Today I want to discuss the plans for the next financial year. "
                                  "This year has been turbulent, next year is predicted to be too.")
    assert [s for s, _ in got] == ["Jane Doe", "John Doe", "Jane Doe", "John Doe", "Jane Doe"]


def test_teams_docx_new_layout():
    raw = read_document(EXAMPLES / "Amsterdam/A2-projectleider.docx")
    assert raw.format == "docx-teams"
    got = turns(raw)
    assert got[0] == (None, "Interview projectleider WijkWatt")  # the title above the first entry is kept
    assert got[1] == ("Sanne de Vries", "Fijn dat je er bent. Kun je vertellen wat je doet binnen WijkWatt?")
    assert got[2][0] == "Joost Meijer" and got[2][1].endswith("andere Europese steden in het project.")
    assert raw.layout == "Teams headers"
    assert raw.metadata["title"] == "Interview projectleider WijkWatt"


def test_plain_docx_with_labels_and_a_table(tmp_path):
    document = docx.Document()
    document.add_heading("Interview", level=1)
    document.add_paragraph("I: Wat doet u?")
    document.add_paragraph("R2: Ik werk bij de gemeente.")
    document.add_paragraph("Daarnaast zit ik in een netwerk.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "I", "En verder?"
    table.cell(1, 0).text, table.cell(1, 1).text = "R2", "Niets."
    path = tmp_path / "plain.docx"
    document.save(path)
    raw = read_document(path)
    assert raw.format == "docx"
    assert turns(raw) == [(None, "Interview"), ("I", "Wat doet u?"),
                          ("R2", "Ik werk bij de gemeente.\n\nDaarnaast zit ik in een netwerk."),
                          ("I", "En verder?"), ("R2", "Niets.")]


def test_broken_docx_is_skipped_with_a_reason(tmp_path):
    path = tmp_path / "kapot.docx"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(SkippedFile, match="not a readable Word"):
        read_document(path)


# -- subtitles ----------------------------------------------------------------------
def test_vtt_voice_tags_give_speakers(shared):
    raw = read_document(shared / "corpora/webvtt-py-fixtures/samples/teams_timeframe.vtt")
    assert turns(raw) == [("Yuri Bakulin", "There you go."), ("Adrian Petrescu", "Why hello there, Yuri.")]


def test_vtt_consecutive_cues_of_one_voice_merge():
    raw = read_document(EXAMPLES / "Amsterdam/A3-energiecooperatie.vtt")
    got = turns(raw)
    assert got[1][0] == "A3"
    assert got[1][1].startswith("Wij zijn een energiecoöperatie") and got[1][1].endswith("worden gerold.")
    assert "Teams-opname" not in raw.text  # NOTE blocks are comments, not speech


def test_vtt_notes_bom_tags_and_entities(shared):
    samples = shared / "corpora/webvtt-py-fixtures/samples"
    assert "This translation was done" not in read_document(samples / "comments.vtt").text
    assert read_document(samples / "captions_with_bom.vtt").text.startswith("Caption text #1")
    assert "<b>" not in read_document(samples / "styles.vtt").text
    assert "2 < 3" in read_document(samples / "styles_colours.vtt").text


def test_vtt_without_voices_keeps_cues_apart(shared):
    raw = read_document(shared / "corpora/webvtt-py-fixtures/samples/sample.vtt")
    assert all(t.speaker is None for t in raw.turns)
    assert len(raw.turns) == 16


@pytest.mark.parametrize("name", ["empty.vtt", "invalid.vtt", "invalid_format1.srt", "no_captions.vtt"])
def test_bad_subtitle_files_are_skipped_not_crashed(shared, name):
    with pytest.raises(SkippedFile):
        read_document(shared / "corpora/webvtt-py-fixtures/samples" / name)


def test_srt_with_name_labels():
    raw = read_document(EXAMPLES / "Rotterdam/R5-netbeheerder.srt")
    got = turns(raw)
    assert [s for s, _ in got] == ["Interviewer", "R5"] * 4
    assert got[1][1].endswith("de ruggengraat van het hele project.")  # label-less cue continues R5


def test_srt_fixture_reads(shared):
    raw = read_document(shared / "corpora/webvtt-py-fixtures/samples/sample.srt")
    assert raw.text.split("\n\n")[:2] == ["Caption text #1", "Caption text #2"]


def test_w3c_vtt_files_never_crash(shared):
    folder = shared / "corpora/w3c-webvtt-tests/test"
    read = skipped = 0
    for path in sorted(folder.rglob("*.vtt")):
        try:
            read_document(path)
            read += 1
        except SkippedFile:
            skipped += 1
    assert read + skipped == len(list(folder.rglob("*.vtt"))) and read > 20


# -- discovery -------------------------------------------------------------------------
def test_discover_skips_unsupported_with_one_warning_each(tmp_path):
    (tmp_path / "a.txt").write_text("I: x", encoding="utf-8")
    (tmp_path / "b.pages").write_bytes(b"Apple Pages")
    (tmp_path / "cases.csv").write_text("document,case\n", encoding="utf-8")
    (tmp_path / "~$lock.docx").write_bytes(b"")
    found, warnings = discover(tmp_path)
    assert [p.name for p in found] == ["a.txt"]
    assert len(warnings) == 1 and "b.pages" in warnings[0] and "unsupported" in warnings[0]
