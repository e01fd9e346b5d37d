"""Hostile and merely odd inputs: refused with one line naming file and line, never a traceback, never a hang.

Every YAML file a person writes goes through one loader (icap_coder.yamlfile);
these tests feed each kind of file the inputs that used to crash icap.
"""

from __future__ import annotations

import json

import pytest

from conftest import icap

HOSTILE = {
    "python tag": ("x: !!python/object/apply:os.system ['true']\n", "YAML tags like '!!python/object/apply:os.system'"),
    "int tag": ("x: !!int R1\n", "YAML tags like '!!int'"),
    "alias bomb": ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                   "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n", "anchors and aliases"),
    "deep nesting": ("x: " + "[" * 3000 + "]" * 3000 + "\n", "nested more than 64 levels deep"),
    "list key": ("? [a, b]\n: c\n", "a key must be a plain word"),
    "duplicate key": ("x: 1\nx: 2\n", "duplicate key 'x'"),
    "not YAML": ("x: [unclosed\n", "not valid YAML"),
}


def one_error_line(result) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("icap: error:")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def transcripts(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "R1.txt").write_text("I: Wat is de visie?\nR1: Onze visie is helder.\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", HOSTILE)
def test_project_file(tmp_path, name):
    text, message = HOSTILE[name]
    folder = transcripts(tmp_path)
    (tmp_path / "icap.yaml").write_text(text, encoding="utf-8")
    line = one_error_line(icap("code", str(folder), "--out", str(tmp_path / "o"), cwd=tmp_path))
    assert "icap.yaml:" in line and message in line
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("name", HOSTILE)
def test_cases_file(tmp_path, name):
    text, message = HOSTILE[name]
    folder = transcripts(tmp_path)
    (folder / "cases.yaml").write_text(text, encoding="utf-8")
    line = one_error_line(icap("code", str(folder), "--out", str(tmp_path / "o")))
    assert "cases.yaml:" in line and message in line


@pytest.mark.parametrize("name", HOSTILE)
def test_codebook(tmp_path, name):
    text, message = HOSTILE[name]
    book = tmp_path / "book.yaml"
    book.write_text(text, encoding="utf-8")
    line = one_error_line(icap("codebook", "validate", str(book)))
    assert f"{book}:" in line and message in line


@pytest.mark.parametrize("name", HOSTILE)
def test_tags_file(tmp_path, name):
    text, message = HOSTILE[name]
    folder = transcripts(tmp_path)
    (folder / "tags.yaml").write_text(text, encoding="utf-8")
    line = one_error_line(icap("code", str(folder), "--out", str(tmp_path / "o")))
    assert "tags.yaml:" in line and message in line


@pytest.mark.parametrize("name", HOSTILE)
def test_front_matter_skips_only_its_file(tmp_path, name):
    text, message = HOSTILE[name]
    folder = transcripts(tmp_path)
    (folder / "R2.txt").write_text(f"---\n{text}---\nR2: De wethouder steunt ons.\n", encoding="utf-8")
    result = icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "none")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    warning = next(line for line in result.stderr.splitlines() if "R2.txt" in line)
    assert "skipped, its front matter" in warning and message in warning and "R2.txt:" in warning
    assert "1 document," in result.stderr


@pytest.mark.parametrize("text,expected", [
    ("lang:\n", None),  # empty: not set
    ("unit: turn\nlang:\n", "turn"),
])
def test_empty_project_values_mean_not_set(tmp_path, text, expected):
    folder = transcripts(tmp_path)
    (tmp_path / "icap.yaml").write_text(text, encoding="utf-8")
    result = icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "none", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_impossible_date_in_front_matter_is_kept_as_written(tmp_path):
    import json

    folder = transcripts(tmp_path)
    (folder / "R2.txt").write_text("---\ndate: 2026-02-30\ntime: 9:30\n---\nR2: tekst\n", encoding="utf-8")
    assert icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "none").returncode == 0
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text(encoding="utf-8"))
    attributes = next(d for d in manifest["documents"] if d["document"] == "R2.txt")["attributes"]
    assert attributes == {"date": "2026-02-30", "time": "9:30"}


