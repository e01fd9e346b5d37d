"""Whisper and WhisperX JSON transcripts (.json): segments with their text, and speakers when diarised.

openai-whisper writes `{"text": ..., "segments": [{"start", "end", "text"}, ...]}`;
WhisperX adds `"speaker": "SPEAKER_00"` to each segment (after diarisation).
Segments of one speaker in a row become one turn; without speakers the
segments are joined into paragraphs at the pauses between them. Any other JSON
is skipped with a warning that says what was expected.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from icap_coder.ingest.base import RawDocument, SkippedFile, decode, read_bytes, render_turns
from icap_coder.ingest.speakers import find_turns

PAUSE = 2.0  # seconds of silence that start a new paragraph when nobody is named


def read_whisper(path: Path, speakers: frozenset[str] = frozenset()) -> RawDocument:
    data = read_bytes(path)
    try:
        document = json.loads(decode(data).text)
    except ValueError as exc:
        raise SkippedFile(f"skipped, not valid JSON ({exc})"[:200], file=str(path)) from None
    segments = document.get("segments") if isinstance(document, dict) else None
    if not isinstance(segments, list) or not all(isinstance(s, dict) and isinstance(s.get("text"), str)
                                                 for s in segments):
        raise SkippedFile("skipped, a JSON file that is not a Whisper or WhisperX transcript (expected "
                          "\"segments\": [{\"text\": ...}, ...])", file=str(path))
    named = any(isinstance(s.get("speaker"), str) and s["speaker"].strip() for s in segments)
    blocks: list[tuple[str | None, str]] = []
    previous_end: float | None = None
    for segment in segments:
        words = " ".join(segment["text"].split())
        if not words:
            continue
        if named:
            speaker = str(segment.get("speaker") or "").strip() or None
            blocks.append((speaker, words))
        else:
            start = _seconds(segment.get("start"))
            if blocks and (previous_end is None or start is None or start - previous_end < PAUSE):
                blocks[-1] = (None, f"{blocks[-1][1]} {words}")
            else:
                blocks.append((None, words))
        previous_end = _seconds(segment.get("end"))
    if not blocks:
        raise SkippedFile("skipped, the Whisper transcript has no text", file=str(path))
    language = document.get("language") if isinstance(document.get("language"), str) else ""
    metadata = {"language": language} if language in ("nl", "en", "sv") else {}
    if named:
        text, turns = render_turns(blocks)
        return RawDocument(text, turns, "whisper", metadata, data, "utf-8", "WhisperX speakers")
    text = "\n\n".join(words for _, words in blocks)
    return RawDocument(text, find_turns(text, speakers), "whisper", metadata, data, "utf-8", "Whisper segments")


def _seconds(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
