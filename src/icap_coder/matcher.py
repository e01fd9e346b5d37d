"""Codebook + segments -> automatic codings, each with its evidence.

How it stays fast: a segment is tokenized once by spaCy's tokenizer, and
each distinct lower-case word is classified against all token tests of the
codebook once per process (lemma keys, prefix, suffix, infix, exact), then
cached by its hash. Wildcards are thereby expanded against the words the
corpus actually contains, never compiled into hundreds of token patterns.
Phrases are checked only where their first element matched.

Semantics, per segment and code: every keyword hit counts once per span of
text; a hit is dropped when one of the code's `exclude` patterns matches text
overlapping it; the code applies when the remaining hits reach `min_score`.
The score is the number of distinct stretches of text that hit (overlapping
hits, like `innovatiestrategie` found by two wildcards, count once).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from spacy.attrs import IDX, LENGTH, LOWER

from icap_coder import nlp
from icap_coder.model import Code, Codebook, Coding, Segment
from icap_coder.patterns import Element, Pattern, parse_pattern


@dataclass(frozen=True)
class Rule:
    code: int  # index into LanguageMatcher.codes
    pattern: Pattern
    elements: tuple[int, ...]  # element ids, one per token; empty for a regex
    exclude: bool


@dataclass(frozen=True)
class Hit:
    rule: Rule
    start: int
    end: int
    term: str


class LanguageMatcher:
    """All keyword rules of a codebook for one language, ready to run on text."""

    def __init__(self, codebook: Codebook, lang: str):
        self.lang = lang
        self.codes: list[Code] = [c for c in codebook.codes() if not c.inductive]
        self.elements: list[Element] = []
        self._element_ids: dict[Element, int] = {}
        self.rules: list[Rule] = []
        for index, code in enumerate(self.codes):
            for exclude, patterns in ((False, code.keywords), (True, code.exclude)):
                for raw in patterns.get(lang, []):
                    self._add_rule(index, parse_pattern(raw), exclude)
        self.regex_rules = [r for r in self.rules if r.pattern.kind == "regex"]
        self._order = {rule: i for i, rule in enumerate(self.rules)}  # evidence names the first rule
        self.starts: dict[int, list[Rule]] = defaultdict(list)
        for rule in self.rules:
            if rule.elements:
                self.starts[rule.elements[0]].append(rule)
        self._by_key: dict[str, list[int]] = defaultdict(list)  # lemma key / exact form -> element ids
        self._affixes: list[tuple[str, str, int]] = []
        for eid, element in enumerate(self.elements):
            if element.kind == "lemma":
                for key in nlp.lemma_keys(element.value, lang, guess=False):
                    self._by_key["L" + key].append(eid)
            elif element.kind == "exact":
                self._by_key["E" + element.value].append(eid)
            else:
                self._affixes.append((element.kind, element.value, eid))
        self._tokenizer = nlp.tokenizer(lang)
        self._strings = self._tokenizer.vocab.strings
        self._cache: dict[int, tuple[int, ...]] = {}

    def _add_rule(self, code: int, pattern: Pattern, exclude: bool) -> None:
        elements: list[int] = []
        for element in pattern.elements:
            # A keyword the tokenizer splits (co-creatie, t.b.v.) becomes a phrase of exact forms.
            pieces = [t.lower_ for t in nlp.tokenizer(self.lang)(element.value)]
            if element.kind in ("lemma", "exact") and len(pieces) > 1:
                parts = [Element("exact", piece) for piece in pieces]
            else:
                parts = [element]
            for part in parts:
                if part not in self._element_ids:
                    self._element_ids[part] = len(self.elements)
                    self.elements.append(part)
                elements.append(self._element_ids[part])
        self.rules.append(Rule(code, pattern, tuple(elements), exclude))

    def classify(self, word: str) -> tuple[int, ...]:
        """Ids of the token tests a lower-case word passes."""
        found: list[int] = []
        for key in nlp.lemma_keys(word, self.lang):
            found.extend(self._by_key.get("L" + key, ()))
        found.extend(self._by_key.get("E" + word, ()))
        for kind, value, eid in self._affixes:
            if (kind == "prefix" and word.startswith(value) or kind == "suffix" and word.endswith(value)
                    or kind == "infix" and value in word):
                found.append(eid)
        return tuple(sorted(set(found)))

    def hits(self, text: str, doc=None) -> list[Hit]:
        """Every keyword and exclude hit in `text` (offsets relative to it)."""
        doc = doc if doc is not None else self._tokenizer(text)
        rows = doc.to_array([LOWER, IDX, LENGTH]).tolist() if len(doc) else []
        tests = []
        for lower, _, _ in rows:
            found = self._cache.get(lower)
            if found is None:
                found = self._cache[lower] = self.classify(self._strings[lower])
            tests.append(found)
        hits: list[Hit] = []
        for i, found in enumerate(tests):
            for eid in found:
                for rule in self.starts.get(eid, ()):
                    n = len(rule.elements)
                    if n > 1 and not (i + n <= len(tests) and all(
                            rule.elements[k] in tests[i + k] for k in range(1, n))):
                        continue
                    start, end = rows[i][1], rows[i + n - 1][1] + rows[i + n - 1][2]
                    hits.append(Hit(rule, start, end, text[start:end].lower()))
        for rule in self.regex_rules:
            for match in rule.pattern.regex.finditer(text):
                if match.end() > match.start():
                    hits.append(Hit(rule, match.start(), match.end(), match.group(0).lower()))
        return hits

    def code_segments(self, segments: list[Segment], min_score: float = 1.0) -> list[Coding]:
        codings: list[Coding] = []
        docs = self._tokenizer.pipe(s.text for s in segments)
        for segment, doc in zip(segments, docs):
            codings.extend(self._code_one(segment, self.hits(segment.text, doc), min_score))
        return codings

    def _code_one(self, segment: Segment, hits: list[Hit], min_score: float) -> list[Coding]:
        by_code: dict[int, list[Hit]] = defaultdict(list)
        for hit in hits:
            by_code[hit.rule.code].append(hit)
        codings = []
        for index in sorted(by_code):
            code_hits = by_code[index]
            excluded = [h for h in code_hits if h.rule.exclude]
            kept = [h for h in code_hits if not h.rule.exclude
                    and not any(x.start < h.end and h.start < x.end for x in excluded)]
            score = float(_distinct_spans(kept))
            if not kept or score < min_score:
                continue
            kept.sort(key=lambda h: (h.start, self._order[h.rule]))
            first: dict[str, Hit] = {}
            for hit in kept:
                first.setdefault(hit.term, hit)
            evidence = [f"{h.term} <- {h.rule.pattern.raw}" for h in first.values()]
            code = self.codes[index]
            codings.append(Coding(
                document=segment.document, case=segment.case, speaker=segment.speaker,
                segment=segment.index, start=segment.start, end=segment.end, group=code.group,
                code=code.name, source="auto", score=score, evidence="; ".join(evidence), text=segment.text,
            ))
        return codings


def _distinct_spans(hits: list[Hit]) -> int:
    """How many separate stretches of text the hits cover; overlapping hits count once."""
    count, reach = 0, -1
    for start, end in sorted((h.start, h.end) for h in hits):
        if start >= reach:
            count += 1
        reach = max(reach, end)
    return count
