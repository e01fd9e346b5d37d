"""Word .docx transcripts: Microsoft Teams exports, speaker tables, and ordinary documents.

Layouts, each recognised only when it explains most of the document (one
stray line never turns a file into another layout, and no text is dropped):

    Teams (cues):     "0:0:0.0 --> 0:0:1.250" / "Jane Doe" / "words"
    Teams (headers):  "Jane Doe   0:03" / "words"
    speaker table:    a table with a speaker column and a text column (and maybe a time
                      column), with or without a header row (Speaker | Text, Tijd | Spreker | Tekst)
    paragraphs:       paragraphs and table rows as text, speakers from `Name:` labels

The manifest records which layout was used. A .docx is a zip of XML, so it is
checked before it is parsed: a file that unpacks to more than MAX_UNPACKED
bytes (a zip bomb) is skipped, and table cells are read as they are stored,
never expanded by their declared column spans.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from icap_coder.ingest.base import RawDocument, SkippedFile, read_bytes, render_turns
from icap_coder.ingest.layouts import timed_headers
from icap_coder.ingest.speakers import find_turns

CUE_TIMING = re.compile(r"^\s*\d{1,2}:\d{1,2}:\d{1,2}(?:[.,]\d+)?\s*-->\s*\d{1,2}:\d{1,2}:\d{1,2}(?:[.,]\d+)?\s*$")
TIME_CELL = re.compile(r"^\s*[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]?\s*(?:-->.*)?$")
SPEAKER_HEADERS = {"speaker", "spreker", "naam", "name", "talare", "namn", "wie", "who", "deelnemer", "participant",
                   "respondent", "persoon", "person"}
TEXT_HEADERS = {"text", "tekst", "transcript", "transcriptie", "utterance", "uitspraak", "content", "inhoud",
                "what was said", "wat er gezegd is", "said", "gezegd", "tal", "yttrande"}
MAX_UNPACKED = 100_000_000  # bytes a .docx may unpack to
MAX_NAME = 60


def read_docx(path: Path, speakers: frozenset[str] = frozenset()) -> RawDocument:
    data = read_bytes(path)
    _check_zip(data, path)
    try:
        import docx  # python-docx; imported here so `icap --help` stays fast

        document = docx.Document(io.BytesIO(data))
        blocks = list(_blocks(document))
        title = (document.core_properties.title or "").strip()
    except SkippedFile:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds for a broken file
        raise SkippedFile(f"skipped, not a readable Word .docx file ({type(exc).__name__}: {exc})"[:300],
                          file=str(path)) from None
    metadata = {"title": title} if title else {}
    lines = [line for kind, block in blocks if kind == "text" for line in block.split("\n")]
    for layout, finder in (("Teams cues", _teams_cues), ("Teams headers", timed_headers)):
        structured = finder(lines) if not any(kind == "table" for kind, _ in blocks) else []
        if structured:
            text, turns = render_turns(structured)
            return RawDocument(text, turns, "docx-teams", metadata, data, "", layout)
    pieces, layout = [], "paragraphs"
    for kind, block in blocks:
        if kind == "table":
            rows, table_layout = _table_lines(block)
            pieces.extend(rows)
            if table_layout == "speaker table":
                layout = table_layout
        elif block.strip():
            pieces.append(block.strip())
    text = "\n\n".join(pieces)
    turns = find_turns(text, speakers)
    if layout == "paragraphs" and any(t.speaker for t in turns):
        layout = "labelled paragraphs"
    return RawDocument(text, turns, "docx", metadata, data, "", layout)


def _check_zip(data: bytes, path: Path) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SkippedFile("skipped, not a readable Word .docx file (not a zip archive)", file=str(path)) from None
    if unpacked > MAX_UNPACKED:
        raise SkippedFile(f"skipped, it unpacks to {unpacked / 1e6:,.0f} MB (at most {MAX_UNPACKED / 1e6:,.0f} MB); "
                          "a transcript is never that large", file=str(path))


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def _blocks(document: Any) -> Iterator[tuple[str, Any]]:
    """("text", paragraph text) and ("table", rows of cell texts), in reading order."""
    from docx.table import Table, _Cell

    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = []
            for row in item._tbl.tr_lst:  # cells as stored: a gridSpan of 50 million is not expanded
                cells = [_text(_Cell(tc, item).text).strip() for tc in row.tc_lst]
                rows.append([c for c in cells if c])
            yield "table", [r for r in rows if r]
        else:
            yield "text", _text(item.text)


def _table_lines(rows: list[list[str]]) -> tuple[list[str], str]:
    """A table as text lines: a speaker table as `Speaker: text`, any other row as its cells."""
    columns = _speaker_columns(rows)
    if columns is not None:
        first, speaker, text = columns
        lines = []
        for row in rows[first:]:
            if len(row) > max(speaker, text) and row[speaker] and len(row[speaker]) <= MAX_NAME:
                lines.append(f"{row[speaker]}: {' '.join(row[text:])}")
            elif row:
                lines.append(" ".join(c for c in row if not TIME_CELL.match(c)))
        return lines, "speaker table"
    lines = []
    for cells in rows:
        if len(cells) >= 2 and len(cells[0]) <= 40:
            lines.append(f"{cells[0]}: {' '.join(cells[1:])}")
        else:
            lines.append(" ".join(cells))
    return lines, "table"


def _speaker_columns(rows: list[list[str]]) -> tuple[int, int, int] | None:
    """(first data row, speaker column, text column) when the table is a transcript, else None."""
    if not rows:
        return None
    header = [c.strip().lower().rstrip(":") for c in rows[0]]
    speaker = next((i for i, h in enumerate(header) if h in SPEAKER_HEADERS), None)
    text = next((i for i, h in enumerate(header) if h in TEXT_HEADERS), None)
    if speaker is not None and text is not None and speaker != text:
        return 1, speaker, text
    timed = [r for r in rows if len(r) >= 3 and TIME_CELL.match(r[0]) and len(r[1]) <= MAX_NAME]
    if len(timed) >= max(2, 0.6 * len(rows)):  # Time | Speaker | Text without a header row
        return 0, 1, 2
    return None


def _teams_cues(lines: list[str]) -> list[tuple[str | None, str]]:
    """Timing line, speaker line, text lines; [] unless cues make up most of the document."""
    cues = [i for i, line in enumerate(lines) if CUE_TIMING.match(line)]
    filled = [line for line in lines if line.strip()]
    if len(cues) < 2 or len(cues) < 0.2 * len(filled) or _before(lines, cues[0]) > 0.2 * len(filled):
        return []
    blocks: list[tuple[str | None, str]] = []
    if _before(lines, cues[0]):
        blocks.append((None, " ".join(lines[:cues[0]])))  # a title or preamble: kept, no speaker
    for n, i in enumerate(cues):
        body = [line.strip() for line in lines[i + 1:cues[n + 1] if n + 1 < len(cues) else len(lines)]
                if line.strip()]
        if len(body) >= 2 and len(body[0]) <= MAX_NAME and not body[0].endswith((".", "?", "!", ",")):
            blocks.append((body[0], " ".join(body[1:])))
        elif body:
            blocks.append((None, " ".join(body)))
    return blocks


def _before(lines: list[str], index: int) -> int:
    return sum(1 for line in lines[:index] if line.strip())
