"""`icap tags check`: where every tag of the tags file stands in today's transcripts, and a person's decisions.

Re-anchoring (anchor.py) never applies an approximate match on its own. This
is where a person sees each tag that is not exactly where it was recorded, and
decides: `--update` records the new place of tags that moved word for word;
`--accept LINE` (or `all`) takes an approximate match as the tag's new quote.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from icap_coder.errors import IcapError
from icap_coder.ingest.base import SkippedFile
from icap_coder.ingest.registry import read_document
from icap_coder.manual.anchor import Anchor, anchor, anchor_fields
from icap_coder.manual.tagsfile import Tag, editing, load_tags


@dataclass
class TagState:
    tag: Tag
    anchor: Anchor
    text: str  # the document's clean text ("" when it cannot be read)
    problem: str = ""  # why the document could not be read

    @property
    def status(self) -> str:
        return "no transcript" if self.problem else self.anchor.status

    @property
    def found(self) -> str:
        """The text the tag would land on (moved, approximate)."""
        return self.text[self.anchor.start:self.anchor.end] if self.anchor.start >= 0 else ""


def check(root: Path, tags_path: Path) -> list[TagState]:
    """Every tag, anchored in the transcript it names (read once per document)."""
    texts: dict[str, tuple[str, str]] = {}
    states = []
    for tag in load_tags(tags_path):
        if tag.document not in texts:
            texts[tag.document] = _text(root, tag.document)
        text, problem = texts[tag.document]
        found = anchor(text, tag.quote, tag.start, tag.end, tag.before, tag.after) if not problem else Anchor("orphan")
        states.append(TagState(tag, found, text, problem))
    return states


def _text(root: Path, document: str) -> tuple[str, str]:
    path = root / document
    if not path.is_file():
        return "", f"no transcript '{document}' in {root}"
    try:
        return read_document(path).text, ""
    except SkippedFile as exc:
        return "", exc.message


def apply(tags_path: Path, states: list[TagState], update_moved: bool, accept: set[int] | None) -> tuple[int, int]:
    """Record moved tags' new places and accepted approximate matches; returns (moved, accepted) counts.

    `accept` holds tags-file line numbers; None accepts every approximate match.
    """
    chosen = {s.tag.line: s for s in states}
    if accept:
        for line in sorted(accept):
            state = chosen.get(line)
            if state is None:
                raise IcapError(f"no tag starts at line {line}; `icap tags check` lists the lines", file=str(tags_path))
            if state.status != "approximate":
                raise IcapError(f"the tag at line {line} is {state.status}, not approximate: nothing to accept",
                                file=str(tags_path))
    moved = accepted = 0
    with editing(tags_path) as tags:
        by_line = {t.line: t for t in tags.current()}
        for state in states:
            tag = by_line.get(state.tag.line)
            if tag is None or not tag.same(state.tag):
                raise IcapError("the tags file changed while checking it; run `icap tags check` again",
                                file=str(tags_path))
            fields = anchor_fields(state.text, state.anchor.start, state.anchor.end)
            if state.status == "moved" and update_moved:
                tags.update(tag, **fields)
                moved += 1
            elif state.status == "approximate" and (accept is None or state.tag.line in accept):
                tags.update(tag, quote=state.found, **fields)
                accepted += 1
    return moved, accepted
