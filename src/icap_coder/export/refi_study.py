"""A REFI-QDA project as an icap study: transcripts, codebook.yaml, tags.yaml and cases.csv in a new folder.

Each text source becomes a .txt transcript (its folders kept, made safe), the
project's codebook a codebook YAML (top-level codes are groups, their codes
the codes, deeper levels joined with "/", ATLAS.ti's `Group::Code` names split;
every code inductive until a person gives it keywords), each coding a manual tag
whose coder is the REFI user, with its quote, offsets and context (icap's own
automatic codings of an icap export too, as coder "icap (automatic coding)", so
that the imported study counts what the exported one counted), the cases and
variables a cases.csv, and an icap.yaml that points every command at the
codebook. The folder is written whole or not at all: everything goes to a temp
folder renamed into place.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from icap_coder.errors import IcapError
from icap_coder.ingest.refi import RefiCode, RefiProject
from icap_coder.manual.tagsfile import HEADER, TAGS_FILE, Tag, parse_tags, render

UNGROUPED = "Codes"
DOCUMENT_SUFFIXES = {".txt", ".docx", ".doc", ".rtf", ".odt", ".pdf", ".vtt", ".srt", ".md", ".json", ".html"}
UNSAFE = re.compile(r'[\x00-\x1f<>:"|?*\\]')
CONTEXT = 40
AUTO_USERS = {"icap (automatic coding)"}


@dataclass
class Imported:
    transcripts: int = 0
    codes: int = 0
    tags: int = 0
    coders: list[str] = field(default_factory=list)
    automatic: int = 0  # of the tags, icap's own automatic codings (an icap export read back)
    warnings: list[str] = field(default_factory=list)


def code_paths(codes: list[RefiCode], used: set[str] | None = None,
               ) -> tuple[dict[str, tuple[str, str]], dict[str, list[tuple[str, str]]]]:
    """code guid -> (group, code), and the codebook's groups with their (code, description). A top-level code
    that holds others is a group; it is also a code of itself only when codings use it (`used`): MAXQDA marks
    every parent codable, with "never apply this parent" in its description."""
    groups: dict[str, list[tuple[str, str]]] = {}
    paths: dict[str, tuple[str, str]] = {}

    def add(group: str, name: str, description: str, code_guid: str) -> None:
        taken = {n for n, _ in groups.setdefault(group, [])}
        unique, n = name, 2
        while unique in taken:
            unique, n = f"{name} ({n})", n + 1
        groups[group].append((unique, description))
        paths[code_guid] = (group, unique)

    def below(group: str, prefix: str, code: RefiCode) -> None:
        add(group, prefix + code.name, code.description, code.guid)
        for child in code.children:
            below(group, f"{prefix}{code.name}/", child)

    for code in codes:
        if code.children:
            groups.setdefault(code.name, [])
            if code.codable and used is not None and code.guid in used:
                add(code.name, code.name, "", code.guid)
            for child in code.children:
                below(code.name, "", child)
        elif "::" in code.name:
            group, name = (part.strip() for part in code.name.split("::", 1))
            add(group or UNGROUPED, name or code.name, code.description, code.guid)
    for code in codes:  # flat codes last, so that "Coke" goes beside "Coke::diet Coke" when there is such a group
        if not code.children and "::" not in code.name:
            add(code.name if code.name in groups else UNGROUPED, code.name, code.description, code.guid)
    return paths, groups


def codebook_yaml(name: str, origin: str, groups: dict[str, list[tuple[str, str]]], definitions: dict[str, str]) -> str:
    data = {
        "codebook": name, "version": 1, "languages": ["nl", "en", "sv"],
        "description": f"Imported from a REFI-QDA project ({origin or 'unknown tool'}). Every code is inductive "
                       "until you give it keywords.",
        "groups": [{"name": group, **({"definition": definitions[group]} if definitions.get(group) else {}),
                    "codes": [{"name": code, **({"definition": text} if text else {}), "inductive": True}
                              for code, text in codes]}
                   for group, codes in groups.items() if codes],
    }
    return ("# Codebook imported by `icap qdpx import` (or `icap codebook import`); see README, 'Codebooks'.\n"
            + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))


def safe_name(name: str, taken: set[str]) -> str:
    """A relative .txt path inside the study for a source name: no '..', no absolute paths, no odd characters."""
    parts = [UNSAFE.sub("_", part).strip(" .") for part in re.split(r"[/\\]+", name)]
    parts = [part for part in parts if part and part not in (".", "..")][-3:] or ["source"]
    stem = parts[-1]
    suffix = PurePosixPath(stem).suffix.lower()
    if suffix in DOCUMENT_SUFFIXES:
        stem = stem[: -len(suffix)] or "source"
    relative = "/".join([*parts[:-1], stem[:120]])
    candidate, n = f"{relative}.txt", 2
    while candidate.lower() in taken:
        candidate, n = f"{relative}-{n}.txt", n + 1
    taken.add(candidate.lower())
    return candidate


def write_study(project: RefiProject, folder: Path) -> Imported:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise IcapError("the folder exists and is not empty; import into a new folder (nothing was written)",
                        file=str(folder))
    usable = [source for source in project.sources if source.text is not None]
    if not usable:
        raise IcapError("no text source could be read from the project, so there is nothing to import",
                        file=project.name)
    used = {c.code for source in usable for selection in source.selections for c in selection.codings}
    paths, groups = code_paths(project.codes, used)
    definitions = {code.name: code.description for code in project.codes if code.children}
    result = Imported(codes=sum(len(codes) for codes in groups.values()))
    taken: set[str] = set()
    names = {source.guid: safe_name(source.name, taken) for source in usable}
    cases = {guid: case for case in project.cases for guid in case.sources}
    files: dict[str, str] = {}
    tags: list[Tag] = []
    for source in usable:
        relative, text = names[source.guid], source.text or ""
        files[relative] = text
        for selection in source.selections:
            quote = text[selection.start:selection.end]
            for coding in selection.codings:
                user = project.users.get(coding.user or selection.user, "") or "unknown"
                if coding.code not in paths:
                    result.warnings.append(f"{source.name}: a coding refers to a code the codebook lacks "
                                           f"({coding.code}); skipped")
                    continue
                if not quote.strip():
                    result.warnings.append(f"{source.name}: an empty selection at {selection.start}; skipped")
                    continue
                group, code = paths[coding.code]
                tags.append(Tag(relative, quote, f"{group}/{code}", "code", user,
                                (coding.created or selection.created)[:10], selection.memo, selection.start,
                                selection.end, text[max(0, selection.start - CONTEXT):selection.start],
                                text[selection.end:selection.end + CONTEXT]))
    result.transcripts, result.tags = len(files), len(tags)
    result.automatic = sum(tag.coder in AUTO_USERS for tag in tags)
    result.coders = list(dict.fromkeys(tag.coder for tag in tags))
    cases_csv = _cases_csv(usable, names, cases)
    folder.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        for relative, text in files.items():
            target = temp / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
        (temp / "codebook.yaml").write_text(codebook_yaml(project.name, project.origin, groups, definitions),
                                            encoding="utf-8")
        tags_text = HEADER + "".join(render(tag) for tag in tags)
        if len(parse_tags(tags_text, TAGS_FILE)) != len(tags):
            raise IcapError("the tags file would not read back whole; nothing was written (please report this)")
        (temp / TAGS_FILE).write_text(tags_text, encoding="utf-8")
        if cases_csv:
            (temp / "cases.csv").write_text(cases_csv, encoding="utf-8")
        (temp / "icap.yaml").write_text("# icap project: every command run on this folder uses its codebook\n"
                                        "codebook: codebook.yaml\n", encoding="utf-8")
        if folder.exists():
            folder.rmdir()  # empty, checked above
        temp.rename(folder)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return result


def _cases_csv(sources: list, names: dict[str, str], cases: dict) -> str:
    """document, case and every variable (of the source's case, then of the source itself)."""
    rows = []
    for source in sources:
        case = cases.get(source.guid)
        values = {**(case.variables if case else {}), **source.variables}
        values.pop("document", None)
        rows.append({"document": names[source.guid], "case": case.name if case else "", **values})
    columns = list(dict.fromkeys(key for row in rows for key in row))
    if columns == ["document", "case"] and not any(row["case"] for row in rows):
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
