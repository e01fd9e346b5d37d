"""OpenDocument text (.odt, LibreOffice and others): paragraphs and table rows, speakers from `Name:` labels.

An .odt is a zip holding content.xml; it is checked like a .docx before it is
read (no zip bomb, no DOCTYPE), and its paragraphs are read as LibreOffice shows
them: `text:s` is spaces, `text:tab` a tab, `text:line-break` a new line, notes and
annotations left out. A layout with speaker/time headers is recognised as in
Word files.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from icap_coder.ingest.base import RawDocument, SkippedFile, read_bytes, render_turns
from icap_coder.ingest.layouts import timed_headers
from icap_coder.ingest.speakers import find_turns

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
MAX_UNPACKED = 100_000_000
SKIPPED = {f"{{{TEXT_NS}}}note", f"{{{TEXT_NS}}}tracked-changes",
           "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}annotation"}


def read_odt(path: Path, speakers: frozenset[str] = frozenset()) -> RawDocument:
    from lxml import etree

    data = read_bytes(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise SkippedFile("skipped, it unpacks to more than a transcript could hold", file=str(path))
            content = archive.read("content.xml")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise SkippedFile("skipped, not a readable OpenDocument .odt file (no content.xml in a zip)",
                          file=str(path)) from None
    if re.search(rb"<!DOCTYPE", content[:2048], re.IGNORECASE):
        raise SkippedFile("skipped, its content.xml declares a DOCTYPE, which .odt files never do", file=str(path))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise SkippedFile(f"skipped, its content.xml is not well-formed ({exc.msg})", file=str(path)) from None
    pieces = list(_blocks(root))
    lines = [line for piece in pieces for line in piece.split("\n")]
    blocks = timed_headers(lines)
    if blocks:
        text, turns = render_turns(blocks)
        return RawDocument(text, turns, "odt", {}, data, "", "speaker/time headers")
    text = "\n\n".join(piece for piece in pieces if piece.strip())
    turns = find_turns(text, speakers)
    layout = "labelled paragraphs" if any(t.speaker for t in turns) else "paragraphs"
    return RawDocument(text, turns, "odt", {}, data, "", layout)


def _blocks(root: Any) -> list[str]:
    """Paragraphs and headings in reading order; a table row as `first cell: other cells`."""
    found: list[str] = []
    for element in root.iter(f"{{{TEXT_NS}}}p", f"{{{TEXT_NS}}}h", f"{{{TABLE_NS}}}table-row"):
        if element.tag == f"{{{TABLE_NS}}}table-row":
            cells = [" ".join(_text(p) for p in cell.iter(f"{{{TEXT_NS}}}p")).strip()
                     for cell in element if cell.tag.endswith("table-cell")]
            cells = [c for c in cells if c]
            if cells:
                found.append(f"{cells[0]}: {' '.join(cells[1:])}" if len(cells) >= 2 and len(cells[0]) <= 40
                             else " ".join(cells))
        elif not any(parent.tag in (f"{{{TABLE_NS}}}table-cell", *SKIPPED) for parent in element.iterancestors()):
            found.append(_text(element))
    return found


def _text(element: Any) -> str:
    """The text of a paragraph as shown: spaces, tabs and line breaks expanded, notes left out."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == f"{{{TEXT_NS}}}s":
            count = child.get(f"{{{TEXT_NS}}}c", "1")
            parts.append(" " * min(int(count) if count.isdigit() else 1, 100))  # c="999999999" is no reason
        elif tag == f"{{{TEXT_NS}}}tab":
            parts.append("\t")
        elif tag == f"{{{TEXT_NS}}}line-break":
            parts.append("\n")
        elif tag not in SKIPPED:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
