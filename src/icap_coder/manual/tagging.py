"""What `icap tag`, `untag`, `reject` and `review` do to the tags file, apart from the terminal.

The tags file lives in the transcripts folder (the folder you pass to `icap
code`), and names documents relative to it. For a single transcript we find
that folder by walking up to the nearest folder holding a tags.yaml or a cases
file; `--root` or `--tags` say it outright.
"""

from __future__ import annotations

import difflib
import getpass
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from icap_coder.errors import IcapError
from icap_coder.ingest.base import SkippedFile
from icap_coder.ingest.registry import read_document, study_root
from icap_coder.manual.anchor import anchor_fields, locate
from icap_coder.manual.merge import check_code, closest_codes, resolve_code
from icap_coder.manual.tagsfile import TAGS_FILE, Tag, editing, today
from icap_coder.model import Codebook


@dataclass
class Place:
    path: Path  # the transcript
    relative: str  # its name in the tags file
    tags_path: Path
    text: str  # the clean text icap extracted


def find_place(document: Path, root: Path | None = None, tags_path: Path | None = None) -> Place:
    if not document.is_file():
        raise IcapError("no such transcript; check the path", file=str(document))
    if tags_path is not None:
        root = tags_path.parent
    elif root is None:
        root = find_root(document)
    try:
        relative = document.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise IcapError(f"the transcript is not inside {root}; pass --root with the transcripts folder",
                        file=str(document)) from None
    try:
        text = read_document(document).text
    except SkippedFile as exc:
        raise IcapError(exc.message, file=str(document)) from None
    return Place(document, relative, tags_path or root / TAGS_FILE, text)


def find_root(path: Path) -> Path:
    """The transcripts folder of a path (see ingest.registry.study_root)."""
    if not path.exists():
        raise IcapError("no such file or folder; check the path", file=str(path))
    return study_root(path)


def find_quote(place: Place, quote: str, start: int | None = None, end: int | None = None) -> tuple[int, int]:
    """Where the quote stands; errors say what was found instead and what to do."""
    quote = unicodedata.normalize("NFC", quote)  # the transcript's text is NFC, whatever the terminal sends
    if start is not None or end is not None:
        if start is None or end is None or not 0 <= start < end <= len(place.text):
            raise IcapError(f"--start and --end must both be given, 0 <= start < end <= {len(place.text)}")
        if quote and " ".join(place.text[start:end].split()) != " ".join(quote.split()):
            raise IcapError(f"the text at {start}-{end} is '{place.text[start:end]}', not the quote",
                            file=str(place.path))
        return start, end
    found = locate(place.text, quote)
    if len(found) == 1:
        return found[0]
    if not found:
        raise IcapError(f"quote not found: '{quote}'; closest: {closest(place.text, quote)}", file=str(place.path))
    spots = ", ".join(f"{s}-{e} (line {place.text.count(chr(10), 0, s) + 1})" for s, e in found[:5])
    raise IcapError(f"quote occurs {len(found)} times, at {spots}; make it longer or pass --start/--end",
                    file=str(place.path))


def closest(text: str, quote: str, n: int = 3) -> str:
    """The sentences of the text that look most like the quote, to help fix a typo."""
    pieces = [p.strip() for p in re.split(r"(?<=[.!?])\s+|\n+", text) if p.strip()]
    best = difflib.get_close_matches(quote, pieces, n=n, cutoff=0.3)
    return " | ".join(f"'{p}'" for p in best) if best else "nothing similar"


def coder_name() -> str:
    return os.environ.get("ICAP_CODER") or getpass.getuser()


def new_tag(place: Place, codebook: Codebook, code: str, start: int, end: int, action: str = "code",
            coder: str | None = None, memo: str = "", new: bool = False) -> tuple[Tag, bool]:
    """A tag for the span; returns it and whether its code is new (inductive).

    A code outside the codebook must be asked for (`new`, or written under an
    existing code as `Overig/NAME`); anything else is refused with the closest codes.
    """
    group, name, known = resolve_code(codebook, code)
    if action != "code" and not known:
        verb = "reject" if action == "reject" else "confirm"
        close = closest_codes(codebook, code)
        raise IcapError(f"can only {verb} a code of the codebook, and '{code}' is not one"
                        + (f"; closest: {', '.join(close)}" if close else ""))
    check_code(codebook, code, new)
    stored = f"{group}/{name}" if known or "/" not in code else code
    tag = Tag(place.relative, place.text[start:end], stored, action, coder if coder is not None else coder_name(),
              today(), memo, **anchor_fields(place.text, start, end))
    return tag, not known


def add(place: Place, tag: Tag) -> bool:
    """Append the tag unless the same one is there already; returns whether it was written."""
    with editing(place.tags_path) as tags:
        return tags.add(tag)


def withdraw(place: Place, tag: Tag) -> bool:
    """Take back one entry this session wrote (the last one that is the same decision); whether it was there."""
    with editing(place.tags_path) as tags:
        matching = [t for t in tags.current() if t.same(tag)]
        if matching:
            tags.remove(matching[-1:])
        return bool(matching)


def remove(place: Place, codebook: Codebook, quote: str, code: str, action: str | None = None,
           coder: str | None = None) -> list[Tag]:
    """Remove the entries for this quote and code (of one coder, when given); another person's entry is never
    removed by a command that does not name them."""
    wanted = resolve_code(codebook, code)[:2]
    norm = " ".join(quote.split())
    with editing(place.tags_path) as tags:
        doomed = [t for t in tags.current()
                  if t.document == place.relative and " ".join(t.quote.split()) == norm
                  and resolve_code(codebook, t.code)[:2] == wanted and (action is None or t.action == action)
                  and (coder is None or t.coder == coder)]
        if not doomed:
            raise IcapError(f"no tag '{code}' on that quote in {place.relative}"
                            + (f" by {coder}" if coder is not None else "") + "; `icap tags check` lists them",
                            file=str(place.tags_path))
        coders = sorted({t.coder or "unknown" for t in doomed})
        if coder is None and len(coders) > 1:
            raise IcapError(f"that tag was made by {' and '.join(coders)}; say whose to remove with --coder "
                            "(nothing was removed)", file=str(place.tags_path))
        tags.remove(doomed)
    return doomed
