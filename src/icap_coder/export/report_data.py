"""The report's numbers and quotes as data: JSON (the whole structure), XLSX (counts and quotes), CSV (counts)."""

from __future__ import annotations

import json
from pathlib import Path

from icap_coder.analysis.report import Report
from icap_coder.export import formats


def json_text(report: Report) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=1)


def write(path: Path, report: Report, guard: bool = True) -> None:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        formats.write_xlsx(path, {"counts": report.counts_table(), "quotes": report.quotes_table()}, guard=guard)
    elif suffix == ".csv":
        formats.write_text(path, formats.csv_text(report.counts_table(), guard))
    else:
        formats.write_text(path, json_text(report))
