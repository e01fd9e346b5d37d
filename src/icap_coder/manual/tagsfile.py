"""The tags file: manual codings a person made, in YAML a person can read, edit and diff.

    - document: Amsterdam/A1-beleidsadviseur.txt   # relative to the transcripts folder
      quote: We werken erg in kokers.
      code: Organisatie/Interne communicatie        # Group/Code, a code name, or a new inductive code
      action: code                                  # code | confirm | reject (overrule an automatic coding)
      coder: sanne
      date: '2026-11-21'
      memo: optional note
      start: 1234                                   # offsets, context: written by icap, used to re-anchor
      end: 1258
      before: '... text before the quote'
      after: 'text after the quote ...'

icap edits the file as text: new entries are appended, removed entries are cut
out by their line range, so comments and hand-made order stay as they were.
Every write goes to a temp file that replaces the original only when complete.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from icap_coder.atomic import write_text_atomic
from icap_coder.errors import IcapError

TAGS_FILE = "tags.yaml"
ACTIONS = ("code", "confirm", "reject")
KEYS = ("document", "quote", "code", "action", "coder", "date", "memo", "start", "end", "before", "after")
HEADER = "# icap tags: manual codings, one entry each (see README, 'Manual coding'). Edit freely.\n"


@dataclass
class Tag:
    document: str
    quote: str
    code: str
    action: str = "code"
    coder: str = ""
    date: str = ""
    memo: str = ""
    start: int | None = None
    end: int | None = None
    before: str = ""
    after: str = ""
    line: int = 0  # where the entry starts in the tags file (0: not from a file)
    end_line: int = 0  # first line after the entry

    def same(self, other: Tag) -> bool:
        return (self.document, self.quote, self.code, self.action) == (
            other.document, other.quote, other.code, other.action)


def load_tags(path: Path) -> list[Tag]:
    """All entries of a tags file; a missing file has none. Errors name file:line."""
    if not path.exists():
        return []
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise IcapError(f"tags file is not valid YAML ({getattr(exc, 'problem', exc)}); fix it by hand or "
                        "restore it from version control", file=file, line=mark.line + 1 if mark else None) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise IcapError(f"cannot read tags file ({exc})", file=file) from None
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise IcapError("tags file must be a list of entries, each starting with '- document:'", file=file, line=1)
    lines = text.splitlines()
    tags = []
    for index, node in enumerate(root.value):
        line = node.start_mark.line + 1
        data = yaml.safe_load(yaml.serialize(node))
        if not isinstance(data, dict):
            raise IcapError("each entry must be `key: value` lines", file=file, line=line)
        unknown = set(data) - set(KEYS)
        if unknown:
            raise IcapError(f"unknown key '{sorted(unknown)[0]}'; allowed: {', '.join(KEYS)}", file=file, line=line)
        for key in ("document", "quote", "code"):
            if not str(data.get(key) or "").strip():
                raise IcapError(f"entry without '{key}'", file=file, line=line)
        action = str(data.get("action") or "code")
        if action not in ACTIONS:
            raise IcapError(f"action '{action}' is not one of {', '.join(ACTIONS)}", file=file, line=line)
        for key in ("start", "end"):
            if data.get(key) is not None and not isinstance(data[key], int):
                raise IcapError(f"'{key}' must be a whole number", file=file, line=line)
        next_line = root.value[index + 1].start_mark.line + 1 if index + 1 < len(root.value) else len(lines) + 1
        tags.append(Tag(
            document=str(data["document"]).replace("\\", "/"), quote=str(data["quote"]), code=str(data["code"]).strip(),
            action=action, coder=str(data.get("coder") or ""), date=str(data.get("date") or ""),
            memo=str(data.get("memo") or ""), start=data.get("start"), end=data.get("end"),
            before=str(data.get("before") or ""), after=str(data.get("after") or ""),
            line=line, end_line=next_line,
        ))
    return tags


def render(tag: Tag) -> str:
    entry = {k: v for k, v in asdict(tag).items() if k in KEYS and v not in ("", None)}
    return yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=100)


def append_tags(path: Path, new: list[Tag], checked: bool = False) -> None:
    """Append entries; unless the caller has just loaded the file (`checked`), refuse a broken one."""
    if not checked:
        load_tags(path)
    text = path.read_text(encoding="utf-8-sig") if path.exists() else HEADER
    if text and not text.endswith("\n"):
        text += "\n"
    write_text_atomic(path, text + "".join(render(tag) for tag in new))


def remove_tags(path: Path, doomed: list[Tag]) -> None:
    """Cut the entries' line ranges out of the file, leaving everything else as it was."""
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    drop = {n for tag in doomed for n in range(tag.line - 1, tag.end_line - 1)}
    write_text_atomic(path, "".join(line for n, line in enumerate(lines) if n not in drop))


def today() -> str:
    return datetime.date.today().isoformat()
