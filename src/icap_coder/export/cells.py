"""What a cell may hold in a file a person opens: no live formulas, no control characters.

A spreadsheet program runs a CSV or XLSX cell that begins with `=`, `+`, `-` or
`@` (or a tab or carriage return) as a formula, and a transcript, case name or
attribute can begin that way ("-ja, zeker", "=HYPERLINK(...)"). Following OWASP's
advice, such a cell gets a leading apostrophe, which spreadsheet programs show
as text. The rule is exact and reversible (a value that already begins with
apostrophes before such a character gets one more), so icap reads its own
results folder back unchanged. `--no-cell-guard` turns it off for pipelines.

XML (XLSX, DOCX, HTML, SVG) cannot hold C0 control characters at all; they
become U+FFFD, the replacement character.
"""

from __future__ import annotations

import re
from typing import Any

from icap_coder.ingest.base import CONTROL

RUNS_AS_FORMULA = re.compile(r"^'*[=+\-@\t\r]")


RISKY_FIRST = frozenset("'=+-@\t\r")  # what a cell RUNS_AS_FORMULA can begin with: most cells are passed at once


def guard(value: Any) -> Any:
    """A cell a spreadsheet program shows as text; anything not text is returned as it is."""
    if isinstance(value, str) and value[:1] in RISKY_FIRST and RUNS_AS_FORMULA.match(value):
        return "'" + value
    return value


def guard_row(row: list[Any]) -> list[Any]:
    """`guard` on every cell of a row."""
    return [guard(v) for v in row]


def unguard(value: str) -> str:
    """The value `guard` was given."""
    return value[1:] if value.startswith("'") and RUNS_AS_FORMULA.match(value) else value


FIGURE = re.compile(r"^-?\d+(\.\d+)?%?( / -?\d+(\.\d+)?)*$")  # 0.59, 2 / 1, 40%: figures shown as text
MARKS = ("✓", "–", "n/a", "")


def is_figure(value: Any) -> bool:
    """A cell that is a number (or a mark in a column of them): aligned right in every report."""
    return isinstance(value, (int, float)) or str(value) in MARKS or bool(FIGURE.match(str(value)))


def printable(value: Any) -> Any:
    """Text XML can hold: control characters replaced; anything not text is returned as it is."""
    return CONTROL.sub("\ufffd", value) if isinstance(value, str) else value
