"""What every reader returns, and the helpers readers share."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from icap_coder.errors import IcapError
from icap_coder.ingest.markers import Marker
from icap_coder.model import Turn

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # C0 controls but tab and line ends, and DEL


def replace_controls(text: str) -> tuple[str, int]:
    """Control characters (an ESC that would recolour a terminal, a stray \\x01) become U+FFFD; offsets stay."""
    return CONTROL.subn("\ufffd", text)


class SkippedFile(IcapError):
    """A file that is not read; the run goes on with a warning."""


@dataclass
class RawDocument:
    text: str
    turns: list[Turn]
    format: str
    metadata: dict[str, str] = field(default_factory=dict)
    data: bytes = b""  # the file's bytes, for the manifest hash
    encoding: str = ""  # how the bytes were read (text formats)
    layout: str = ""  # how the text was laid out: labelled lines, Teams cues, a speaker table, ...
    notes: list[str] = field(default_factory=list)  # what was guessed while reading, for warnings
    markers: list[Marker] = field(default_factory=list)  # inline coding markers, cut out of `text`


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SkippedFile(f"skipped, cannot read it ({exc.strerror})", file=str(path)) from None


@dataclass
class Decoded:
    text: str  # LF line ends, Unicode NFC
    encoding: str  # what was used, e.g. "utf-8", "utf-16-le", "utf-8, 2 lines cp1252"
    notes: list[str] = field(default_factory=list)  # every guess, for a warning


def decode(data: bytes) -> Decoded:
    """Bytes -> text as the writer meant it, saying what was guessed.

    A byte-order mark decides; without one, UTF-16 is recognised by its zero
    bytes, and UTF-8 is tried. A file that is not valid UTF-8 is read line by
    line: each line that is UTF-8 as UTF-8, each other line as cp1252 (what Word
    and Notepad on Dutch Windows machines write), so one pasted line cannot
    turn the whole file into mojibake. The text is normalised to NFC, so a
    decomposed "coöperatie" (o + combining diaeresis) is the word it looks like.
    """
    notes: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = _per_line(data[len(codecs.BOM_UTF8):], notes)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _utf16(data, "utf-16", notes)
    elif (codec := _utf16_without_bom(data)) is not None:
        text, encoding = _utf16(data, codec, notes)
    else:
        text, encoding = _per_line(data, notes)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return Decoded(unicodedata.normalize("NFC", text), encoding, notes)


def _per_line(data: bytes, notes: list[str]) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    texts, fallback = [], []
    for number, line in enumerate(lines, start=1):
        try:
            texts.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            texts.append(line.decode("cp1252", errors="replace"))
            fallback.append(number)
    text = "\n".join(texts)
    utf8_lines = sum(1 for line in lines if not line.isascii()) - len(fallback)
    if utf8_lines <= 0:
        notes.append("not UTF-8; read as cp1252 (Windows-1252): check its special characters, or save it as UTF-8")
        encoding = "cp1252"
    else:
        shown = ", ".join(map(str, fallback[:5])) + (", ..." if len(fallback) > 5 else "")
        notes.append(f"{_lines(len(fallback))} not UTF-8 (line {shown}); read as cp1252: check them")
        encoding = f"utf-8, {_lines(len(fallback))} cp1252"
    if "\ufffd" in text:
        notes.append(f"{text.count(chr(0xFFFD))} bytes could not be read as any character; shown as \ufffd")
    return text, encoding


def _lines(n: int) -> str:
    return f"{n} line" if n == 1 else f"{n} lines"


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of Latin script has a zero byte in every other place."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _utf16(data: bytes, codec: str, notes: list[str]) -> tuple[str, str]:
    text = data.decode(codec, errors="replace")
    if "\ufffd" in text:
        notes.append(f"{text.count(chr(0xFFFD))} characters of this UTF-16 file could not be read; shown as \ufffd")
    if codec == "utf-16":
        codec = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
    return text, codec


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
