"""Speaker turns -> segments, the units that get coded.

`turn` keeps each speaker turn whole (the usual unit in interview coding);
`paragraph` splits turns at blank lines (at line breaks when a text has no
blank lines); `sentence` splits paragraphs into sentences. A text without
speaker labels falls back from turns to paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Set
from typing import Any

from icap_coder.ingest.speakers import is_interviewer
from icap_coder.model import Document, Segment
from icap_coder.settings import UNITS

SentenceSplitter = Callable[[str], list[tuple[int, int]]]


def segment_document(document: Document, unit: str, interviewers: Set[str] = frozenset(),
                     split_sentences: SentenceSplitter | None = None) -> list[Segment]:
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}")
    text = document.text
    has_speakers = any(turn.speaker for turn in document.turns)
    paragraph_break = re.compile(r"\n[ \t]*\n" if re.search(r"\n[ \t]*\n", text) else r"\n")
    spans: list[tuple[str | None, int, int, str]] = []
    for turn in document.turns:
        if unit == "turn" and has_speakers:
            spans.append((turn.speaker, turn.start, turn.end, "turn"))
            continue
        for start, end in _split(text, turn.start, turn.end, paragraph_break):
            if unit == "sentence" and split_sentences is not None:
                for s, e in split_sentences(text[start:end]):
                    spans.extend(_trimmed(text, turn.speaker, start + s, start + e, "sentence"))
            else:
                spans.append((turn.speaker, start, end, "paragraph"))
    segments: list[Segment] = []
    asks: dict[str | None, bool] = {}  # speaker -> an interviewer? (decided once per speaker)
    for speaker, start, end, used_unit in spans:
        if speaker not in asks:
            asks[speaker] = is_interviewer(speaker, interviewers)
        segments.append(Segment(
            document=document.path, case=document.case, speaker=speaker or "", index=len(segments) + 1,
            unit=used_unit, start=start, end=end, language=document.language, text=text[start:end],
            interviewer=asks[speaker],
        ))
    return segments


def _split(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    cursor = start
    for match in pattern.finditer(text, start, end):
        pieces.extend((s, e) for _, s, e, _ in _trimmed(text, None, cursor, match.start(), ""))
        cursor = match.end()
    pieces.extend((s, e) for _, s, e, _ in _trimmed(text, None, cursor, end, ""))
    return pieces


def _trimmed(text: str, speaker: str | None, start: int, end: int, unit: str) -> list[tuple[Any, int, int, str]]:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return []
    lead = len(chunk) - len(chunk.lstrip())
    return [(speaker, start + lead, start + lead + len(stripped), unit)]
