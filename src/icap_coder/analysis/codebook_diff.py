"""What a codebook change does to the coding: which segments gain or lose which codes.

Two codebooks' automatic codings of the same segments, compared segment by segment, so a
keyword change is reviewed on real transcripts before it is kept.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from icap_coder.model import Coding, Segment


@dataclass
class Change:
    document: str
    segment: int
    speaker: str
    text: str
    gained: list[str] = field(default_factory=list)  # Group/Code
    lost: list[str] = field(default_factory=list)
    primary_before: str = ""
    primary_after: str = ""


@dataclass
class Diff:
    changes: list[Change]
    gained: Counter[str]  # per code: segments that gain it
    lost: Counter[str]
    segments: int  # segments compared


def diff(segments: list[Segment], before: list[Coding], after: list[Coding]) -> Diff:
    def per_segment(codings: list[Coding]) -> tuple[dict[tuple[str, int], set[str]], dict[tuple[str, int], str]]:
        codes: dict[tuple[str, int], set[str]] = {}
        primary: dict[tuple[str, int], str] = {}
        for c in codings:
            codes.setdefault((c.document, c.segment), set()).add(f"{c.group}/{c.code}")
            if c.primary:
                primary[(c.document, c.segment)] = f"{c.group}/{c.code}"
        return codes, primary

    old, old_primary = per_segment(before)
    new, new_primary = per_segment(after)
    changes, gained, lost = [], Counter[str](), Counter[str]()
    for s in segments:
        key = (s.document, s.index)
        plus = sorted(new.get(key, set()) - old.get(key, set()))
        minus = sorted(old.get(key, set()) - new.get(key, set()))
        if plus or minus or old_primary.get(key, "") != new_primary.get(key, ""):
            changes.append(Change(s.document, s.index, s.speaker, s.text, plus, minus, old_primary.get(key, ""),
                                  new_primary.get(key, "")))
            gained.update(plus)
            lost.update(minus)
    return Diff(changes, gained, lost, len(segments))
