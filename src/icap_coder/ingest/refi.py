"""REFI-QDA exchange files (.qdpx projects, .qdc codebooks), read safely into plain data.

A .qdpx is a zip holding one project XML (`project.qde`; ATLAS.ti writes
`<name>.qde`) and the text of its sources (`sources/<guid>.txt`; some tools write
`Sources/`). A selection is 0-based and end-exclusive, counted in Unicode code
points by the standard; NVivo was seen counting UTF-16 code units (a BOM not
counted, a CRLF as two). So for each source every reading is tried and the one
under which the selections' recorded text (their `name`) matches the source is
taken; when that is not the standard's reading, a warning says so. Offsets are
given back in code points of the text as icap reads it (LF line ends, NFC).

A hostile file is refused with one line: an entry outside the archive, more
uncompressed data than a study could hold, XML with a DOCTYPE (where entity
expansion and external entities live). Nothing is read from outside the zip.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from icap_coder.errors import IcapError

MAX_ENTRY = 64 * 1024 * 1024  # bytes of one uncompressed entry: far above any transcript
MAX_TOTAL = 512 * 1024 * 1024  # bytes of all entries together
MAX_XML = 64 * 1024 * 1024
DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
STANDARD = "code points"


@dataclass
class RefiCode:
    guid: str
    name: str
    codable: bool = True
    description: str = ""
    color: str = ""
    children: list[RefiCode] = field(default_factory=list)


@dataclass
class RefiCoding:
    code: str  # the code's guid
    user: str = ""  # the user's guid
    created: str = ""


@dataclass
class RefiSelection:
    guid: str
    start: int
    end: int
    name: str = ""  # many tools record the selected text here
    user: str = ""
    created: str = ""
    codings: list[RefiCoding] = field(default_factory=list)
    memo: str = ""


@dataclass
class RefiSource:
    guid: str
    name: str
    text: str | None = None  # None: the source's text is not in the file
    selections: list[RefiSelection] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    convention: str = STANDARD  # how its offsets were counted


@dataclass
class RefiCase:
    guid: str
    name: str
    variables: dict[str, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)  # source guids


@dataclass
class RefiProject:
    name: str
    origin: str = ""
    users: dict[str, str] = field(default_factory=dict)  # guid -> name
    codes: list[RefiCode] = field(default_factory=list)
    sources: list[RefiSource] = field(default_factory=list)
    cases: list[RefiCase] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def all_codes(self) -> list[RefiCode]:
        found: list[RefiCode] = []

        def walk(codes: list[RefiCode]) -> None:
            for code in codes:
                found.append(code)
                walk(code.children)
        walk(self.codes)
        return found


# -- XML ---------------------------------------------------------------------------------------------
def parse_xml(data: bytes, where: str) -> Any:
    """An lxml tree of trusted shape: no DOCTYPE, no entities, no network, no huge trees."""
    from lxml import etree

    if len(data) > MAX_XML:
        raise IcapError(f"the XML is larger than {MAX_XML // 2**20} MB; not a REFI-QDA file icap can read",
                        file=where)
    if DOCTYPE.search(data[:4096]) or DOCTYPE.search(data):
        raise IcapError("the XML declares a DOCTYPE (entities); REFI-QDA files have none, so it is refused",
                        file=where)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise IcapError(f"not well-formed XML ({exc.msg})", file=where, line=line) from None


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Any, name: str) -> list[Any]:
    return [child for child in element if _local(child) == name]


def _child(element: Any, name: str) -> Any:
    found = _children(element, name)
    return found[0] if found else None


def _text(element: Any, name: str) -> str:
    child = _child(element, name)
    return "".join(child.itertext()).strip() if child is not None else ""


def _codes(parent: Any) -> list[RefiCode]:
    codes = []
    for node in _children(parent, "Code"):
        codes.append(RefiCode((node.get("guid") or "").upper(), (node.get("name") or "").strip() or "(unnamed)",
                              (node.get("isCodable") or "true").lower() in ("true", "1"),
                              _text(node, "Description"), node.get("color") or "", _codes(node)))
    return codes


def read_codebook(path: Path) -> list[RefiCode]:
    """The codes of a .qdc file (or of the codebook inside a .qdpx)."""
    if zipfile.is_zipfile(path):
        return read_project(path).codes
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IcapError(f"cannot read it ({exc.strerror})", file=str(path)) from None
    root = parse_xml(data, str(path))
    if _local(root) != "CodeBook":
        raise IcapError(f"not a REFI-QDA codebook: its root is <{_local(root)}>, not <CodeBook>", file=str(path))
    codes = _child(root, "Codes")
    return _codes(codes) if codes is not None else []


# -- the archive -------------------------------------------------------------------------------------
class _Archive:
    """The zip's entries, checked before anything is read, and read with a cap whatever they declare."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise IcapError(f"not a REFI-QDA project: a .qdpx is a zip file ({exc})", file=str(path)) from None
        total = 0
        for info in self.zip.infolist():
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
                raise IcapError(f"unsafe entry '{name}' (it points outside the archive); the file is refused",
                                file=str(path))
            total += info.file_size
            if info.file_size > MAX_ENTRY or total > MAX_TOTAL:
                raise IcapError(f"entry '{name}' unpacks to more than a study holds ({info.file_size:,} bytes; "
                                f"at most {MAX_ENTRY // 2**20} MB each, {MAX_TOTAL // 2**20} MB in all); refused",
                                file=str(path))
        self.names = {info.filename.replace("\\", "/").lower(): info for info in self.zip.infolist()
                      if not info.is_dir()}

    def read(self, info: zipfile.ZipInfo) -> bytes:
        try:
            with self.zip.open(info) as stream:
                data = stream.read(MAX_ENTRY + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError) as exc:
            raise IcapError(f"entry '{info.filename}' cannot be read ({exc})", file=str(self.path)) from None
        if len(data) > MAX_ENTRY:
            raise IcapError(f"entry '{info.filename}' unpacks to more than {MAX_ENTRY // 2**20} MB; refused",
                            file=str(self.path))
        return data

    def project_entry(self) -> zipfile.ZipInfo:
        top = [info for name, info in self.names.items() if "/" not in name and name.endswith(".qde")]
        if not top:
            raise IcapError("no project.qde in the archive; not a REFI-QDA project", file=str(self.path))
        return next((info for info in top if info.filename.lower() == "project.qde"), top[0])

    def source(self, reference: str) -> zipfile.ZipInfo | None:
        """The entry behind `internal://<guid>.txt` (in sources/ or Sources/), or a bare file name."""
        name = reference.split("://", 1)[-1].replace("\\", "/").rsplit("/", 1)[-1].lower()
        return self.names.get(f"sources/{name}") or self.names.get(name)


