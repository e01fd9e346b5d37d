"""Find a tagged quote again after the transcript was edited, without ever moving a person's tag silently.

A tag keeps its quote, its offsets and a little context on each side. Each is
evidence; none is trusted alone:

- `exact`: the quote stands at its recorded offsets, and the context recorded
  with it fits there at least as well as anywhere else;
- `moved`: the quote, word for word, stands elsewhere: once, or several times
  and the context picks one clearly (two identical answers that swap places
  follow their questions);
- `approximate`: the quote is gone, but a stretch with most of its words is
  there. It may say something else ("geen geld" -> "geen tijd", "Ja" -> "Nee",
  "we werken niet in kokers"), so it is *not applied* until a person confirms
  it (`icap tags check --accept`); `changes` lists the words that differ;
- `ambiguous` (several places, nothing to choose by) or `orphan` (gone).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

APPROXIMATE_MIN = 0.6  # share of words in common below which a stretch is not even proposed
CONTEXT = 40  # characters of context kept on each side of a quote
CLEAR_MARGIN = 0.2  # how much better the context must fit one place than any other
WORD = re.compile(r"\w+(?:['’-]\w+)*")


@dataclass
class Anchor:
    status: str  # exact | moved | approximate | ambiguous | orphan
    start: int = -1
    end: int = -1
    similarity: float = 1.0  # share of the quote's words found, for approximate
    candidates: list[tuple[int, int]] = field(default_factory=list)
    changes: str = ""  # for approximate: the words that differ, e.g. "'geld' -> 'tijd'; +'niet'"

    @property
    def placed(self) -> bool:
        """Applied to the text without asking: only when the quote stands there word for word."""
        return self.status in ("exact", "moved")


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
    quote = unicodedata.normalize("NFC", quote)
    places = occurrences(text, quote)
    if places:
        return _choose(text, places, start, before, after)
    return _approximate(text, quote)


def _fit(text: str, place: tuple[int, int], before: str, after: str) -> float:
    """How well the recorded context matches the text around a place: 0 (not at all) to 2.

    Half of it is how far the text right next to the quote is unchanged (the
    strongest evidence), half how similar the context is as a whole.
    """
    seen_before, seen_after = context_of(text, *place)
    score = 0.0
    if before:
        adjacent = len(_common_prefix(seen_before[::-1], before[::-1])) / len(before)
        score += (adjacent + SequenceMatcher(None, seen_before[-len(before):], before, autojunk=False).ratio()) / 2
    if after:
        adjacent = len(_common_prefix(seen_after, after)) / len(after)
        score += (adjacent + SequenceMatcher(None, seen_after[:len(after)], after, autojunk=False).ratio()) / 2
    return score


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _choose(text: str, places: list[tuple[int, int]], start: int | None, before: str, after: str) -> Anchor:
    recorded = next((p for p in places if p[0] == start), None)
    if not (before or after):  # no context to weigh: the recorded offsets, or the only place
        if recorded is not None:
            return Anchor("exact", *recorded)
        if len(places) == 1:
            return Anchor("exact" if start is None else "moved", *places[0])
        return Anchor("ambiguous", candidates=places)
    scored = sorted(((_fit(text, p, before, after), p) for p in places), reverse=True)
    best_fit, best = scored[0]
    if recorded is not None and _fit(text, recorded, before, after) >= best_fit - CLEAR_MARGIN / 2:
        return Anchor("exact", *recorded)
    if len(scored) == 1 or best_fit - scored[1][0] >= CLEAR_MARGIN:
        return Anchor("exact" if start is None and len(places) == 1 else "moved", *best)
    return Anchor("ambiguous", candidates=places)


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def _approximate(text: str, quote: str) -> Anchor:
    """The stretch with most of the quote's words, proposed for a person to confirm; never applied alone."""
    span = _nearest_stretch(text, quote)
    if span is None:
        return Anchor("orphan")
    found, wanted = words(text[span[0]:span[1]]), words(quote)
    matcher = SequenceMatcher(None, wanted, found, autojunk=False)
    similarity = round(2 * sum(b.size for b in matcher.get_matching_blocks()) / (len(wanted) + len(found)), 3)
    if similarity < APPROXIMATE_MIN or not found:
        return Anchor("orphan", similarity=similarity)
    return Anchor("approximate", *span, similarity=similarity, changes=_changes(matcher, wanted, found))


def _nearest_stretch(text: str, quote: str) -> tuple[int, int] | None:
    """From the first to the last piece of the quote that survived, around its longest surviving piece."""
    longest = SequenceMatcher(None, text, quote, autojunk=False).find_longest_match(0, len(text), 0, len(quote))
    if longest.size < min(12, max(4, len(quote) // 3)):
        return None
    centre = longest.a - longest.b
    lo, hi = max(0, centre - len(quote) // 2), min(len(text), centre + len(quote) * 3 // 2)
    blocks = [b for b in SequenceMatcher(None, text[lo:hi], quote, autojunk=False).get_matching_blocks()
              if b.size >= 3]
    if not blocks:
        return None
    first, last = blocks[0], blocks[-1]
    begin = max(0, lo + first.a - first.b)
    finish = min(len(text), lo + last.a + last.size + (len(quote) - last.b - last.size))
    begin, finish = _snap(text, begin, finish)
    return (begin, finish) if finish > begin else None


def _changes(matcher: SequenceMatcher[str], wanted: list[str], found: list[str]) -> str:
    parts = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "replace":
            parts.append(f"'{' '.join(wanted[a1:a2])}' -> '{' '.join(found[b1:b2])}'")
        elif op == "delete":
            parts.append(f"-'{' '.join(wanted[a1:a2])}'")
        elif op == "insert":
            parts.append(f"+'{' '.join(found[b1:b2])}'")
    return "; ".join(parts) or "punctuation or spacing only"


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


def anchor_fields(text: str, start: int, end: int) -> dict[str, Any]:
    before, after = context_of(text, start, end)
    return {"start": start, "end": end, "before": before, "after": after}