# -- cases.csv --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("content,message", [
    ("document,case\nR1.txt,Delft\nR1.txt,Gouda\n", "cases.csv:3: document 'R1.txt' has a row already (line 2)"),
    ('document,case,role\nR1.txt,"Delft,ambtenaar\nR2.txt,Gouda,burger\n', 'cases.csv:2: a quote (") is opened'),
    ("document,case,memo\nR1.txt,Delft," + "x" * 200_000 + "\n", None),  # a long cell is read, not a crash
    ("document,case\nR1.txt,Delft\x00\n", None),
])
def test_cases_csv_mistakes(tmp_path, content, message):
    folder = transcripts(tmp_path)
    (folder / "cases.csv").write_text(content, encoding="utf-8")
    result = icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "none")
    if message is None:
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    else:
        assert message in one_error_line(result)


# -- exports ---------------------------------------------------------------------------------------------
def test_control_characters_never_break_an_export(tmp_path):
    folder = transcripts(tmp_path)
    (folder / "R2.txt").write_text("---\nrole: \"amb\\x01tenaar\"\n---\nI: Wat is de visie?\n"
                                   "R2: De visie\x01 is\x08 helder\x1b[31m en de strategie ook.\n", encoding="utf-8")
    result = icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "none")
    assert result.returncode == 0 and "3 control characters" in result.stderr, result.stderr
    for suffix in ("docx", "xlsx", "html", "md", "json", "csv"):
        exported = icap("summary", str(tmp_path / "o"), "--export", str(tmp_path / f"s.{suffix}"))
        assert exported.returncode == 0 and "Traceback" not in exported.stderr, (suffix, exported.stderr)
    for suffix in ("docx", "xlsx", "html", "png", "svg"):
        exported = icap("compare", str(tmp_path / "o"), "--by", "role", "--export", str(tmp_path / f"c.{suffix}"))
        assert exported.returncode == 0 and "Traceback" not in exported.stderr, (suffix, exported.stderr)
    assert "\x1b" not in icap("summary", str(tmp_path / "o")).stdout  # no escape sequences reach the terminal


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://evil\")", "+31 6 1234", "-ja, zeker", "@SUM(A1)"])
def test_cells_that_a_spreadsheet_would_run_are_guarded(tmp_path, value):
    import csv

    import openpyxl

    folder = transcripts(tmp_path)
    (folder / "R2.txt").write_text(f"---\ncase: '{value}'\n---\nI: Wat is de visie?\nR2: {value} De visie is "
                                   "helder.\n", encoding="utf-8")
    assert icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "none").returncode == 0
    assert icap("compare", str(tmp_path / "o"), "--export", str(tmp_path / "c.xlsx")).returncode == 0
    assert icap("compare", str(tmp_path / "o"), "--export", str(tmp_path / "c.csv")).returncode == 0
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx")["segments"]
    [cell] = [cell for cell in sheet[2] if cell.value == value]  # exact, stored as text with Excel's quote prefix
    assert cell.data_type == "s" and cell.quotePrefix
    header = next(csv.reader((tmp_path / "c.csv").open(encoding="utf-8")))
    assert f"'{value}" in header
    rows = list(csv.DictReader((tmp_path / "o" / "codings.csv").open(encoding="utf-8")))
    assert any(r["case"] == f"'{value}" and r["text"].startswith(f"'{value}") for r in rows)
    # and reading the results folder back gives the text as it was
    back = icap("compare", str(tmp_path / "o"), "-f", "json")
    assert value in json.loads(back.stdout)[0]
    raw = icap("code", str(folder), "--out", str(tmp_path / "raw"), "-f", "none", "--no-cell-guard")
    assert raw.returncode == 0
    rows = list(csv.DictReader((tmp_path / "raw" / "codings.csv").open(encoding="utf-8")))
    assert any(r["case"] == value for r in rows)