def read_project(path: Path) -> RefiProject:
    archive = _Archive(path)
    entry = archive.project_entry()
    where = f"{path}:{entry.filename}"
    root = parse_xml(archive.read(entry), where)
    if _local(root) != "Project":
        raise IcapError(f"not a REFI-QDA project: its root is <{_local(root)}>, not <Project>", file=where)
    project = RefiProject(root.get("name") or path.stem, root.get("origin") or "")
    users = _child(root, "Users")
    for user in _children(users, "User") if users is not None else []:
        project.users[(user.get("guid") or "").upper()] = user.get("name") or user.get("id") or "unknown"
    book = _child(root, "CodeBook")
    codes = _child(book, "Codes") if book is not None else None
    project.codes = _codes(codes) if codes is not None else []
    variables = {}
    declared = _child(root, "Variables")
    for variable in _children(declared, "Variable") if declared is not None else []:
        variables[(variable.get("guid") or "").upper()] = variable.get("name") or "variable"
    notes = _notes(root, archive)
    cases = _child(root, "Cases")
    for case in _children(cases, "Case") if cases is not None else []:
        project.cases.append(RefiCase(case.get("guid", ""), case.get("name") or "case", _values(case, variables),
                                      [(ref.get("targetGUID") or "").upper() for ref in _children(case, "SourceRef")]))
    sources = _child(root, "Sources")
    for node in list(sources) if sources is not None else []:
        kind = _local(node)
        name = node.get("name") or node.get("guid") or "source"
        if kind != "TextSource":
            if kind:
                project.warnings.append(f"{path}: source '{name}' is a {kind.removesuffix('Source').lower()} "
                                        "source; icap codes text only, so it is not imported")
            continue
        project.sources.append(_text_source(node, name, archive, variables, notes, project.warnings))
    return project


