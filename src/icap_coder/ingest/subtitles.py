"""WebVTT and SRT transcripts (Teams, Zoom, Otter, YouTube exports) via webvtt-py.

Speakers come from `<v Name>` voice tags or a `Name:` label at the start of a
cue; a cue without either continues the previous speaker. Consecutive cues of
one speaker become one turn.
"""

from __future__ import annotations

import html
import io
from collections import Counter
from pathlib import Path

from icap_coder.ingest.base import RawDocument, SkippedFile, decode, read_bytes, render_turns
from icap_coder.ingest.speakers import ANNOTATIONS, LABEL, is_role


def read_subtitles(path: Path, speakers: frozenset[str] = frozenset()) -> RawDocument:
    data = read_bytes(path)
    decoded = decode(data)
    text = decoded.text
    if not text.strip():
        raise SkippedFile("skipped, the file is empty", file=str(path))
    fmt = "srt" if path.suffix.lower() == ".srt" else "vtt"
    try:
        import webvtt

        captions = webvtt.from_buffer(io.StringIO(text), format=fmt).captions
    except Exception as exc:  # webvtt-py raises MalformedFileError / MalformedCaptionError
        raise SkippedFile(f"skipped, not a valid {fmt.upper()} file ({exc}); check the header and the "
                          "timestamp lines", file=str(path)) from None
    cues = [(c.voice, html.unescape(" ".join(c.text.split()))) for c in captions]
    body, turns = render_turns(_speakers(cues, {s.lower() for s in speakers}))
    layout = "voice tags" if any(voice for voice, _ in cues) else "cues"
    return RawDocument(body, turns, fmt, {}, data, decoded.encoding, layout, decoded.notes)


def _speakers(cues: list[tuple[str | None, str]], known: set[str]) -> list[tuple[str | None, str]]:
    labelled = []
    for voice, words in cues:
        match = None if voice else LABEL.match(words)
        if match and match.group("name").strip().lower() in ANNOTATIONS:
            match = None
        labelled.append((voice, match, words))
    counts = Counter(m.group("name").strip() for _, m, _ in labelled if m)
    blocks: list[tuple[str | None, str]] = []
    current: str | None = None
    for voice, match, words in labelled:
        if voice:
            current = voice.strip()
        elif match and _believed(match.group("name").strip(), counts, known):
            current = match.group("name").strip()
            words = match.group("markers") + words[match.end():]  # the label goes, a coding marker stays
        blocks.append((current, words))
    return blocks


def _believed(name: str, counts: Counter, known: set[str]) -> bool:
    return counts[name] >= 2 or is_role(name) or name.lower() in known
