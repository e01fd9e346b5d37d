"""What was said: the evidence terms of codings, the best quotes, and excerpts around the match."""

from __future__ import annotations

import heapq
import re
from collections import Counter
from typing import Any

from icap_coder.model import Coding


def top_terms(codings: list[Coding], n: int = 5) -> list[tuple[str, int]]:
    terms: Counter = Counter()
    for coding in codings:
        for term in coding.terms:
            terms[term] += 1
    return terms.most_common(n)


def rank(c: Coding) -> tuple[Any, ...]:
    """Smaller is better: confirmed by a person, then the strongest keyword evidence, then a readable length."""
    return (c.source != "manual", -c.score, abs(len(c.text) - 220) // 80, c.document, c.segment)


class QuoteKeeper:
    """The best candidate quotes of one cell, kept while documents stream past: at most `keep` of them, plus
    the best of each of the `keep` best documents, so picking one per respondent still works at the end."""

    def __init__(self, keep: int):
        self.keep = keep
        self.best: list[tuple[Any, ...]] = []  # heaps of (negated rank, tie, coding): the worst on top
        self.per_document: list[tuple[Any, ...]] = []

    def add(self, codings: list[Coding]) -> None:
        """Candidates from one document."""
        if not codings:
            return
        for coding in codings:
            self._push(self.best, coding)
        self._push(self.per_document, min(codings, key=rank))

    def _push(self, heap: list[tuple[Any, ...]], coding: Coding) -> None:
        entry = (_Worse(rank(coding)), id(coding), coding)
        if len(heap) < self.keep:
            heapq.heappush(heap, entry)
        elif entry[0] > heap[0][0]:
            heapq.heapreplace(heap, entry)

    def candidates(self) -> list[Coding]:
        """Best first, without repeats."""
        found = {(c.document, c.segment): c for _, _, c in self.best + self.per_document}
        return sorted(found.values(), key=rank)


class _Worse:
    """A rank whose order is reversed, so a min-heap keeps the worst of the best on top."""

    def __init__(self, key: tuple[Any, ...]):
        self.key = key

    def __lt__(self, other: _Worse) -> bool:
        return self.key > other.key

    def __gt__(self, other: _Worse) -> bool:
        return self.key < other.key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Worse) and self.key == other.key


def best_quotes(codings: list[Coding], n: int = 3) -> list[Coding]:
    """The most informative codings first (see `rank`); one per respondent where possible."""
    chosen, seen = [], set()
    for coding in sorted(codings, key=rank):
        if coding.document not in seen:
            chosen.append(coding)
            seen.add(coding.document)
        if len(chosen) == n:
            return chosen
    rest = [c for c in sorted(codings, key=rank) if c not in chosen]
    return chosen + rest[:n - len(chosen)]


def excerpt(coding: Coding, width: int = 320) -> str:
    """The segment, or a window of it around the first matched term, with ellipses where cut."""
    text = " ".join(coding.text.split())
    if len(text) <= width:
        return text
    terms = coding.terms
    at = min((m.start() for t in terms for m in [re.search(re.escape(t), text, re.IGNORECASE)] if m), default=0)
    start = max(0, min(at - width // 3, len(text) - width))
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = text.find(" ", start + width)
    end = len(text) if end == -1 else end
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def marks(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the matched words stand in `text`: sorted, non-overlapping (start, end) spans, for highlighting.

    A term is found case-insensitively at word boundaries; a term the text does not hold as written (a lemma
    matched through an inflected form) is simply not marked.
    """
    spans = sorted({(m.start(), m.end()) for term in set(terms) if term.strip()
                    for m in re.finditer(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE)},
                   key=lambda span: (span[0], -span[1]))
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if kept and start < kept[-1][1]:
            continue  # inside a longer match ("stip op de horizon" over "horizon")
        kept.append((start, end))
    return kept


def pieces(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """`text` cut at the `marks` spans: (part, marked?) in order, what every renderer highlights from."""
    parts, at = [], 0
    for start, end in spans:
        if start > at:
            parts.append((text[at:start], False))
        parts.append((text[start:end], True))
        at = end
    if at < len(text):
        parts.append((text[at:], False))
    return parts
