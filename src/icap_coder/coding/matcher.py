"""Codebook + segments -> automatic codings, each with its evidence.

How it stays fast: each distinct word is classified against all token
tests of the codebook (lemma keys, prefix, suffix, infix, exact) once, when
spaCy's tokenizer first adds it to the vocabulary: a lexeme flag
(`vocab.add_flag`) records whether it passes any test. Wildcards are thereby
expanded against the words the corpus actually contains, never compiled into
hundreds of token patterns, and `Doc.to_array` hands back the flagged
positions without a Python loop over tokens. Only the segments that are
coded get tokenized (not interviewer turns or speaker labels), a batch of
them at a time. A phrase raises the flag only through its longest word (its
anchor); the words around it are checked when the anchor is found.

Semantics, per segment and code: every keyword hit counts once per span of
text; a hit is dropped when one of the code's `exclude` patterns matches text
overlapping it; the code applies when the remaining hits reach `min_score`.
The score is the number of distinct stretches of text that hit (overlapping
hits, like `innovatiestrategie` found by two wildcards, count once).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, cast

import numpy
import regex as _regex
import spacy
from spacy.attrs import IDX, LENGTH, LOWER
from spacy.vocab import Vocab

from icap_coder.codebook import patterns
from icap_coder.codebook.patterns import Element, Pattern, parse_pattern
from icap_coder.coding import lookup_cache, nlp
from icap_coder.errors import IcapError
from icap_coder.model import Code, Codebook, Coding, Segment

LONG_SEGMENT = 100_000  # characters; longer segments are tokenized in pieces, shorter ones in batches this long
BETWEEN = "\n\n"  # what joins the segments of a batch: white space, and a token of its own
MAX_WORD_TYPES = 20_000  # distinct words remembered before the vocabulary starts afresh
MAX_GUESSES = 50_000  # simplemma's lemmas remembered, in memory and in the lookup cache


@dataclass(frozen=True)
class Rule:
    code: int  # index into LanguageMatcher.codes
    pattern: Pattern
    elements: tuple[int, ...]  # element ids, one per token; empty for a regex
    exclude: bool
    order: int  # its place in the codebook: evidence names the first rule that found a term


class Hit(NamedTuple):  # a tuple: made ~100k times per million words
    rule: Rule
    start: int
    end: int
    term: str


class LanguageMatcher:
    """All keyword rules of a codebook for one language, ready to run on text."""

    def __init__(self, codebook: Codebook, lang: str):
        self.lang = lang
        self.source = codebook.source
        self.codes: list[Code] = [c for c in codebook.codes() if not c.inductive]
        self._tokenizer: Any = _tokenizer(lang)  # own vocabulary: its flag is this matcher's
        self._strings = self._tokenizer.vocab.strings
        self.elements: list[Element] = []
        self._element_ids: dict[Element, int] = {}
        self.rules: list[Rule] = []
        for index, code in enumerate(self.codes):
            for exclude, listed in ((False, code.keywords), (True, code.exclude)):
                for raw in listed.get(lang, []):
                    self._add_rule(index, parse_pattern(raw), exclude)
        self._excluding = {rule.code for rule in self.rules if rule.exclude}  # codes with `exclude` patterns
        self._names = [f"{code.group}/{code.name}" for code in self.codes]  # the last word on the primary code
        self.regex_rules = [(r, r.pattern.regex) for r in self.rules if r.pattern.regex is not None]
        self._any_regex = _either([regex for _, regex in self.regex_rules])
        # Each rule is found through one anchor element, its longest (rarest) word, so that
        # phrases like "op de agenda" flag "agenda" and not every "de" in the corpus.
        self.anchored: dict[int, list[tuple[Rule, int]]] = defaultdict(list)
        for rule in self.rules:
            if rule.elements:
                anchor = max(range(len(rule.elements)), key=lambda k: len(self.elements[rule.elements[k]].value))
                self.anchored[rule.elements[anchor]].append((rule, anchor))
        entry = self._cached_entry()
        table = {} if entry else nlp.read_lemma_table(lang)  # not kept: what is needed of it is extracted below
        element_keys: dict[int, list[str]] = (
            {int(eid): keys for eid, keys in entry["element_keys"].items()} if entry else
            {eid: sorted(nlp.lemma_keys(e.value, lang, guess=False, table=table))
             for eid, e in enumerate(self.elements) if e.kind == "lemma"})
        self._by_key: dict[str, list[int]] = defaultdict(list)  # lemma key / exact form -> element ids
        affixes: dict[str, list[tuple[str, int]]] = {"prefix": [], "suffix": [], "infix": []}
        for eid, element in enumerate(self.elements):
            if element.kind == "lemma":
                for key in element_keys[eid]:
                    self._by_key["L" + key].append(eid)
            elif element.kind == "exact":
                self._by_key["E" + element.value].append(eid)
            else:
                affixes[element.kind].append((element.value, eid))
        self._prefixes, self._suffixes, self._infixes = affixes["prefix"], affixes["suffix"], affixes["infix"]
        # Quick rejects in C for the common case, a word that passes no test at all.
        self._any_prefix = tuple(v for v, _ in self._prefixes)
        self._any_suffix = tuple(v for v, _ in self._suffixes)
        self._any_infix = re.compile("|".join(re.escape(v) for v, _ in self._infixes)) if self._infixes else None
        # Guessing a lemma (simplemma) is only worth it for a word that begins like a keyword's
        # lemma minus its last letters (gemeent|en, werk|t, burger|s, le|ssen, ge|leer|d).
        self._stems = {key[1:][:max(3, len(key) - 4)] for key in self._by_key if key[0] == "L" and len(key) > 3}
        self._stem_lengths = sorted({len(stem) for stem in self._stems})
        # Of the lemma table, only what can change a classification: the forms whose lemma is a keyword's
        # (`_lemmas`), and the forms that would otherwise be guessed (`_table_forms`: a form in the table is
        # never guessed). The whole table is read only when these are not in the cache.
        if entry:
            self._lemmas: dict[str, str] = entry["lemmas"]
            self._table_forms: frozenset[str] = frozenset(entry["table_forms"])
            self._cache: dict[str, tuple[int, ...]] = {w: tuple(e) for w, e in entry["words"].items()}
            self._guesses: dict[str, str] = entry.get("guesses") or {}
        else:
            self._lemmas, self._table_forms = self._table_extract(table)
            del table
            self._cache = {}  # lower-case word -> element ids
            self._guesses = {}  # word -> simplemma's lemma, remembered across runs: simplemma takes long to load
        self._guessed = 0  # new guesses, not yet in the cache
        self._flag = self._tokenizer.vocab.add_flag(
            lambda text: any(eid in self.anchored for eid in self._tests(text.lower())))
        self._base = dict(self._cache)  # the tokenizer's own vocabulary, classified
        self._by_hash: dict[int, tuple[int, ...]] = {}  # the same, by the hash spaCy gives a lower-case word
        self._found: dict[int, tuple[list[Rule], list[tuple[Rule, int]], str]] = {}  # flagged word hash -> its rules
        self._entry = {"element_keys": element_keys, "lemmas": self._lemmas, "table_forms": sorted(self._table_forms),
                       "words": self._base}
        if not entry:
            lookup_cache.save(self._cache_name, {**self._entry, "guesses": self._guesses})

    def remember(self) -> None:
        """Add this run's lemma guesses to the cache, so that the next run may not need simplemma at all."""
        if self._guessed:
            self._guessed = 0
            lookup_cache.save(self._cache_name, {**self._entry, "guesses": self._guesses})

    def _cached_entry(self) -> dict[str, Any] | None:
        """This matcher's compiled lookups from an earlier run, if they are there and whole."""
        self._cache_name = lookup_cache.key([self.lang, [(e.kind, e.value) for e in self.elements]],
                                            [Path(__file__), Path(nlp.__file__)])
        entry = lookup_cache.load(self._cache_name)
        try:
            if entry and all(0 <= int(e) < len(self.elements) for e in entry["element_keys"]) \
                    and isinstance(entry["lemmas"], dict) and isinstance(entry["table_forms"], list) \
                    and all(isinstance(ids, list) for ids in entry["words"].values()) \
                    and isinstance(entry.get("guesses", {}), dict) \
                    and len(entry["element_keys"]) == sum(e.kind == "lemma" for e in self.elements):
                return entry
        except (KeyError, TypeError, ValueError, AttributeError):
            pass
        return None

    def _table_extract(self, table: dict[str, str]) -> tuple[dict[str, str], frozenset[str]]:
        """The part of the lemma table this codebook can need (looked up with lower-case words only)."""
        lemmas = {form: lemma.lower() for form, lemma in table.items()
                  if "L" + lemma.lower() in self._by_key and form == form.lower()}
        forms = sorted(form for form in table if form == form.lower())
        guessed: set[str] = set()
        for stem in self._stems:
            for prefix in (stem, "ge" + stem):
                i = bisect.bisect_left(forms, prefix)
                while i < len(forms) and forms[i].startswith(prefix):
                    guessed.add(forms[i])
                    i += 1
        return lemmas, frozenset(guessed)

    def _forget(self) -> None:
        """Start a fresh vocabulary and word cache. Both grow with every new word type a corpus brings
        (hundreds of thousands in ten million words); dropping them now and then keeps memory flat, at the
        price of classifying the common words once more."""
        self._tokenizer = _tokenizer(self.lang)
        self._strings = self._tokenizer.vocab.strings
        self._cache = dict(self._base)
        self._by_hash, self._found = {}, {}
        self._flag = self._tokenizer.vocab.add_flag(
            lambda text: any(eid in self.anchored for eid in self._tests(text.lower())))

    def _tests(self, word: str) -> tuple[int, ...]:
        found = self._cache.get(word)
        if found is None:
            found = self._cache[word] = self.classify(word)
        return found

    def _add_rule(self, code: int, pattern: Pattern, exclude: bool) -> None:
        elements: list[int] = []
        for element in pattern.elements:
            # A keyword the tokenizer splits (co-creatie, t.b.v.) becomes a phrase of exact forms.
            pieces = [t.lower_ for t in self._tokenizer(element.value)]
            if element.kind in ("lemma", "exact") and len(pieces) > 1:
                parts = [Element("exact", piece) for piece in pieces]
            else:
                parts = [element]
            for part in parts:
                if part not in self._element_ids:
                    self._element_ids[part] = len(self.elements)
                    self.elements.append(part)
                elements.append(self._element_ids[part])
        self.rules.append(Rule(code, pattern, tuple(elements), exclude, len(self.rules)))

    def classify(self, word: str) -> tuple[int, ...]:
        """Ids of the token tests a lower-case word passes."""
        found: list[int] = []
        for key in self._lemma_keys(word):
            found.extend(self._by_key.get("L" + key, ()))
        found.extend(self._by_key.get("E" + word, ()))
        if self._any_prefix and word.startswith(self._any_prefix):
            found.extend(eid for value, eid in self._prefixes if word.startswith(value))
        if self._any_suffix and word.endswith(self._any_suffix):
            found.extend(eid for value, eid in self._suffixes if word.endswith(value))
        if self._any_infix is not None and self._any_infix.search(word):
            found.extend(eid for value, eid in self._infixes if value in word)
        return tuple(sorted(set(found)))

    def _lemma_keys(self, word: str) -> list[str]:
        """What nlp.lemma_keys gives, as far as this codebook can tell: the word, its table lemma when that
        is a keyword's, else simplemma's guess for a word that begins like a keyword and is not in the table."""
        lemma = self._lemmas.get(word)
        if lemma is not None:
            return [word, lemma]
        if word.isalpha() and word not in self._table_forms and any(
                word[:n] in self._stems or (word.startswith("ge") and word[2:2 + n] in self._stems)
                for n in self._stem_lengths):
            guess = self._guesses.get(word)
            if guess is None:
                guess = nlp.guess_lemma(word, self.lang)
                if len(self._guesses) < MAX_GUESSES:
                    self._guesses[word] = guess
                    self._guessed += 1
            return [word, guess]
        return [word]

    def hits(self, text: str) -> list[Hit]:
        """Every keyword and exclude hit in `text` (offsets relative to it)."""
        return self._token_hits(text, self._tokenizer(text), [0])[0] + self._regex_hits(text)

    def _regex_hits(self, text: str, shift: int = 0) -> list[Hit]:
        """The hits of the codebook's regexes in `text`, with offsets moved by `shift`."""
        hits: list[Hit] = []
        if not self.regex_rules:
            return hits
        if self._any_regex is not None:
            try:
                if self._any_regex.search(text, timeout=patterns.REGEX_SECONDS) is None:
                    return hits
            except TimeoutError:
                pass  # the loop below names the regex that takes so long
        for rule, regex in self.regex_rules:
            try:
                hits.extend(Hit(rule, m.start() + shift, m.end() + shift, m.group(0).lower())
                            for m in regex.finditer(text, timeout=patterns.REGEX_SECONDS) if m.end() > m.start())
            except TimeoutError:
                code = self.codes[rule.code]
                raise IcapError(f"the regex {rule.pattern.raw} of code '{code.name}' took longer than "
                                f"{patterns.REGEX_SECONDS:g} s on one segment ('{text[:40]}...'): it backtracks "
                                "for ever on some text; simplify it", file=self.source, line=code.line) from None
        return hits

    def _token_hits(self, text: str, doc: Any, starts: list[int]) -> list[list[Hit]]:
        """The keyword hits in a text of one or more segments (beginning at `starts`), per segment; offsets are
        the text's."""
        per: list[list[Hit]] = [[] for _ in starts]
        if not len(doc):
            return per
        rows = doc.to_array([self._flag, LOWER, IDX, LENGTH])
        flagged = numpy.flatnonzero(rows[:, 0])
        if not len(flagged):
            return per
        picked = rows[flagged]
        owners = (numpy.searchsorted(numpy.asarray(starts), picked[:, 2], side="right") - 1).tolist() \
            if len(starts) > 1 else [0] * len(flagged)
        lowers, size, by_hash, strings, known = rows[:, 1], len(rows), self._by_hash, self._strings, self._tests

        def tests(i: int) -> tuple[int, ...]:
            if not 0 <= i < size:
                return ()
            key = int(lowers[i])
            found = by_hash.get(key)
            if found is None:
                found = by_hash[key] = known(strings[key])
            return found

        found = self._found
        for i, owner, (_, lower, start, length) in zip(flagged.tolist(), owners, picked.tolist()):
            rules = found.get(lower)
            if rules is None:
                rules = found[lower] = self._anchored_rules(strings[lower])
            words, phrases, term = rules
            hits = per[owner]
            if words:
                end = start + length
                for rule in words:
                    hits.append(Hit(rule, start, end, term))
            for rule, anchor in phrases:  # never across segments: the blank line between them is a token
                first, n = i - anchor, len(rule.elements)
                if not all(rule.elements[k] in tests(first + k) for k in range(n) if k != anchor):
                    continue
                begin, last = int(rows[first, 2]), first + n - 1
                end = int(rows[last, 2] + rows[last, 3])
                hits.append(Hit(rule, begin, end, text[begin:end].lower()))
        return per

    def _anchored_rules(self, word: str) -> tuple[list[Rule], list[tuple[Rule, int]], str]:
        """The rules a (lower-case) word found by its flag can fire: the one-word rules it passes, and the
        phrases it may anchor (their other words still to be checked), in codebook order; and the word."""
        words: list[Rule] = []
        phrases: list[tuple[Rule, int]] = []
        for eid in self._tests(word):
            for rule, anchor in self.anchored.get(eid, ()):
                if len(rule.elements) == 1:
                    words.append(rule)
                else:
                    phrases.append((rule, anchor))
        return words, phrases, word

    def code_segments(self, segments: list[Segment], min_score: float = 1.0) -> list[Coding]:
        """Automatic codings of the segments.

        Segments are tokenized a batch at a time, joined by blank lines: spaCy makes the same tokens of a
        segment either way (tokens never cross white space), and the blank line is a token of its own, so a
        phrase cannot run from one segment into the next. One document then costs a few tokenizer calls
        instead of one per segment."""
        if len(self._cache) > MAX_WORD_TYPES:
            self._forget()
        found: dict[int, list[Hit]] = {}
        batch: list[Segment] = []
        size = 0
        for segment in segments:
            if len(segment.text) > LONG_SEGMENT:
                found[id(segment)] = self._long_hits(segment.text)
                continue
            if batch and size + len(segment.text) > LONG_SEGMENT:
                self._batch_hits(batch, found)
                batch, size = [], 0
            batch.append(segment)
            size += len(segment.text) + len(BETWEEN)
        if batch:
            self._batch_hits(batch, found)
        codings: list[Coding] = []
        for segment in segments:
            hits = found[id(segment)]
            if hits:
                codings.extend(self._code_one(segment, hits, min_score))
        return codings

    def _batch_hits(self, batch: list[Segment], found: dict[int, list[Hit]]) -> None:
        """The hits of each segment of `batch`, into `found` (offsets are those of the joined text)."""
        starts, at = [], 0
        for segment in batch:
            starts.append(at)
            at += len(segment.text) + len(BETWEEN)
        joined = BETWEEN.join(segment.text for segment in batch)
        per = self._token_hits(joined, self._tokenizer(joined), starts)
        for segment, start, hits in zip(batch, starts, per):
            hits.extend(self._regex_hits(segment.text, start))
            found[id(segment)] = hits

    def _long_hits(self, text: str) -> list[Hit]:
        """A segment of more than LONG_SEGMENT characters (a transcript without any breaks) is tokenized in
        pieces cut at white space, so memory stays bounded; a phrase across a cut can be missed."""
        hits: list[Hit] = []
        start = 0
        while start < len(text):
            end = min(len(text), start + LONG_SEGMENT)
            if end < len(text):
                cut = text.rfind(". ", start, end)  # a sentence end if there is one, else the last space
                cut = cut if cut > start else text.rfind(" ", start, end)
                end = cut + 1 if cut > start else end
            piece = text[start:end]
            hits.extend(hit._replace(start=hit.start + start, end=hit.end + start) for hit in self.hits(piece))
            start = end
        return hits

    def _code_one(self, segment: Segment, hits: list[Hit], min_score: float) -> list[Coding]:
        by_code: dict[int, list[Hit]] = defaultdict(list)
        for hit in hits:
            by_code[hit.rule.code].append(hit)
        found: list[tuple[tuple[float, int, int, str], int, float, list[Hit]]] = []  # strength, code, score, terms
        for index in sorted(by_code):
            kept = by_code[index]
            if index in self._excluding:
                excluded = [h for h in kept if h.rule.exclude]
                kept = [h for h in kept if not h.rule.exclude
                        and not any(x.start < h.end and h.start < x.end for x in excluded)]
            score = _weighted_spans(kept) if len(kept) > 1 else kept[0].rule.pattern.weight if kept else 0.0
            if not kept or score < min_score:
                continue
            if len(kept) > 1:
                kept.sort(key=_place)
                first: dict[str, Hit] = {}
                for hit in kept:
                    first.setdefault(hit.term, hit)
                kept = list(first.values())
            strength = (-score, -len(kept), -sum(h.end - h.start for h in kept), self._names[index])
            found.append((strength, index, score, kept))
        # the primary code: the strongest evidence, never the order of the codebook
        best = min(found)[1] if found else -1
        return [Coding(document=segment.document, case=segment.case, speaker=segment.speaker,
                       segment=segment.index, start=segment.start, end=segment.end, group=self.codes[index].group,
                       code=self.codes[index].name, source="auto", score=round(score, 3),
                       evidence="; ".join(f"{h.term} <- {h.rule.pattern.raw}" for h in terms), text=segment.text,
                       primary=index == best)
                for _, index, score, terms in found]


