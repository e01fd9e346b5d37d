"""Plain-text and Markdown transcripts, with optional YAML front matter.

`Name: words` lines are the usual layout; a plain-text export of Otter.ai or Zoom,
with a speaker/time header above each turn, is recognised too (see layouts.py)."""

from __future__ import annotations

from pathlib import Path

from icap_coder import yamlfile
from icap_coder.errors import IcapError
from icap_coder.ingest.base import RawDocument, SkippedFile, decode, read_bytes, render_turns, replace_controls
from icap_coder.ingest.layouts import timed_headers
from icap_coder.ingest.speakers import find_turns


def read_text(path: Path, speakers: frozenset[str] = frozenset()) -> RawDocument:
    data = read_bytes(path)
    decoded = decode(data)
    metadata, body = split_front_matter(decoded.text, str(path))
    turns = find_turns(body, speakers)
    if not any(t.speaker for t in turns):
        blocks = timed_headers(body.split("\n"))
        if blocks:
            text, turns = render_turns(blocks)
            return RawDocument(text, turns, "text", metadata, data, decoded.encoding, "speaker/time headers",
                               decoded.notes)
    layout = "labelled lines" if any(t.speaker for t in turns) else "plain text"
    return RawDocument(body, turns, "text", metadata, data, decoded.encoding, layout, decoded.notes)


def split_front_matter(text: str, file: str) -> tuple[dict[str, str], str]:
    """`---` YAML `---` at the very top -> (attributes, the rest). The rest is the document text."""
    if not text.startswith("---\n"):
        return {}, text
    end = -1
    for marker in ("\n---\n", "\n...\n"):
        end = text.find(marker, 3)
        if end != -1:
            break
    if end == -1:
        if text.endswith(("\n---", "\n...")):
            end, marker = len(text) - 4, "\n---"
        else:
            raise SkippedFile("skipped, its front matter opened with '---' but never closed; add a '---' line "
                              "after it", file=file, line=1)
    block = text[4:end]
    try:
        data = yamlfile.load(block, file, first_line=2)
    except IcapError as exc:
        raise SkippedFile(f"skipped, its front matter: {exc.message}", file=file, line=exc.line) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SkippedFile("skipped, its front matter must be `key: value` lines", file=file, line=2)
    metadata = {str(k): _as_text(v) for k, v in data.items() if v is not None}
    return metadata, text[end + len(marker):]


def _as_text(value: object) -> str:
    text = "; ".join(str(v) for v in value) if isinstance(value, (list, tuple)) else str(value)
    return replace_controls(text)[0]
