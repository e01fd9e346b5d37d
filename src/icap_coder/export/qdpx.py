"""A coded study as a REFI-QDA project (.qdpx) or its codebook alone (.qdc), for ATLAS.ti, NVivo, MAXQDA, QualCoder.

What goes in: the codebook (each group a code that holds its codes; definitions
and keywords as descriptions; inductive codes too), every document's text as
icap extracted it (UTF-8, NFC, LF: the text all offsets refer to), every coding
as a selection of exactly its segment's text in code points, one user per
person who coded (from the tags entries and markers that made the coding) and
one for icap's automatic coding so a person can filter it out, the cases with
their documents, each document's attributes as variables, and tag memos as notes.
GUIDs are derived from names and paths (UUID 5) and the zip has fixed times, so
exporting the same study twice gives the same bytes.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from icap_coder.atomic import write_bytes_atomic
from icap_coder.ingest.refi import RefiCode
from icap_coder.manual.merge import contributions
from icap_coder.model import Codebook, Coding, Document

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
AUTO_USER = "icap (automatic coding)"
UNKNOWN_USER = "unknown coder"
_NAMESPACE = uuid.UUID("6f1c2a8e-52d4-4b8e-9d0f-1c9a7e3b5d21")  # icap's: GUIDs are uuid5 of names under it
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def guid(kind: str, *names: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join((kind, *names)))).upper()


def codebook_codes(codebook: Codebook, used: list[tuple[str, str]] | None = None) -> list[RefiCode]:
    """Groups as codes that hold their codes; codes used in codings but not in the codebook (inductive) are
    added under their group."""
    codes: dict[str, RefiCode] = {}
    for group in codebook.groups:
        codes[group.name] = RefiCode(guid("code", group.name), group.name, False, _describe(group.definition, {}))
        for code in group.codes:
            codes[group.name].children.append(RefiCode(guid("code", group.name, code.name), code.name, True,
                                                       _describe(code.definition, code.keywords, code.inductive)))
    for group_name, code_name in used or []:
        holder = codes.setdefault(group_name, RefiCode(guid("code", group_name), group_name, False, ""))
        if all(child.name != code_name for child in holder.children):
            holder.children.append(RefiCode(guid("code", group_name, code_name), code_name, True,
                                           "Inductive code (made by a person in icap)."))
    return list(codes.values())


def _describe(definition: str, keywords: dict[str, list[str]], inductive: bool = False) -> str:
    lines = [" ".join(definition.split())] if definition.strip() else []
    lines += [f"icap keywords ({lang}): {', '.join(words)}" for lang, words in keywords.items() if words]
    if inductive:
        lines.append("Inductive code: applied by people, not by keywords.")
    return "\n".join(lines)


def _element(parent: Any, tag: str, namespace: str, **attributes: str) -> Any:
    from lxml import etree

    return etree.SubElement(parent, f"{{{namespace}}}{tag}", {k: v for k, v in attributes.items() if v != ""})


def _add_codes(parent: Any, codes: list[RefiCode], namespace: str) -> None:
    for code in codes:
        node = _element(parent, "Code", namespace, guid=code.guid, name=code.name,
                        isCodable="true" if code.codable else "false", color=code.color)
        if code.description:
            _element(node, "Description", namespace).text = code.description
        _add_codes(node, code.children, namespace)


def _xml_bytes(root: Any) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def codebook_xml(codebook: Codebook) -> bytes:
    from lxml import etree

    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS},
                         origin=f"icap-coder ({codebook.name}, version {codebook.version})")
    _add_codes(_element(root, "Codes", CODEBOOK_NS), codebook_codes(codebook), CODEBOOK_NS)
    return _xml_bytes(root)


def write_codebook(path: Path, codebook: Codebook) -> None:
    write_bytes_atomic(path, codebook_xml(codebook))


def _who(coding: Coding) -> list[tuple[str, str]]:
    """(user name, memo) for each maker of a coding: icap for the rules, and each person its evidence names."""
    makers: list[tuple[str, str]] = []
    if coding.source == "auto" or "<-" in coding.evidence:  # the rules found it (a person may have confirmed it)
        makers.append((AUTO_USER, ""))
    if coding.source == "manual":
        people = [(c.coder or UNKNOWN_USER, c.memo) for c in contributions(coding.evidence)]
        makers += people or [(UNKNOWN_USER, "")]
    return list(dict.fromkeys(makers))


def project_xml(name: str, codebook: Codebook, documents: list[Document],
                codings: list[Coding]) -> tuple[bytes, dict[str, str]]:
    """The project XML and the source texts it refers to (entry name -> text)."""
    from lxml import etree

    ns = PROJECT_NS
    used = list(dict.fromkeys((c.group, c.code) for c in codings))
    codes = codebook_codes(codebook, used)
    makers = {id(c): _who(c) for c in codings}
    users = list(dict.fromkeys([AUTO_USER, *(user for found in makers.values() for user, _ in found)]))
    root = etree.Element(f"{{{ns}}}Project", nsmap={None: ns}, name=name, origin="icap-coder",
                         creatingUserGUID=guid("user", AUTO_USER))
    users_node = _element(root, "Users", ns)
    for user in users:
        _element(users_node, "User", ns, guid=guid("user", user), name=user)
    _add_codes(_element(_element(root, "CodeBook", ns), "Codes", ns), codes, ns)
    attributes = list(dict.fromkeys(key for d in documents for key in d.attributes))
    if attributes:
        variables = _element(root, "Variables", ns)
        for attribute in attributes:
            _element(variables, "Variable", ns, guid=guid("variable", attribute), name=attribute,
                     typeOfVariable="Text")
    by_case: dict[str, list[Document]] = defaultdict(list)
    for document in documents:
        if document.case:
            by_case[document.case].append(document)
    if by_case:
        cases = _element(root, "Cases", ns)
        for case, members in by_case.items():
            node = _element(cases, "Case", ns, guid=guid("case", case), name=case)
            for document in members:
                _element(node, "SourceRef", ns, targetGUID=guid("source", document.path))
    texts: dict[str, str] = {}
    notes: list[tuple[str, str]] = []
    by_document: dict[str, list[Coding]] = defaultdict(list)
    for coding in codings:
        by_document[coding.document].append(coding)
    sources = _element(root, "Sources", ns)
    for document in documents:
        source_guid = guid("source", document.path)
        texts[f"sources/{source_guid}.txt"] = document.text
        node = _element(sources, "TextSource", ns, guid=source_guid, name=document.path,
                        plainTextPath=f"internal://{source_guid}.txt")
        spans: dict[tuple[int, int], list[tuple[Coding, str, str]]] = defaultdict(list)
        for coding in by_document.get(document.path, []):
            for user, memo in makers[id(coding)]:
                spans[(coding.start, coding.end)].append((coding, user, memo))
        for (start, end), made in spans.items():
            for user in dict.fromkeys(user for _, user, _ in made):  # one selection per segment and user
                mine = [(c, memo) for c, who, memo in made if who == user]
                selection = _element(node, "PlainTextSelection", ns,
                                     guid=guid("selection", document.path, str(start), str(end), user),
                                     name=_name(document.text[start:end]), startPosition=str(start),
                                     endPosition=str(end), creatingUser=guid("user", user))
                for coding, _ in mine:
                    coding_node = _element(selection, "Coding", ns,
                                           guid=guid("coding", document.path, str(start), user, coding.group,
                                                     coding.code), creatingUser=guid("user", user))
                    _element(coding_node, "CodeRef", ns, targetGUID=guid("code", coding.group, coding.code))
                for memo in dict.fromkeys(memo for _, memo in mine if memo):
                    note_guid = guid("note", document.path, str(start), user, memo)
                    notes.append((note_guid, memo))
                    _element(selection, "NoteRef", ns, targetGUID=note_guid)
        for attribute in attributes:
            if attribute in document.attributes:
                value = _element(node, "VariableValue", ns)
                _element(value, "VariableRef", ns, targetGUID=guid("variable", attribute))
                _element(value, "TextValue", ns).text = document.attributes[attribute]
    if notes:
        notes_node = _element(root, "Notes", ns)
        for note_guid, memo in dict.fromkeys(notes):
            note = _element(notes_node, "Note", ns, guid=note_guid, name=_name(memo))
            _element(note, "PlainTextContent", ns).text = memo
    return _xml_bytes(root), texts


def _name(text: str, limit: int = 60) -> str:
    """A selection's name: its text, on one line, shortened the way QDA tools show it."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def qdpx_bytes(name: str, codebook: Codebook, documents: list[Document], codings: list[Coding]) -> bytes:
    xml, texts = project_xml(name, codebook, documents, codings)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in [("project.qde", xml), *sorted((k, v.encode("utf-8")) for k, v in texts.items())]:
            info = zipfile.ZipInfo(entry, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def write_qdpx(path: Path, name: str, codebook: Codebook, documents: list[Document], codings: list[Coding]) -> None:
    write_bytes_atomic(path, qdpx_bytes(name, codebook, documents, codings))
