"""Intercoder agreement: the measures against published values, and `icap agree` on a study two people coded."""

from __future__ import annotations

import json
import shutil
from collections import Counter

import pytest

from conftest import EXAMPLES, icap
from icap_coder.analysis.agreement import Tally, cohen_kappa, krippendorff_alpha

N = None


def test_krippendorff_alpha_matches_the_worked_example_of_krippendorff_2011():
    """'Computing Krippendorff's Alpha-Reliability' (2011), nominal data, 4 observers, 12 units, missing values:
    alpha = 0.743."""
    observers = [[1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
                 [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
                 [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
                 [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N]]
    assert round(krippendorff_alpha(zip(*observers)), 3) == 0.743


@pytest.mark.parametrize("table,kappa", [
    ({("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15}, 0.4),  # po .70, pe .50
    ({("yes", "yes"): 45, ("yes", "no"): 15, ("no", "yes"): 25, ("no", "no"): 15}, 0.1304),
    ({("yes", "yes"): 25, ("yes", "no"): 35, ("no", "yes"): 5, ("no", "no"): 35}, 0.2593),
])
def test_cohen_kappa_matches_textbook_tables(table, kappa):
    assert round(cohen_kappa(Counter(table)), 4) == kappa


def test_measures_are_undefined_not_perfect_when_nobody_varies():
    assert krippendorff_alpha([(0, 0), (0, 0)]) is None
    assert cohen_kappa(Counter({(0, 0): 5})) is None


def test_percent_agreement_of_three_coders_is_the_share_of_agreeing_pairs():
    tally = Tally(["a", "b", "c"])
    tally.add({"a": 1, "b": 1, "c": 1})  # 3 of 3 pairs agree
    tally.add({"a": 1, "b": 0, "c": 0})  # 1 of 3
    tally.add({"a": 1, "b": 0})  # c did not code this document: 0 of 1
    row = tally.row("code", "G", "C")
    assert row["units"] == 3 and row["percent_agreement"] == round(100 * (1 + 1 / 3 + 0) / 3, 3)
    assert row["cohen_kappa"] is None  # three coders
    assert row["codings"] == {"a": 3, "b": 1, "c": 1}


A1 = "Amsterdam/A1-beleidsadviseur.txt"


def entry(quote: str, code: str, coder: str, document: str = A1) -> str:
    return f"- document: {document}\n  quote: {quote}\n  code: {code}\n  coder: {coder}\n"


@pytest.fixture
def study(tmp_path):
    """The example study; sanne and piet both coded A1 (7 respondent turns) and nothing else."""
    folder = tmp_path / "study"
    shutil.copytree(EXAMPLES, folder)
    (folder / "tags.yaml").write_text(
        entry("Onze directeur is echt een aanjager.", "Leiderschap/Rol van directie", "sanne")
        + entry("Onze directeur is echt een aanjager.", "Leiderschap/Rol van directie", "piet")
        + entry("de stip op de horizon is helder", "Leiderschap/Ambitie/visie", "sanne")
        + entry("geen structureel budget", "Organisatie/Middelen t.b.v. innovatie", "piet"), encoding="utf-8")
    return folder


def rows_of(ran) -> dict[tuple[str, str, str], dict]:
    assert ran.returncode == 0, ran.stderr
    return {(r["level"], r["group"], r["code"]): r for r in json.loads(ran.stdout)}


def test_two_coders_give_the_hand_computed_kappa_and_alpha(study):
    rows = rows_of(icap("agree", str(study), "-f", "json"))
    # Leiderschap over A1's 7 turns: sanne applied it to 2, piet to 1 of those, both left 5 alone.
    # kappa: po = 6/7, pe = (2/7)(1/7) + (5/7)(6/7) = 32/49 -> (42 - 32) / (49 - 32) = 10/17.
    # alpha: coincidences o11 = 2, o10 = o01 = 1, o00 = 10; n1 = 3, n0 = 11, n = 14 ->
    #        1 - 13 * 2 / (2 * 3 * 11) = 20/33.
    group = rows[("group", "Leiderschap", "")]
    assert group["units"] == 7 and group["coders"] == 2 and group["codings"] == {"sanne": 2, "piet": 1}
    assert group["cohen_kappa"] == round(10 / 17, 3) and group["krippendorff_alpha"] == round(20 / 33, 3)
    assert group["percent_agreement"] == round(100 * 6 / 7, 3)
    same = rows[("code", "Leiderschap", "Rol van directie")]
    assert (same["cohen_kappa"], same["krippendorff_alpha"], same["percent_agreement"]) == (1.0, 1.0, 100.0)
    only_one = rows[("code", "Organisatie", "Middelen t.b.v. innovatie")]
    assert only_one["cohen_kappa"] == 0.0 and only_one["codings"] == {"sanne": 0, "piet": 1}
    overall = rows[("overall", "", "")]
    assert overall["units"] == 7 * 3  # three codes were used: every (turn, code) decision
    assert list(rows)[-1] == ("overall", "", "")


def test_the_method_line_names_the_unit_and_the_overlap_rule(study):
    ran = icap("agree", str(study), "-f", "json")
    assert "Unit of analysis: the turn (7 turns in 1 document coded by at least two of: sanne, piet)" in ran.stderr
    assert "every turn its span overlaps" in ran.stderr
    assert "Traceback" not in ran.stderr


def test_show_lists_who_coded_what_where_they_differ(study):
    ran = icap("agree", str(study), "--show", "-f", "json")
    found = json.loads(ran.stdout)
    assert {(d["code"], d["coded_by"], d["not_by"]) for d in found} == {
        ("Ambitie/visie", "sanne", "piet"), ("Middelen t.b.v. innovatie", "piet", "sanne")}
    assert all(d["document"] == A1 and d["speaker"] == "A1" for d in found)
    assert any("geen structureel budget" in d["quote"] for d in found)


def test_auto_adds_icap_as_a_coder_with_precision_and_recall_per_person(study):
    rows = rows_of(icap("agree", str(study), "--auto", "-f", "json"))
    overall = rows[("overall", "", "")]
    assert overall["coders"] == 3 and overall["cohen_kappa"] is None
    assert set(overall["codings"]) == {"sanne", "piet", "icap"} and overall["codings"]["icap"] > 0
    assert set(overall["icap_vs"]) == {"sanne", "piet"}
    for scores in overall["icap_vs"].values():
        assert set(scores) == {"precision", "recall", "f1"}
    # icap takes part in every document, the people only in A1: units come from A1 only
    assert overall["units"] % 7 == 0


def test_coders_who_worked_apart_give_separate_tags_files(study, tmp_path):
    lines = (study / "tags.yaml").read_text(encoding="utf-8").split("- document")
    sanne, piet = tmp_path / "sanne.yaml", tmp_path / "piet.yaml"
    sanne.write_text("".join("- document" + e for e in lines if "coder: sanne" in e), encoding="utf-8")
    piet.write_text("".join("- document" + e for e in lines if "coder: piet" in e), encoding="utf-8")
    (study / "tags.yaml").unlink()
    apart = rows_of(icap("agree", str(study), "--tags", str(sanne), "--tags", str(piet), "-f", "json"))
    assert apart[("group", "Leiderschap", "")]["cohen_kappa"] == round(10 / 17, 3)


def test_csv_has_one_column_per_coder(study):
    ran = icap("agree", str(study), "-f", "csv")
    header = ran.stdout.splitlines()[0].split(",")
    assert header[:8] == ["level", "group", "code", "units", "coders", "percent_agreement", "cohen_kappa",
                          "krippendorff_alpha"]
    assert header[8:] == ["codings_sanne", "codings_piet"]


@pytest.mark.parametrize("args,says", [
    (["--coder", "sanne"], "at least two coders"),
    (["--coder", "sanne", "--coder", "kees"], "no tags by coder 'kees'; coders in the tags files: sanne, piet"),
    (["--export", "x.pdf"], "unknown export format"),
])
def test_bad_requests_get_one_line(study, args, says):
    ran = icap("agree", str(study), *args)
    assert ran.returncode == 2 and says in ran.stderr and len(ran.stderr.strip().splitlines()) == 1


def test_without_tags_there_is_nothing_to_compare(tmp_path):
    folder = tmp_path / "plain"
    shutil.copytree(EXAMPLES, folder)
    ran = icap("agree", str(folder))
    assert ran.returncode == 2 and "at least two coders; found none" in ran.stderr


def test_an_entry_for_a_transcript_that_is_not_there_is_named(study):
    with (study / "tags.yaml").open("a", encoding="utf-8") as tags:
        tags.write(entry("iets", "Leiderschap/Rol van directie", "piet", "Amsterdam/weg.txt"))
    ran = icap("agree", str(study), "-f", "json")
    assert ran.returncode == 0 and "no transcript 'Amsterdam/weg.txt'" in ran.stderr


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".md", ".json", ".docx"])
def test_every_export_holds_the_figures(study, tmp_path, suffix):
    target = tmp_path / f"agreement{suffix}"
    ran = icap("agree", str(study), "--export", str(target))
    assert ran.returncode == 0, ran.stderr
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(target)
        sheet = book["Agreement"]
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        assert values[0][0].startswith("Unit of analysis")  # the method note above the table
        assert ["group", "Leiderschap", None, 7, 2, 85.714, 0.588, 0.606, 2, 1] in values
        assert book["Disagreements"].max_row == 3
    elif suffix == ".docx":
        import docx

        rows = [[c.text for c in r.cells] for t in docx.Document(str(target)).tables for r in t.rows]
        assert ["Leiderschap", "7", "85.7", "0.59", "0.61", "2 / 1"] in rows  # as a person reads it: 2 decimals
        assert any("Ambitie/visie" in row for row in rows)  # the disagreements
    else:
        text = target.read_text(encoding="utf-8")
        assert ("| Leiderschap | 7 | 85.7 | 0.59 | 0.61 | 2 / 1 |" if suffix == ".md" else "0.588") in text
        if suffix == ".json":
            data = json.loads(text)
            assert data["method"].startswith("Unit of analysis") and len(data["disagreements"]) == 2


def test_the_report_has_an_agreement_section_with_the_figures_of_icap_agree(study, tmp_path):
    report = tmp_path / "report.json"
    assert icap("summary", str(study), "--export", str(report)).returncode == 0
    section = json.loads(report.read_text(encoding="utf-8"))["agreement"]
    assert section["note"].startswith("Unit of analysis: the turn (7 turns in 1 document")
    rows = {(r["level"], r["group"]): r for r in section["rows"]}
    agree = rows_of(icap("agree", str(study), "-f", "json"))
    for level, group in (("group", "Leiderschap"), ("group", "Organisatie"), ("overall", "")):
        assert rows[(level, group)] == agree[(level, group, "")]
    results = tmp_path / "results"  # the same from a results folder, which has only the merged codings
    assert icap("code", str(study), "--out", str(results), "-q").returncode == 0
    html = tmp_path / "report.html"
    assert icap("summary", str(results), "--export", str(html), "--report-lang", "en").returncode == 0
    page = html.read_text(encoding="utf-8")
    assert "<h2>Intercoder agreement</h2>" in page and "0.59" in page and "Coded by sanne / piet" in page


def test_a_report_coded_by_one_person_has_no_agreement_section(study, tmp_path):
    tags = study / "tags.yaml"
    tags.write_text(tags.read_text(encoding="utf-8").replace("coder: piet", "coder: sanne"), encoding="utf-8")
    report = tmp_path / "report.md"
    assert icap("summary", str(study), "--export", str(report)).returncode == 0
    assert "Intercoder agreement" not in report.read_text(encoding="utf-8")
