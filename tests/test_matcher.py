"""Matching semantics, one rule of the pattern syntax at a time, through the real spaCy pipeline."""

from __future__ import annotations

import pytest

from icap_coder.coding.matcher import LanguageMatcher
from icap_coder.model import Code, Codebook, CodeGroup, Segment


def matcher(keywords: dict[str, list[str]], exclude: dict[str, list[str]] | None = None, lang: str = "nl"):
    code = Code(name="C", group="G", keywords=keywords, exclude=exclude or {})
    return LanguageMatcher(Codebook("t", "1", [lang], [CodeGroup("G", codes=[code])]), lang)


def code(text: str, keywords: list[str], exclude: list[str] | None = None, lang: str = "nl", min_score=1.0):
    m = matcher({lang: keywords}, {lang: exclude or []}, lang)
    segment = Segment("d.txt", "", "R1", 1, "turn", 0, len(text), lang, text)
    return m.code_segments([segment], min_score)


def fires(text, keywords, exclude=None, lang="nl") -> bool:
    return bool(code(text, keywords, exclude, lang))


@pytest.mark.parametrize("text", ["Innovaties kosten tijd.", "De innovatie loopt.", "INNOVATIE!"])
def test_lemma_matches_inflections_and_case(text):
    assert fires(text, ["innovatie"])


@pytest.mark.parametrize("text,keyword", [("De gemeenten werken samen.", "gemeente"),  # lookup-table gap
                                          ("Burgers denken mee.", "burger"),
                                          ("We hebben veel geleerd van de lessen.", "les"),
                                          ("Zij werkt hier.", "werken")])
def test_lemma_gaps_of_the_lookup_table_are_filled(text, keyword):
    assert fires(text, [keyword])


def test_lemma_does_not_match_a_different_word():
    assert not fires("De datum staat vast.", ["data"])
    assert not fires("Zorginnovatie is nodig.", ["innovatie"])  # a compound needs *innovatie*


def test_phrase_is_consecutive_tokens_by_lemma():
    assert fires("Wij werkten samen en gingen samen werken.", ["samen werken"])
    assert fires("Zij hebben samen gewerkt.", ["samen werken"])
    assert not fires("Samen met hen werken we.", ["samen werken"])


def test_prefix_wildcard():
    assert fires("De kennisdeling gaat goed.", ["kennis*"])
    assert not fires("Wij delen onze ervaring.", ["kennis*"])


def test_infix_wildcard_finds_dutch_compounds():
    for text in ["De zorginnovatie groeit.", "Een innovatiestrategie.", "Zorg-innovatie."]:
        assert fires(text, ["*innovatie*"]), text


def test_suffix_wildcard():
    assert fires("De datastrategie.", ["*strategie"])
    assert not fires("Strategieën", ["*strategie"])


def test_exact_form_skips_lemmatisation():
    assert fires("Dat was een les.", ["=les"])
    assert not fires("Dat waren lessen.", ["=les"])


def test_regex_over_segment_text():
    codings = code("We zitten met Stichting X aan tafel.", ["/stichting \\w+/"])
    assert codings and codings[0].evidence == "stichting x <- /stichting \\w+/"


def test_exclusion_drops_an_overlapping_hit_only():
    assert not fires("Door middel van subsidie.", ["middel"], ["door middel van"])
    assert fires("Door middel van overleg; de middelen zijn op.", ["middel"], ["door middel van"])


def test_evidence_names_term_and_rule_and_score_counts_distinct_spans():
    [coding] = code("Onze innovatiestrategie en onze visie.", ["*strategie", "*innovatie*", "visie"])
    assert coding.evidence == "innovatiestrategie <- *strategie; visie <- visie"
    assert coding.score == 2  # the two wildcards hit one word: it counts once
    assert (coding.source, coding.group, coding.code) == ("auto", "G", "C")


def test_min_score_threshold():
    assert not code("Een visie.", ["visie"], min_score=2)
    assert code("Een visie, nog een visie.", ["visie"], min_score=2)


def test_english_and_swedish_lowercase_before_lookup():
    assert fires("Our Strategies differ.", ["strategy"], lang="en")
    assert fires("Kommunens Strategier.", ["strategi"], lang="sv")


def test_keyword_the_tokenizer_splits_still_matches():
    assert fires("Via co-creatie met bewoners.", ["co-creatie"])
    assert fires("Middelen t.b.v. innovatie.", ["t.b.v."])


def test_inductive_codes_are_never_auto_coded():
    book = Codebook("t", "1", ["nl"], [CodeGroup("Aanvullend", codes=[
        Code("Overig", "Aanvullend", keywords={"nl": ["visie"]}, inductive=True)])])
    segment = Segment("d", "", "", 1, "turn", 0, 5, "nl", "visie")
    assert LanguageMatcher(book, "nl").code_segments([segment]) == []


