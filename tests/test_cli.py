"""The command line as a user meets it: the output contract, exit codes, atomic writes, project files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from conftest import EXAMPLES, ROOT, icap
from icap_coder.export.contract import CODING_COLUMNS, SEGMENT_COLUMNS
from icap_coder.ingest.registry import read_document


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_csv_columns_are_the_contract(example_run):
    with (example_run / "segments.csv").open(encoding="utf-8") as stream:
        assert next(csv.reader(stream)) == SEGMENT_COLUMNS == [
            "document", "case", "speaker", "segment", "unit", "start", "end", "language", "text"]
    with (example_run / "codings.csv").open(encoding="utf-8") as stream:
        assert next(csv.reader(stream)) == CODING_COLUMNS == [
            "document", "case", "speaker", "segment", "start", "end", "group", "code", "source", "score",
            "evidence", "text", "primary"]  # the contract's columns, then `primary` appended


def test_each_coded_segment_has_exactly_one_primary_code(example_run):
    primaries: dict[tuple[str, str], int] = {}
    for row in rows(example_run / "codings.csv"):
        key = (row["document"], row["segment"])
        primaries[key] = primaries.get(key, 0) + int(row["primary"])
    assert primaries and set(primaries.values()) == {1}


def test_offsets_point_into_the_extracted_text(example_run):
    texts = {}
    for row in rows(example_run / "segments.csv") + rows(example_run / "codings.csv"):
        if row["document"] not in texts:
            texts[row["document"]] = read_document(EXAMPLES / row["document"]).text
        assert texts[row["document"]][int(row["start"]):int(row["end"])] == row["text"]
    assert len(texts) == 10 and all("/" in d and "\\" not in d for d in texts)


def test_every_segment_is_listed_and_codings_refer_to_segments(example_run):
    segments = {(r["document"], r["segment"]): r for r in rows(example_run / "segments.csv")}
    codings = rows(example_run / "codings.csv")
    assert codings and all((c["document"], c["segment"]) in segments for c in codings)
    assert {r["case"] for r in segments.values()} == {"Amsterdam", "Rotterdam"}
    assert {c["source"] for c in codings} == {"auto"}
    assert all(" <- " in c["evidence"] and float(c["score"]) >= 1 for c in codings)


def test_interviewer_turns_are_kept_but_not_coded(example_run):
    segments = rows(example_run / "segments.csv")
    interviewers = ("I", "Interviewer", "Sanne de Vries")
    interviewer = {(r["document"], r["segment"]) for r in segments if r["speaker"] in interviewers}
    assert len(interviewer) > 40
    assert not interviewer & {(c["document"], c["segment"]) for c in rows(example_run / "codings.csv")}


def test_jsonl_matches_csv(example_run):
    lines = (example_run / "codings.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    csv_rows = rows(example_run / "codings.csv")
    assert len(records) == len(csv_rows)
    assert [(r["document"], r["segment"], r["code"]) for r in records] == [
        (c["document"], int(c["segment"]), c["code"]) for c in csv_rows]


def test_manifest_makes_the_run_reproducible(example_run):
    manifest = json.loads((example_run / "manifest.json").read_text(encoding="utf-8"))
    import hashlib

    assert manifest["codebook"]["sha256"] == hashlib.sha256(
        (ROOT / "codebooks/innovatiecapaciteit.yaml").read_bytes()).hexdigest()
    docs = {d["document"]: d for d in manifest["documents"]}
    assert docs["Amsterdam/A1-beleidsadviseur.txt"]["sha256"] == hashlib.sha256(
        (EXAMPLES / "Amsterdam/A1-beleidsadviseur.txt").read_bytes()).hexdigest()
    assert docs["Rotterdam/R3-technisch-coordinator.docx"]["language"] == "en"  # detected
    assert docs["Amsterdam/A2-projectleider.docx"]["attributes"]["role"] == "ambtenaar"  # from cases.csv
    assert docs["Amsterdam/A2-projectleider.docx"]["interviewers"] == ["Sanne de Vries"]  # from icap.yaml
    assert manifest["options"]["unit"] == "turn" and manifest["icap_version"]
    assert manifest["counts"]["codings"] == len(rows(example_run / "codings.csv"))


def test_same_input_same_output_whatever_the_number_of_workers(example_run, tmp_path):
    result = icap("code", str(EXAMPLES), "--out", str(tmp_path), "--format", "none", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    for name in ("segments.csv", "codings.csv", "codings.jsonl"):
        assert (tmp_path / name).read_bytes() == (example_run / name).read_bytes(), name


def test_format_json_prints_only_codings_on_stdout(tmp_path):
    result = icap("code", str(EXAMPLES / "Rotterdam"), "--out", str(tmp_path), "--format", "json", "-j", "1")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data and set(data[0]) == set(CODING_COLUMNS)
    assert "documents" in result.stderr  # the closing message goes to stderr


def test_summary_table_lists_every_code_and_case(tmp_path):
    result = icap("code", str(EXAMPLES), "--out", str(tmp_path), "-j", "1")
    assert result.returncode == 0
    for name in ("Leiderschap", "Politieke steun", "Sociaal kapitaal", "Overig", "Amsterdam", "Rotterdam"):
        assert name in result.stdout


def test_unit_option_changes_segments(tmp_path):
    result = icap("code", str(EXAMPLES / "Amsterdam/A1-beleidsadviseur.txt"), "--unit", "sentence",
                  "--out", str(tmp_path), "-f", "none")
    assert result.returncode == 0, result.stderr
    segments = rows(tmp_path / "segments.csv")
    assert {s["unit"] for s in segments} == {"sentence"} and len(segments) > 25


# -- errors: one line, exit 2, nothing half-written --------------------------------------
def assert_clean_error(result, *fragments):
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("icap: error:")]
    assert lines, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


def test_missing_path(tmp_path):
    assert_clean_error(icap("code", str(tmp_path / "nope"), "--out", str(tmp_path / "o")), "no such file or folder")
    assert not (tmp_path / "o").exists()


def test_folder_without_transcripts(tmp_path):
    (tmp_path / "in").mkdir()
    assert_clean_error(icap("code", str(tmp_path / "in"), "--out", str(tmp_path / "o")), "no transcripts found")


def test_bad_codebook_names_file_and_line(tmp_path):
    book = tmp_path / "book.yaml"
    book.write_text("codebook: x\nlanguages: [nl]\ngroups:\n  - name: G\n    codes:\n      - name: C\n"
                    "        keywords: {nl: ['/(/']}\n", encoding="utf-8")
    result = icap("code", str(EXAMPLES), "--codebook", str(book), "--out", str(tmp_path / "o"))
    assert_clean_error(result, f"{book}:7: bad regex")
    assert not (tmp_path / "o").exists()


def test_codebook_validate_and_show(tmp_path):
    ok = icap("codebook", "validate", str(ROOT / "codebooks/innovatiecapaciteit.yaml"))
    assert ok.returncode == 0 and "17 codes" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("codebook: x\nlanguages: [nl, xx]\ngroups: []\n", encoding="utf-8")
    result = icap("codebook", "validate", str(bad))
    assert_clean_error(result, f"{bad}:2: unknown language 'xx'", f"{bad}:3: groups must be a non-empty list")
    shown = icap("codebook", "show", "--format", "csv")
    assert shown.returncode == 0
    listed = list(csv.DictReader(shown.stdout.splitlines()))
    assert len(listed) == 17 and listed[0]["code"] == "Ambitie/visie"


def test_unwritable_output_leaves_nothing_behind(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("I am a file, not a folder", encoding="utf-8")
    result = icap("code", str(EXAMPLES / "Rotterdam"), "--out", str(blocker), "-j", "1")
    assert_clean_error(result, "cannot create output folder")
    assert blocker.read_text(encoding="utf-8") == "I am a file, not a folder"


def test_existing_results_are_replaced_whole(tmp_path):
    (tmp_path / "codings.csv").write_text("old", encoding="utf-8")
    assert icap("code", str(EXAMPLES / "Rotterdam"), "--out", str(tmp_path), "-f", "none").returncode == 0
    assert (tmp_path / "codings.csv").read_text(encoding="utf-8").startswith("document,case")
    assert not list(tmp_path.glob(".*.tmp"))


def test_unreadable_transcript_is_skipped_with_a_warning(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text("I: Vraag?\nR1: We hebben een visie.\n", encoding="utf-8")
    (folder / "broken.docx").write_bytes(b"not a zip")
    (folder / "empty.vtt").write_text("", encoding="utf-8")
    result = icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "none")
    assert result.returncode == 0
    assert "broken.docx: skipped" in result.stderr and "empty.vtt: skipped" in result.stderr
    assert len(rows(tmp_path / "o/segments.csv")) == 2


def test_bad_option_values_exit_2(tmp_path):
    assert icap("code", str(EXAMPLES), "--unit", "chapter").returncode == 2
    assert_clean_error(icap("code", str(EXAMPLES), "--lang", "de", "--out", str(tmp_path)), "--lang de")


# -- project files and init ---------------------------------------------------------------------
def test_init_then_code_with_project_defaults(tmp_path):
    result = icap("init", str(tmp_path))
    assert result.returncode == 0
    assert (tmp_path / "codebook.yaml").read_text(encoding="utf-8") == (
        ROOT / "codebooks/innovatiecapaciteit.yaml").read_text(encoding="utf-8")
    assert_clean_error(icap("init", str(tmp_path)), "already exists")
    result = icap("code", "transcripts", cwd=tmp_path)  # the example interview init put there codes at once
    assert result.returncode == 0, result.stderr
    assert {c["document"] for c in rows(tmp_path / "icap-results/codings.csv")} == {
        "Voorbeeldstad/V1-beleidsmedewerker.txt"}
    assert rows(tmp_path / "icap-results/segments.csv")[1]["case"] == "Voorbeeldstad"
    transcripts = tmp_path / "transcripts"
    for example in transcripts.rglob("*"):
        if example.is_file():
            example.unlink()
    (transcripts / "R1.txt").write_text("I: Vraag?\nR1: De wethouder steunt ons.\nI: En?\nR1: Klaar.\n",
                                        encoding="utf-8")
    result = icap("code", "transcripts", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    codings = rows(tmp_path / "icap-results/codings.csv")  # `out:` of the project file
    assert [(c["speaker"], c["code"]) for c in codings] == [("R1", "Politieke steun")]


def test_init_never_mixes_its_example_into_existing_transcripts(tmp_path):
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "transcripts" / "mine.txt").write_text("R1: eigen tekst\n", encoding="utf-8")
    assert icap("init", str(tmp_path)).returncode == 0
    assert [p.name for p in (tmp_path / "transcripts").iterdir()] == ["mine.txt"]


def test_flags_override_the_project_file(tmp_path):
    (tmp_path / "icap.yaml").write_text("unit: paragraph\ninterviewers: [Piet]\n", encoding="utf-8")
    (tmp_path / "t.txt").write_text("Piet: Wat is de visie?\nAnna: Een visie hebben we.\n", encoding="utf-8")
    icap("code", "t.txt", "--out", "o", "-f", "none", cwd=tmp_path)
    assert [c["speaker"] for c in rows(tmp_path / "o/codings.csv")] == ["Anna"]
    assert {s["unit"] for s in rows(tmp_path / "o/segments.csv")} == {"paragraph"}
    icap("code", "t.txt", "--out", "o", "-f", "none", "--unit", "turn", "--code-interviewer", cwd=tmp_path)
    assert [c["speaker"] for c in rows(tmp_path / "o/codings.csv")] == ["Piet", "Anna"]


def test_bad_project_file(tmp_path):
    (tmp_path / "icap.yaml").write_text("unit: turn\nfolder: x\n", encoding="utf-8")
    (tmp_path / "t.txt").write_text("R1: visie\n", encoding="utf-8")
    assert_clean_error(icap("code", "t.txt", cwd=tmp_path), "icap.yaml:2: unknown key 'folder'")


def test_written_files_get_ordinary_permissions(tmp_path):
    import os

    umask = os.umask(0o022)
    try:
        out = tmp_path / "out"
        assert icap("code", str(EXAMPLES / "Rotterdam"), "--out", str(out), "-f", "none").returncode == 0
        assert (out / "codings.csv").stat().st_mode & 0o777 == 0o644  # not the 0600 of a temp file
        (out / "codings.csv").chmod(0o640)
        assert icap("code", str(EXAMPLES / "Rotterdam"), "--out", str(out), "-f", "none").returncode == 0
        assert (out / "codings.csv").stat().st_mode & 0o777 == 0o640  # a replaced file keeps its mode
    finally:
        os.umask(umask)


def test_all_third_party_corpora_code_without_a_crash(shared, tmp_path):
    """Every real file in ../shared/corpora: read or skipped with a warning, never a traceback."""
    result = icap("code", str(shared / "corpora"), "--out", str(tmp_path / "out"), "-f", "none", "-j", "2")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    formats = {d["format"] for d in manifest["documents"]}
    assert {"text", "docx-teams", "vtt", "srt"} <= formats and manifest["counts"]["documents"] >= 60
    assert "invalid.vtt: skipped, not a valid VTT file" in result.stderr


def test_every_command_reads_the_same_project_settings(tmp_path):
    """With min_score and interviewers set in icap.yaml, `compare` on transcripts counts what `code` wrote."""
    study = tmp_path / "study"
    (study / "Delft").mkdir(parents=True)
    (study / "Delft" / "R1.txt").write_text(
        "Piet: Hoe zit het met de visie en de ambitie?\nR1: We hebben een visie.\n"
        "Piet: En de wethouder?\nR1: De wethouder en de gemeenteraad steunen ons, politiek is het goed.\n",
        encoding="utf-8")
    (tmp_path / "icap.yaml").write_text("min_score: 2\ninterviewers: [Piet]\n", encoding="utf-8")
    assert icap("code", "study", "--out", "out", "-f", "none", cwd=tmp_path).returncode == 0
    assert [(c["speaker"], c["code"]) for c in rows(tmp_path / "out/codings.csv")] == [("R1", "Politieke steun")]
    compared = json.loads(icap("compare", "study", "-f", "json", cwd=tmp_path).stdout)
    assert {(r["group"], r["code"]) for r in compared if r["Total"]} == {("Leiderschap", ""),
                                                                         ("Leiderschap", "Politieke steun")}


def test_project_unit_is_checked_where_the_file_is_read(tmp_path):
    (tmp_path / "icap.yaml").write_text("unit: chapter\n", encoding="utf-8")
    (tmp_path / "t.txt").write_text("R1: visie\n", encoding="utf-8")
    for command in (["code", "t.txt"], ["compare", "t.txt"]):
        assert_clean_error(icap(*command, cwd=tmp_path),
                           "icap.yaml:1: unit 'chapter' is not one of turn, paragraph, sentence")
