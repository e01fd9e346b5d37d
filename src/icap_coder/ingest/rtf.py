"""Rich Text Format (.rtf): what f4/f5transkript, Word and LibreOffice export.

The RTF is turned into plain text by striprtf. f4 and f5 write a time mark
`#00:01:02-3#` at the end of each turn and label speakers `I:` and `B:`
(Interviewer, Befragte/r); the marks are timestamps, not speech, so they are
cut out before speakers are found (the labels are known roles already).
"""

from __future__ import annotations

import re
from pathlib import Path

from icap_coder.ingest.base import RawDocument, SkippedFile, read_bytes, render_turns
from icap_coder.ingest.layouts import timed_headers
from icap_coder.ingest.speakers import find_turns

F4_TIME = re.compile(r"[ \t]*#\d{1,2}:\d{2}:\d{2}(?:[-.,]\d+)?#")


def read_rtf(path: Path, speakers: frozenset[str] = frozenset()) -> RawDocument:
    from striprtf.striprtf import rtf_to_text

    data = read_bytes(path)
    if not data.lstrip().startswith(b"{\\rtf"):
        raise SkippedFile("skipped, not an RTF file (it does not begin with {\\rtf)", file=str(path))
    try:
        text = rtf_to_text(data.decode("latin-1"), errors="replace")
    except Exception as exc:  # striprtf raises plain exceptions on malformed input
        raise SkippedFile(f"skipped, not a readable RTF file ({type(exc).__name__})", file=str(path)) from None
    text, marks = F4_TIME.subn("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
    turns = find_turns(text, speakers)
    if not any(t.speaker for t in turns):
        blocks = timed_headers(text.split("\n"))
        if blocks:
            rendered, turns = render_turns(blocks)
            return RawDocument(rendered, turns, "rtf", {}, data, "", "speaker/time headers")
    layout = ("f4/f5 time marks, " if marks else "") + ("labelled lines" if any(t.speaker for t in turns)
                                                         else "plain text")
    return RawDocument(text, turns, "rtf", {}, data, "", layout)
