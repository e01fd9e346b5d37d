"""Find a tagged quote again after the transcript was edited.

Offsets alone break on the first correction of a transcript, so a tag keeps
its quote and a little context. Order of trust: the recorded offsets still
hold the quote (`exact`); the quote occurs once elsewhere, or several times
and the context picks one (`moved`); an approximate match of at least
FUZZY_MIN similarity (`fuzzy`, reported with its similarity); else
`ambiguous` (several equally good places) or `orphan` (gone). A tag is never
attached to text that merely resembles it by less than FUZZY_MIN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

FUZZY_MIN = 0.8
CONTEXT = 40  # characters of context kept on each side of a quote


@dataclass
class Anchor:
    status: str  # exact | moved | fuzzy | ambiguous | orphan
    start: int = -1
    end: int = -1
    similarity: float = 1.0
    candidates: list[tuple[int, int]] = field(default_factory=list)

    @property
    def placed(self) -> bool:
        return self.status in ("exact", "moved", "fuzzy")


def context_of(text: str, start: int, end: int) -> tuple[str, str]:
    return text[max(0, start - CONTEXT):start], text[end:end + CONTEXT]


def occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    found, at = [], text.find(quote)
    while at != -1 and quote:
        found.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    return found


def anchor(text: str, quote: str, start: int | None = None, end: int | None = None,
           before: str = "", after: str = "") -> Anchor:
    if not quote.strip():
        return Anchor("orphan")
    if start is not None and end is not None and text[start:end] == quote:
        return Anchor("exact", start, end)
    places = occurrences(text, quote)
    if len(places) == 1:
        return Anchor("exact" if start is None else "moved", *places[0])
    if len(places) > 1:
        return _pick(text, places, start, before, after)
    return _fuzzy(text, quote)


def _pick(text: str, places: list[tuple[int, int]], start: int | None, before: str, after: str) -> Anchor:
    """Several exact occurrences: the recorded context must single one out."""
    if not (before or after):
        return Anchor("ambiguous", candidates=places)

    def fit(place: tuple[int, int]) -> float:
        seen_before, seen_after = context_of(text, *place)
        return (SequenceMatcher(None, seen_before[-len(before):] if before else "", before).ratio()
                + SequenceMatcher(None, seen_after[:len(after)], after).ratio())

    scored = sorted(((fit(p), p) for p in places), reverse=True)
    best, runner_up = scored[0][0], scored[1][0]
    if best - runner_up < 0.2:
        return Anchor("ambiguous", candidates=places)
    status = "exact" if start is not None and scored[0][1][0] == start else "moved"
    return Anchor(status, *scored[0][1])


def _fuzzy(text: str, quote: str) -> Anchor:
    """The stretch from the first to the last piece of the quote that survived the edit.

    Located around the quote's longest surviving piece; insertions, deletions and
    changed words inside the quote stay inside the stretch, so it covers the
    whole passage rather than the best-scoring fragment of it.
    """
    longest = SequenceMatcher(None, text, quote, autojunk=False).find_longest_match(0, len(text), 0, len(quote))
    if longest.size < min(12, max(4, len(quote) // 3)):
        return Anchor("orphan")
    centre = longest.a - longest.b
    lo, hi = max(0, centre - len(quote) // 2), min(len(text), centre + len(quote) * 3 // 2)
    blocks = [b for b in SequenceMatcher(None, text[lo:hi], quote, autojunk=False).get_matching_blocks()
              if b.size >= 3]
    if not blocks:
        return Anchor("orphan")
    first, last = blocks[0], blocks[-1]
    start = max(0, lo + first.a - first.b)
    end = min(len(text), lo + last.a + last.size + (len(quote) - last.b - last.size))
    start, end = _snap(text, start, end)
    ratio = SequenceMatcher(None, text[start:end], quote, autojunk=False).ratio()
    if ratio < FUZZY_MIN:
        return Anchor("orphan", similarity=round(ratio, 3))
    return Anchor("fuzzy", start, end, similarity=round(ratio, 3))


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen to whole words and trim white space, so a quote never starts mid-word."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and end > 0 and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    chunk = text[start:end]
    start += len(chunk) - len(chunk.lstrip())
    return start, start + len(chunk.strip())


def locate(text: str, quote: str) -> list[tuple[int, int]]:
    """Where a quote a person typed occurs: exact first, else white-space-insensitive."""
    found = occurrences(text, quote)
    if found:
        return found
    pattern = r"\s+".join(re.escape(word) for word in quote.split())
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)] if pattern else []


def anchor_fields(text: str, start: int, end: int) -> dict:
    before, after = context_of(text, start, end)
    return {"start": start, "end": end, "before": before, "after": after}