# -- weights and the primary code --------------------------------------------------------------------------------
def test_weights_add_up_per_stretch_of_text():
    [strong] = code("Er is een duidelijke stip op de horizon.", ["stip op de horizon^2", "horizon"])
    assert strong.score == 2  # overlapping hits are one stretch, with the weight of the strongest keyword
    [both] = code("De visie en de stip op de horizon.", ["stip op de horizon^2", "visie"])
    assert both.score == 3


def test_a_weak_word_alone_stays_below_the_threshold():
    assert code("We volgen de regels.", ["regels^0.5"]) == []
    [coded] = code("De regels en de procedures.", ["regels^0.5", "procedure^0.5"])
    assert coded.score == 1


def two_codes(text: str, first: list[str], second: list[str]):
    codes = [Code(name="A", group="G1", keywords={"nl": first}), Code(name="B", group="G2", keywords={"nl": second})]
    book = Codebook("t", "1", ["nl"], [CodeGroup("G1", codes=[codes[0]]), CodeGroup("G2", codes=[codes[1]])])
    segment = Segment("d.txt", "", "R1", 1, "turn", 0, len(text), "nl", text)
    return {c.code: c.primary for c in LanguageMatcher(book, "nl").code_segments([segment])}


def test_the_primary_code_is_the_strongest_never_the_first_in_the_file():
    assert two_codes("De visie en de strategie; een netwerk.", ["netwerk"], ["visie", "strategie"]) == {
        "A": False, "B": True}  # B scores 2, A 1: B is primary though A comes first
    assert two_codes("De visie; een netwerk.", ["netwerk"], ["visie^2"]) == {"A": False, "B": True}
    # a tie in score goes to more distinct evidence terms, then to longer matched text
    assert two_codes("Kennisdeling in het netwerk.", ["netwerk"], ["kennisdeling"]) == {"A": False, "B": True}


@pytest.mark.parametrize("pattern,message", [("visie^0", "more than 0"), ("^3", "needs a keyword"),
                                             ("a^b", "may only end a keyword")])
def test_bad_weights_are_refused(pattern, message):
    from icap_coder.codebook.patterns import PatternError, parse_pattern

    with pytest.raises(PatternError, match=message):
        parse_pattern(pattern)


def test_the_shared_search_for_regexes_never_changes_what_they_find():
    """Segments no regex can match are passed over after one combined search; on real text the hits
    must be exactly those of every regex run on its own."""
    from conftest import SHARED
    from icap_coder.codebook.loader import load_codebook

    book, _ = load_codebook(None)
    found = 0
    for lang, name in (("nl", "thesis-innovatiecapaciteit-ch1-3-bijlage1.txt"),
                       ("en", "move21-ecourse-innovation-capacity.txt"), ("sv", "governo-innovationsstrategier.txt")):
        m = LanguageMatcher(book, lang)
        assert m._any_regex is not None or len(m.regex_rules) < 2
        paragraphs = [p for p in (SHARED / "reference" / name).read_text(encoding="utf-8").split("\n") if p.strip()]
        combined = [m.hits(p) for p in paragraphs]
        m._any_regex = None
        assert combined == [m.hits(p) for p in paragraphs]
        found += sum(h.rule.pattern.regex is not None for hits in combined for h in hits)
    assert found >= 3  # the texts do have regex hits to lose


def test_a_regex_with_a_back_reference_still_finds_its_text():
    assert fires("Het is heel heel belangrijk.", [r"/\b(\w+) \1\b/", "/belangrijk/"])
    assert matcher({"nl": [r"/\b(\w+) \1\b/", "/belangrijk/"]})._any_regex is None


def test_segments_coded_together_are_coded_as_each_alone():
    """Segments are tokenized in batches; a phrase must never run from one segment into the next, and every
    segment must get exactly the codings it gets on its own (regexes and exclusions included)."""
    m = matcher({"nl": ["stip op de horizon", "innovatie", "/\\bkijk(?:en)? terug\\b/", "samen*"]},
                {"nl": ["innovatie nog niet"]})
    texts = ["We zetten een stip op de", "horizon, zei de wethouder, en de innovatie loopt.",
             "We kijken terug op de samenwerking.", "Die innovatie nog niet, nee.",
             "Een stip op de horizon hebben we wel: innovatie en samenwerken."]
    segments = [Segment("d.txt", "", "R1", i, "turn", 10 * i, 10 * i + len(t), "nl", t)
                for i, t in enumerate(texts, start=1)]
    together = m.code_segments(segments)
    alone = [c for segment in segments for c in m.code_segments([segment])]
    assert together == alone
    by_segment = {c.segment: c.evidence for c in together}
    assert 1 not in by_segment and "stip op de horizon" not in by_segment[2]
    assert "stip op de horizon <- stip op de horizon" in by_segment[5]
    assert 4 not in by_segment  # the exclusion still holds inside a batch
    assert "kijken terug" in by_segment[3]
