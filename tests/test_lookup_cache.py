"""The compiled lemma lookups cached on disk: same codings with or without them, and never in the way."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import EXAMPLES, SHARED
from icap_coder.codebook.loader import load_codebook
from icap_coder.coding import lookup_cache, nlp
from icap_coder.coding.matcher import LanguageMatcher
from icap_coder.model import Code, Codebook, CodeGroup, Segment

LANGUAGES = ("nl", "en", "sv")


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ICAP_CACHE_DIR", str(folder))
    return folder


def real_words() -> set[str]:
    """Word forms from the bundled transcripts and the reference texts (Dutch, English, Swedish)."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in EXAMPLES.rglob("*.txt")]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in (SHARED / "reference").glob("*.txt")]
    return {w.lower() for text in texts for w in re.findall(r"\w+", text)}


def full_table_classify(matcher: LanguageMatcher, word: str) -> tuple[int, ...]:
    """How a word was classified before the cache: with nlp.lemma_keys over the whole lemma table."""
    guess = any(word[:n] in matcher._stems or (word.startswith("ge") and word[2:2 + n] in matcher._stems)
                for n in matcher._stem_lengths)
    found = [eid for key in nlp.lemma_keys(word, matcher.lang, guess) for eid in matcher._by_key.get("L" + key, ())]
    found += matcher._by_key.get("E" + word, ())
    found += [eid for value, eid in matcher._prefixes if word.startswith(value)]
    found += [eid for value, eid in matcher._suffixes if word.endswith(value)]
    found += [eid for value, eid in matcher._infixes if value in word]
    return tuple(sorted(set(found)))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_lookups_classify_every_word_as_the_whole_lemma_table_does(lang, cache):
    book, _ = load_codebook(None)
    matcher = LanguageMatcher(book, lang)
    table = nlp.lemma_table(lang)
    words = real_words() | {w.lower() for w in list(table)[::20]} | {w.lower() for w in table.values()}
    differ = {w: (matcher.classify(w), full_table_classify(matcher, w)) for w in sorted(words)
              if matcher.classify(w) != full_table_classify(matcher, w)}
    assert not differ, list(differ.items())[:10]
    assert sum(1 for w in words if matcher.classify(w)) > 100  # the test looked at words that do match


def example_segments() -> list[Segment]:
    segments = []
    for path in sorted(EXAMPLES.rglob("*.txt")):
        for index, paragraph in enumerate(p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()):
            segments.append(Segment(path.name, "", "", index, "paragraph", 0, len(paragraph), "nl", paragraph))
    return segments


def test_a_warm_matcher_reads_no_lemma_table_and_codes_exactly_as_a_cold_one(cache, monkeypatch):
    book, _ = load_codebook(None)
    cold = LanguageMatcher(book, "nl")
    expected = cold.code_segments(example_segments())
    cold.remember()
    assert len(list(cache.glob("*.json"))) == 1 and len(expected) > 20

    def no_table(lang):
        raise AssertionError("the lemma table was read although the cache holds what is needed")

    def no_guess(word, lang):
        raise AssertionError(f"simplemma was asked about '{word}' although the cache remembers it")

    monkeypatch.setattr(nlp, "lemma_table", no_table)
    monkeypatch.setattr(nlp, "guess_lemma", no_guess)
    assert LanguageMatcher(book, "nl").code_segments(example_segments()) == expected


def small_book(keyword: str) -> Codebook:
    return Codebook("t", "1", ["nl"], [CodeGroup("G", codes=[Code(name="C", group="G", keywords={"nl": [keyword]})])])


def test_another_keyword_gets_another_entry_and_both_stay(cache):
    LanguageMatcher(small_book("innovatie"), "nl")
    LanguageMatcher(small_book("netwerk"), "nl")
    assert len(list(cache.glob("*.json"))) == 2


def test_a_damaged_or_foreign_entry_is_rebuilt_not_trusted(cache):
    segment = Segment("d.txt", "", "", 1, "turn", 0, 24, "nl", "De gemeenten innoveren.")
    expected = LanguageMatcher(small_book("gemeente"), "nl").code_segments([segment])
    assert expected
    entry = next(cache.glob("*.json"))
    good = json.loads(entry.read_text(encoding="utf-8"))
    for damage in ("{not json", json.dumps({**good, "key": "0" * 64}), json.dumps({**good, "lemmas": ["x"]}),
                   json.dumps({**good, "element_keys": {"7": ["x"]}}), good and json.dumps(good)[:-40]):
        entry.write_text(damage, encoding="utf-8")
        assert LanguageMatcher(small_book("gemeente"), "nl").code_segments([segment]) == expected
        assert json.loads(entry.read_text(encoding="utf-8"))["key"] == entry.stem  # whole again


def test_a_cache_folder_that_cannot_be_made_changes_nothing(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("ICAP_CACHE_DIR", str(blocker / "cache"))
    segment = Segment("d.txt", "", "", 1, "turn", 0, 24, "nl", "De gemeenten innoveren.")
    assert LanguageMatcher(small_book("gemeente"), "nl").code_segments([segment])
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_icap_no_cache_writes_nothing(cache, monkeypatch):
    monkeypatch.setenv("ICAP_NO_CACHE", "1")
    LanguageMatcher(small_book("gemeente"), "nl")
    assert lookup_cache.folder() is None and not cache.exists()


def test_the_entry_name_follows_the_package_versions(monkeypatch):
    before = lookup_cache.key(["nl", []], [])
    monkeypatch.setattr(lookup_cache, "_version", lambda package: "0.0-other")
    assert lookup_cache.key(["nl", []], []) != before