def test_markdown_exports_escape_html(tmp_path):
    folder = transcripts(tmp_path)
    (folder / "R2.txt").write_text("I: Wat is de visie?\nR2: De visie <script>alert(1)</script> is helder.\n",
                                   encoding="utf-8")
    assert icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "none").returncode == 0
    assert icap("summary", str(tmp_path / "o"), "--export", str(tmp_path / "s.md")).returncode == 0
    text = (tmp_path / "s.md").read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;" in text


# -- resource limits ---------------------------------------------------------------------------------------------
def test_an_oversized_transcript_is_skipped(tmp_path, monkeypatch):
    from icap_coder.ingest import registry

    monkeypatch.setattr(registry, "MAX_TRANSCRIPT_BYTES", 100_000)
    folder = transcripts(tmp_path)
    (folder / "huge.txt").write_text("De visie is helder. " * 10_000, encoding="utf-8")
    result = icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "none")
    assert result.returncode == 0 and "huge.txt: skipped, it is 0.2 MB" in result.stderr, result.stderr


def test_a_segment_without_breaks_is_coded_in_pieces_with_the_same_result():
    from icap_coder.codebook.loader import load_codebook
    from icap_coder.coding import matcher as module
    from icap_coder.model import Segment

    text = " ".join(["De gemeente heeft een duidelijke visie op innovatie en samenwerking."] * 4000)
    book = load_codebook(None)[0]
    matcher = module.LanguageMatcher(book, "nl")
    segment = Segment("d", "", "R1", 1, "turn", 0, len(text), "nl", text)
    whole = matcher.code_segments([segment])
    assert len(text) > module.LONG_SEGMENT
    original = module.LONG_SEGMENT
    try:
        module.LONG_SEGMENT = 10 * len(text)
        reference = matcher.code_segments([segment])
    finally:
        module.LONG_SEGMENT = original
    assert [(c.code, c.score) for c in whole] == [(c.code, c.score) for c in reference] and whole


@pytest.mark.parametrize("pattern", ["/(a+)+$/", "/(x|x)*y/", "/(.*a){12}/", "/(a|aa)+$/"])
def test_regexes_that_can_run_for_ever_are_refused(tmp_path, pattern):
    book = tmp_path / "book.yaml"
    book.write_text("codebook: t\nlanguages: [nl]\ngroups:\n  - name: G\n    codes:\n      - name: C\n"
                    f"        keywords: {{nl: ['{pattern}']}}\n", encoding="utf-8")
    line = one_error_line(icap("codebook", "validate", str(book)))
    assert f"{book}:7:" in line and "can take for ever" in line


def test_a_slow_regex_is_stopped_not_waited_for(tmp_path, monkeypatch):
    """A pattern the static check lets through still cannot hang a run: each match has a time limit."""
    import time

    from icap_coder.codebook import patterns

    monkeypatch.setattr(patterns, "catastrophic", lambda source: False)
    monkeypatch.setattr(patterns, "REGEX_SECONDS", 0.2)
    book = tmp_path / "book.yaml"
    book.write_text("codebook: t\nlanguages: [nl]\ngroups:\n  - name: G\n    codes:\n      - name: C\n"
                    "        keywords: {nl: ['/(a|aa)+$/']}\n", encoding="utf-8")
    folder = transcripts(tmp_path)
    (folder / "R2.txt").write_text("I: Vraag?\nR2: " + "a" * 40 + "!\n", encoding="utf-8")
    started = time.perf_counter()
    result = icap("code", str(folder), "--codebook", str(book), "--out", str(tmp_path / "o"), "-j", "1")
    assert time.perf_counter() - started < 30
    line = one_error_line(result)
    assert "took longer than 0.2 s" in line and "/(a|aa)+$/" in line
    assert not (tmp_path / "o").exists()


