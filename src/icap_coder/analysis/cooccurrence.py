"""Codes (or groups) applied to the same segment: counts and the c-coefficient, linear in the codings."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

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


def cooccurrence(codings: list[Coding], level: str = "code") -> list[Pair]:
    """Pairs of codes (or groups) applied to the same segment; linear in the codings."""
    per_segment: dict[tuple[str, int], set[str]] = defaultdict(set)
    for coding in codings:
        per_segment[(coding.document, coding.segment)].add(
            coding.group if level == "group" else f"{coding.group}/{coding.code}")
    counts: Counter = Counter()
    together: Counter = Counter()
    for labels in per_segment.values():
        ordered = sorted(labels)
        counts.update(ordered)
        together.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:])
    pairs = [Pair(a, b, n, counts[a], counts[b]) for (a, b), n in together.items()]
    return sorted(pairs, key=lambda p: (-p.c, -p.together, p.a, p.b))
