"""Codes people used that the codebook does not have, with how often: candidates to promote into it."""

from __future__ import annotations

from typing import Any

from icap_coder.manual.merge import closest_codes, is_sub_code
from icap_coder.model import Codebook, Coding


def inductive_codes(codebook: Codebook, codings: list[Coding]) -> list[dict[str, Any]]:
    """One row per (group, code) outside the codebook: segments and documents coded with it, and the codebook
    code it looks like when it may be a typo (such codes are not promoted)."""
    known = {(c.group, c.name) for c in codebook.codes()}
    found: dict[tuple[str, str], set[tuple[str, int]]] = {}
    for coding in codings:
        if (coding.group, coding.code) not in known:
            found.setdefault((coding.group, coding.code), set()).add((coding.document, coding.segment))
    return [{"group": g, "code": c, "segments": len(s), "documents": len({d for d, _ in s}),
             "looks_like": _looks_like(codebook, c)} for (g, c), s in sorted(found.items())]


def _looks_like(codebook: Codebook, name: str) -> str:
    """The codebook code an unknown code resembles, if it looks like a slip of the pen."""
    if is_sub_code(codebook, name):
        return ""
    close = closest_codes(codebook, name, 1)
    return close[0] if close else ""