# -- links and folders -----------------------------------------------------------------------------------------
def test_links_leaving_the_transcripts_folder_are_not_read(tmp_path):
    import os

    secret = tmp_path / "secret.txt"
    secret.write_text("I: x\nR9: het geheime wachtwoord is visie\n", encoding="utf-8")
    folder = transcripts(tmp_path)
    os.symlink(secret, folder / "stolen.txt")
    os.symlink(tmp_path / "nowhere.txt", folder / "dangling.txt")
    os.symlink(folder / "R1.txt", folder / "again.txt")  # a link inside the folder: the same file, read once
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", folder / "linked-folder")
    result = icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "none")
    assert result.returncode == 0, result.stderr
    assert "stolen.txt: skipped, a link to a file outside" in result.stderr
    assert "dangling.txt: skipped, a link to nothing" in result.stderr
    assert "linked-folder: skipped, a linked folder" in result.stderr
    assert "wachtwoord" not in (tmp_path / "o" / "segments.csv").read_text(encoding="utf-8")
    assert "again.txt" not in result.stderr and "1 document," in result.stderr


def test_an_unreadable_folder_is_named(tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("runs as root, who can read every folder: the permission cannot be taken away here")
    folder = transcripts(tmp_path)
    locked = folder / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        result = icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "none")
    finally:
        locked.chmod(0o755)
    assert result.returncode == 0 and "locked: skipped, cannot read this folder" in result.stderr


# -- the results folder as one unit ------------------------------------------------------------------------------
def test_the_manifest_is_renamed_last_and_vouches_for_every_file(tmp_path, monkeypatch):
    """A crash between renames must never leave a new manifest beside old data (or the other way round)."""
    import os

    from icap_coder import atomic

    folder = transcripts(tmp_path)
    assert icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "none").returncode == 0
    (folder / "R1.txt").write_text("I: Nieuwe vraag?\nR1: Nieuw antwoord over de visie en de strategie.\n",
                                   encoding="utf-8")
    renamed: list[str] = []
    real_replace = os.replace

    def crash_after_two(source, target):
        if len(renamed) == 2:
            raise KeyboardInterrupt  # the machine dies between two renames
        renamed.append(os.path.basename(target))
        real_replace(source, target)

    monkeypatch.setattr(atomic.os, "replace", crash_after_two)
    icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "none")
    monkeypatch.setattr(atomic.os, "replace", real_replace)
    assert "manifest.json" not in renamed
    result = icap("summary", str(tmp_path / "o"))
    assert result.returncode == 2 and "does not belong to this manifest" in result.stderr, result.stderr
    assert icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "none").returncode == 0
    assert icap("summary", str(tmp_path / "o")).returncode == 0
    assert not list((tmp_path / "o").glob(".*.tmp"))  # leftovers of the killed run are cleaned up


def test_the_manifest_is_an_audit_trail(tmp_path):
    folder = transcripts(tmp_path)
    (folder / "cases.csv").write_text("document,case\nR1.txt,Delft\n", encoding="utf-8")
    (tmp_path / "icap.yaml").write_text("unit: turn\n", encoding="utf-8")
    assert icap("reject", str(folder / "R1.txt"), "Onze visie is helder.", "Ambitie/visie").returncode == 0
    assert icap("code", str(folder), "--out", str(tmp_path / "o"), "-f", "none", cwd=tmp_path).returncode == 0
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text(encoding="utf-8"))
    inputs = {entry["kind"]: entry for entry in manifest["inputs"]}
    assert set(inputs) == {"codebook", "cases", "tags", "project"}
    for entry in inputs.values():
        assert len(entry["sha256"]) == 64 and entry["path"]
    assert {"spacy", "spacy-lookups-data", "simplemma", "pyyaml", "regex"} <= set(manifest["packages"])
    [rejected] = manifest["documents"][0]["rejected"]
    assert (rejected["code"], rejected["segment"]) == ("Ambitie/visie", 2) and "tags.yaml" in rejected["by"]
    assert set(manifest["files"]) == {"segments.csv", "codings.csv", "codings.jsonl", "documents.jsonl"}


def test_two_runs_never_write_one_results_folder_at_once(tmp_path):
    from filelock import FileLock

    folder = transcripts(tmp_path)
    with FileLock(str(tmp_path / ".o.lock")):
        result = icap("code", str(folder), "--out", str(tmp_path / "o"))
    assert "another icap command is writing this results folder" in one_error_line(result)
    assert not (tmp_path / "o").exists()
