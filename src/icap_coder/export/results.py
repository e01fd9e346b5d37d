"""The results folder of `icap code --out DIR`: written as documents finish, read back whole.

    segments.csv     one row per segment, coded or not            (the contract of DESIGN.md)
    codings.csv      one row per (segment, code)                   (the contract of DESIGN.md)
    codings.jsonl    the same codings, one JSON object per line
    documents.jsonl  per document: its extracted text, speaker turns, attributes, interviewer
                     speakers and manual counts: what analysis needs beyond the rows
    manifest.json    versions, codebook hash, options, per-document facts, warnings

Every file is written to a temp file and renamed into place only when all of
them are complete. Reading the folder back gives the same Dataset as coding the
transcripts again, so every table made from it is the same.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from icap_coder.analysis.dataset import Dataset, of
from icap_coder.atomic import FileSet, clean_leftovers, file_set
from icap_coder.errors import IcapError
from icap_coder.export import cells, records
from icap_coder.export.contract import CODING_COLUMNS, SEGMENT_COLUMNS
from icap_coder.export.manifest import build_manifest, document_entry, interviewers, write_manifest
from icap_coder.model import Codebook, Coding, Document, Segment, Turn
from icap_coder.settings import Settings

if TYPE_CHECKING:  # only the types: reading a results folder must not import spaCy
    from icap_coder.coding.run import DocumentResult, RunResult

ROWS = ("segments.csv", "codings.csv", "codings.jsonl", "documents.jsonl")


class ResultsWriter:
    """Appends each document's rows to the open temp files of the results folder."""

    def __init__(self, files: FileSet, streams: dict[str, TextIO], guard: bool = True):
        self.guard = guard
        self._files = files
        self._streams = streams
        self._hashes = {name: hashlib.sha256() for name in ROWS}
        self._entries: list[dict[str, Any]] = []
        self._write("segments.csv", records.header(SEGMENT_COLUMNS))
        self._write("codings.csv", records.header(CODING_COLUMNS))

    def _write(self, name: str, text: str) -> None:
        self._streams[name].write(text)
        self._hashes[name].update(text.encode("utf-8"))

    def add(self, result: DocumentResult) -> None:
        """Write one document's rows: rendered already in the worker (`render_rows`), or here."""
        rows = result.prepared if isinstance(result.prepared, RenderedRows) else render_rows(result, self.guard)
        for name in ROWS:
            self._write(name, rows.text[name])
        self._entries.append(rows.manifest_entry)

    def finish(self, result: RunResult, codebook: Codebook, settings: Settings, command: list[str],
               inputs: list[dict[str, str]] | None = None) -> None:
        """Write the manifest: renamed into place after every other file, it vouches for them by their hashes."""
        manifest = build_manifest(self._entries, result, codebook, settings, command, inputs or [])
        manifest["cell_guard"] = self.guard
        manifest["files"] = {name: digest.hexdigest() for name, digest in self._hashes.items()}
        with self._files.open("manifest.json", newline="") as stream:
            write_manifest(stream, manifest)


@dataclass
class RenderedRows:
    """One document's part of every results file, as text."""

    text: dict[str, str]  # file name -> rows
    manifest_entry: dict[str, Any]


def render_rows(result: DocumentResult, guard: bool = True) -> RenderedRows:
    """Render a document's rows; pass it as `run(prepare=...)` and the workers do it, in parallel."""
    codings_csv, codings_jsonl = records.codings_files(result.codings, guard)
    return RenderedRows({"segments.csv": records.segments_csv(result.segments, guard),
                         "codings.csv": codings_csv, "codings.jsonl": codings_jsonl,
                         "documents.jsonl": records.json_lines([document_record(result)])},
                        document_entry(result))


@contextmanager
def write_results(folder: Path, guard: bool = True) -> Iterator[ResultsWriter]:
    """All-or-nothing: the folder gets every file, or (on any error) none changes."""
    with _writing(folder), file_set(folder, last="manifest.json") as files, ExitStack() as stack:
        clean_leftovers(folder, (*ROWS, "manifest.json"))  # no other run writes here now: these are from a dead one
        streams = {name: stack.enter_context(files.open(name, newline="")) for name in ROWS}
        yield ResultsWriter(files, streams, guard)


