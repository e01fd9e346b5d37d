"""Which reader reads which file, and which files in a folder are transcripts.

Every reader returns a RawDocument: the plain text icap extracted (all offsets
refer to it), the speaker turns, and metadata found in the file itself.
"""

from __future__ import annotations

import os
from pathlib import Path

from icap_coder.errors import IcapError
from icap_coder.ingest.base import RawDocument, SkippedFile, replace_controls
from icap_coder.ingest.docx import read_docx
from icap_coder.ingest.markers import strip_markers
from icap_coder.ingest.odt import read_odt
from icap_coder.ingest.pdf import read_pdf
from icap_coder.ingest.rtf import read_rtf
from icap_coder.ingest.subtitles import read_subtitles
from icap_coder.ingest.text import read_text
from icap_coder.ingest.whisper import read_whisper

READERS = {
    ".txt": read_text,
    ".md": read_text,
    ".docx": read_docx,
    ".odt": read_odt,
    ".rtf": read_rtf,
    ".pdf": read_pdf,
    ".vtt": read_subtitles,
    ".srt": read_subtitles,
    ".json": read_whisper,
}

HIDDEN = (".", "~$", "_")  # hidden files, Word's lock files, folders like _archief: passed over in silence
# Files a study folder holds beside its transcripts; never warned about.
COMPANION_FILES = {"cases.csv", "cases.yaml", "cases.yml", "icap.yaml", "icap.yml", "tags.yaml", "tags.yml",
                   "codebook.yaml", "codebook.yml", "readme.md", "readme.txt"}


def _results_folder(folder: Path) -> bool:
    """A results folder of `icap code` (its manifest.json is no Whisper transcript): passed over in silence."""
    return (folder / "manifest.json").is_file() and (folder / "codings.csv").is_file()


def is_transcript(path: Path) -> bool:
    return path.suffix.lower() in READERS


def discover(root: Path) -> tuple[list[Path], list[str]]:
    """Transcripts under `root` (or `root` itself), sorted; plus warnings for files passed over."""
    if root.is_file():
        if not is_transcript(root):
            return [], [f"{root}: skipped, unsupported format '{root.suffix}' (supported: {supported()})"]
        return [root], []
    if not root.is_dir():
        raise IcapError("no such file or folder; check the path", file=str(root))
    found: list[Path] = []
    warnings: list[str] = []
    inside = root.resolve()

    def unreadable(error: OSError) -> None:
        warnings.append(f"{error.filename}: skipped, cannot read this folder ({error.strerror})")

    for folder, folders, files in os.walk(root, onerror=unreadable):  # links to folders are not followed
        here = Path(folder)
        folders[:] = sorted(name for name in folders if not name.startswith(HIDDEN)
                            and not _results_folder(here / name))
        for name in folders:
            if (here / name).is_symlink():
                warnings.append(f"{here / name}: skipped, a linked folder (icap reads only what is inside the "
                                "transcripts folder)")
        for name in sorted(files):
            path = here / name
            if name.startswith(HIDDEN):
                continue
            if path.is_symlink():
                target = path.resolve()
                if not target.exists():
                    warnings.append(f"{path}: skipped, a link to nothing ({target})")
                    continue
                if not target.is_relative_to(inside):
                    warnings.append(f"{path}: skipped, a link to a file outside the transcripts folder ({target})")
                    continue
            if is_transcript(path):
                found.append(path)
            elif name.lower() not in COMPANION_FILES:
                warnings.append(f"{path}: skipped, unsupported format '{path.suffix}' (supported: {supported()})")
    return sorted(found), warnings


MAX_TRANSCRIPT_BYTES = 16_000_000  # a million-word transcript is ~6 MB; beyond this, memory is the limit
STUDY_MARKERS = ("tags.yaml", "tags.yml", "cases.csv", "cases.yaml", "cases.yml")


def study_root(path: Path) -> Path:
    """The transcripts folder a path belongs to: the folder itself, or for one transcript the nearest folder
    above it with a tags or cases file (else its own folder). Every command finds it the same way, so one
    file of a study gets the case, attributes and tags that coding the whole folder gives it."""
    if path.is_dir():
        return path
    absolute = Path(os.path.abspath(path))  # `A1.txt` typed inside Amsterdam/ still finds the study above
    for folder in absolute.parents:
        if any((folder / name).is_file() for name in STUDY_MARKERS):
            return folder if path.is_absolute() else Path(os.path.relpath(folder))
    return path.parent


def relative_name(path: Path, base: Path) -> str:
    """A document's name in every output: its path below the study folder, with forward slashes."""
    return Path(os.path.abspath(path)).relative_to(os.path.abspath(base)).as_posix()


def supported() -> str:
    return " ".join(READERS)


def read_document(path: Path, speakers: frozenset[str] = frozenset()) -> RawDocument:
    """Read one transcript; raises SkippedFile with a reason when it cannot be used.

    `speakers` are names known to be speakers (e.g. interviewers), believed
    as labels even when they occur only once.
    """
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise SkippedFile(f"skipped, unsupported format '{path.suffix}'", file=str(path))
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SkippedFile(f"skipped, cannot read it ({exc.strerror})", file=str(path)) from None
    if size > MAX_TRANSCRIPT_BYTES:
        raise SkippedFile(f"skipped, it is {size / 1e6:.1f} MB; icap reads transcripts of up to "
                          f"{MAX_TRANSCRIPT_BYTES / 1e6:g} MB (a long interview is 0.3 MB): split it", file=str(path))
    raw = reader(path, speakers)
    raw.text, replaced = replace_controls(raw.text)
    if replaced:
        raw.notes.append(f"{replaced} control characters (invisible, e.g. terminal escapes) shown as \ufffd")
    raw.text, raw.turns, raw.markers = strip_markers(raw.text, raw.turns)
    if not raw.text.strip():
        raise SkippedFile("skipped, the file holds no transcript text (empty)", file=str(path))
    return raw
