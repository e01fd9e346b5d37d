"""The output contract of DESIGN.md: column names and row shapes, in one place."""

from __future__ import annotations

from icap_coder.model import Coding, Segment

SEGMENT_COLUMNS = ["document", "case", "speaker", "segment", "unit", "start", "end", "language", "text"]
CODING_COLUMNS = ["document", "case", "speaker", "segment", "start", "end", "group", "code", "source", "score",
                  "evidence", "text", "primary"]  # columns are only ever added at the end


def segment_row(segment: Segment) -> list:
    return [segment.document, segment.case, segment.speaker, segment.index, segment.unit, segment.start,
            segment.end, segment.language, segment.text]


def coding_row(coding: Coding) -> list:
    return [coding.document, coding.case, coding.speaker, coding.segment, coding.start, coding.end, coding.group,
            coding.code, coding.source, _number(coding.score), coding.evidence, coding.text, int(coding.primary)]


def coding_record(coding: Coding) -> dict:
    return row_record(coding_row(coding))


def row_record(row: list) -> dict:
    """A coding's row (`coding_row`) as its JSON record: the same values, `primary` as true/false."""
    return {**dict(zip(CODING_COLUMNS, row)), "primary": bool(row[-1])}


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 3)
