"""Segments and codings as text: CSV rows (RFC 4180, UTF-8), JSON Lines, and a JSON array.

The same functions render the rows streamed into the results folder and the
codings printed with `icap code --format csv|json`. The files are guarded against
spreadsheet formulas (cells.py); what goes to stdout, for pipelines, is not.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any, TextIO

from icap_coder.export import cells
from icap_coder.export.contract import CODING_COLUMNS, coding_record, coding_row, row_record, segment_row
from icap_coder.model import Coding, Segment

_encode = json.JSONEncoder(ensure_ascii=False).encode


def csv_rows(rows: Iterable[list[Any]], guard: bool = False) -> str:
    """CSV text; with `guard`, cells a spreadsheet would run as formulas get a leading ' (see cells.py)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(map(cells.guard_row, rows) if guard else rows)
    return buffer.getvalue()


def header(columns: list[str]) -> str:
    return csv_rows([columns])


def segments_csv(segments: Iterable[Segment], guard: bool = False) -> str:
    return csv_rows((segment_row(s) for s in segments), guard)


def codings_csv(codings: Iterable[Coding], guard: bool = False) -> str:
    return csv_rows((coding_row(c) for c in codings), guard)


def json_lines(records: Iterable[dict[str, Any]]) -> str:
    return "".join(_encode(record) + "\n" for record in records)


def codings_files(codings: list[Coding], guard: bool = False) -> tuple[str, str]:
    """The codings as CSV rows and as JSON Lines, each coding's row made once for both."""
    rows = [coding_row(c) for c in codings]
    return csv_rows(rows, guard), json_lines(map(row_record, rows))


def write_codings_csv(stream: TextIO, codings: Iterable[Coding]) -> None:
    stream.write(header(CODING_COLUMNS) + codings_csv(codings))


def json_array_items(codings: Iterable[Coding]) -> str:
    """Codings as items of a JSON array indented like `json.dump(..., indent=1)`, joined by commas."""
    return ",\n".join("\n".join(" " + line for line in json.dumps(coding_record(c), ensure_ascii=False, indent=1)
                                 .splitlines()) for c in codings)


def write_codings_json(stream: TextIO, codings: Iterable[Coding]) -> None:
    json.dump([coding_record(c) for c in codings], stream, ensure_ascii=False, indent=1)
    stream.write("\n")
