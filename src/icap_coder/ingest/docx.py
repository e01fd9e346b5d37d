"""Word .docx transcripts, including both Microsoft Teams export layouts.

Teams (older):  "0:0:0.0 --> 0:0:1.250" / "Jane Doe" / "words"   (lines of one paragraph or several)
Teams (newer):  "Jane Doe   0:03" / "words"
Anything else:  paragraphs and table rows as text, speakers found from `Name:` labels.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from icap_coder.ingest.base import RawDocument, SkippedFile, read_bytes, render_turns
from icap_coder.ingest.speakers import find_turns

CUE_TIMING = re.compile(r"^\s*\d{1,2}:\d{1,2}:\d{1,2}(?:[.,]\d+)?\s*-->\s*\d{1,2}:\d{1,2}:\d{1,2}(?:[.,]\d+)?\s*$")
SPEAKER_TIME = re.compile(r"^(?P<name>\S.{0,60}?)\s+(?P<time>\d{1,2}:\d{2}(?::\d{2})?)\s*$")


def read_docx(path: Path, speakers: frozenset[str] = frozenset()) -> RawDocument:
    data = read_bytes(path)
    try:
        import docx  # python-docx; imported here so `icap --help` stays fast

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise SkippedFile(f"skipped, not a readable Word .docx file ({type(exc).__name__})", file=str(path)) from None
    except Exception as exc:  # python-docx raises its own PackageNotFoundError and friends
        raise SkippedFile(f"skipped, not a readable Word .docx file ({exc})", file=str(path)) from None
    blocks = list(_blocks(document))
    metadata = {}
    title = (document.core_properties.title or "").strip()
    if title:
        metadata["title"] = title
    lines = [line for block in blocks for line in block.split("\n")]
    structured = _teams_old(lines) or _teams_new(lines)
    if structured:
        text, turns = render_turns(structured)
        return RawDocument(text, turns, "docx-teams", metadata, data)
    text = "\n\n".join(block.strip() for block in blocks if block.strip())
    return RawDocument(text, find_turns(text, speakers), "docx", metadata, data)


def _blocks(document: Any) -> Iterator[str]:
    """Paragraph texts, and table rows as `first cell: other cells`, in reading order."""
    from docx.table import Table

    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells = [c.text.strip() for c in row.cells]
                cells = [c for i, c in enumerate(cells) if c and c not in cells[:i]]
                if len(cells) >= 2 and len(cells[0]) <= 40:
                    yield f"{cells[0]}: {' '.join(cells[1:])}"
                elif cells:
                    yield " ".join(cells)
        else:
            yield item.text


def _teams_old(lines: list[str]) -> list[tuple[str | None, str]]:
    """Timing line, speaker line, text lines; [] when the file is not in this layout."""
    blocks: list[tuple[str | None, str]] = []
    i = 0
    if sum(1 for line in lines if CUE_TIMING.match(line)) < 1:
        return []
    while i < len(lines):
        if not CUE_TIMING.match(lines[i]):
            i += 1
            continue
        speaker = lines[i + 1].strip() if i + 1 < len(lines) else ""
        j = i + 2
        words = []
        while j < len(lines) and not CUE_TIMING.match(lines[j]):
            words.append(lines[j])
            j += 1
        blocks.append((speaker or None, " ".join(words)))
        i = j
    return blocks


def _teams_new(lines: list[str]) -> list[tuple[str | None, str]]:
    """`Name   0:03` header lines followed by text; [] unless at least two headers are found."""
    headers = [i for i, line in enumerate(lines) if SPEAKER_TIME.match(line.strip())]
    if len(headers) < 2:
        return []
    blocks = []
    for n, i in enumerate(headers):
        end = headers[n + 1] if n + 1 < len(headers) else len(lines)
        header = SPEAKER_TIME.match(lines[i].strip())
        assert header is not None  # found by the same pattern above
        name = header.group("name").strip()
        blocks.append((name, " ".join(lines[i + 1:end])))
    return blocks