def _values(node: Any, variables: dict[str, str]) -> dict[str, str]:
    values = {}
    for value in _children(node, "VariableValue"):
        ref = _child(value, "VariableRef")
        name = variables.get((ref.get("targetGUID") or "").upper(), "") if ref is not None else ""
        given = [child for child in value if _local(child) != "VariableRef"]
        if name and given:
            values[name] = "".join(given[0].itertext()).strip()
    return values


def _notes(root: Any, archive: _Archive) -> dict[str, str]:
    notes = {}
    container = _child(root, "Notes")
    for note in _children(container, "Note") if container is not None else []:
        text = _text(note, "PlainTextContent")
        if not text and note.get("plainTextPath"):
            info = archive.source(note.get("plainTextPath"))
            text = _decode(archive.read(info))[0].strip() if info is not None else ""
        notes[(note.get("guid") or "").upper()] = text or (note.get("name") or "")
    return notes


def _decode(data: bytes) -> tuple[str, str]:
    """Text and how it was decoded: a BOM decides, else UTF-8, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _text_source(node: Any, name: str, archive: _Archive, variables: dict[str, str], notes: dict[str, str],
                 warnings: list[str]) -> RefiSource:
    where = f"{archive.path}: source '{name}'"
    source = RefiSource((node.get("guid") or "").upper(), name, variables=_values(node, variables))
    raw: str | None = None
    if _child(node, "PlainTextContent") is not None:
        raw = "".join(_child(node, "PlainTextContent").itertext())
    elif node.get("plainTextPath"):
        info = archive.source(node.get("plainTextPath"))
        if info is None:
            warnings.append(f"{where}: its text ({node.get('plainTextPath')}) is not in the archive; its codings "
                            "are not imported")
        else:
            raw, encoding = _decode(archive.read(info))
            if encoding == "Windows-1252":
                warnings.append(f"{where}: its text is not UTF-8; read as Windows-1252")
    else:
        warnings.append(f"{where}: no plain-text rendition (only {node.get('richTextPath') or 'nothing'}); offsets "
                        "refer to the plain text, so it is not imported")
    for selection in _children(node, "PlainTextSelection"):
        start, end = _int(selection.get("startPosition")), _int(selection.get("endPosition"))
        if start is None or end is None or start < 0 or end < start:
            warnings.append(f"{where}: selection {selection.get('guid')} has no valid start/end; skipped")
            continue
        memo = "; ".join(filter(None, [_text(selection, "Description"),
                                       *[notes.get((ref.get("targetGUID") or "").upper(), "")
                                         for ref in _children(selection, "NoteRef")]]))
        source.selections.append(RefiSelection(
            selection.get("guid", ""), start, end, selection.get("name") or "",
            (selection.get("creatingUser") or "").upper(), selection.get("creationDateTime") or "",
            [_coding(c) for c in _children(selection, "Coding")], memo))
    whole = [_coding(c) for c in _children(node, "Coding")]  # codings of the source as a whole
    if raw is None:
        source.selections = []
        return source
    if whole:
        source.selections.append(RefiSelection("", 0, len(raw), "", "", "", whole))
    source.text, source.selections, source.convention, note = _place(raw, source.selections)
    if note:
        warnings.append(f"{where}: {note}")
    return source


def _coding(node: Any) -> RefiCoding:
    ref = _child(node, "CodeRef")
    return RefiCoding((ref.get("targetGUID") or "").upper() if ref is not None else "",
                      (node.get("creatingUser") or "").upper(), node.get("creationDateTime") or "")


# -- offsets -------------------------------------------------------------------------------------------
def _utf16_index(text: str) -> list[int]:
    """units[i]: UTF-16 code units before code point i (len(text) + 1 entries)."""
    units, total = [0], 0
    for char in text:
        total += 2 if ord(char) > 0xFFFF else 1
        units.append(total)
    return units


def _same(found: str, recorded: str) -> bool:
    """Does a selection's recorded name show the text found at its offsets? (Tools shorten long names.)"""
    found, recorded = " ".join(found.split()), " ".join(recorded.split())
    if not recorded:
        return False
    short = recorded.rstrip(".…").rstrip()
    return found == recorded or (len(short) >= 8 and found.startswith(short))


