"""The tools that improve a codebook from a person's coding, on a fixture small enough to check every number.

A study of two transcripts; a person codes three answers about partners as Samenwerking (one of
them the rules find, two they miss) and rejects a code on a fourth. The codebook knows only the
word `samenwerking`; `suggest` must propose `partner`, `diff` must show what adding it changes,
and `evaluate --against` must show the agreement before and after.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import icap

BOOK = """codebook: fixture
languages: [nl]
groups:
  - name: Netwerk
    codes:
      - {name: Samenwerking, keywords: {nl: [samenwerking]}}
  - name: Organisatie
    codes:
      - {name: Geld, keywords: {nl: [budget]}}
  - name: Aanvullend
    codes:
      - {name: Overig, inductive: true}
"""
A = """I: Hoe werkt u samen?
R1: De samenwerking met de partners in de wijk loopt goed.
I: En verder?
R1: We bellen de partners elke week, de partners denken mee.
I: Is er budget?
R1: Het budget is op, dus we zoeken nieuwe partners en fondsen.
I: Hoe is de sfeer?
R1: De sfeer op kantoor is goed, iedereen helpt elkaar.
"""
B = """I: Wie doet er mee?
R2: Veel partners uit de buurt doen mee, ook bewoners.
I: En het geld?
R2: Er is weinig budget, alles gaat naar onderhoud.
I: Wat is lastig?
R2: De regels zijn ingewikkeld en de vergunningen duren lang.
"""


@pytest.fixture
def study(tmp_path) -> Path:
    (tmp_path / "study").mkdir()
    (tmp_path / "study" / "a.txt").write_text(A, encoding="utf-8")
    (tmp_path / "study" / "b.txt").write_text(B, encoding="utf-8")
    (tmp_path / "book.yaml").write_text(BOOK, encoding="utf-8")
    (tmp_path / "book2.yaml").write_text(BOOK.replace("[samenwerking]", "[samenwerking, partner]"), encoding="utf-8")
    for document, quote, code in (("a.txt", "We bellen de partners elke week", "Samenwerking"),
                                  ("b.txt", "Veel partners uit de buurt doen mee", "Samenwerking"),
                                  ("a.txt", "De samenwerking met de partners", "Samenwerking"),
                                  ("b.txt", "De regels zijn ingewikkeld", "Overig/regeldruk")):
        result = icap("tag", str(tmp_path / "study" / document), quote, code, "--codebook", str(tmp_path / "book.yaml"),
                      "--coder", "eva")
        assert result.returncode == 0, result.stderr
    return tmp_path


def records(result) -> list[dict]:
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_suggest_proposes_the_term_the_person_coded_by(study):
    rows = records(icap("codebook", "suggest", str(study / "study"), "--codebook", str(study / "book.yaml"),
                        "-f", "csv"))
    assert rows == [
        {"code": "Netwerk/Samenwerking", "term": "partner", "z": "1.43", "in_code": "3", "code_segments": "3",
         "would_add": "2", "would_also_catch": "1"},
        {"code": "Netwerk/Samenwerking", "term": "mee", "z": "1.11", "in_code": "2", "code_segments": "3",
         "would_add": "2", "would_also_catch": "0"}]
    strict = records(icap("codebook", "suggest", str(study / "study"), "--codebook", str(study / "book.yaml"),
                          "--min-z", "1.96", "-f", "csv"))
    assert strict == []  # three coded segments are a hint, not evidence at the 5% level


def test_diff_shows_which_segments_gain_and_lose(study):
    result = icap("codebook", "diff", str(study / "book.yaml"), str(study / "book2.yaml"), str(study / "study"),
                  "-f", "csv")
    rows = records(result)
    assert [(r["document"], r["segment"], r["gained"], r["lost"], r["primary_before"], r["primary_after"])
            for r in rows] == [
        ("a.txt", "4", "Netwerk/Samenwerking", "", "", "Netwerk/Samenwerking"),
        ("a.txt", "6", "Netwerk/Samenwerking", "", "Organisatie/Geld", "Netwerk/Samenwerking"),
        ("b.txt", "2", "Netwerk/Samenwerking", "", "", "Netwerk/Samenwerking")]
    assert "icap: 3 of 14 segments change; +3 Netwerk/Samenwerking; no code lost" in result.stderr


def test_evaluate_against_the_study_s_own_coding(study):
    def agreement(book: str) -> dict:
        result = icap("codebook", "evaluate", "--against", str(study / "study" / "tags.yaml"), "--codebook",
                      str(study / book), "--bootstrap", "0", "-f", "json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    before, after = agreement("book.yaml"), agreement("book2.yaml")
    assert before["segments"] == after["segments"] == 4  # the decided segments: three tags and one Overig tag
    assert (before["primary_accuracy"], before["kappa"], before["micro_f1"]) == (0.5, 0.2, 0.5)
    assert (after["primary_accuracy"], after["kappa"], after["micro_f1"]) == (1.0, 1.0, 1.0)
    assert {(c["person"], c["primary"]): c["segments"] for c in before["confusion"]} == {
        ("Netwerk", "Netwerk"): 1, ("Netwerk", "none"): 2, ("none", "none"): 1}


def test_tools_refuse_what_they_cannot_use(study, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "x.txt").write_text("I: Vraag?\nR1: Antwoord.\n", encoding="utf-8")
    result = icap("codebook", "suggest", str(empty))
    assert result.returncode == 2 and "no manual codings to learn from" in result.stderr
    result = icap("codebook", "evaluate")
    assert result.returncode == 2 and "--against" in result.stderr
