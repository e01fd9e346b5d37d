"""Per-language spaCy tokenizers, lemma keys and language detection, all offline.

spaCy's trained pipelines are not on PyPI, so we use blank pipelines (the
rule-based tokenizer and sentencizer) with the lookup tables of
spacy-lookups-data. Those tables have gaps (nl: werkt, netwerken, middelen)
and the en/sv ones are case-sensitive, so a word's lemma keys are the
lower-case form, its table lemma and simplemma's lemma together. This module
is imported only when there is text to process: it pulls in spaCy.
"""

from __future__ import annotations

import gzip
import json
from functools import cache

import spacy
import spacy_lookups_data

from icap_coder.settings import LANGUAGES


@cache
def blank(lang: str):
    """A blank spaCy pipeline with a sentencizer, for sentence splitting (matchers own their tokenizers)."""
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    return nlp


def read_lemma_table(lang: str) -> dict[str, str]:
    """spacy-lookups-data's form -> lemma table, as shipped (looked up with lower-case words): ~80 MB."""
    path = spacy_lookups_data.get_file(f"{lang}_lemma_lookup.json.gz")
    with gzip.open(str(path)) as handle:
        return json.loads(handle.read())


lemma_table = cache(read_lemma_table)  # kept for commands that look up many words; a matcher reads it once


def lemma_keys(word: str, lang: str, guess: bool = True, table: dict[str, str] | None = None) -> frozenset[str]:
    """The forms a word may stand for: itself and its table lemma, else (with guess) simplemma's lemma.

    simplemma is not idempotent (les -> lessen -> les), which is why a word
    and a keyword match when their key sets meet rather than when one lemma
    equals another. Keywords are expanded without guessing, so a keyword
    is never turned into a different word (data -> datum).
    """
    word = word.lower()
    keys = {word}
    table = lemma_table(lang) if table is None else table
    if word in table:
        keys.add(table[word].lower())
    elif guess and word.isalpha():
        keys.add(guess_lemma(word, lang))
    return frozenset(keys)


def guess_lemma(word: str, lang: str) -> str:
    """simplemma's lemma of a word the lemma table does not know (lower case). Imported here: most runs
    find every word they need in the lookup cache, and simplemma takes a while to import."""
    import simplemma

    return simplemma.lemmatize(word, lang=lang).lower()


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`, by spaCy's rule-based sentencizer."""
    return [(sent.start_char, sent.end_char) for sent in blank(lang)(text).sents]


@cache
def stop_words(lang: str) -> frozenset[str]:
    module = __import__(f"spacy.lang.{lang}.stop_words", fromlist=["STOP_WORDS"])
    return frozenset(module.STOP_WORDS)


def detect_language(text: str, candidates: list[str], sample_words: int = 1000) -> tuple[str, float]:
    """Guess a document's language among `candidates` from its share of each language's stop words.

    A whole transcript has hundreds of function words, which is all this
    needs; returns (language, confidence 0..1 as the winner's share of hits).
    """
    sample = text[:sample_words * 20]  # enough text for that many words: splitting all of a long one costs
    words = [w.strip(".,;:!?\"'()[]…“”‘’").lower() for w in sample.split()[:sample_words]]
    scores = {lang: sum(1 for w in words if w in stops) for lang in candidates
              if lang in LANGUAGES for stops in [stop_words(lang)]}
    if not scores:
        return (candidates[0] if candidates else "nl"), 0.0
    best = max(scores, key=lambda lang: (scores[lang], -candidates.index(lang)))
    total = sum(scores.values())
    return best, (scores[best] / total if total else 0.0)


def terms(text: str, lang: str) -> list[str]:
    """The content words of a text as lemmas (lower case; no stop words, numbers or punctuation), in order.

    What `codebook suggest` counts: a lemma here is what a plain keyword matches.
    """
    table = lemma_table(lang)
    stops = stop_words(lang)
    words = []
    for token in blank(lang).tokenizer(text):
        word = token.lower_
        if token.is_alpha and len(word) >= 3 and word not in stops:
            lemma = (table.get(word) or guess_lemma(word, lang)).lower()
            if lemma not in stops:
                words.append(lemma)
    return words
