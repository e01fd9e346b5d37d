"""What was said: the evidence terms of codings, the best quotes, and excerpts around the match."""

from __future__ import annotations

import re
from collections import Counter

from icap_coder.model import Coding


def top_terms(codings: list[Coding], n: int = 5) -> list[tuple[str, int]]:
    terms: Counter = Counter()
    for coding in codings:
        for term in evidence_terms(coding):
            terms[term] += 1
    return terms.most_common(n)


def evidence_terms(coding: Coding) -> list[str]:
    return [part.split(" <- ")[0].strip() for part in coding.evidence.split("; ") if " <- " in part]


def best_quotes(codings: list[Coding], n: int = 3) -> list[Coding]:
    """The most informative codings first: confirmed by a person, then the strongest
    keyword evidence, then segments of a readable length; one per respondent where possible."""
    def rank(c: Coding) -> tuple:
        length = len(c.text)
        return (c.source != "manual", -c.score, abs(length - 220) // 80, c.document, c.segment)

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
    terms = evidence_terms(coding)
    at = min((m.start() for t in terms for m in [re.search(re.escape(t), text, re.IGNORECASE)] if m), default=0)
    start = max(0, min(at - width // 3, len(text) - width))
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = text.find(" ", start + width)
    end = len(text) if end == -1 else end
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