@contextmanager
def _writing(folder: Path) -> Iterator[None]:
    """One run at a time writes a results folder (the lock file sits beside it, so the folder stays clean)."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(folder.parent / f".{folder.name}.lock"), timeout=0)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise IcapError("another icap command is writing this results folder; wait for it, or choose another --out",
                        file=str(folder)) from None
    except OSError as exc:
        raise IcapError(f"cannot write here ({exc.strerror}); choose another --out", file=str(folder)) from None
    try:
        yield
    finally:
        lock.release()


def document_record(result: DocumentResult) -> dict[str, Any]:
    d = result.document
    return {"document": d.path, "format": d.format, "sha256": d.sha256, "case": d.case, "language": d.language,
            "encoding": d.encoding, "layout": d.layout, "attributes": d.attributes,
            "interviewers": interviewers(result), "manual": result.manual.manual, "rejected": result.manual.rejected,
            "turns": [[t.speaker, t.start, t.end] for t in d.turns],
            "text": d.text}


# -- reading back ------------------------------------------------------------------------------------
def is_results_folder(path: Path) -> bool:
    return path.is_dir() and (path / "codings.csv").is_file() and (path / "manifest.json").is_file()


@dataclass
class Bundle:
    """One document of a results folder with its segments and codings."""

    document: Document
    segments: list[Segment]
    codings: list[Coding]
    rejected: int | None  # automatic codings a person rejected (None: a folder from before icap counted them)


class ResultsReader:
    """A results folder read one document at a time: memory for one document, whatever the folder's size.

    Opening it checks the manifest and that every file is the one written with it; `documents()` then
    yields the documents in order, with their rows, from the files read in step.
    """

    def __init__(self, folder: Path, codebook: Codebook):
        self.folder = folder
        self.manifest = _manifest(folder)
        book = self.manifest.get("codebook") or {}
        if not isinstance(book, dict):
            raise _damaged(folder / "manifest.json", "'codebook' is not a mapping")
        if book.get("sha256") and codebook.sha256 and book["sha256"] != codebook.sha256:
            raise IcapError(f"these results were coded with another codebook ({book.get('path')}, which is no "
                            "longer there or has changed since); pass the one they were coded with, with "
                            "--codebook, so rows and labels match", file=str(folder))
        _vouched(folder, self.manifest)
        options = self.manifest.get("options") or {}
        self.meta: dict[str, Any] = {
            "codebook": book.get("name", codebook.name), "codebook_version": book.get("version", ""),
            "codebook_sha256": book.get("sha256", ""), "codebook_path": book.get("path", ""),
            "unit": options.get("unit", ""), "semantic": bool(options.get("semantic")),
            "coded_at": self.manifest.get("created", "")}
        self.warnings = [str(w) for w in list(self.manifest.get("skipped") or [])
                         + list(self.manifest.get("warnings") or [])]

    def documents(self) -> Iterator[Bundle]:
        guarded = self.manifest.get("cell_guard") is True
        segments = _Ahead(_rows(self.folder / "segments.csv", SEGMENT_COLUMNS, guarded)
                          if (self.folder / "segments.csv").is_file() else iter(()))
        codings = _Ahead(_rows(self.folder / "codings.csv", CODING_COLUMNS[:12], guarded))  # `primary` came later
        count = 0
        for entry in _document_entries(self.folder, self.manifest):
            try:
                document = _document(entry)
                interviewers = set(entry.get("interviewers", ()))
                rejected = entry.get("rejected")
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise _damaged(self.folder / "documents.jsonl", f"a document entry is not as icap writes it ({exc})"
                               ) from None
            mine_segments = [Segment(r["document"], r["case"], r["speaker"], int(r["segment"]), r["unit"],
                                     int(r["start"]), int(r["end"]), r["language"], r["text"],
                                     r["speaker"] in interviewers)
                             for r in segments.take(document.path)]
            try:
                mine = [Coding(r["document"], r["case"], r["speaker"], int(r["segment"]), int(r["start"]),
                               int(r["end"]), r["group"], r["code"], r["source"], float(r["score"]), r["evidence"],
                               r["text"], r.get("primary") == "1") for r in codings.take(document.path)]
            except ValueError as exc:
                raise _damaged(self.folder / "codings.csv", f"a score is not a number ({exc})") from None
            count += len(mine)
            yield Bundle(document, mine_segments, mine, rejected if isinstance(rejected, int) else None)
        if segments.pending() or codings.pending():
            raise _damaged(self.folder / "codings.csv", "it has rows of documents the manifest does not list, or "
                                                        "rows out of order")
        counts = self.manifest.get("counts") or {}
        expected = counts.get("codings")
        if isinstance(expected, int) and isinstance(counts.get("suggestions", 0), int):
            expected += counts.get("suggestions", 0)  # codings.csv holds suggestions by meaning too
        if isinstance(expected, int) and expected != count:
            raise _damaged(self.folder / "codings.csv", f"it has {count} rows, the manifest says {expected}")


class _Ahead:
    """An iterator of rows that can hand over the next run of rows of one document."""

    def __init__(self, rows: Iterator[dict[str, str]]):
        self.rows = rows
        self.next: dict[str, str] | None = next(rows, None)

    def take(self, document: str) -> Iterator[dict[str, str]]:
        while self.next is not None and self.next["document"] == document:
            yield self.next
            self.next = next(self.rows, None)

    def pending(self) -> bool:
        return self.next is not None


def read_results(folder: Path, codebook: Codebook) -> Dataset:
    """What `icap code --out FOLDER` wrote, as the Dataset the run had, all in memory; a damaged folder is
    refused. (The analysis commands read it with ResultsReader, one document at a time.)"""
    reader = ResultsReader(folder, codebook)
    documents, segments, codings, rejected = [], [], [], []
    for bundle in reader.documents():
        documents.append(bundle.document)
        segments.extend(bundle.segments)
        codings.extend(bundle.codings)
        rejected.append(bundle.rejected)
    total = sum(r for r in rejected if r is not None) if all(r is not None for r in rejected) else None
    return of(codebook, documents, segments, codings, total, reader.meta, reader.warnings)


def _damaged(path: Path, what: str, line: int | None = None) -> IcapError:
    return IcapError(f"not a readable icap results file: {what}; run `icap code --out` again", file=str(path),
                     line=line)


def _vouched(folder: Path, manifest: dict[str, Any]) -> None:
    """Every file the manifest names must be the one written with it (a crash between renames, a file from
    another run, or a hand edit would mix results that do not belong together)."""
    files = manifest.get("files")
    if not isinstance(files, dict):
        return  # written before icap recorded the files' hashes
    for name, expected in files.items():
        path = folder / str(name)
        try:
            digest = _sha256(path)
        except OSError as exc:
            raise _damaged(path, f"it cannot be read ({exc.strerror})") from None
        if digest != expected:
            raise IcapError(f"{name} does not belong to this manifest (changed since icap wrote it, or left from "
                            "another run); run `icap code --out` again", file=str(path))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def codebook_of(folder: Path) -> Path | None:
    """The codebook file a results folder was coded with, if it is still where the manifest says and unchanged
    (same SHA-256), so that reading the folder needs no --codebook."""
    import hashlib

    try:
        book = json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("codebook") or {}
        recorded, digest = Path(str(book["path"])), str(book["sha256"])
    except (OSError, UnicodeDecodeError, ValueError, AttributeError, KeyError, TypeError):
        return None
    candidates = [recorded] if recorded.is_absolute() else [Path.cwd() / recorded, folder.parent / recorded]
    for candidate in candidates:
        try:
            if candidate.is_file() and hashlib.sha256(candidate.read_bytes()).hexdigest() == digest:
                return candidate
        except OSError:
            continue
    return None


def _manifest(folder: Path) -> dict[str, Any]:
    path = folder / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _damaged(path, f"{type(exc).__name__}: {exc}") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("documents"), list):
        raise _damaged(path, "it is not a mapping with a list of documents")
    return manifest


def _document_entries(folder: Path, manifest: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """documents.jsonl, a line at a time; a folder written before it existed has only the manifest's entries."""
    path = folder / "documents.jsonl"
    if not path.is_file():
        yield from manifest["documents"]
        return
    try:
        with path.open(encoding="utf-8") as stream:
            for number, line in enumerate(stream, start=1):
                if line.strip():
                    entry = json.loads(line)
                    if not isinstance(entry, dict):
                        raise _damaged(path, "a line is not a document entry", number)
                    yield entry
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _damaged(path, f"{type(exc).__name__}: {exc}") from None


