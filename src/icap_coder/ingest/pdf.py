"""PDF with a text layer (.pdf): the text of each page, speakers from `Name:` labels.

pypdf extracts what the PDF holds as text; a scanned page has none, and is left
out with a warning that names it (OCR the file first). A PDF without any text is
skipped. Line breaks inside a paragraph are kept as they are on the page, which
`Name:` labels at the start of a line do not mind.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from icap_coder.ingest.base import RawDocument, SkippedFile, read_bytes, render_turns
from icap_coder.ingest.layouts import timed_headers
from icap_coder.ingest.speakers import find_turns

MAX_PAGES = 2000


def read_pdf(path: Path, speakers: frozenset[str] = frozenset()) -> RawDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    data = read_bytes(path)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd PDFs are not the user's business
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise SkippedFile("skipped, the PDF is encrypted; save an unprotected copy", file=str(path))
        if len(reader.pages) > MAX_PAGES:
            raise SkippedFile(f"skipped, it has {len(reader.pages)} pages (at most {MAX_PAGES})", file=str(path))
        pages = [(page.extract_text() or "") for page in reader.pages]
    except SkippedFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise SkippedFile(f"skipped, not a readable PDF ({type(exc).__name__})", file=str(path)) from None
    empty = [n for n, text in enumerate(pages, start=1) if not text.strip()]
    if len(empty) == len(pages):
        raise SkippedFile("skipped, the PDF has no text layer (a scan?); run OCR on it first", file=str(path))
    notes = ([f"page{'s' if len(empty) > 1 else ''} {', '.join(map(str, empty))} of {len(pages)} "
              "have no text (scanned?) and are left out"] if empty else [])
    text = "\n\n".join(page.strip("\n") for page in pages if page.strip())
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    turns = find_turns(text, speakers)
    if not any(t.speaker for t in turns):
        blocks = timed_headers(text.split("\n"))
        if blocks:
            rendered, turns = render_turns(blocks)
            return RawDocument(rendered, turns, "pdf", {}, data, "", "speaker/time headers", notes)
    layout = "labelled lines" if any(t.speaker for t in turns) else "plain text"
    return RawDocument(text, turns, "pdf", {}, data, "", layout, notes)