def _place(raw: str, selections: list[RefiSelection]) -> tuple[str, list[RefiSelection], str, str]:
    """The source's text as icap reads it, its selections in code points of that text, the convention used,
    and a note when it was not the standard's (or when selections fall outside the text)."""
    lf = raw.replace("\r\n", "\n").replace("\r", "\n")
    readings: dict[str, tuple[str, list[int] | None]] = {
        STANDARD: (raw, None), "UTF-16 code units (as NVivo writes them)": (raw, _utf16_index(raw)),
        "code points, counting CRLF as one": (lf, None),
        "UTF-16 code units, counting CRLF as one": (lf, _utf16_index(lf))}
    best: tuple[int, int, int] | None = None
    chosen = STANDARD
    for rank, (name, (text, units)) in enumerate(readings.items()):
        spans = [_span(s.start, s.end, len(text), units) for s in selections]
        fits = sum(span is not None for span in spans)
        matches = sum(1 for s, span in zip(selections, spans) if span and _same(text[span[0]:span[1]], s.name))
        score = (matches, fits, -rank)
        if best is None or score > best:
            best, chosen = score, name
    text, units = readings[chosen]
    plain, to_plain = _line_ends(text)
    final, to_final = _normalised(plain)
    placed, outside = [], 0
    for selection in selections:
        span = _span(selection.start, selection.end, len(text), units)
        if span is None:
            outside += 1
            continue
        selection.start, selection.end = to_final[to_plain[span[0]]], to_final[to_plain[span[1]]]
        placed.append(selection)
    notes = []
    if chosen != STANDARD and selections:
        matches = best[0] if best else 0
        notes.append(f"offsets read as {chosen}: {matches} of {len(selections)} selections then match their "
                     "recorded text")
    if outside:
        notes.append(f"{outside} selection(s) lie outside its text; skipped")
    return final, placed, chosen, "; ".join(notes)


def _span(start: int, end: int, length: int, units: list[int] | None) -> tuple[int, int] | None:
    if units is None:
        return (start, end) if end <= length else None
    first, last = bisect_left(units, start), bisect_left(units, end)
    if first >= len(units) or last >= len(units) or units[first] != start or units[last] != end:
        return None  # beyond the text, or inside a surrogate pair
    return first, last


def _line_ends(text: str) -> tuple[str, list[int]]:
    """LF line ends, with where each old offset lands (the LF of a CRLF takes the CR's place)."""
    out: list[str] = []
    positions = [0] * (len(text) + 1)
    total = 0
    for i, char in enumerate(text):
        positions[i] = total
        if char == "\r":
            if i + 1 < len(text) and text[i + 1] == "\n":
                continue  # the LF that follows stands for both
            char = "\n"
        out.append(char)
        total += 1
    positions[len(text)] = total
    return "".join(out), positions


def _normalised(text: str) -> tuple[str, list[int]]:
    """NFC, one base character and its combining marks at a time, with where each old offset lands."""
    pieces: list[str] = []
    positions = [0] * (len(text) + 1)
    total, i = 0, 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFC", text[i:j])
        for k in range(i, j):
            positions[k] = total  # an offset inside a character and its marks goes to its start
        pieces.append(piece)
        total += len(piece)
        i = j
    positions[len(text)] = total
    return "".join(pieces), positions
