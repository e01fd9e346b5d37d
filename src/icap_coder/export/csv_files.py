"""segments.csv and codings.csv (UTF-8, comma-separated, RFC 4180 quoting)."""

from __future__ import annotations

import csv
from typing import Iterable, TextIO

from icap_coder.export.tables import CODING_COLUMNS, SEGMENT_COLUMNS, coding_row, segment_row
from icap_coder.model import Coding, Segment


def write_segments(stream: TextIO, segments: Iterable[Segment]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(SEGMENT_COLUMNS)
    writer.writerows(segment_row(s) for s in segments)


def write_codings(stream: TextIO, codings: Iterable[Coding]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CODING_COLUMNS)
    writer.writerows(coding_row(c) for c in codings)
