"""Manual and inductive coding: inline markers, the tags file, tag/untag/reject, re-anchoring after edits."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, icap
from icap_coder.ingest.registry import read_document
from icap_coder.manual.anchor import anchor
from icap_coder.manual.tagsfile import load_tags

A1 = "Amsterdam/A1-beleidsadviseur.txt"


@pytest.fixture
def study(tmp_path) -> Path:
    """A private copy of the example transcripts, free to edit."""
    shutil.copytree(EXAMPLES, tmp_path / "transcripts")
    return tmp_path / "transcripts"


def codings(out: Path) -> list[dict]:
    with (out / "codings.csv").open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def code(study: Path, out: Path, *extra: str):
    result = icap("code", str(study), "--out", str(out), "--format", "none", "-j", "1", *extra)
    assert result.returncode == 0, result.stderr
    return result


# -- inline markers -------------------------------------------------------------------------
def test_markers_are_removed_and_code_their_segment(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("I: Hoe werkt u samen?\nR1: We werken in kokers. [#Interne communicatie]\n"
                    "I: En de aanbesteding?\nR1: Die regels zijn lastig.[#Overig/aanbestedingsrecht] Echt.\n",
                    encoding="utf-8")
    raw = read_document(path)
    assert "[#" not in raw.text
    answers = [raw.text[t.start:t.end] for t in raw.turns][1::2]
    assert answers == ["We werken in kokers.", "Die regels zijn lastig. Echt."]
    out = tmp_path / "out"
    code(path, out)
    rows = [(r["segment"], r["group"], r["code"], r["source"]) for r in codings(out)]
    assert ("2", "Organisatie", "Interne communicatie", "manual") in rows
    assert ("4", "Aanvullend", "Overig/aanbestedingsrecht", "manual") in rows
    for row in codings(out):
        assert "[#" not in row["text"] and raw.text[int(row["start"]):int(row["end"])] == row["text"]


def test_markers_in_subtitles(tmp_path):
    path = tmp_path / "t.vtt"
    path.write_text("WEBVTT\n\n00:00.000 --> 00:02.000\n<v R1>Het vertrouwen groeit. [#Sociaal kapitaal]\n",
                    encoding="utf-8")
    code(path, tmp_path / "out")
    assert [(r["code"], r["source"]) for r in codings(tmp_path / "out")] == [("Sociaal kapitaal", "manual")]


# -- tag / reject / untag through the command line -----------------------------------------------
def test_tag_reject_untag_round_trip(study, tmp_path):
    doc = study / A1
    result = icap("tag", str(doc), "We werken erg in kokers.", "Interne communicatie", "--coder", "sanne",
                  "--memo", "silo's")
    assert result.returncode == 0, result.stderr
    assert "tagged Amsterdam/A1-beleidsadviseur.txt" in result.stdout
    assert icap("tag", str(doc), "aardgasvrij", "Overig/energietransitie").returncode == 0
    assert icap("reject", str(doc), "per afdeling anders ingevuld", "Interne communicatie").returncode == 0
    tags = load_tags(study / "tags.yaml")
    assert [(t.document, t.code, t.action) for t in tags] == [
        (A1, "Organisatie/Interne communicatie", "code"), (A1, "Overig/energietransitie", "code"),
        (A1, "Organisatie/Interne communicatie", "reject")]
    assert tags[0].coder == "sanne" and tags[0].memo == "silo's" and tags[0].before and tags[0].after

    before = {(r["document"], r["segment"], r["code"]) for r in codings(_plain_run(study, tmp_path))}
    result = code(study, tmp_path / "out")
    rows = codings(tmp_path / "out")
    by_key = {(r["document"], r["segment"], r["code"]): r for r in rows}
    kokers = next(r for r in rows if "We werken erg in kokers." in r["text"] and r["code"] == "Interne communicatie")
    assert kokers["source"] == "manual"
    assert "tagged by sanne" in kokers["evidence"] and "auto: kokers" in kokers["evidence"]
    assert any(r["code"] == "Overig/energietransitie" and r["group"] == "Aanvullend" for r in rows)
    rejected = [k for k in before if k not in by_key]
    assert len(rejected) == 1 and rejected[0][2] == "Interne communicatie"
    assert "1 automatic rejected" in result.stderr

    again = icap("tag", str(doc), "We werken erg in kokers.", "Interne communicatie", "--coder", "sanne")
    assert again.stdout == ""  # the same decision by the same person: no duplicate
    assert len(load_tags(study / "tags.yaml")) == 3
    result = icap("untag", str(doc), "We werken erg in kokers.", "Organisatie/Interne communicatie")
    assert result.returncode == 0 and "removed code" in result.stdout
    assert [t.code for t in load_tags(study / "tags.yaml")] == ["Overig/energietransitie",
                                                                 "Organisatie/Interne communicatie"]


def _plain_run(study: Path, tmp_path: Path) -> Path:
    out = tmp_path / "plain"
    code(study, out, "--tags", str(tmp_path / "none.yaml"))
    return out


def test_untag_keeps_comments_and_other_entries(study):
    doc = study / A1
    icap("tag", str(doc), "We werken erg in kokers.", "Interne communicatie")
    icap("tag", str(doc), "aardgasvrij", "Ambitie/visie")
    tags_file = study / "tags.yaml"
    tags_file.write_text(tags_file.read_text(encoding="utf-8") + "# my own note, keep me\n", encoding="utf-8")
    assert icap("untag", str(doc), "We werken erg in kokers.", "Interne communicatie").returncode == 0
    text = tags_file.read_text(encoding="utf-8")
    assert "# my own note, keep me" in text and "kokers" not in text and "aardgasvrij" in text


# -- errors: one line, exit 2, tags file untouched ---------------------------------------------------
def assert_error(result, *fragments):
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_tag_errors(study):
    doc = study / A1
    assert_error(icap("tag", str(study / "Amsterdam/nope.txt"), "x", "Evaluatie"), "no such transcript")
    assert_error(icap("tag", str(doc), "We werken erg in kokerz", "Evaluatie"),
                 "quote not found", "closest: 'We werken erg in kokers.'")
    assert_error(icap("tag", str(doc), "de", "Evaluatie"), "quote occurs", "times", "--start/--end")
    assert_error(icap("untag", str(doc), "bestaat niet", "Evaluatie"), "no tag 'Evaluatie'")
    assert not (study / "tags.yaml").exists()
    result = icap("tag", str(doc), "de", "Evaluatie", "--start", "110", "--end", "112")
    assert result.returncode == 0, result.stderr


def test_malformed_tags_file_stops_the_run_and_is_left_alone(study, tmp_path):
    tags_file = study / "tags.yaml"
    broken = "- document: x.txt\n  quote: [unclosed\n"
    tags_file.write_text(broken, encoding="utf-8")
    assert_error(icap("code", str(study), "--out", str(tmp_path / "o")), "tags.yaml:")
    assert_error(icap("tag", str(study / A1), "aardgasvrij", "Evaluatie"), "tags.yaml:")
    assert tags_file.read_text(encoding="utf-8") == broken
    tags_file.write_text("- document: x.txt\n  quote: q\n  code: C\n  action: maybe\n", encoding="utf-8")
    assert_error(icap("code", str(study), "--out", str(tmp_path / "o")), "tags.yaml:1: action 'maybe'")


def test_tag_for_an_unknown_document_is_a_warning(study, tmp_path):
    (study / "tags.yaml").write_text("- {document: Amsterdam/A9.txt, quote: q, code: Evaluatie}\n", encoding="utf-8")
    result = code(study, tmp_path / "out")
    assert "tags.yaml:1: no transcript 'Amsterdam/A9.txt'" in result.stderr


# -- re-anchoring after the transcript was corrected ----------------------------------------------------
QUOTE = "We werken erg in kokers."


@pytest.fixture
def tagged(study):
    assert icap("tag", str(study / A1), QUOTE, "Interne communicatie", "--coder", "sanne").returncode == 0
    return study


def edit(study: Path, old: str, new: str) -> None:
    path = study / A1
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def manual_rows(out: Path) -> list[dict]:
    return [r for r in codings(out) if r["source"] == "manual"]


def test_insert_before_the_quote_moves_the_tag(tagged, tmp_path):
    edit(tagged, "I: Dank dat u tijd wilt maken.", "I: Dank dat u tijd wilt maken, en welkom in ons onderzoek.")
    result = code(tagged, tmp_path / "out")
    assert "quote found at" in result.stderr and "the transcript changed around it" in result.stderr
    [row] = manual_rows(tmp_path / "out")
    assert QUOTE in row["text"]
    [old] = load_tags(tagged / "tags.yaml")
    assert icap("tags", "check", str(tagged), "--update").returncode == 0
    [new] = load_tags(tagged / "tags.yaml")
    assert new.start == old.start + len(", en welkom in ons onderzoek") and new.quote == old.quote
    assert "quote found at" not in code(tagged, tmp_path / "again").stderr


def test_deletion_elsewhere_moves_the_tag(tagged, tmp_path):
    edit(tagged, "Ja hoor. ", "")
    code(tagged, tmp_path / "out")
    [row] = manual_rows(tmp_path / "out")
    assert QUOTE in row["text"]


def test_edit_inside_the_quote_waits_for_a_person_to_confirm(tagged, tmp_path):
    edit(tagged, QUOTE, "We werken echt erg in kokers.")
    result = code(tagged, tmp_path / "out")
    assert "not applied until you confirm it" in result.stderr and "+'echt'" in result.stderr
    assert manual_rows(tmp_path / "out") == []  # an approximate match is never applied silently
    for command in ("summary", "compare", "cooccur"):  # every command that codes says so
        assert "not applied until you confirm it" in icap(command, str(tagged), "-f", "json").stderr
    check = icap("tags", "check", str(tagged), "-f", "json")
    assert check.returncode == 0 and "1 approximate" in check.stderr
    [state] = json.loads(check.stdout)
    assert (state["line"], state["status"]) == ("tags.yaml:2", "approximate") and "--accept 2" in state["detail"]
    assert "Tags not exactly where" in icap("tags", "check", str(tagged)).stdout
    accepted = icap("tags", "check", str(tagged), "--accept", "2")
    assert accepted.returncode == 0, accepted.stderr
    [tag] = load_tags(tagged / "tags.yaml")
    assert tag.quote == "We werken echt erg in kokers." and tag.coder == "sanne"
    code(tagged, tmp_path / "again")
    [row] = manual_rows(tmp_path / "again")
    assert "We werken echt erg in kokers." in row["text"]


def test_deleted_quote_becomes_an_orphan_not_a_wrong_coding(tagged, tmp_path):
    edit(tagged, "Eerlijk gezegd is dat het moeilijkste. We werken erg in kokers. ", "")
    result = code(tagged, tmp_path / "out")
    assert "no longer in Amsterdam/A1-beleidsadviseur.txt; not applied (orphan)" in result.stderr
    assert manual_rows(tmp_path / "out") == []


def test_duplicated_quote_is_resolved_by_context_or_reported():
    text = "Intro. We werken erg in kokers. Midden. We werken erg in kokers. Slot."
    assert anchor(text, QUOTE).status == "ambiguous"
    placed = anchor(text, QUOTE, 7, 31, before="Intro. ", after=" Midden.")
    assert (placed.status, placed.start) == ("exact", 7)
    edited = "Nieuw begin. " + text
    moved = anchor(edited, QUOTE, 7, 31, before="Intro. ", after=" Midden.")
    assert (moved.status, moved.start) == ("moved", 20)


def test_fuzzy_never_attaches_to_merely_similar_text():
    assert anchor("Wij werken goed samen met de partners.", QUOTE).status == "orphan"


@pytest.mark.parametrize("quote,edited,change", [
    ("We hebben geen geld voor innovatie.", "We hebben geen tijd voor innovatie.", "'geld' -> 'tijd'"),
    ("Ja, dat klopt.", "Nee, dat klopt.", "'ja' -> 'nee'"),
    ("We werken in kokers.", "We werken niet in kokers.", "+'niet'"),
])
def test_a_changed_word_is_never_applied_without_a_person(quote, edited, change):
    text = f"I: Vraag een.\nR1: Iets anders.\nI: Vraag twee.\nR1: {edited}\nI: Dank u.\n"
    found = anchor(text, quote, 40, 40 + len(quote), before="Vraag twee.\nR1: ", after="\nI: Dank u.")
    assert found.status == "approximate" and not found.placed
    assert text[found.start:found.end] == edited and change in found.changes


def test_identical_answers_that_swap_places_follow_their_context():
    before = "I: Werkt u samen met de provincie?\nR1: Ja, dat klopt.\nI: En met het rijk?\nR1: Ja, dat klopt.\n"
    start = before.index("Ja, dat klopt.")  # the answer about the province
    context = {"before": before[max(0, start - 40):start], "after": before[start + 14:start + 54]}
    swapped = "I: En met het rijk?\nR1: Ja, dat klopt.\nI: Werkt u samen met de provincie?\nR1: Ja, dat klopt.\n"
    found = anchor(swapped, "Ja, dat klopt.", start, start + 14, **context)
    assert found.status == "moved" and found.start == swapped.rindex("Ja, dat klopt.")
    assert anchor(before, "Ja, dat klopt.", start, start + 14, **context).status == "exact"


# -- review loop, driven through stdin as a person would type ---------------------------------------
def review(study: Path, keys: str, *extra: str):
    return icap("review", str(study), "--coder", "eva", *extra, input=keys)


def test_review_writes_each_decision_and_resumes(study, tmp_path):
    result = review(study, "a\nr\nr 2\na\nc Overig/aanbesteding\ns\nq\n")
    assert result.returncode == 0, result.stderr
    assert "[1/" in result.stdout and "choose proposals by number, 1 to 1" in result.stdout
    assert "reviewed 5 segments: 3 accepted, 2 rejected, 1 code added" in result.stderr
    assert "✗ rejected" in result.stdout and "+ coded Overig/aanbesteding" in result.stdout  # each decision said
    tags = load_tags(study / "tags.yaml")
    assert [t.action for t in tags] == ["confirm", "confirm", "reject", "reject", "confirm", "code"]
    assert all(t.coder == "eva" and t.document == A1 for t in tags)
    assert tags[-1].code == "Overig/aanbesteding"

    again = review(study, "q\n")  # resumes: the decided segments are not shown again
    assert "[1/" in again.stdout and "segment 10 " in again.stdout.split("[1/")[1].splitlines()[0]

    out = tmp_path / "out"
    code(study, out)
    rows = [r for r in codings(out) if r["document"] == A1]
    assert {(r["segment"], r["code"], r["source"]) for r in rows if r["segment"] in ("4", "6", "8")} == {
        ("4", "Ambitie/visie", "manual"), ("4", "Interne communicatie", "manual"), ("8", "Politieke steun", "manual")}
    assert all("confirmed by eva" in r["evidence"] for r in rows if r["segment"] in ("4", "8"))


def test_review_shows_the_question_first_and_undo_takes_decisions_back(study):
    result = review(study, "a 1\na 1\nu\nu\nr\nq\n")
    assert result.returncode == 0, result.stderr
    first = result.stdout.split("[1/")[1]
    assert first.index("I: Kunt u wat vertellen over de innovatiestrategie?") < first.index("Op papier wel.")
    assert result.stdout.count("↶ undone: confirm") == 2  # the second undo reached back into segment 4
    assert [t.action for t in load_tags(study / "tags.yaml")] == ["reject", "reject"]
    assert "reviewed 2 segments: 0 accepted, 2 rejected, 0 codes added" in result.stderr


def test_review_says_when_a_filter_matches_nothing(study):
    unknown = review(study, "q\n", "--code", "Interne comunicatie")
    assert unknown.returncode == 2 and "not a code of the codebook; closest: Organisatie/Interne communicatie" \
        in unknown.stderr
    assert "no document of that case" in review(study, "q\n", "--case", "Utrecht").stderr
    never = review(study, "q\n", "--code", "Algemeen")  # a code only people give: the rules never made it
    assert never.returncode == 0 and "the rules made no coding that matches --code Algemeen" \
        in never.stderr and "has been decided" not in never.stderr


def test_review_interrupted_says_how_many_decisions_were_saved(study, monkeypatch):
    import io
    import sys
    import types

    from icap_coder.cli import manual

    class Keys(io.StringIO):  # the person presses Ctrl-C after two decisions
        def readline(self, *args):
            line = super().readline(*args)
            if not line:
                raise KeyboardInterrupt
            return line

    keys = Keys("a 1\nr 1\n")
    monkeypatch.setattr(manual, "sys", types.SimpleNamespace(stdin=keys, **{
        k: getattr(sys, k) for k in ("stdout", "stderr", "argv", "exit")}))
    result = icap("review", str(study), "--coder", "eva")
    assert result.returncode == 130
    assert "stopped; the 2 decisions made so far" in result.stderr and "no output was changed" not in result.stderr
    assert len(load_tags(study / "tags.yaml")) >= 2


def test_review_filters_and_ends_cleanly_without_input(study):
    result = review(study, "", "--group", "Netwerk", "--case", "Rotterdam")
    assert result.returncode == 0
    assert "Rotterdam/" in result.stdout and "Amsterdam/" not in result.stdout
    assert "Netwerk/" in result.stdout and "Leiderschap/" not in result.stdout


# -- inductive codes ------------------------------------------------------------------------------------
def test_inductive_codes_listed_and_promoted_keeping_the_file(study, tmp_path):
    icap("tag", str(study / A1), "aardgasvrij", "Overig/energietransitie")
    icap("tag", str(study / A1), "We werken erg in kokers.", "Cultuur/silodenken", "--new")
    listed = icap("codebook", "inductive", str(study), "--format", "csv")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == ["group,code,segments,documents,looks_like",
                                          "Aanvullend,Cultuur/silodenken,1,1,",
                                          "Aanvullend,Overig/energietransitie,1,1,"]
    assert_error(icap("codebook", "inductive", str(study), "--promote"), "--promote edits your own codebook")
    book = tmp_path / "codebook.yaml"
    assert icap("init", str(tmp_path), "--force").returncode == 0
    original = book.read_text(encoding="utf-8")
    result = icap("codebook", "inductive", str(study), "--codebook", str(book), "--promote")
    assert result.returncode == 0 and "added 2 inductive codes" in result.stderr
    promoted = book.read_text(encoding="utf-8")
    assert promoted.startswith(original.split("  - name: Aanvullend")[0])  # comments and earlier groups untouched
    assert '      - {name: "Cultuur/silodenken", inductive: true}' in promoted
    again = icap("codebook", "inductive", str(study), "--codebook", str(book), "--format", "csv")
    assert again.stdout.splitlines() == ["group,code,segments,documents,looks_like"]
    assert icap("codebook", "validate", str(book)).returncode == 0


def test_a_tag_under_a_new_group_is_promoted_as_a_new_group(tmp_path):
    from icap_coder.codebook.loader import load_codebook
    from icap_coder.codebook.promote import promote

    book = tmp_path / "codebook.yaml"
    book.write_text("# mine\ncodebook: t\nlanguages: [nl]\ngroups:\n  - name: Leren\n    codes:\n"
                    "      - {name: Evaluatie, keywords: {nl: [evaluatie]}}\n", encoding="utf-8")
    assert promote(book, [("Leren", "Reflectie"), ("Context", "Wetgeving")]) == [
        ("Leren", "Reflectie"), ("Context", "Wetgeving")]
    loaded, _ = load_codebook(book)
    assert [(c.group, c.name, c.inductive) for c in loaded.codes()] == [
        ("Leren", "Evaluatie", False), ("Leren", "Reflectie", True), ("Context", "Wetgeving", True)]
    assert book.read_text(encoding="utf-8").startswith("# mine\n")


# -- a typo in a code name never becomes a new code by itself ---------------------------------------
@pytest.mark.parametrize("code,message", [
    ("Interne comunicatie", "closest: Organisatie/Interne communicatie"),
    ("Organisatie/Interne comunicatie", "closest: Organisatie/Interne communicatie"),
    ("Leiderschap", "'Leiderschap' is a code group, not a code; its codes: Ambitie/visie"),
    ("Silodenken", "a new inductive code needs --new"),
])
def test_tag_with_an_unknown_code_is_refused(study, code, message):
    assert_error(icap("tag", str(study / A1), "We werken erg in kokers.", code), message)
    assert not (study / "tags.yaml").exists()


def test_new_codes_are_asked_for_explicitly(study):
    assert icap("tag", str(study / A1), "We werken erg in kokers.", "Silodenken", "--new").returncode == 0
    assert icap("tag", str(study / A1), "aardgasvrij", "Overig/energietransitie").returncode == 0  # under Overig
    assert [t.code for t in load_tags(study / "tags.yaml")] == ["Aanvullend/Silodenken", "Overig/energietransitie"]
    assert_error(icap("reject", str(study / A1), "We werken erg in kokers.", "Silodenken"),
                 "can only reject a code of the codebook")


def test_review_refuses_a_typo_and_asks_again(study):
    result = review(study, "c Interne comunicatie\nc Overig/aanbesteding\nq\n")
    assert result.returncode == 0, result.stderr
    assert "closest: Organisatie/Interne communicatie" in result.stdout
    assert [t.code for t in load_tags(study / "tags.yaml")] == ["Overig/aanbesteding"]


def test_a_typo_in_a_marker_is_coded_but_named(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("I: Hoe werkt u samen?\nR1: We werken in kokers. [#Interne comunicatie]\n", encoding="utf-8")
    result = code(path, tmp_path / "out")
    assert "'Interne comunicatie' is not in the codebook" in result.stderr
    assert "did you mean Organisatie/Interne communicatie" in result.stderr


def test_promote_skips_what_looks_like_a_typo(study, tmp_path):
    (study / "Amsterdam" / "A1-beleidsadviseur.txt").write_text(
        "I: Vraag?\nR1: We werken in kokers. [#Interne comunicatie]\nI: En?\nR1: Regels. [#Overig/regeldruk]\n",
        encoding="utf-8")
    assert icap("init", str(tmp_path), "--force").returncode == 0
    result = icap("codebook", "inductive", str(study), "--codebook", str(tmp_path / "codebook.yaml"), "--promote")
    assert result.returncode == 0, result.stderr
    assert "not promoted: 'Interne comunicatie'" in result.stderr and "added 1 inductive codes" in result.stderr
    promoted = (tmp_path / "codebook.yaml").read_text(encoding="utf-8")
    assert "Overig/regeldruk" in promoted and "Interne comunicatie" not in promoted


def test_two_people_coding_one_quote_alike_keep_two_entries(study):
    doc = study / A1
    for person in ("sanne", "piet"):
        ran = icap("tag", str(doc), "We werken erg in kokers.", "Interne communicatie", "--coder", person)
        assert ran.returncode == 0 and "tagged" in ran.stdout
    assert [t.coder for t in load_tags(study / "tags.yaml")] == ["sanne", "piet"]
    unsure = icap("untag", str(doc), "We werken erg in kokers.", "Interne communicatie")
    assert unsure.returncode == 2 and "made by piet and sanne; say whose to remove with --coder" in unsure.stderr
    assert len(load_tags(study / "tags.yaml")) == 2
    mine = icap("untag", str(doc), "We werken erg in kokers.", "Interne communicatie", "--coder", "piet")
    assert mine.returncode == 0
    assert [t.coder for t in load_tags(study / "tags.yaml")] == ["sanne"]
