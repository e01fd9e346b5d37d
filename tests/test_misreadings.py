"""Inputs read as the person meant them, or a warning that says what was guessed (issue 8).

Each test builds the odd input that used to be misread without a word.
"""

from __future__ import annotations

import codecs
import json
import unicodedata

import pytest

from conftest import icap
from icap_coder.ingest.registry import read_document

# -- encodings and Unicode ------------------------------------------------------------------------------
LINES = ["I: Hoe gaat het met de coöperatie?", "R1: Goed – we werken aan één visie.", "I: En de burgers?",
         "R1: Zij doen mee, ook in Malmö."]


def warnings_of(raw) -> str:
    return " | ".join(raw.notes)


def test_utf8_with_one_cp1252_line_is_read_per_line_and_named(tmp_path):
    path = tmp_path / "t.txt"
    data = "\n".join(LINES[:2]).encode("utf-8") + b"\n" + LINES[2].encode("cp1252") + b"\n" + \
        "R1: Caf\u00e9 ol\u00e9.".encode("cp1252") + b"\n"
    path.write_bytes(data)
    raw = read_document(path)
    assert "Café olé." in raw.text and "coöperatie" in raw.text and "één" in raw.text
    assert raw.encoding == "utf-8, 1 line cp1252" and "line 4" in warnings_of(raw)


