"""Transcript layouts found in lines of text, whatever the file format they came in.

A transcription tool that does not write `Name: words` puts each speaker on a
header line of their own, with the time: Teams in Word (`Jane Doe   0:03`),
Otter.ai and Zoom in plain text (`Speaker 1  0:00`, `[Jane Doe] 10:23:45`, or the
name on one line and the time on the next). A layout is used only when its
headers carry most of the document, so one stray line never changes how a file
is read, and no text is dropped: text before the first header is kept, without
a speaker.
"""

from __future__ import annotations

import re

_NAME = r"[^\W\d_][\w.'’\-]*(?: [\w.'’\-()]+){0,4}?"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?"
HEADER = re.compile(rf"^\[?(?P<name>{_NAME})\]?\s+[\[(]?(?P<time>{_TIME})[\])]?\s*$")  # name and time, one line
NAME_LINE = re.compile(rf"^\[?(?P<name>{_NAME})\]?$")  # a name alone, followed by ...
TIME_LINE = re.compile(rf"^[\[(]?{_TIME}[\])]?$")  # ... a time alone (Otter, some Zoom exports)
MAX_NAME = 60

Blocks = list[tuple[str | None, str]]


def timed_headers(lines: list[str]) -> Blocks:
    """(speaker, words) blocks from speaker/time header lines; [] unless the headers carry the document."""
    filled = [line.strip() for line in lines if line.strip()]
    headers: list[tuple[int, str, int]] = []  # (line, speaker, lines the header takes)
    i = 0
    while i < len(filled):
        one = HEADER.match(filled[i])
        alone = NAME_LINE.match(filled[i])
        if one and one.group("name")[0].isupper() and len(one.group("name")) <= MAX_NAME:
            headers.append((i, one.group("name").strip(), 1))
            i += 1
        elif alone and alone.group("name")[0].isupper() and len(filled[i]) <= MAX_NAME \
                and i + 1 < len(filled) and TIME_LINE.match(filled[i + 1]):
            headers.append((i, alone.group("name").strip(), 2))
            i += 2
        else:
            i += 1
    if len(headers) < 2 or len(headers) < 0.2 * len(filled) or headers[0][0] > 0.2 * len(filled):
        return []
    blocks: Blocks = []
    if headers[0][0]:
        blocks.append((None, " ".join(filled[:headers[0][0]])))
    for n, (line, speaker, size) in enumerate(headers):
        end = headers[n + 1][0] if n + 1 < len(headers) else len(filled)
        blocks.append((speaker, " ".join(filled[line + size:end])))
    return blocks
