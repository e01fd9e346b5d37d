"""Codes (or groups) applied to the same segment: counts and the c-coefficient, linear in the codings."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from icap_coder.model import Coding


@dataclass
class Pair:
    a: str
    b: str
    together: int  # segments coded with both
    count_a: int
    count_b: int

    @property
    def c(self) -> float:
        """The c-coefficient: together / (a + b - together), 0..1."""
        union = self.count_a + self.count_b - self.together
        return round(self.together / union, 3) if union else 0.0


class Cooccurrence:
    """Counted one document at a time: memory grows with the number of codes, not of codings."""

    def __init__(self, level: str = "code"):
        self.level = level
        self.counts: Counter[str] = Counter()
        self.together: Counter[tuple[str, str]] = Counter()

    def add(self, *args: Any) -> None:
        """The codings of one document: `add(codings)`, or as a stream consumer `add(document, codings, base)`."""
        codings: list[Coding] = args[0] if len(args) == 1 else args[1]
        per_segment: dict[tuple[str, int], set[str]] = defaultdict(set)
        for coding in codings:
            per_segment[(coding.document, coding.segment)].add(
                coding.group if self.level == "group" else f"{coding.group}/{coding.code}")
        for labels in per_segment.values():
            ordered = sorted(labels)
            self.counts.update(ordered)
            self.together.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:])

    def pairs(self) -> list[Pair]:
        found = [Pair(a, b, n, self.counts[a], self.counts[b]) for (a, b), n in self.together.items()]
        return sorted(found, key=lambda p: (-p.c, -p.together, p.a, p.b))


def cooccurrence(codings: list[Coding], level: str = "code") -> list[Pair]:
    """Pairs of codes (or groups) applied to the same segment; linear in the codings."""
    counter = Cooccurrence(level)
    counter.add(codings)
    return counter.pairs()
