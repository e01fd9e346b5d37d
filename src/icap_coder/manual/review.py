"""`icap review`: walk through the automatic codings one segment at a time and decide.

Per segment: `a` accept (confirm) all proposed codes, `r` reject all, `a 2` / `r 1 3`
decide single proposals, `c CODE` add a code of the codebook by hand (a typo is refused
with the closest codes), `n CODE` add a new inductive code, `s` (or Enter) skip, `q` quit,
`?` help. Every decision is appended to the tags file at once, so quitting loses
nothing; a later review starts with the segments that still have undecided
proposals, which is where the last one stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from icap_coder.errors import IcapError
from icap_coder.manual import tagging
from icap_coder.manual.merge import check_code
from icap_coder.model import Codebook, Coding, Document, Segment

HELP = ("a = accept all, r = reject all, a N / r N = one proposal, c CODE = add a code, n CODE = add a new "
        "inductive code, s = skip, q = quit")


@dataclass
class Item:
    document: Document
    segment: Segment
    proposals: list[Coding]


@dataclass
class Tally:
    shown: int = 0
    confirmed: int = 0
    rejected: int = 0
    added: int = 0


def items_to_review(documents: list[Document], segments: list[Segment], codings: list[Coding],
                    group: str | None = None, case: str | None = None, code: str | None = None) -> list[Item]:
    """Segments with automatic codings nobody has decided on yet, in document order."""
    by_path = {d.path: d for d in documents}
    by_index = {(s.document, s.index): s for s in segments}
    pending: dict[tuple[str, int], list[Coding]] = {}
    for coding in codings:
        if coding.source != "auto" or (group and coding.group != group) or (code and coding.code != code):
            continue
        if case and coding.case != case:
            continue
        pending.setdefault((coding.document, coding.segment), []).append(coding)
    return [Item(by_path[doc], by_index[(doc, index)], proposals) for (doc, index), proposals in pending.items()]


class Session:
    def __init__(self, codebook: Codebook, root: Path, tags_path: Path, ask: Callable[[str], str | None],
                 show: Callable[[Item, int, int, list[Coding]], None], say: Callable[[str], None], coder: str):
        self.codebook, self.root, self.tags_path = codebook, root, tags_path
        self.ask, self.show, self.say, self.coder = ask, show, say, coder
        self.tally = Tally()

    def run(self, items: list[Item]) -> Tally:
        for number, item in enumerate(items, start=1):
            if not self.review(item, number, len(items)):
                break
        return self.tally

    def review(self, item: Item, number: int, total: int) -> bool:
        """Decide on one segment; returns False when the reviewer quits."""
        open_ = list(item.proposals)
        self.tally.shown += 1
        while open_:
            self.show(item, number, total, open_)
            answer = self.ask("decision")
            if answer is None:
                return False
            words = answer.strip().split(maxsplit=1)
            command, rest = (words[0].lower(), words[1] if len(words) > 1 else "") if words else ("s", "")
            if command == "q":
                return False
            if command == "s":
                return True
            if command in ("a", "r"):
                chosen = self._pick(open_, rest)
                if chosen is None:
                    continue
                for coding in chosen:
                    self._write(item, f"{coding.group}/{coding.code}", "confirm" if command == "a" else "reject")
                    open_.remove(coding)
            elif command in ("c", "n") and rest:
                try:
                    check_code(self.codebook, rest, new=command == "n")
                except IcapError as exc:
                    self.say(f"{exc.message.replace('needs --new', 'needs n instead of c')}; try again")
                    continue
                self._write(item, rest, "code", new=command == "n")
            else:
                self.say(HELP)
        return True

    def _pick(self, open_: list[Coding], rest: str) -> list[Coding] | None:
        if not rest:
            return list(open_)
        try:
            numbers = [int(n) for n in rest.replace(",", " ").split()]
        except ValueError:
            numbers = []
        if not numbers or not all(1 <= n <= len(open_) for n in numbers):
            self.say(f"choose proposals by number, 1 to {len(open_)}")
            return None
        return [open_[n - 1] for n in dict.fromkeys(numbers)]

    def _write(self, item: Item, code: str, action: str, new: bool = False) -> None:
        document, segment = item.document, item.segment
        place = tagging.Place(self.root / document.path, document.path, self.tags_path, document.text)
        tag, new_code = tagging.new_tag(place, self.codebook, code, segment.start, segment.end, action, self.coder,
                                        new=new)
        tagging.add(place, tag)
        if action == "confirm":
            self.tally.confirmed += 1
        elif action == "reject":
            self.tally.rejected += 1
        else:
            self.tally.added += 1
            if new_code:
                self.say(f"'{tag.code}' is a new inductive code")
