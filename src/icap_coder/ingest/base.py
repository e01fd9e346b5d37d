"""What every reader returns, and the helpers readers share."""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

from icap_coder.errors import IcapError
from icap_coder.ingest.markers import Marker
from icap_coder.model import Turn


class SkippedFile(IcapError):
    """A file that is not read; the run goes on with a warning."""


@dataclass
class RawDocument:
    text: str
    turns: list[Turn]
    format: str
    metadata: dict[str, str] = field(default_factory=dict)
    data: bytes = b""  # the file's bytes, for the manifest hash
    markers: list[Marker] = field(default_factory=list)  # inline coding markers, cut out of `text`


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SkippedFile(f"skipped, cannot read it ({exc.strerror})", file=str(path)) from None


def decode(data: bytes) -> tuple[str, str]:
    """Bytes -> (text with LF line ends, encoding used).

    Honours a UTF-8 or UTF-16 byte-order mark, else tries UTF-8, else falls
    back to cp1252 (what Word and Notepad on Dutch Windows machines write).
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            text = data.decode(encoding)
            break
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = data.decode("cp1252", errors="replace"), "cp1252"
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text, encoding


def render_turns(blocks: list[tuple[str | None, str]]) -> tuple[str, list[Turn]]:
    """Speaker-tagged blocks -> plain text `Speaker: words` with a blank line between turns.

    Consecutive blocks of one speaker (subtitle cues, Teams entries) are
    merged into one turn, joined by a space, as a person would read them.
    Blocks of no known speaker stay apart, so they fall back to paragraphs.
    """
    merged: list[tuple[str | None, list[str]]] = []
    for speaker, words in blocks:
        words = " ".join(words.split())
        if not words:
            continue
        if merged and speaker is not None and merged[-1][0] == speaker:
            merged[-1][1].append(words)
        else:
            merged.append((speaker, [words]))
    parts: list[str] = []
    turns: list[Turn] = []
    offset = 0
    for speaker, chunks in merged:
        label = f"{speaker}: " if speaker else ""
        body = " ".join(chunks)
        turns.append(Turn(speaker, offset + len(label), offset + len(label) + len(body)))
        parts.append(label + body)
        offset += len(label) + len(body) + 2
    return "\n\n".join(parts), turns
