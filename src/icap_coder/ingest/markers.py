"""Inline coding markers typed into a transcript: `... in kokers. [#Interne communicatie]`.

Syntax: `[#Code]`, `[#Group/Code]` or a new inductive code `[#Overig/aanbestedingsrecht]`,
anywhere in a line, several in a row allowed. `[#` does not occur in ordinary speech or
in transcription conventions ([inaudible], [00:01:02]), so markers cannot be mistaken for
text. They are cut out of the text (with the spaces before them) before anything else sees
it, so offsets, matching, counts and exported quotes refer to the clean text; each marker
remembers the position where it stood, which codes the segment around that position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from icap_coder.model import Turn

MARKER = re.compile(r"[ \t]*\[#([^\[\]\n]+)\]")


@dataclass(frozen=True)
class Marker:
    code: str
    position: int  # offset in the clean text where the marker stood
    line: int  # 1-based line in the text as read, for messages


def strip_markers(text: str, turns: list[Turn]) -> tuple[str, list[Turn], list[Marker]]:
    """Remove markers; returns the clean text, the turns re-mapped onto it, and the markers."""
    matches = list(MARKER.finditer(text))
    if not matches:
        return text, turns, []
    pieces: list[str] = []
    markers: list[Marker] = []
    removed: list[tuple[int, int]] = []  # (start, length) of each marker in the text as read
    cursor = 0
    for match in matches:
        pieces.append(text[cursor:match.start()])
        clean_position = match.start() - sum(length for _, length in removed)
        markers.append(Marker(match.group(1).strip(), clean_position, text.count("\n", 0, match.start()) + 1))
        removed.append((match.start(), match.end() - match.start()))
        cursor = match.end()
    pieces.append(text[cursor:])

    def remap(offset: int) -> int:
        shift = 0
        for start, length in removed:
            if start >= offset:
                break
            shift += min(length, offset - start)
        return offset - shift

    clean = "".join(pieces)
    new_turns = []
    for turn in turns:
        start, end = remap(turn.start), remap(turn.end)
        chunk = clean[start:end]
        start += len(chunk) - len(chunk.lstrip())
        end = start + len(chunk.strip())
        if end > start:
            new_turns.append(Turn(turn.speaker, start, end))
    return clean, new_turns, markers
