"""Append inductive codes to a codebook YAML file without disturbing a line of it.

Students annotate their codebooks with comments and order them by hand, so we
do not load and re-dump the YAML (which would lose both): we find, from the
parser's line marks, where a group's `codes:` list ends and insert one line per
new code there, in the list's own indentation. The result must validate before
it replaces the file.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from icap_coder import yamlfile
from icap_coder.atomic import write_text_atomic
from icap_coder.codebook.loader import load_codebook
from icap_coder.errors import CodebookError, IcapError


def promote(codebook_path: Path, new_codes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Add (group, code) pairs as `{name: ..., inductive: true}`; returns those actually added."""
    text = codebook_path.read_text(encoding="utf-8-sig")
    book, _ = load_codebook(codebook_path)
    existing = {(c.group, c.name) for c in book.codes()}
    wanted = [pair for pair in dict.fromkeys(new_codes) if pair not in existing]
    if not wanted:
        return []
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    root = yamlfile.compose(text, str(codebook_path))
    assert root is not None  # load_codebook above has validated the file
    groups_node = next(v for k, v in root.value if k.value == "groups")
    insertions: dict[int, list[str]] = {}
    missing_groups: dict[str, list[str]] = {}
    for group, code in wanted:
        node = _group_node(groups_node, group)
        if node is None:
            missing_groups.setdefault(group, []).append(code)
            continue
        codes = next(v for k, v in node.value if k.value == "codes")
        last = codes.value[-1]
        dash = lines[last.start_mark.line].rfind("-", 0, last.start_mark.column + 1)
        at = last.end_mark.line + 1 if last.end_mark.column > 0 else last.end_mark.line
        insertions.setdefault(at, []).append(" " * dash + f"- {{name: {_quote(code)}, inductive: true}}\n")
    if missing_groups:
        first = groups_node.value[0]
        dash = lines[first.start_mark.line].rfind("-", 0, first.start_mark.column + 1)
        pad = " " * dash
        block = []
        for group, codes in missing_groups.items():
            block.append(f"{pad}- name: {_quote(group)}\n{pad}  codes:\n")
            block.extend(f"{pad}    - {{name: {_quote(code)}, inductive: true}}\n" for code in codes)
        insertions.setdefault(len(lines), []).extend(block)
    out = []
    for number, line in enumerate([*lines, ""]):
        out.extend(insertions.get(number, []))
        out.append(line)
    new_text = "".join(out)
    _check(codebook_path, new_text)
    write_text_atomic(codebook_path, new_text)
    return wanted


def _group_node(groups_node, name: str):
    for node in groups_node.value:
        fields = {k.value: v for k, v in node.value}
        if "name" in fields and str(fields["name"].value) == name:
            return node
    return None


def _quote(value: str) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_style='"').strip().removesuffix("...").strip()


def _check(path: Path, text: str) -> None:
    probe = path.with_name(f".{path.name}.check")
    try:
        probe.write_text(text, encoding="utf-8")
        load_codebook(probe)
    except CodebookError as exc:
        raise IcapError(f"promoting would break the codebook ({exc.problems[0].message}); nothing was changed",
                        file=str(path)) from None
    finally:
        probe.unlink(missing_ok=True)
