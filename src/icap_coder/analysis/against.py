"""A study's own coding as the check set: the person's decisions against what the rules code.

Every segment a person decided on (coded, confirmed or rejected a code, by a marker or in the
tags file) becomes a check item: the person's codes are the gold codes, the element of the
first of them (in codebook order) is the person's element, and a segment where the person
only rejected codes belongs to no element. The rules' codings of the same segments, without
the person's decisions, are the predictions. Segments nobody decided on are left out: they
say nothing about agreement.
"""

from __future__ import annotations

from icap_coder.analysis.evaluate import NONE, CheckItem, Prediction
from icap_coder.model import Codebook, Coding, Segment


def from_study(codebook: Codebook, segments: list[Segment], merged: list[Coding], rejections: list[dict[str, object]],
               auto: list[Coding]) -> tuple[list[CheckItem], list[Prediction]]:
    order = {code.path: n for n, code in enumerate(codebook.codes())}
    known = {code.path: code for code in codebook.codes() if not code.inductive}
    manual: dict[tuple[str, int], list[str]] = {}
    for c in merged:
        if c.source == "manual":
            manual.setdefault((c.document, c.segment), []).append(f"{c.group}/{c.code}")
    decided = set(manual) | {(str(r["document"]), int(str(r["segment"]))) for r in rejections}
    rules: dict[tuple[str, int], list[Coding]] = {}
    for c in auto:
        rules.setdefault((c.document, c.segment), []).append(c)
    items, predictions = [], []
    for s in segments:
        key = (s.document, s.index)
        if key not in decided:
            continue
        paths = sorted((p for p in manual.get(key, []) if p in known), key=lambda p: order[p])
        group = known[paths[0]].group if paths else NONE
        items.append(CheckItem(f"{s.document}#{s.index}", s.language, s.text, {known[p].name for p in paths}, group))
        found = rules.get(key, [])
        primary = next((c for c in found if c.primary), None)
        predictions.append(Prediction({c.code for c in found}, primary.group if primary else NONE,
                                      primary.code if primary else ""))
    return items, predictions
