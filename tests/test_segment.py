"""Turns -> segments: units, offsets into the extracted text, interviewer turns."""

from __future__ import annotations

from icap_coder.coding import nlp
from icap_coder.coding.segmenting import segment_document
from icap_coder.ingest.speakers import find_turns
from icap_coder.model import Document

TEXT = ("I: Hoe gaat het?\n\nR1: Goed. We hebben een visie.\n\nMaar het budget is op!\n\n"
        "I: Dank je.\n\nR1: Graag gedaan.")


def document(text: str) -> Document:
    return Document("d.txt", text, find_turns(text), "text", case="Delft", language="nl")


def test_turn_unit_one_segment_per_turn_with_exact_offsets():
    segments = segment_document(document(TEXT), "turn", set())
    assert [(s.speaker, s.text) for s in segments] == [
        ("I", "Hoe gaat het?"), ("R1", "Goed. We hebben een visie.\n\nMaar het budget is op!"),
        ("I", "Dank je."), ("R1", "Graag gedaan.")]
    for s in segments:
        assert TEXT[s.start:s.end] == s.text and s.case == "Delft" and s.unit == "turn"
    assert [s.index for s in segments] == [1, 2, 3, 4]
    assert [s.interviewer for s in segments] == [True, False, True, False]


def test_paragraph_unit_splits_turns_at_blank_lines():
    segments = segment_document(document(TEXT), "paragraph", set())
    assert [s.text for s in segments if s.speaker == "R1"] == [
        "Goed. We hebben een visie.", "Maar het budget is op!", "Graag gedaan."]
    assert all(TEXT[s.start:s.end] == s.text for s in segments)


def test_sentence_unit():
    segments = segment_document(document(TEXT), "sentence", set(), lambda t: nlp.split_sentences(t, "nl"))
    assert [s.text for s in segments if s.speaker == "R1"][:2] == ["Goed.", "We hebben een visie."]
    assert all(TEXT[s.start:s.end] == s.text and s.unit == "sentence" for s in segments)


def test_text_without_speakers_falls_back_to_paragraphs():
    text = "Eerste alinea over visie.\nNog een regel.\n\nTweede alinea."
    segments = segment_document(document(text), "turn", set())
    assert [(s.unit, s.text, s.speaker) for s in segments] == [
        ("paragraph", "Eerste alinea over visie.\nNog een regel.", ""), ("paragraph", "Tweede alinea.", "")]


def test_lines_are_paragraphs_when_a_text_has_no_blank_lines():
    text = "Eén.\nTwee.\nDrie."
    assert [s.text for s in segment_document(document(text), "paragraph", set())] == ["Eén.", "Twee.", "Drie."]


def test_named_interviewers():
    text = "Sanne: Vraag?\nPiet: Antwoord.\nSanne: Nog een?\nPiet: Ja."
    segments = segment_document(document(text), "turn", {"sanne"})
    assert [s.interviewer for s in segments] == [True, False, True, False]
