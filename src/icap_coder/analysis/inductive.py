"""Codes people used that the codebook does not have, with how often: candidates to promote into it."""

from __future__ import annotations

from typing import Any

from icap_coder.model import Codebook, Coding


def inductive_codes(codebook: Codebook, codings: list[Coding]) -> list[dict[str, Any]]:
    """One row per (group, code) outside the codebook: segments and documents coded with it."""
    known = {(c.group, c.name) for c in codebook.codes()}
    found: dict[tuple[str, str], set[tuple[str, int]]] = {}
    for coding in codings:
        if (coding.group, coding.code) not in known:
            found.setdefault((coding.group, coding.code), set()).add((coding.document, coding.segment))
    return [{"group": g, "code": c, "segments": len(s), "documents": len({d for d, _ in s})}
            for (g, c), s in sorted(found.items())]