def _document(entry: dict[str, Any]) -> Document:
    turns = [Turn(speaker, int(start), int(end)) for speaker, start, end in entry.get("turns", ())]
    return Document(entry["document"], entry.get("text", ""), turns, entry.get("format", ""),
                    entry.get("sha256", ""), entry.get("case", ""), dict(entry.get("attributes", {})),
                    entry.get("language", ""), entry.get("encoding", ""), entry.get("layout", ""))


def _rows(path: Path, columns: list[str], guarded: bool = False) -> Iterator[dict[str, str]]:
    """The rows of a results CSV, read as they are needed; an empty, cut-off or foreign file is refused."""
    csv.field_size_limit(sys.maxsize if sys.maxsize < 2**63 else 2**62)  # a long turn is one long field
    try:
        size = path.stat().st_size
        with path.open("rb") as raw:
            raw.seek(max(0, size - 1))
            last = raw.read(1)
    except OSError as exc:
        raise _damaged(path, f"{type(exc).__name__}: {exc.strerror}") from None
    if size == 0:
        raise IcapError(f"{path.name} is empty; run `icap code --out` again", file=str(path))
    if last != b"\n":
        raise _damaged(path, "it ends in the middle of a row (cut off)")
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            reader = csv.reader(stream)
            header = next(reader, [])
            if header[:len(columns)] != columns:
                raise _damaged(path, f"its columns are {', '.join(header[:4]) or 'missing'}..., not icap's", 1)
            for row in reader:
                if len(row) < len(columns):
                    raise _damaged(path, f"a row has {len(row)} fields, not {len(columns)}", reader.line_num)
                record = dict(zip(header, [cells.unguard(v) for v in row] if guarded else row))
                for name in ("segment", "start", "end"):
                    if not record[name].isdigit():
                        raise _damaged(path, f"'{name}' is '{record[name][:20]}', not a number", reader.line_num)
                yield record
    except csv.Error as exc:
        raise _damaged(path, str(exc)) from None
    except UnicodeDecodeError as exc:
        raise _damaged(path, f"it is not UTF-8 ({exc.reason})") from None