def test_utf8_bom_with_a_cp1252_byte_does_not_crash(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes(codecs.BOM_UTF8 + "\n".join(LINES).encode("utf-8") + b"\nR1: Caf\xe9.\n")
    raw = read_document(path)
    assert "Café." in raw.text and raw.text.startswith("I: Hoe") and "cp1252" in warnings_of(raw)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised(tmp_path, codec):
    path = tmp_path / "t.txt"
    path.write_bytes("\n".join(LINES).encode(codec))
    raw = read_document(path)
    assert raw.text.startswith("I: Hoe gaat het met de coöperatie?") and raw.encoding == codec.replace("-", "-", 1)
    assert [t.speaker for t in raw.turns] == ["I", "R1", "I", "R1"]


def test_all_cp1252_file_is_read_and_named(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes("\n".join(LINES).encode("cp1252"))
    raw = read_document(path)
    assert "coöperatie" in raw.text and raw.encoding == "cp1252" and "cp1252" in warnings_of(raw)


def test_decomposed_text_and_keywords_match(tmp_path):
    """macOS and some transcription tools write ö as o + combining diaeresis; it must code like ö."""
    folder = tmp_path / "t"
    folder.mkdir()
    text = "I: Werkt u samen?\nR1: De energiecoöperatie en de buurtcoöperatie werken samen.\n"
    (folder / "R1.txt").write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    book = tmp_path / "book.yaml"
    yaml_text = ("codebook: t\nlanguages: [nl, sv]\ngroups:\n  - name: G\n    codes:\n"
                 "      - {name: Coöperatie, keywords: {nl: ['*coöperatie'], sv: [långsiktig]}}\n")
    book.write_text(unicodedata.normalize("NFD", yaml_text), encoding="utf-8")
    result = icap("code", str(folder), "--codebook", str(book), "--out", str(tmp_path / "o"), "-f", "json")
    assert result.returncode == 0, result.stderr
    [coding] = json.loads(result.stdout)
    assert coding["code"] == "Coöperatie" and coding["score"] == 2
    assert unicodedata.is_normalized("NFC", coding["text"])


def test_manifest_names_encoding_and_layout(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.txt").write_bytes("\n".join(LINES).encode("cp1252"))
    assert icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "none").returncode == 0
    [entry] = json.loads((tmp_path / "o" / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert entry["encoding"] == "cp1252" and entry["layout"] == "labelled lines"
    assert len(entry["text_sha256"]) == 64


# -- Word layouts ---------------------------------------------------------------------------------------
def make_docx(path, paragraphs=(), table=None):
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(path)
    return path


def speakers_and_text(raw):
    return [(t.speaker, raw.text[t.start:t.end]) for t in raw.turns]


def test_one_timing_line_does_not_make_a_teams_export(tmp_path):
    path = make_docx(tmp_path / "a.docx", ["Verslag van het gesprek", "I: Wanneer begon het?",
                                           "R1: Om negen uur, zie 0:0:1 --> 0:0:5 in de opname.",
                                           "0:0:1.0 --> 0:0:5.0", "R1: Daarna ging het snel."])
    raw = read_document(path)
    assert raw.format == "docx" and raw.text.startswith("Verslag van het gesprek")
    assert ("R1", "Daarna ging het snel.") in speakers_and_text(raw)


def test_lines_ending_in_a_time_are_not_teams_speakers(tmp_path):
    path = make_docx(tmp_path / "a.docx", ["I: Hoe laat?", "R1: Het overleg begon om 9:30",
                                           "I: En de tweede keer?", "R1: Toen begon het om 10:30"])
    raw = read_document(path)
    assert raw.layout == "labelled paragraphs"
    assert [s for s, _ in speakers_and_text(raw)] == ["I", "R1", "I", "R1"]


def test_text_before_the_first_teams_cue_is_kept(shared):
    raw = read_document(shared / "corpora/teams-docx/transcript-01.docx")
    assert raw.layout == "Teams cues" and raw.turns[0].speaker == "Jane Doe"


@pytest.mark.parametrize("header", [["Tijd", "Spreker", "Tekst"], ["Time", "Speaker", "Text"], None])
def test_speaker_tables_give_turns(tmp_path, header):
    rows = [["00:00:01", "Interviewer", "Wat is uw rol?"], ["00:00:05", "Anna Bakker", "Ik ben wethouder."],
            ["00:00:09", "Interviewer", "En de visie?"], ["00:00:12", "Anna Bakker", "Die is helder."]]
    path = make_docx(tmp_path / "a.docx", ["Interview 3"], ([header] if header else []) + rows)
    raw = read_document(path)
    assert raw.layout == "speaker table"
    assert speakers_and_text(raw)[1:] == [("Interviewer", "Wat is uw rol?"), ("Anna Bakker", "Ik ben wethouder."),
                                          ("Interviewer", "En de visie?"), ("Anna Bakker", "Die is helder.")]


def _rewrite_document_xml(path, change):
    import zipfile

    with zipfile.ZipFile(path) as archive:
        items = {name: archive.read(name) for name in archive.namelist()}
    items["word/document.xml"] = change(items["word/document.xml"].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in items.items():
            archive.writestr(name, data)


def test_a_huge_column_span_is_not_expanded(tmp_path):
    import time

    path = make_docx(tmp_path / "a.docx", ["I: Vraag?"], [["R1", "Antwoord over de visie."]])
    _rewrite_document_xml(path, lambda xml: xml.replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="50000000"/>', 1))
    started = time.perf_counter()
    raw = read_document(path)
    assert time.perf_counter() - started < 5 and "Antwoord over de visie." in raw.text


@pytest.mark.parametrize("change", [
    lambda xml: xml.replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="abc"/>', 1),
    lambda xml: xml.replace("<w:tcPr>", "<w:tcPr><w:vMerge/>", 1),
    lambda xml: xml.replace("w:document ", "w:notadocument ", 1).replace("</w:document>", "</w:notadocument>"),
])
def test_broken_word_xml_is_read_or_skipped_never_a_crash(tmp_path, change):
    from icap_coder.ingest.base import SkippedFile

    path = make_docx(tmp_path / "a.docx", ["I: Vraag?"], [["R1", "Antwoord."]])
    _rewrite_document_xml(path, change)
    try:
        raw = read_document(path)
    except SkippedFile as skipped:
        assert str(skipped).startswith(f"{path}: skipped, not a readable Word")
    else:
        assert "Vraag?" in raw.text


def test_a_zip_bomb_is_skipped(tmp_path, monkeypatch):
    import zipfile

    from icap_coder.ingest import docx as reader
    from icap_coder.ingest.base import SkippedFile

    monkeypatch.setattr(reader, "MAX_UNPACKED", 1_000_000)
    path = make_docx(tmp_path / "a.docx", ["I: Vraag?"])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", b"\0" * 3_000_000)
    with pytest.raises(SkippedFile, match=r"unpacks to \d MB \(at most 1 MB\)"):
        read_document(path)


# -- speakers ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("label", ["I1", "Int.", "Interviewer 1", "Q1", "Interviewer:", "Vraag"])
def test_numbered_and_abbreviated_interviewers_are_not_coded(tmp_path, label):
    folder = tmp_path / "t"
    folder.mkdir()
    name = label.rstrip(":")
    (folder / "R1.txt").write_text(f"{name}: Wat is de visie van de wethouder?\nR1: Ik weet het niet.\n"
                                   f"{name}: En de strategie?\nR1: Dat weet ik ook niet.\n", encoding="utf-8")
    result = icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "json")
    assert result.returncode == 0 and json.loads(result.stdout) == [], result.stdout
    assert "no interviewer recognised" not in result.stderr


def test_annotation_lines_are_not_speakers(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("I: Wat ziet u?\nR1: Een kaart van de wijk.\nImage description: a map of the district.\n"
                    "I: En nu?\nR1: Een foto.\nImage description: a photo of a street.\n", encoding="utf-8")
    raw = read_document(path)
    assert {t.speaker for t in raw.turns} == {"I", "R1"}
    assert "Image description: a map" in raw.text[raw.turns[1].start:raw.turns[1].end]


def test_a_document_without_a_recognised_interviewer_says_who_asks(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.txt").write_text("R: Wat doet u hier?\nAnna: Ik kijk naar de visie van de stad, en naar de "
                                  "plannen.\nR: Waarom?\nAnna: Omdat het mijn werk is, al jaren.\n",
                                  encoding="utf-8")
    result = icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "none")
    assert "no interviewer recognised" in result.stderr and "--interviewer R" in result.stderr


# -- inline markers ------------------------------------------------------------------------------------------
def test_a_marker_before_a_speaker_label_keeps_the_turns_apart_and_codes_the_turn(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("I: Hoe werkt u samen?\n[#Interne communicatie] R1: We werken in kokers.\nI: En verder?\n"
                    "R1: Verder niets.\n", encoding="utf-8")
    raw = read_document(path)
    assert [t.speaker for t in raw.turns] == ["I", "R1", "I", "R1"]
    result = icap("code", str(path), "--out", str(tmp_path / "o"), "-f", "json")
    manual = [c for c in json.loads(result.stdout) if c["source"] == "manual"]
    assert [(c["speaker"], c["text"]) for c in manual] == [("R1", "We werken in kokers.")]


def test_a_marker_on_a_line_of_its_own_codes_the_turn_above_it(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("I: Hoe werkt u samen?\nR1: We werken in kokers.\n[#Interne communicatie]\nI: En verder?\n"
                    "R1: Verder niets.\n", encoding="utf-8")
    result = icap("code", str(path), "--out", str(tmp_path / "o"), "-f", "json")
    manual = [c for c in json.loads(result.stdout) if c["source"] == "manual"]
    assert [(c["speaker"], c["text"]) for c in manual] == [("R1", "We werken in kokers.")]


def test_forty_thousand_markers_are_removed_in_linear_time(tmp_path):
    import time

    from icap_coder.ingest.markers import strip_markers
    from icap_coder.model import Turn

    text = "".join(f"R1: zin {n}. [#Evaluatie]\n" for n in range(40_000))
    started = time.perf_counter()
    clean, turns, markers = strip_markers(text, [Turn("R1", 4, len(text))])
    assert time.perf_counter() - started < 3
    assert len(markers) == 40_000 and "[#" not in clean and turns[0].end == len(clean.rstrip())


# -- language ---------------------------------------------------------------------------------------------
def test_speaker_labels_do_not_count_as_words_of_a_language(tmp_path):
    """`I:` is an English stop word; a Dutch transcript with many short I: turns stays Dutch."""
    from icap_coder.coding.nlp import detect_language

    text = "".join(f"I: {q}\nR1: Ja.\n" for q in ["Visie?", "Strategie?", "Budget?", "Partners?", "Wethouder?"] * 4)
    raw_turns = [line.split(": ", 1)[1] for line in text.splitlines()]
    assert detect_language(" ".join(raw_turns), ["nl", "en"])[0] == "nl"


def test_a_forced_language_that_codes_nothing_is_named(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.txt").write_text("I: Wat is de visie van de gemeente op innovatie?\nR1: De wethouder heeft een "
                                  "duidelijke visie en een innovatiestrategie, en de gemeenteraad steunt die.\n",
                                  encoding="utf-8")
    result = icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "none", "--lang", "en")
    assert "coded as 'en' but reads as 'nl'" in result.stderr and "no automatic codings" in result.stderr


# -- one file of a study is read as part of the study ------------------------------------------------------
def test_one_transcript_gets_the_case_attributes_and_tags_the_folder_run_gives(tmp_path):
    import shutil

    from conftest import EXAMPLES

    study = tmp_path / "transcripts"
    shutil.copytree(EXAMPLES, study)
    a1 = study / "Amsterdam" / "A1-beleidsadviseur.txt"
    assert icap("tag", str(a1), "aardgasvrij", "Overig/energietransitie").returncode == 0
    whole = icap("code", str(study), "--out", str(tmp_path / "all"), "-f", "json")
    one = icap("code", str(a1), "--out", str(tmp_path / "one"), "-f", "json")
    assert one.returncode == 0, one.stderr
    expected = [c for c in json.loads(whole.stdout) if c["document"] == "Amsterdam/A1-beleidsadviseur.txt"]
    assert json.loads(one.stdout) == expected and any(c["source"] == "manual" for c in expected)
    manifests = [json.loads((tmp_path / name / "manifest.json").read_text(encoding="utf-8")) for name in ("all", "one")]
    entries = [next(d for d in m["documents"] if d["document"].endswith("A1-beleidsadviseur.txt")) for m in manifests]
    assert entries[0] == entries[1] and entries[1]["attributes"]["role"] == "ambtenaar"


# -- analysis: unknown names are errors, not empty tables ---------------------------------------------------
@pytest.mark.parametrize("args,message", [
    (["--by", "rol"], "--by 'rol' is not an attribute of these documents; known: case, document, language, "
                      "respondent, speaker, interview_date, organisation, project, role"),
    (["--case", "Utrecht"], "--case 'Utrecht' is not a case here; cases: Amsterdam, Rotterdam"),
    (["--group", "Leiderschapp"], "--group 'Leiderschapp' is not a code group; groups: Leiderschap"),
    (["--code", "Visie"], "--code 'Visie' is not a code here"),
    (["--speaker", "Nobody"], "--speaker 'Nobody' is not a speaker here"),
    (["--document", "A9.txt"], "--document 'A9.txt' is not a document here"),
])
def test_unknown_filter_and_by_values_are_refused(example_run, args, message):
    result = icap("compare", str(example_run), *args)
    assert result.returncode == 2 and message in result.stderr, result.stderr


def test_percent_does_not_change_with_filters(example_run):
    whole = {(r["group"], r["code"]): r for r in json.loads(icap("compare", str(example_run), "-m", "percent",
                                                                  "-f", "json").stdout)}
    only = json.loads(icap("compare", str(example_run), "-m", "percent", "--group", "Netwerk", "-f", "json").stdout)
    assert only and all(row == whole[(row["group"], row["code"])] for row in only)


@pytest.mark.parametrize("damage,message", [
    (lambda folder: (folder / "codings.csv").write_text("", encoding="utf-8"), "codings.csv does not belong"),
    (lambda folder: (folder / "codings.csv").write_text(
        (folder / "codings.csv").read_text(encoding="utf-8")[:-40], encoding="utf-8"), "codings.csv:"),
    (lambda folder: (folder / "manifest.json").write_text("[1, 2]", encoding="utf-8"), "manifest.json"),
    (lambda folder: (folder / "manifest.json").write_text('{"documents": 5}', encoding="utf-8"), "manifest.json"),
])
def test_a_damaged_results_folder_is_refused(example_run, tmp_path, damage, message):
    import shutil

    folder = tmp_path / "results"
    shutil.copytree(example_run, folder)
    damage(folder)
    result = icap("summary", str(folder))
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_a_very_long_turn_reads_back(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.txt").write_text("I: Vertel.\nR1: " + "De visie is helder. " * 12_000 + "\n", encoding="utf-8")
    assert icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "none").returncode == 0
    result = icap("compare", str(tmp_path / "o"), "-f", "json")
    assert result.returncode == 0, result.stderr


def test_format_none_and_summary_csv(example_run):
    assert icap("compare", str(example_run), "-f", "none").stdout == ""
    assert icap("cooccur", str(example_run), "-f", "none").stdout == ""
    lines = icap("summary", str(example_run), "-f", "csv").stdout.splitlines()
    assert lines[0] == "group,code,case,segments,documents,respondents,primary" and len(lines) > 20


# -- the terminal shows transcript text as text -----------------------------------------------------------------
def test_brackets_in_transcripts_and_names_are_shown_not_interpreted(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text("---\ncase: '[/case]'\n---\nI: Wat is de visie?\nR1: De visie [inaudible] is "
                                  "helder [laughs] en "
                                  "de strategie [/laughs] ook [bold]echt[/bold].\n", encoding="utf-8")
    for command in (["code", str(tmp_path / "t"), "--out", str(tmp_path / "o")], ["summary", str(tmp_path / "o")],
                    ["compare", str(tmp_path / "o")], ["cooccur", str(tmp_path / "o")]):
        result = icap(*command)
        assert result.returncode == 0 and "Traceback" not in result.stderr, (command, result.stderr)
        assert "[/case]" in result.stdout or command[0] == "cooccur", command
    quotes = icap("summary", str(tmp_path / "o")).stdout
    assert "[inaudible]" in quotes and "[laughs]" in quotes and "[bold]echt[/bold]" in quotes
