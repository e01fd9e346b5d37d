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

The file holds a person's work, so every change is made under a lock (another
icap command waits its turn), and in the way that disturbs the file least:
new entries are appended as text when that keeps the file valid; otherwise,
and to remove entries, the file is edited round-trip (ruamel.yaml), which keeps
comments, order and quoting. Either way the result is parsed again and must
hold exactly the old entries plus the new minus the removed ones, or nothing
is written. Every write goes to a temp file that replaces the original only
when complete.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from icap_coder import yamlfile
from icap_coder.atomic import write_text_atomic
from icap_coder.errors import IcapError

TAGS_FILE = "tags.yaml"
ACTIONS = ("code", "confirm", "reject")
KEYS = ("document", "quote", "code", "action", "coder", "date", "memo", "start", "end", "before", "after")
TEXT_KEYS = ("document", "quote", "code", "action", "coder", "date", "memo", "before", "after")
HEADER = "# icap tags: manual codings, one entry each (see README, 'Manual coding'). Edit freely.\n"
LOCK_SECONDS = 30.0


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
    index: int = -1  # its position in the file's list (-1: not from a file)

    def same(self, other: Tag) -> bool:
        """The same decision by the same person (two people coding one quote alike are two entries)."""
        return (self.document, self.quote, self.code, self.action, self.coder) == (
            other.document, other.quote, other.code, other.action, other.coder)

    def entry(self) -> dict[str, Any]:
        """What the file holds for this tag: the keys that have a value, in the file's order."""
        return {k: v for k, v in asdict(self).items() if k in KEYS and v not in ("", None)}


def load_tags(path: Path) -> list[Tag]:
    """All entries of a tags file; a missing file has none. Errors name file:line."""
    if not path.exists():
        return []
    return parse_tags(_read(path), str(path))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise IcapError(f"cannot read tags file ({exc}); it must be UTF-8 text", file=str(path)) from None


def parse_tags(text: str, file: str) -> list[Tag]:
    root = yamlfile.compose(text, file)
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise IcapError("tags file must be a list of entries, each starting with '- document:'", file=file, line=1)
    return [_tag(node, index, file) for index, node in enumerate(root.value)]


def _tag(node: yaml.Node, index: int, file: str) -> Tag:
    line = yamlfile.line_of(node)
    data = yamlfile.to_python(node, file)
    if not isinstance(data, dict):
        raise IcapError("each entry must be `key: value` lines", file=file, line=line)
    unknown = set(data) - set(KEYS)
    if unknown:
        raise IcapError(f"unknown key '{sorted(unknown, key=str)[0]}'; allowed: {', '.join(KEYS)}",
                        file=file, line=line)
    for key in TEXT_KEYS:
        value = data.get(key)
        if isinstance(value, bool) or (value is not None and not isinstance(value, (str, int, float))):
            raise IcapError(f"'{key}' must be text", file=file, line=line)
    for key in ("document", "quote", "code"):
        if not str(data.get(key) or "").strip():
            raise IcapError(f"entry without '{key}'", file=file, line=line)
    action = str(data.get("action") or "code")
    if action not in ACTIONS:
        raise IcapError(f"action '{action}' is not one of {', '.join(ACTIONS)}", file=file, line=line)
    for key in ("start", "end"):
        value = data.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise IcapError(f"'{key}' must be a whole number of at least 0 (or left out)", file=file, line=line)
    if data.get("start") is not None and data.get("end") is not None and data["end"] < data["start"]:
        raise IcapError("'end' must not be before 'start'", file=file, line=line)
    return Tag(
        document=str(data["document"]).replace("\\", "/"), quote=str(data["quote"]), code=str(data["code"]).strip(),
        action=action, coder=str(data.get("coder") or ""), date=str(data.get("date") or ""),
        memo=str(data.get("memo") or ""), start=data.get("start"), end=data.get("end"),
        before=str(data.get("before") or ""), after=str(data.get("after") or ""), line=line, index=index)


