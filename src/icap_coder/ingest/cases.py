"""Which case each document belongs to, and its attributes (like an NVivo classification sheet).

Precedence, strongest first: the transcript's own front matter, then a
cases file (cases.csv / cases.yaml beside the transcripts, or --cases), then
the first folder level under the transcripts folder (Amsterdam/R2.txt -> Amsterdam).
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from icap_coder import yamlfile
from icap_coder.errors import IcapError
from icap_coder.ingest.base import decode

CASE_FILES = ("cases.csv", "cases.yaml", "cases.yml")


@dataclass
class CaseRow:
    key: str
    attributes: dict[str, str]
    file: str
    line: int


@dataclass
class CaseSheet:
    """Rows of a cases file, looked up by relative path, file name or file stem."""

    rows: list[CaseRow] = field(default_factory=list)

    def lookup(self, relative: str) -> dict[str, str]:
        name = relative.rsplit("/", 1)[-1]
        stem = name.rsplit(".", 1)[0]
        for candidate in (relative, name, stem):
            for row in self.rows:
                if row.key == candidate:
                    return row.attributes
        return {}

    def unmatched(self, documents: list[str]) -> list[str]:
        keys: set[str] = set()
        for relative in documents:
            name = relative.rsplit("/", 1)[-1]
            keys.update((relative, name, name.rsplit(".", 1)[0]))
        return [f"{row.file}:{row.line}: no transcript '{row.key}' found for this row; check the name"
                for row in self.rows if row.key not in keys]


def find_case_file(folder: Path) -> Path | None:
    for name in CASE_FILES:
        if (folder / name).is_file():
            return folder / name
    return None


def load_case_sheet(path: Path) -> CaseSheet:
    try:
        text = decode(path.read_bytes()).text
    except OSError as exc:
        raise IcapError(f"cannot read cases file ({exc.strerror})", file=str(path)) from None
    if path.suffix.lower() == ".csv":
        return _from_csv(text, str(path))
    return _from_yaml(text, str(path))


def _from_csv(text: str, file: str) -> CaseSheet:
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    csv.field_size_limit(min(sys.maxsize, 2**62))  # a long memo in a cell is text, not an error
    reader = csv.reader(io.StringIO(text.replace("\x00", "")), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as exc:
        raise IcapError(f"cases file is not valid CSV ({exc})", file=file, line=1) from None
    if "document" not in header:
        raise IcapError("cases file needs a 'document' column (the transcript's file name); "
                        f"found: {', '.join(header) or 'no header'}", file=file, line=1)
    sheet = CaseSheet()
    seen: dict[str, int] = {}
    number = reader.line_num + 1
    try:
        for values in reader:
            if any("\n" in v for v in values):
                raise IcapError('a quote (") is opened in this row and not closed before the next row; close it '
                                "or remove it", file=file, line=number)
            if any(v.strip() for v in values):
                sheet.rows.append(_csv_row(header, values, file, number, seen))
            number = reader.line_num + 1
    except csv.Error as exc:
        raise IcapError(f"cases file is not valid CSV ({exc})", file=file, line=number) from None
    return sheet


def _csv_row(header: list[str], values: list[str], file: str, number: int, seen: dict[str, int]) -> CaseRow:
    if len(values) > len(header):
        raise IcapError(f"row has {len(values)} fields but the header has {len(header)}; "
                        "quote values that contain the delimiter", file=file, line=number)
    row = {h: v.strip() for h, v in zip(header, values) if h and v.strip()}
    key = row.pop("document", "").replace("\\", "/")
    if not key:
        raise IcapError("row without a document name", file=file, line=number)
    if key in seen:
        raise IcapError(f"document '{key}' has a row already (line {seen[key]}); keep one", file=file, line=number)
    seen[key] = number
    return CaseRow(key, row, file, number)


def _from_yaml(text: str, file: str) -> CaseSheet:
    root = yamlfile.compose(text, file)
    sheet = CaseSheet()
    if root is None:
        return sheet
    if isinstance(root, yaml.MappingNode):  # document: {case: ..., role: ...}
        entries = [(k.value, v, k.start_mark.line + 1) for k, v in root.value]
    elif isinstance(root, yaml.SequenceNode):  # - {document: ..., case: ...}
        entries = []
        for item in root.value:
            data = yamlfile.to_python(item, file)
            if not isinstance(data, dict) or not data.get("document"):
                raise IcapError("each entry needs a 'document' key", file=file, line=item.start_mark.line + 1)
            entries.append((str(data.pop("document")), data, item.start_mark.line + 1))
    else:
        raise IcapError("cases file must map document names to attributes", file=file, line=1)
    seen: dict[str, int] = {}
    for key, value, line in entries:
        if key in seen:
            raise IcapError(f"document '{key}' has an entry already (line {seen[key]}); keep one", file=file,
                            line=line)
        seen[key] = line
        data = yamlfile.to_python(value, file) if isinstance(value, yaml.Node) else value
        if isinstance(data, str):
            data = {"case": data}
        if not isinstance(data, dict):
            raise IcapError(f"attributes of '{key}' must be `key: value` pairs", file=file, line=line)
        attributes = {str(k).lower(): str(v) for k, v in data.items() if v is not None}
        sheet.rows.append(CaseRow(str(key).replace("\\", "/"), attributes, file, line))
    return sheet


def resolve_attributes(relative: str, front_matter: dict[str, str],
                       sheet_row: dict[str, str]) -> tuple[str, dict[str, str]]:
    """-> (case, attributes) for one document, applying the precedence above."""
    parts = relative.split("/")
    folder_case = parts[0] if len(parts) > 1 else ""
    attributes = dict(sheet_row)
    attributes.update({k.lower(): v for k, v in front_matter.items()})
    case = attributes.pop("case", "") or folder_case
    return case, attributes
