"""Manual codings (inline markers, the tags file) merged with the automatic ones.

- `code` (a marker, or a tag entry) adds a coding with source `manual`;
- `confirm` marks an automatic coding as checked by a person (source `manual`);
- `reject` removes an automatic coding; the summary counts how many.
A manual coding of a code the rules also found keeps one row: source `manual`,
with the rule's evidence after the person's.
Codes not in the codebook are inductive: `Group/Code` files them under that
group, a bare name or `Overig/...` under the codebook's group of inductive
codes (Aanvullend in the thesis codebook).
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from icap_coder.errors import IcapError
from icap_coder.ingest.markers import Marker
from icap_coder.manual.anchor import anchor
from icap_coder.manual.tagsfile import Tag
from icap_coder.model import Codebook, CodeGroup, Coding, Document, Segment


@dataclass
class ManualCounts:
    manual: int = 0  # manual codings in the output (added or confirmed)
    rejected: int = 0  # automatic codings removed by a person
    rejections: list[dict[str, Any]] = field(default_factory=list)  # which, and by whom: for the manifest

    def add(self, other: ManualCounts) -> None:
        self.manual += other.manual
        self.rejected += other.rejected
        self.rejections.extend(other.rejections)


def inductive_group(codebook: Codebook) -> str:
    for group in codebook.groups:
        if any(code.inductive for code in group.codes):
            return group.name
    return "Aanvullend"


def resolve_code(codebook: Codebook, name: str) -> tuple[str, str, bool]:
    """A code as written by a person -> (group, code, in the codebook?)."""
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    codes = codebook.codes()
    for code in codes:
        if name.lower() in (code.name.lower(), code.path.lower()):
            return code.group, code.name, True
    if "/" in name:
        head, tail = name.split("/", 1)
        for group in codebook.groups:
            if group.name.lower() == head.lower():
                return group.name, tail.strip(), False
        for code in codes:  # Overig/aanbestedingsrecht: a new code filed under an existing one
            if code.name.lower() == head.lower():
                return code.group, f"{code.name}/{tail.strip()}", False
    return inductive_group(codebook), name, False


def closest_codes(codebook: Codebook, name: str, n: int = 3) -> list[str]:
    """The codebook codes (as Group/Code) whose name or path looks most like `name`, for a typo."""
    wanted = " ".join(name.split()).lower()
    keys: dict[str, str] = {}
    for code in codebook.codes():
        keys.setdefault(code.name.lower(), code.path)
        keys.setdefault(code.path.lower(), code.path)
    found = difflib.get_close_matches(wanted, list(keys), n=2 * n, cutoff=0.75)
    return list(dict.fromkeys(keys[key] for key in found))[:n]


def group_named(codebook: Codebook, name: str) -> CodeGroup | None:
    return next((g for g in codebook.groups if g.name.lower() == " ".join(name.split()).lower()), None)


def is_sub_code(codebook: Codebook, name: str) -> bool:
    """`Overig/aanbestedingsrecht`: a new code filed under an existing one, written on purpose."""
    head = name.split("/", 1)[0].strip().lower() if "/" in name else ""
    return bool(head) and any(code.name.lower() == head for code in codebook.codes())


def check_code(codebook: Codebook, name: str, new: bool = False) -> None:
    """Refuse a code that is not in the codebook unless it is asked for as new (a typo must not become a code)."""
    if resolve_code(codebook, name)[2]:
        return
    group = group_named(codebook, name)
    if group is not None:
        raise IcapError(f"'{name}' is a code group, not a code; its codes: "
                        + ", ".join(code.name for code in group.codes))
    if new or is_sub_code(codebook, name):
        return
    close = closest_codes(codebook, name)
    raise IcapError(f"'{name}' is not a code of the codebook" + (f"; closest: {', '.join(close)}" if close else "")
                    + "; a new inductive code needs --new (or write it under an existing code, as Overig/NAME)")


SUGGESTION_MEMO = "a suggestion by meaning"  # on a review's tag, so a run without --semantic knows what it decided


def typo_note(codebook: Codebook, name: str) -> str:
    """For a code outside the codebook that looks like a slip of the pen: what it resembles ("" otherwise)."""
    if resolve_code(codebook, name)[2] or is_sub_code(codebook, name):
        return ""
    if group_named(codebook, name) is not None:
        return f"'{name}' is a code group, not a code"
    close = closest_codes(codebook, name, 1)
    return f"did you mean {close[0]}?" if close else ""


def merge(document: Document, segments: list[Segment], auto: list[Coding], markers: list[Marker], tags: list[Tag],
          codebook: Codebook, tags_file: str = "tags.yaml") -> tuple[list[Coding], ManualCounts, list[str]]:
    """-> (all codings of the document, counts, warnings about tags that moved or could not be placed)."""
    counts = ManualCounts()
    warnings: list[str] = []
    rows: dict[tuple[int, str, str], Coding] = {(c.segment, c.group, c.code): c for c in auto}

    noted: set[tuple[str, str]] = set()

    def add(segment: Segment, code_name: str, evidence: str, where: str) -> None:
        group, code, known = resolve_code(codebook, code_name)
        note = "" if known else typo_note(codebook, code_name)
        if note and (where, code_name) not in noted:
            noted.add((where, code_name))
            warnings.append(f"{where}: '{code_name}' is not in the codebook; coded as a new inductive code "
                            f"({note})")
        key = (segment.index, group, code)
        if key in rows and rows[key].source == "auto":
            evidence = f"{evidence}; auto: {rows[key].evidence}"
        elif key in rows and rows[key].suggested:  # a suggestion by meaning, accepted
            evidence = f"{evidence}; {rows[key].evidence}"
            rows[key] = replace(rows[key], score=1.0)
        elif key in rows:  # the same coding by another marker or person: one row that names each of them
            if evidence not in rows[key].evidence.split("; "):
                rows[key] = replace(rows[key], evidence=f"{rows[key].evidence}; {evidence}")
            return
        confirmed = rows.get(key)
        rows[key] = Coding(document.path, document.case, segment.speaker, segment.index, segment.start,
                           segment.end, group, code, "manual", confirmed.score if confirmed else 1.0, evidence,
                           segment.text, confirmed.primary if confirmed else False)

    places = _Places(segments)
    for marker in markers:
        segment = places.of_marker(marker)
        if segment is None:
            warnings.append(f"{document.path}:{marker.line}: marker [#{marker.code}] stands by no coded text; "
                            "not applied: put it at the end of the turn it codes")
            continue
        add(segment, marker.code, f"[#{marker.code}] at line {marker.line}", f"{document.path}:{marker.line}")
    for tag in tags:
        where = f"{tags_file}:{tag.line}"
        found = anchor(document.text, tag.quote, tag.start, tag.end, tag.before, tag.after)
        if found.status == "moved":
            warnings.append(f"{where}: quote found at {found.start}-{found.end} (was {tag.start}-{tag.end}); "
                            "the transcript changed around it (`icap tags check --update` records the new place)")
        elif found.status == "approximate":
            warnings.append(f"{where}: quote '{short(tag.quote)}' not found as written in {document.path}; the "
                            f"closest text is '{short(document.text[found.start:found.end])}' ({found.changes}); "
                            "not applied until you confirm it (`icap tags check`)")
            continue
        elif found.status == "ambiguous":
            warnings.append(f"{where}: quote occurs {len(found.candidates)} times in {document.path}; "
                                   "not applied: add start/end offsets to the entry")
            continue
        elif found.status == "orphan":
            warnings.append(f"{where}: quote '{short(tag.quote)}' no longer in {document.path}; "
                                   "not applied (orphan): fix or remove the entry")
            continue
        for segment in places.overlapping(found.start, found.end):
            if tag.action == "reject":
                group, code, _ = resolve_code(codebook, tag.code)
                removed = rows.pop((segment.index, group, code), None)
                if removed is not None and removed.source == "auto":
                    counts.rejected += 1
                    counts.rejections.append({"document": document.path, "segment": segment.index,
                                              "group": group, "code": code,
                                              "evidence": removed.evidence,
                                              "by": f"{tag.coder or 'unknown'} ({where})"})
                elif removed is not None and removed.suggested:
                    pass  # a suggestion by meaning, turned down: it is not made again
                elif removed is not None:
                    rows[(segment.index, group, code)] = removed  # a person's coding is not rejected by rule
                elif not tag.memo.startswith(SUGGESTION_MEMO):  # suggestions are off in this run: nothing to say
                    warnings.append(f"{where}: nothing to reject: '{tag.code}' was not coded there")
            else:
                verb = "confirmed" if tag.action == "confirm" else "tagged"
                who = f" by {tag.coder}" if tag.coder else ""
                add(segment, tag.code, f"{verb}{who} ({where})" + (f": {tag.memo}" if tag.memo else ""), where)
    _repick_primaries(rows, {c.segment for c in auto if c.primary})
    order = {code.path: n for n, code in enumerate(codebook.codes())}
    merged = sorted(rows.values(), key=lambda c: (c.segment, order.get(f"{c.group}/{c.code}", len(order)), c.code))
    counts.manual = sum(1 for c in merged if c.source == "manual")
    return merged, counts, warnings


def _repick_primaries(rows: dict[tuple[int, str, str], Coding], had_primary: set[int]) -> None:
    """A segment whose primary code a person rejected gets the strongest of its remaining rule codings."""
    with_primary = {key[0] for key, coding in rows.items() if coding.primary}
    for segment in had_primary - with_primary:
        candidates = [(key, c) for key, c in rows.items() if key[0] == segment and ("<-" in c.evidence)]
        if candidates:
            key, best = min(candidates, key=lambda kc: (-kc[1].score, -kc[1].evidence.count("<-"),
                                                         f"{kc[1].group}/{kc[1].code}"))
            rows[key] = replace(best, primary=True)


class _Places:
    """Which segments stand where: segments are in text order and do not overlap, so a lookup is a bisection
    (40,000 markers in one transcript take milliseconds, not minutes)."""

    def __init__(self, segments: list[Segment]):
        self.segments = sorted(segments, key=lambda s: s.start)
        self.starts = [s.start for s in self.segments]

    def _before(self, position: int) -> int:
        return bisect.bisect_right(self.starts, position) - 1  # the last segment starting at or before it

    def of_marker(self, marker: Marker) -> Segment | None:
        """The segment a marker stands in; else, for a marker alone on its line, the segment above it, and for
        a marker at the start of a line (`[#Code] R1: ...`), the segment that follows on that line."""
        i = self._before(marker.position)
        if i >= 0 and self.segments[i].end >= marker.position:
            return self.segments[i]
        if marker.alone:
            return self.segments[i] if i >= 0 else None
        return self.segments[i + 1] if i + 1 < len(self.segments) else None

    def overlapping(self, start: int, end: int) -> list[Segment]:
        """Segments overlapping [start, end)."""
        found = []
        for segment in self.segments[max(0, self._before(start)):]:
            if segment.start >= end:
                break
            if start < segment.end:
                found.append(segment)
        return found


@dataclass(frozen=True)
class Contribution:
    """One person's part in a manual coding, read back from its evidence (as `merge` writes it)."""

    kind: str  # tagged | confirmed | marker
    coder: str  # "" when the entry names none; "inline markers" for a marker
    where: str  # tags-file:line, or the marker's line
    memo: str = ""


MARKER_CODER = "inline markers"
_PART = re.compile(r"; (?=tagged\b|confirmed\b|\[#|auto: )")
_TAGGED = re.compile(r"^(?P<verb>tagged|confirmed)(?: by (?P<coder>.*?))? \((?P<where>[^()]*)\)(?:: (?P<memo>.*))?$",
                     re.DOTALL)
_MARKER = re.compile(r"^\[#[^\]]*\] at line (?P<line>\d+)$")


def contributions(evidence: str) -> list[Contribution]:
    """Who made a manual coding: each tag entry and marker its evidence names, in order."""
    found = []
    for part in _PART.split(evidence):
        tagged, marker = _TAGGED.match(part), _MARKER.match(part)
        if tagged:
            found.append(Contribution(tagged["verb"], tagged["coder"] or "", tagged["where"], tagged["memo"] or ""))
        elif marker:
            found.append(Contribution("marker", MARKER_CODER, f"line {marker['line']}"))
    return found


def short(text: str, limit: int = 60) -> str:
    """A quote shortened for a one-line message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