# -- changing the file ----------------------------------------------------------------------------
class TagsFile:
    """The entries of a tags file, to add to and remove from; `save` writes the change, or nothing."""

    def __init__(self, path: Path):
        self.path = path
        self._text = _read(path) if path.exists() else ""
        self.tags = parse_tags(self._text, str(path))  # also refuses a broken file before any change
        self._added: list[Tag] = []
        self._removed: set[int] = set()
        self._updated: dict[int, dict[str, Any]] = {}

    def add(self, tag: Tag) -> bool:
        """Add the tag unless the same one is there already; returns whether it was added."""
        if any(old.same(tag) for old in self.current()):
            return False
        self._added.append(tag)
        return True

    def remove(self, doomed: list[Tag]) -> None:
        self._removed.update(tag.index for tag in doomed if tag.index >= 0)
        self._added = [tag for tag in self._added if not any(tag is gone for gone in doomed)]

    def update(self, tag: Tag, **fields: Any) -> None:
        """Change some fields of an entry from the file (e.g. its quote and offsets), keeping the rest."""
        if tag.index < 0 or set(fields) - set(KEYS):
            raise ValueError("only entries of the file, and only its keys, can be updated")
        self._updated.setdefault(tag.index, {}).update(fields)

    def current(self) -> list[Tag]:
        kept = [replace(t, **self._updated[t.index]) if t.index in self._updated else t
                for t in self.tags if t.index not in self._removed]
        return kept + self._added

    def save(self) -> None:
        if not self._added and not self._removed and not self._updated:
            return
        expected = [t.entry() for t in self.current()]
        text = self._appended() if not self._removed and not self._updated else None
        if text is None or not self._holds(text, expected):
            text = _round_trip(self._text, sorted(self._removed), [t.entry() for t in self._added], self._updated)
            if not self._holds(text, expected):
                raise IcapError("could not change the tags file without disturbing other entries; nothing was "
                                "changed (please report this, with the file)", file=str(self.path))
        write_text_atomic(self.path, text)

    def _appended(self) -> str:
        text = self._text if self._text.strip() else (self._text or HEADER)
        if text and not text.endswith("\n"):
            text += "\n"
        return text + "".join(render(tag) for tag in self._added)

    def _holds(self, text: str, expected: list[dict[str, Any]]) -> bool:
        try:
            return [t.entry() for t in parse_tags(text, str(self.path))] == expected
        except IcapError:
            return False


@contextmanager
def editing(path: Path) -> Iterator[TagsFile]:
    """Lock the tags file, read it, let the caller change it, write it back; other icap commands wait."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(path.with_name(f".{path.name}.lock")), timeout=LOCK_SECONDS)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise IcapError(f"another icap command is writing the tags file (waited {LOCK_SECONDS:g} s); "
                        "try again when it is done", file=str(path)) from None
    except OSError as exc:
        raise IcapError(f"cannot lock the tags file ({exc.strerror}); check the folder's permissions",
                        file=str(path)) from None
    try:
        tags = TagsFile(path)
        yield tags
        tags.save()
    finally:
        lock.release()


def render(tag: Tag) -> str:
    return yaml.safe_dump([tag.entry()], allow_unicode=True, sort_keys=False, width=100)


def _round_trip(text: str, removed: list[int], added: list[dict[str, Any]],
                updated: dict[int, dict[str, Any]] | None = None) -> str:
    """Edit the YAML keeping comments and styles (ruamel.yaml); comments after a removed entry are kept."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    editor = YAML(typ="rt")
    editor.preserve_quotes = True
    editor.width = 100
    data = editor.load(text)
    lead = ""
    if data is None:  # nothing but comments: keep them as they are, above the list
        lead, data = text if text.endswith("\n") or not text else text + "\n", CommentedSeq()
    data.fa.set_block_style()
    for index, fields in (updated or {}).items():
        for key, value in fields.items():
            if value in ("", None):
                data[index].pop(key, None)
            else:
                data[index][key] = value
    for index in reversed(removed):
        _keep_following_comments(data, index)
        del data[index]
    for entry in added:
        item = CommentedMap(entry)
        item.fa.set_block_style()
        data.append(item)
    out = io.StringIO()
    if len(data):
        editor.dump(data, out)
    elif data.ca.comment:  # every entry removed: the comments that were above and after them stay
        out.write("".join(token.value for token in data.ca.comment[1] or [] if token is not None))
    return lead + out.getvalue()


def _keep_following_comments(data: Any, index: int) -> None:
    """ruamel hangs the comment lines after an entry on that entry; move them to what comes before it."""
    from ruamel.yaml.tokens import CommentToken

    item = data[index]
    if not hasattr(item, "ca") or not len(item):
        return
    last = list(item.keys())[-1]
    token = item.ca.items.get(last, [None, None, None, None])[2]
    if token is None:
        return
    value = token.value
    if token.column > 0:  # an inline comment on the entry's own last line belongs to the entry
        value = value.split("\n", 1)[1] if "\n" in value else ""
    if not value.strip():
        return
    if index > 0 and hasattr(data[index - 1], "ca") and len(data[index - 1]):
        previous = data[index - 1]
        key = list(previous.keys())[-1]
        slot = previous.ca.items.setdefault(key, [None, None, None, None])
        if slot[2] is None:
            slot[2] = CommentToken("\n" + value, token.start_mark, None)
        else:
            slot[2].value += value
    else:  # the first entry: its following comments go above the list
        if data.ca.comment is None:
            data.ca.comment = [None, []]
        if data.ca.comment[1] is None:
            data.ca.comment[1] = []
        data.ca.comment[1].append(CommentToken(value, token.start_mark, None))


def today() -> str:
    return datetime.date.today().isoformat()