def _tokenizer(lang: str) -> Any:
    """spaCy's rule-based tokenizer for `lang`, with a vocabulary that works out only what matching reads of a
    new word (its lower-case form; the flag is added later), not the twenty other attributes spaCy would:
    that is a sixth of tokenizing a corpus with many new words, and a quarter of making the tokenizer."""
    return cast(Any, spacy.blank(lang, vocab=Vocab(lex_attr_getters={LOWER: str.lower})).tokenizer)


SELF_REFERENCING = re.compile(r"\\[1-9]|\\g|\(\?P=|\(\?\(|\(\?[a-zA-Z]+\)")  # back-references, conditionals, flags


def _either(regexes: list[Any]) -> Any:
    """One regex that finds text where any of `regexes` would, or None. Most segments match none of a
    codebook's regexes, and one search then passes them over instead of one per regex. A regex that
    refers to its own groups or sets flags for the whole pattern cannot be put beside others unchanged."""
    if len(regexes) < 2 or any(SELF_REFERENCING.search(r.pattern) for r in regexes) \
            or len({r.flags for r in regexes}) > 1:
        return None
    try:
        return _regex.compile("|".join(f"(?:{r.pattern})" for r in regexes), regexes[0].flags)
    except _regex.error:
        return None


def _place(hit: Hit) -> tuple[int, int]:
    """Hits in text order, and at one place in codebook order: evidence names the first rule."""
    return hit.start, hit.rule.order


def _weighted_spans(hits: list[Hit]) -> float:
    """The score: each separate stretch of text that hit counts once, with the weight of its strongest
    keyword (overlapping hits, like `innovatiestrategie` found by two wildcards, are one stretch)."""
    total, reach, weight = 0.0, -1, 0.0
    for start, end, hit_weight in sorted((h.start, h.end, h.rule.pattern.weight) for h in hits):
        if start >= reach:
            total += weight
            weight = 0.0
        weight = max(weight, hit_weight)
        reach = max(reach, end)
    return total + weight
