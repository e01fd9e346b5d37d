"""Every YAML file a person writes (codebook, cases, project, tags, check sets, front matter), read one safe way.

People edit these by hand, so a mistake must come back as one line with
file:line, never as a traceback, and a hostile file must not exhaust the
machine. The loader is PyYAML's safe loader with these limits:

- no aliases (`*name`): they are how a small file expands to gigabytes
  ("billion laughs"), and none of icap's files needs them;
- no explicit tags (`!!python/...`, `!!int R1`, `!custom`), except `!!str`;
- at most MAX_DEPTH levels of nesting and MAX_BYTES of text;
- text is normalised to Unicode NFC, as transcripts are, so "coöperatie" typed either way matches;
- dates and times stay text as written (`2026-02-30` is not an error, `9:30` is not 570),
  and keys must be plain values, not lists or mappings.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import yaml

from icap_coder.errors import IcapError

MAX_DEPTH = 64
MAX_BYTES = 50_000_000
STR = "tag:yaml.org,2002:str"
SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")


class Refused(yaml.MarkedYAMLError):
    """Valid YAML that icap does not accept (an alias, a tag, too deep)."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and explicit tags, limits depth, and keeps timestamps as text."""

    yaml_implicit_resolvers = {  # noqa: RUF012  (PyYAML looks it up on the class)
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise Refused(problem="anchors and aliases (&name, *name) are not allowed; write the values out",
                          problem_mark=event.start_mark)
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in ("!", STR):
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise Refused(problem=f"YAML tags like '{shown}' are not allowed; remove it "
                                  "(quote the value if it must stay text)", problem_mark=event.start_mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise Refused(problem=f"nested more than {MAX_DEPTH} levels deep", problem_mark=event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def compose(text: str, file: str, first_line: int = 1) -> yaml.Node | None:
    """The node tree of a YAML text (None when empty); line numbers of errors start at `first_line`."""
    if len(text) > MAX_BYTES:
        raise IcapError(f"file is too large for YAML ({len(text):,} characters; at most {MAX_BYTES:,})", file=file)
    loader = _Loader(unicodedata.normalize("NFC", text))  # names and keywords compare with NFC transcripts
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise as_error(exc, file, first_line) from None
    finally:
        loader.dispose()
    if node is not None:
        _check_keys(node, file, first_line)
    return node


def to_python(node: yaml.Node, file: str, first_line: int = 1) -> Any:
    """Plain data of a node (from `compose`): text, numbers, booleans, None, lists and mappings."""
    _plain_times(node)
    loader = _Loader("")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise as_error(exc, file, first_line) from None
    finally:
        loader.dispose()


def load(text: str, file: str, first_line: int = 1) -> Any:
    """Plain data of a YAML text (None when empty)."""
    node = compose(text, file, first_line)
    return None if node is None else to_python(node, file, first_line)


def line_of(node: yaml.Node, first_line: int = 1) -> int:
    return node.start_mark.line + first_line


def as_error(exc: yaml.YAMLError, file: str, first_line: int = 1) -> IcapError:
    """A YAML error as one line: where, and what is wrong."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if "<stream end>" in str(problem) and getattr(exc, "context_mark", None) is not None:
        mark = exc.context_mark  # type: ignore[attr-defined]  # where the unclosed thing opened
    line = mark.line + first_line if mark is not None else None
    if isinstance(exc, Refused):
        return IcapError(str(problem), file=file, line=line)
    return IcapError(f"not valid YAML: {problem}; check indentation, quotes and colons", file=file, line=line)


def _check_keys(node: yaml.Node, file: str, first_line: int) -> None:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in current.value:
                if not isinstance(key, yaml.ScalarNode):
                    raise IcapError("a key must be a plain word or text, not a list or mapping", file=file,
                                    line=line_of(key, first_line))
                if key.value in seen:
                    raise IcapError(f"duplicate key '{key.value}' (first at line {seen[key.value]}); keep one",
                                    file=file, line=line_of(key, first_line))
                seen[key.value] = line_of(key, first_line)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _plain_times(node: yaml.Node) -> None:
    """`9:30` and `1:02:03` are times of day or durations to a person, not YAML 1.1's base-60 numbers."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode):
            if current.style is None and current.tag != STR and SEXAGESIMAL.match(current.value):
                current.tag = STR
        elif isinstance(current, yaml.MappingNode):
            stack.extend(n for pair in current.value for n in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
