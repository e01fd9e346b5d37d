"""segments.csv and codings.csv (UTF-8, comma-separated, RFC 4180 quoting).

Rows are rendered to text by `render_*`: workers do this for their own
documents, in parallel, and the CLI streams the rows into the files.
"""

from __future__ import annotations

import csv
import io
from typing import Iterable, TextIO

from icap_coder.export.tables import CODING_COLUMNS, coding_row, segment_row
from icap_coder.model import Coding, Segment


def _render(rows: Iterable[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def render_segments(segments: Iterable[Segment]) -> str:
    return _render(segment_row(s) for s in segments)


def render_codings(codings: Iterable[Coding]) -> str:
    return _render(coding_row(c) for c in codings)


def header(columns: list[str]) -> str:
    return _render([columns])


def write_codings(stream: TextIO, codings: Iterable[Coding]) -> None:
    stream.write(header(CODING_COLUMNS) + render_codings(codings))
